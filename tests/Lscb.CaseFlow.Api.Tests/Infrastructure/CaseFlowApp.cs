using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Alba;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Time.Testing;
using Npgsql;

namespace Lscb.CaseFlow.Api.Tests.Infrastructure;

/// <summary>
/// The API running in memory against its own fresh PostgreSQL database, with the clock fixed at
/// <see cref="Today"/>. One per test class; tests in a class keep apart by using their own child ids. A derived
/// fixture may give more configuration (<see cref="MoreSettingsAsync"/>), such as databases per authority.
/// </summary>
public class CaseFlowApp : IAsyncLifetime
{
    public static readonly DateTimeOffset Now = new(2026, 11, 26, 12, 0, 0, TimeSpan.Zero);

    public IAlbaHost Host { get; private set; } = null!;

    public HttpClient Client { get; private set; } = null!;

    public string ConnectionString { get; protected set; } = null!;

    public FakeTimeProvider Clock { get; } = new(Now);

    /// <summary>The test identity provider's shared signing key (base64 of 32 bytes) and names.</summary>
    public const string JwtSigningKey = "dGVzdC1pZGVudGl0eS1wcm92aWRlci1zaWduaW5nLWtleSE=";
    public const string JwtIssuer = "https://idp.council.test";
    public const string JwtAudience = "caseflow";

    /// <summary>The pseudonymisation secrets: this authority's (the default tenant) and the other authority's.</summary>
    public const string PseudonymisationSecret = "test-pseudonymisation-secret-of-this-authority";
    public const string OtherPseudonymisationSecret = "test-pseudonymisation-secret-of-the-other-authority";

    /// <summary>High enough that tests never meet it, unless a test sets it lower before starting the app.</summary>
    public int RateLimitPerMinute { get; init; } = 1_000_000;

    /// <summary>The per-address limit of <c>/health</c>; as high as the others unless a test sets it lower.</summary>
    public int HealthPermitsPerMinute { get; init; } = 1_000_000;

    /// <summary>Keys beside <see cref="Keys"/>, which may share a name with each other or with one of them.</summary>
    public IReadOnlyList<(string Name, string Key, string[] Roles, string? Tenant)> MoreKeys { get; init; } = [];

    /// <summary>More configuration of this app's host, and a logger provider that sees everything it logs, when given.</summary>
    public IReadOnlyDictionary<string, string> Settings { get; init; } = new Dictionary<string, string>();

    public Microsoft.Extensions.Logging.ILoggerProvider? Logs { get; init; }

    /// <summary>More services for this app's host, such as an in-memory telemetry exporter, when given.</summary>
    public Action<IServiceCollection>? MoreServices { get; init; }

    /// <summary>The keys the app is configured with: name → (key, roles, sources, tenant).</summary>
    public static readonly IReadOnlyDictionary<string, (string Key, string[] Roles, string[] Sources, string? Tenant)> Keys =
        new Dictionary<string, (string, string[], string[], string?)>
        {
            ["all"] = ("test-key-all-roles-0123456789", ["ingest", "analyst", "auditor", "admin"], ["*"], null),
            ["ingest"] = ("test-key-ingest-only-0123456789", ["ingest"], [Ce.Mash, "urn:lscb:history"], null),
            ["mash-only"] = ("test-key-ingest-mash-only-0123456789", ["ingest"], [Ce.Mash], null),
            ["no-secret"] = ("test-key-authority-without-a-secret-0123", ["ingest", "auditor"], ["*"], "E09000001"),
            ["analyst"] = ("test-key-analyst-only-0123456789", ["analyst"], [], null),
            ["auditor"] = ("test-key-auditor-only-0123456789", ["auditor"], [], null),
            ["admin"] = ("test-key-admin-only-0123456789", ["admin"], [], null),
            ["other-authority"] = ("test-key-other-authority-0123456789", ["ingest", "analyst", "auditor", "admin"], ["*"], "E08000030"),
        };

    public virtual async Task InitializeAsync()
    {
        var server = await PostgresServer.SharedAsync();
        ConnectionString = await server.CreateDatabaseAsync("caseflow");
        _more = await MoreSettingsAsync(server);
        Host = await StartHostAsync(environment: null);
        Client = ClientFor("all");
    }

    private IReadOnlyDictionary<string, string> _more = new Dictionary<string, string>();

    /// <summary>
    /// Another instance of the API on the same database and keys, in the given environment: <c>Production</c> runs the
    /// pre-generated code (static type loading) instead of generating it (WebApplicationFactory's default,
    /// Development). Dispose it.
    /// </summary>
    public Task<IAlbaHost> StartHostAsync(string? environment) =>
        AlbaHost.For<Program>(builder =>
        {
            if (environment is not null)
            {
                builder.UseEnvironment(environment);
            }

            foreach (var (name, value) in _more)
            {
                builder.UseSetting(name, value);
            }

            builder.UseSetting("ConnectionStrings:CaseFlow", ConnectionString);
            builder.UseSetting("Logging:LogLevel:Default", "Warning");
            builder.UseSetting("CaseFlow:RateLimit:PermitsPerMinute", RateLimitPerMinute.ToString(System.Globalization.CultureInfo.InvariantCulture));
            builder.UseSetting("CaseFlow:RateLimit:AnonymousPermitsPerMinute", RateLimitPerMinute.ToString(System.Globalization.CultureInfo.InvariantCulture));
            builder.UseSetting("CaseFlow:RateLimit:HealthPermitsPerMinute", HealthPermitsPerMinute.ToString(System.Globalization.CultureInfo.InvariantCulture));
            builder.UseSetting("CaseFlow:Jwt:SigningKey", JwtSigningKey);
            builder.UseSetting("CaseFlow:Jwt:Issuer", JwtIssuer);
            builder.UseSetting("CaseFlow:Jwt:Audience", JwtAudience);
            builder.UseSetting("CaseFlow:Jwt:TenantClaim", "la");
            builder.UseSetting("CaseFlow:Pseudonymisation:Secrets:default", PseudonymisationSecret);
            builder.UseSetting("CaseFlow:Pseudonymisation:Secrets:E08000030", OtherPseudonymisationSecret);
            var index = 0;
            foreach (var (name, key) in Keys.Select(k => (k.Key, k.Value))
                         .Concat(MoreKeys.Select(k => (k.Name, (k.Key, k.Roles, Sources: new[] { "*" }, k.Tenant))))
                         .ToList())
            {
                var prefix = $"CaseFlow:ApiKeys:{index++}:";
                builder.UseSetting(prefix + "Name", name);
                builder.UseSetting(prefix + "Key", key.Key);
                builder.UseSetting(prefix + "Tenant", key.Tenant ?? "");
                for (var i = 0; i < key.Roles.Length; i++)
                {
                    builder.UseSetting($"{prefix}Roles:{i}", key.Roles[i]);
                }

                for (var i = 0; i < key.Sources.Length; i++)
                {
                    builder.UseSetting($"{prefix}Sources:{i}", key.Sources[i]);
                }
            }

            foreach (var (name, value) in Settings)
            {
                builder.UseSetting(name, value);
            }

            builder.ConfigureServices(services =>
            {
                services.Replace(ServiceDescriptor.Singleton<TimeProvider>(Clock));
                if (Logs is not null)
                {
                    services.AddSingleton(Logs);
                }

                MoreServices?.Invoke(services);
            });
        });

    /// <summary>Configuration beyond the defaults, made before the app starts (the shared server is given).</summary>
    protected virtual Task<IReadOnlyDictionary<string, string>> MoreSettingsAsync(PostgresServer server) =>
        Task.FromResult<IReadOnlyDictionary<string, string>>(new Dictionary<string, string>());

    /// <summary>A client sending the named key (<see cref="Keys"/>), or none for <c>null</c>; to this app's host or another.</summary>
    public HttpClient ClientFor(string? keyName, IAlbaHost? host = null)
    {
        var client = (host ?? Host).Server.CreateClient();
        if (keyName is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Keys[keyName].Key);
        }

        return client;
    }

    /// <summary>
    /// <c>/health</c> asked, anonymously, until it answers <paramref name="status"/>: its answer may be a second old
    /// (DatabaseHealth), and a check takes up to its 3 s timeout, so a change of the databases shows within seconds.
    /// </summary>
    public async Task<HttpResponseMessage> HealthUntilAsync(HttpStatusCode status)
    {
        using var anonymous = ClientFor(null);
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (true)
        {
            var response = await anonymous.GetAsync("/health");
            if (response.StatusCode == status || waited.Elapsed > TimeSpan.FromSeconds(10))
            {
                response.StatusCode.ShouldBe(status);
                return response;
            }

            response.Dispose();
            await Task.Delay(100);
        }
    }

    /// <summary>A client sending this key or token as it is.</summary>
    public HttpClient ClientWithToken(string token)
    {
        var client = Host.Server.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    public virtual async Task DisposeAsync()
    {
        // Null when the start failed.
        Client?.Dispose();
        if (Host is not null)
        {
            await Host.DisposeAsync();
        }
    }

    public Task<HttpResponseMessage> PostEventsAsync(JsonNode batch) => PostRawAsync(batch.ToJsonString());

    public Task<HttpResponseMessage> PostRawAsync(string body, string contentType = "application/cloudevents-batch+json")
    {
        var content = new StringContent(body, Encoding.UTF8);
        content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        return Client.PostAsync("/api/events", content);
    }

    /// <summary>Posts a batch that must be accepted, and returns the acknowledgement.</summary>
    public async Task<(int Accepted, int Duplicates)> IngestAsync(JsonNode batch)
    {
        using var response = await PostEventsAsync(batch);
        var body = await response.Content.ReadAsStringAsync();
        response.IsSuccessStatusCode.ShouldBeTrue(body);
        var ack = JsonNode.Parse(body)!;
        return (ack["accepted"]!.GetValue<int>(), ack["duplicates"]!.GetValue<int>());
    }

    public async Task<JsonNode> GetJsonAsync(string url)
    {
        using var response = await Client.GetAsync(url);
        var body = await response.Content.ReadAsStringAsync();
        response.IsSuccessStatusCode.ShouldBeTrue($"{url}: {(int)response.StatusCode} {body}");
        return JsonNode.Parse(body)!;
    }

    public async Task<long> ScalarAsync(string sql, params (string Name, object Value)[] parameters)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var cmd = new NpgsqlCommand(sql, connection);
        foreach (var (name, value) in parameters)
        {
            cmd.Parameters.AddWithValue(name, value);
        }

        return Convert.ToInt64(await cmd.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>How many events are stored, counted in the event store itself.</summary>
    public Task<long> StoredEventCountAsync(string? childId = null) => childId is null
        ? ScalarAsync("select count(*) from caseflow.mt_events")
        : ScalarAsync("select count(*) from caseflow.mt_events where stream_id = @child", ("child", childId));

    public static async Task<JsonNode> ProblemOf(HttpResponseMessage response)
    {
        response.Content.Headers.ContentType?.MediaType.ShouldBe("application/problem+json");
        return JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
    }

    public static JsonSerializerOptions Json { get; } = new(JsonSerializerDefaults.Web);
}
