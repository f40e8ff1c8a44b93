using System.Net;
using System.Text;
using Lscb.CaseFlow.Api.Tests.Infrastructure;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Lscb.CaseFlow.Api.Tests.Http;

/// <summary>
/// What a caller sends is read strictly and answered in this service's words: a typed query value that is not of its
/// type is a 400 (never the parameter's default: <c>publication=1</c> used to turn suppression off), a body that is not
/// the JSON an endpoint takes is a plain 400 that names no type of the code, and hostile input is never logged above
/// Warning, with a stack trace, or quoted; a real failure still is.
/// </summary>
public sealed class StrictInputTests : IAsyncLifetime
{
    private const string Marker = "zqxj7hostile";

    private readonly CapturedLogs _logs = new();
    private CaseFlowApp _app = null!;

    public async Task InitializeAsync()
    {
        // Logged as in production (appsettings.json: Information, the framework's at Warning), all of it captured.
        _app = new CaseFlowApp { Logs = _logs, Settings = new Dictionary<string, string> { ["Logging:LogLevel:Default"] = "Information" } };
        await _app.InitializeAsync();
    }

    public Task DisposeAsync() => _app.DisposeAsync();

    private static readonly string[] Unparseable =
    [
        "/api/kpis?from=2016-04-01&to=2016-06-30&publication=1",
        "/api/kpis?from=2016-04-01&to=2016-06-30&publication=yes",
        "/api/kpis?from=2016-04-01&to=2016-06-30&publication=on",
        $"/api/kpis?from=2016-04-01&to=2016-06-30&publication=1{Marker}",
        "/api/kpis/series?from=2016-04-01&to=2016-06-30&publication=1",
        "/api/kpis/comparison?from=2016-04-01&to=2016-06-30&publication=1",
        "/api/reports/board?from=2016-04-01&to=2016-06-30&publication=1",
        "/api/reports/board?from=2016-04-01&to=2016-06-30&publication=true&publication=false",
        "/api/data-quality?limit=abc",
        "/api/data-quality?limit=1.5",
        $"/api/data-quality?offset={Marker}",
        "/api/data-quality?limit=99999999999999999999",
        "/api/audit/journey-reads?limit=abc",
        $"/api/audit/journey-reads?offset=%3Cscript%3E{Marker}",
    ];

    public static TheoryData<string> UnparseableQueries => new(Unparseable);

    [Theory]
    [MemberData(nameof(UnparseableQueries))]
    public async Task a_typed_query_value_that_is_not_of_its_type_is_400_never_the_default(string url)
    {
        using var response = await _app.Client.GetAsync(url);

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest, url);
        var problem = await CaseFlowApp.ProblemOf(response);
        problem["title"]!.GetValue<string>().ShouldBe("Malformed parameter");
        var text = problem.ToJsonString();
        text.ShouldNotContain(Marker);
        text.ShouldNotContain("script");
        text.ShouldNotContain("System.");
    }

    [Fact]
    public async Task publication_mode_is_on_only_when_asked_for_by_true_and_a_mistyped_flag_never_turns_it_off()
    {
        var child = Ce.Subject();
        await _app.IngestAsync(Ce.Batch(Ce.Contact(child, "2016-04-12", "CT-1")));

        var published = await _app.GetJsonAsync("/api/kpis?from=2016-04-01&to=2016-06-30&publication=true");
        published["kpis"]!["contacts"]!["value"]!.GetValue<string>().ShouldBe("c", "one contact is a small count");
        foreach (var mistyped in new[] { "1", "yes", "TRUE1", "on", "y" })
        {
            (await _app.Client.GetAsync($"/api/kpis?from=2016-04-01&to=2016-06-30&publication={mistyped}")).StatusCode
                .ShouldBe(HttpStatusCode.BadRequest, mistyped);
        }
    }

    private static readonly (string Url, string Body)[] Malformed =
    [
        ("/api/reference/population/2021", "{\"children\":\"x\"}"),
        ("/api/reference/population/2021", "{\"children\":\"1000\"}"),
        ("/api/reference/population/2021", "{\"children\":1e400}"),
        ("/api/reference/population/2021", "{\"children\":1.5}"),
        ("/api/reference/population/2021", "{"),
        ("/api/reference/population/2021", "[]"),
        ("/api/reference/population/2021", "\"x\""),
        ("/api/reference/population/2021", $"{{\"children\":1,\"{Marker}\":1}}"),
        ("/api/reference/population/2021", "{\"children\":1,\"children\":2}"),
        ("/api/reference/population/2021", $"{{\"children\":\"{Marker}\"}}"),
        ("/api/targets/referrals", "{\"target\":\"x\",\"direction\":\"higher\"}"),
        ("/api/targets/referrals", "{\"direction\":{}}"),
        ("/api/targets/referrals", $"{{\"target\":1,\"direction\":[\"{Marker}\"]}}"),
        ("/api/targets/referrals", "{\"target\":1,\"direction\":\"higher\",\"target\":2}"),
        ("/api/targets/referrals", "not json"),
    ];

    public static TheoryData<string, string> MalformedBodies
    {
        get
        {
            var data = new TheoryData<string, string>();
            foreach (var (url, body) in Malformed)
            {
                data.Add(url, body);
            }

            return data;
        }
    }

    [Theory]
    [MemberData(nameof(MalformedBodies))]
    public async Task a_body_that_is_not_the_json_an_endpoint_takes_is_a_plain_400_naming_no_type(string url, string body)
    {
        using var content = new StringContent(body, Encoding.UTF8, "application/json");

        using var response = await _app.Client.PutAsync(url, content);

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest, body);
        var text = (await CaseFlowApp.ProblemOf(response)).ToJsonString();
        foreach (var inside in new[] { "Lscb", "System.", "PopulationEstimate", "TargetBody", "Path:", "LineNumber", "BytePosition", Marker })
        {
            text.ShouldNotContain(inside, Case.Insensitive, body);
        }
    }

    [Fact]
    public async Task no_endpoint_reads_its_body_through_wolverine_whose_reader_logs_and_quotes_a_malformed_one()
    {
        var endpoints = _app.Host.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>().ToList();
        endpoints.Count(e => e.RoutePattern.RawText!.StartsWith("/api", StringComparison.Ordinal)).ShouldBeGreaterThanOrEqualTo(16);

        endpoints.Where(e => e.Metadata.GetMetadata<Microsoft.AspNetCore.Http.Metadata.IAcceptsMetadata>()?.RequestType is not null)
            .Select(e => e.RoutePattern.RawText).ShouldBeEmpty("read bodies with Endpoints/JsonBody.cs");
    }

    [Fact]
    public async Task hostile_input_is_logged_nowhere_above_warning_without_a_stack_trace_or_a_word_of_it_and_a_real_failure_still_is()
    {
        using var forged = _app.ClientWithToken(Tokens.Make(["analyst"], key: new Microsoft.IdentityModel.Tokens.SymmetricSecurityKey(new byte[32]), name: Marker));
        using var expired = _app.ClientWithToken(Tokens.Make(["analyst"], expires: DateTime.UtcNow.AddMinutes(-5), name: Marker));
        using var unknownKey = _app.ClientWithToken($"not-a-key-{Marker}-0123456789");
        _logs.Clear();

        var sent = new List<HttpStatusCode>();
        foreach (var (url, body) in Malformed)
        {
            using var content = new StringContent(body, Encoding.UTF8, "application/json");
            sent.Add((await _app.Client.PutAsync(url, content)).StatusCode);
        }

        foreach (var url in Unparseable.Concat(new[]
        {
            $"/api/children/{Marker}%0D%0A/journey", $"/api/data-quality?childId=%00{Marker}", $"/api/data-quality?rule=%00{Marker}",
            $"/api/children/C1/journey?reason=%00{Marker}", $"/api/audit/journey-reads?keyName=%00{Marker}", $"/api/kpis?from={Marker}&to=x",
        }))
        {
            sent.Add((await _app.Client.GetAsync(url)).StatusCode);
        }

        sent.Add((await forged.GetAsync("/api/targets")).StatusCode);
        sent.Add((await expired.GetAsync("/api/targets")).StatusCode);
        sent.Add((await unknownKey.GetAsync("/api/targets")).StatusCode);
        using (var events = new StringContent($"[{{\"id\":\"{Marker}\"", Encoding.UTF8, "application/json"))
        {
            sent.Add((await _app.Client.PostAsync("/api/events", events)).StatusCode);
        }

        sent.ShouldAllBe(status => (int)status >= 400 && (int)status < 500);
        var logged = _logs.Entries;
        logged.Where(e => e.Level > LogLevel.Warning).ShouldBeEmpty();
        logged.Where(e => e.Exception is not null).ShouldBeEmpty("no stack trace for a caller's mistake");
        logged.Where(e => e.Message.Contains(Marker, StringComparison.OrdinalIgnoreCase)).ShouldBeEmpty();

        // A real failure (a table gone from under the service) is a 500 with its error logged, stack trace and all.
        await SqlAsync("alter table caseflow.populations rename to populations_away");
        try
        {
            using var content = new StringContent("{\"children\":45000}", Encoding.UTF8, "application/json");
            (await _app.Client.PutAsync("/api/reference/population/2021", content)).StatusCode.ShouldBe(HttpStatusCode.InternalServerError);
        }
        finally
        {
            await SqlAsync("alter table caseflow.populations_away rename to populations");
        }

        _logs.Entries.ShouldContain(e => e.Level == LogLevel.Error && e.Exception != null);
    }

    private async Task SqlAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(_app.ConnectionString);
        await connection.OpenAsync();
        await using var cmd = new NpgsqlCommand(sql, connection);
        await cmd.ExecuteNonQueryAsync();
    }
}
