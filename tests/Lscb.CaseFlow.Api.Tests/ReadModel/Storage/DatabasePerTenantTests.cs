using System.Net;
using System.Security.Claims;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Lscb.CaseFlow.Api.Tests.Infrastructure;
using Npgsql;

namespace Lscb.CaseFlow.Api.Tests.ReadModel.Storage;

/// <summary>
/// Two authorities, two databases on two servers (<see cref="DatabasePerTenantApp"/>): everything of each authority —
/// events, idempotency keys, facts, daily counts, findings, journeys, targets, population, access log — is stored in its
/// own database only, and each is answered from there.
/// </summary>
public sealed class DatabasePerTenantTests(DatabasePerTenantApp app) : IClassFixture<DatabasePerTenantApp>
{
    private const string Default = "*DEFAULT*";
    private const string Other = DatabasePerTenantApp.OtherTenant;

    /// <summary>Every table that holds an authority's data, Marten's and ours.</summary>
    private static readonly string[] Tables =
    [
        "mt_events", "mt_streams", "event_keys", "child_facts", "fact_counts", "identities", "data_quality_findings",
        "populations", "targets", "journey_reads",
    ];

    [Fact]
    public async Task each_authoritys_data_lives_only_in_its_own_database_and_is_answered_from_there()
    {
        using var other = app.ClientFor("other-authority");

        // The same child ids and event ids in both authorities (Naseem's family), and more children in the other one.
        await app.IngestAsync(Ce.Naseem());
        (await Ingest(other, Ce.Naseem())).ShouldBe((Ce.Naseem().Count, 0));
        var extra = Enumerable.Range(0, 5).Select(_ => Ce.Subject("OTHER")).ToList();
        await Ingest(other, Ce.Batch([.. extra.Select(c => Ce.Contact(c, "2016-05-02", "CT-9"))]));
        (await Ingest(other, Ce.Naseem())).ShouldBe((0, Ce.Naseem().Count), "idempotency is per authority, in its database");

        (await other.PutAsJsonAsync("/api/targets/contacts", new { target = 77, direction = "lower" })).EnsureSuccessStatusCode();
        (await other.PutAsJsonAsync("/api/reference/population/2016", new { children = 12345 })).EnsureSuccessStatusCode();
        (await other.GetAsync($"/api/children/{extra[0]}/journey?reason=review")).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await app.Client.GetAsync("/api/children/NASEEM01/journey")).StatusCode.ShouldBe(HttpStatusCode.OK);

        // Each database holds its own authority's rows, and none of the other's.
        foreach (var table in Tables)
        {
            (await CountAsync(app.OtherConnectionString, table, Default)).ShouldBe(0, $"{table}: nothing of the default authority in the other's database");
            (await CountAsync(app.ConnectionString, table, Other)).ShouldBe(0, $"{table}: nothing of {Other} in the default database");
        }

        foreach (var table in new[] { "mt_events", "event_keys", "child_facts", "fact_counts", "targets", "populations", "journey_reads" })
        {
            (await CountAsync(app.OtherConnectionString, table, Other)).ShouldBeGreaterThan(0, $"{table} of {Other} in its database");
        }

        var naseemEvents = Ce.Naseem().Count;
        (await CountAsync(app.OtherConnectionString, "mt_events", Other)).ShouldBe(naseemEvents + extra.Count);
        (await CountAsync(app.OtherConnectionString, "event_keys", Other)).ShouldBe(naseemEvents + extra.Count);

        // Answers come from the caller's database: the other authority's five extra contacts, its target and population.
        var window = "from=2016-04-01&to=2017-03-31";
        var ours = await app.GetJsonAsync($"/api/kpis?{window}");
        var theirs = JsonNode.Parse(await other.GetStringAsync($"/api/kpis?{window}"))!;
        Value(theirs, "contacts").ShouldBe(Value(ours, "contacts") + extra.Count);
        (await ContactEventsAsync(app.OtherConnectionString, extra)).ShouldBe(extra.Count, "the extra contacts are in the other authority's database");
        (await ContactEventsAsync(app.ConnectionString, extra)).ShouldBe(0, "and not in the default database");
        theirs["population"]!.GetValue<long>().ShouldBe(12345);
        JsonNode.Parse(await other.GetStringAsync("/api/targets"))!.AsArray()
            .ShouldContain(t => t!["key"]!.GetValue<string>() == "contacts" && t["target"]!.GetValue<double>() == 77);
        (await app.GetJsonAsync("/api/targets")).AsArray().ShouldNotContain(t => t!["key"]!.GetValue<string>() == "contacts" && t["target"]!.GetValue<double>() == 77);

        // Journeys: the same child id is two children; each authority sees its own, and only its own extra children.
        var ourJourney = await app.GetJsonAsync("/api/children/NASEEM01/journey");
        var theirJourney = JsonNode.Parse(await other.GetStringAsync("/api/children/NASEEM01/journey"))!;
        theirJourney["events"]!.AsArray().Count.ShouldBe(ourJourney["events"]!.AsArray().Count);
        (await app.Client.GetAsync($"/api/children/{extra[0]}/journey")).StatusCode.ShouldBe(HttpStatusCode.NotFound);

        // The access log: each authority's reads, in its own database.
        var theirReads = JsonNode.Parse(await other.GetStringAsync("/api/audit/journey-reads"))!;
        theirReads["reads"]!.AsArray().ShouldAllBe(r => r!["tenantId"]!.GetValue<string>() == Other);
        theirReads["reads"]!.AsArray().ShouldContain(r => r!["childId"]!.GetValue<string>() == extra[0] && r["reason"]!.GetValue<string>() == "review");
        var ourReads = (await app.GetJsonAsync("/api/audit/journey-reads"))["reads"]!.AsArray();
        ourReads.ShouldAllBe(r => r!["tenantId"]!.GetValue<string>() == Default);
        ourReads.Where(r => r!["childId"]!.GetValue<string>() == extra[0]).ShouldHaveSingleItem("only the default authority's own (unfound) look");

        // Data quality reads the caller's database too.
        (await other.GetAsync("/api/data-quality")).StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task the_schema_and_the_access_logs_guard_are_created_in_every_database_at_start()
    {
        foreach (var connectionString in new[] { app.ConnectionString, app.OtherConnectionString })
        {
            await using var connection = new NpgsqlConnection(Unpooled(connectionString));
            await connection.OpenAsync();
            await using var cmd = new NpgsqlCommand(
                "select count(*) from pg_trigger where tgname = 'journey_reads_append_only' and not tgisinternal", connection);
            ((long)(await cmd.ExecuteScalarAsync())!).ShouldBe(1);
            await using var delete = new NpgsqlCommand("delete from caseflow.journey_reads", connection);
            (await Should.ThrowAsync<PostgresException>(() => delete.ExecuteNonQueryAsync())).MessageText.ShouldContain("append-only");
        }

        using var answer = await app.HealthUntilAsync(HttpStatusCode.OK);
        var health = JsonNode.Parse(await answer.Content.ReadAsStringAsync())!;
        health["databases"]!.GetValue<int>().ShouldBe(2);
    }

    [Fact]
    public async Task one_authoritys_server_down_leaves_the_other_authority_served()
    {
        using var other = app.ClientFor("other-authority");
        var child = Ce.Subject();
        await app.OtherServer.StopAsync();
        try
        {
            using var health = await app.HealthUntilAsync(HttpStatusCode.ServiceUnavailable);
            JsonNode.Parse(await health.Content.ReadAsStringAsync())!["unavailable"]!.GetValue<int>().ShouldBe(1);
            (await app.ClientFor(null).GetAsync("/health/live")).StatusCode.ShouldBe(HttpStatusCode.OK);

            using var refused = await other.GetAsync("/api/kpis?from=2016-04-01&to=2016-06-30");
            refused.StatusCode.ShouldBe(HttpStatusCode.ServiceUnavailable);

            await app.IngestAsync(Ce.Batch(Ce.Contact(child, "2014-04-12", "CT-1"))); // outside the windows the other tests count
            (await app.Client.GetAsync($"/api/children/{child}/journey")).StatusCode.ShouldBe(HttpStatusCode.OK);
        }
        finally
        {
            await app.OtherServer.StartAsync();
        }

        // Back by itself: the pools are cleared on the first failure, and new connections are opened.
        var deadline = DateTime.UtcNow.AddSeconds(30);
        HttpStatusCode status;
        do
        {
            using var again = await other.GetAsync("/api/kpis?from=2016-04-01&to=2016-06-30");
            status = again.StatusCode;
            if (status != HttpStatusCode.OK)
            {
                await Task.Delay(200);
            }
        }
        while (status != HttpStatusCode.OK && DateTime.UtcNow < deadline);
        status.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task an_authority_with_no_database_here_is_refused_and_nothing_is_stored()
    {
        // A JWT naming an authority that no key, database or DefaultDatabaseTenants entry names.
        var token = new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = CaseFlowApp.JwtIssuer,
            Audience = CaseFlowApp.JwtAudience,
            Subject = new ClaimsIdentity([new Claim("roles", "ingest"), new Claim("roles", "analyst"), new Claim("name", "x@council.test"), new Claim("sub", "x-1"), new Claim("la", "E09999999")]),
            Expires = DateTime.UtcNow.AddHours(1),
            SigningCredentials = new SigningCredentials(new SymmetricSecurityKey(Convert.FromBase64String(CaseFlowApp.JwtSigningKey)), SecurityAlgorithms.HmacSha256),
        });
        using var stranger = app.ClientFor(null);
        stranger.DefaultRequestHeaders.Authorization = new("Bearer", token);

        using var kpis = await stranger.GetAsync("/api/kpis?from=2016-04-01&to=2016-06-30");
        kpis.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await kpis.Content.ReadAsStringAsync()).ShouldContain("Authority not served");
        var child = Ce.Subject();
        using var content = new StringContent(Ce.Batch(Ce.Contact(child, "2016-04-12", "CT-1")).ToJsonString(), System.Text.Encoding.UTF8, "application/cloudevents-batch+json");
        (await stranger.PostAsync("/api/events", content)).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        foreach (var connectionString in new[] { app.ConnectionString, app.OtherConnectionString })
        {
            (await CountAsync(connectionString, "event_keys", "E09999999")).ShouldBe(0);
        }
    }

    private async Task<(int Accepted, int Duplicates)> Ingest(HttpClient client, JsonNode batch)
    {
        using var content = new StringContent(batch.ToJsonString(), System.Text.Encoding.UTF8, "application/cloudevents-batch+json");
        using var response = await client.PostAsync("/api/events", content);
        var body = await response.Content.ReadAsStringAsync();
        response.IsSuccessStatusCode.ShouldBeTrue(body);
        var ack = JsonNode.Parse(body)!;
        return (ack["accepted"]!.GetValue<int>(), ack["duplicates"]!.GetValue<int>());
    }

    private static long Value(JsonNode kpis, string key) => kpis["kpis"]![key]!["value"]!.GetValue<long>();

    /// <summary>The test's own reads open a connection each: one test stops and starts a server, which ends pooled ones.</summary>
    private static string Unpooled(string connectionString) =>
        new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false }.ConnectionString;

    private static async Task<long> CountAsync(string connectionString, string table, string tenant)
    {
        await using var connection = new NpgsqlConnection(Unpooled(connectionString));
        await connection.OpenAsync();
        await using var cmd = new NpgsqlCommand($"select count(*) from caseflow.{table} where tenant_id = @tenant", connection);
        cmd.Parameters.AddWithValue("tenant", tenant);
        return (long)(await cmd.ExecuteScalarAsync())!;
    }

    private static async Task<long> ContactEventsAsync(string connectionString, IReadOnlyList<string> children)
    {
        await using var connection = new NpgsqlConnection(Unpooled(connectionString));
        await connection.OpenAsync();
        await using var cmd = new NpgsqlCommand("select count(*) from caseflow.mt_events where type = 'contact' and stream_id = any(@children)", connection);
        cmd.Parameters.AddWithValue("children", children.ToArray());
        return (long)(await cmd.ExecuteScalarAsync())!;
    }
}
