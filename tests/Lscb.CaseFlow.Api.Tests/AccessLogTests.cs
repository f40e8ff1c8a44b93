using System.Net;
using System.Text.Json.Nodes;
using Lscb.CaseFlow.Api.Tests.Infrastructure;
using Npgsql;

namespace Lscb.CaseFlow.Api.Tests;

/// <summary>Every look at a child's journey is recorded, append-only, and listed to admins.</summary>
public sealed class AccessLogTests(CaseFlowApp app) : IClassFixture<CaseFlowApp>
{
    [Fact]
    public async Task every_journey_read_is_recorded_with_key_authority_child_time_and_reason()
    {
        var child = Ce.Subject();
        await app.IngestAsync(Ce.Batch(Ce.Contact(child, "2016-04-12", "CT-1")));
        using var auditor = app.ClientFor("auditor");
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/children/{child}/journey?asOf=2016-05-01");
        request.Headers.Add("X-Access-Reason", "serious case review");

        (await auditor.SendAsync(request)).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await auditor.GetAsync($"/api/children/{child}/journey?reason=supervision")).StatusCode.ShouldBe(HttpStatusCode.OK);

        var reads = (await app.GetJsonAsync($"/api/audit/journey-reads?childId={child}"))["reads"]!.AsArray();
        reads.Count.ShouldBe(2);
        reads.ShouldAllBe(r => r!["keyName"]!.GetValue<string>() == "auditor" && r["tenantId"]!.GetValue<string>() == "*DEFAULT*");
        reads.Select(r => r!["reason"]!.GetValue<string>()).ShouldBe(["supervision", "serious case review"]);
        reads[1]!["asOf"]!.GetValue<string>().ShouldBe("2016-05-01");
        DateTimeOffset.Parse(reads[0]!["readAt"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture)
            .ShouldBeGreaterThan(DateTimeOffset.UtcNow.AddMinutes(-5));
    }

    [Fact]
    public async Task a_look_for_a_child_with_no_events_is_recorded_too()
    {
        var nobody = Ce.Subject("NOBODY");

        (await app.Client.GetAsync($"/api/children/{nobody}/journey")).StatusCode.ShouldBe(HttpStatusCode.NotFound);

        (await app.GetJsonAsync($"/api/audit/journey-reads?childId={nobody}"))["total"]!.GetValue<int>().ShouldBe(1);
    }

    [Fact]
    public async Task the_access_log_cannot_be_rewritten_even_by_the_database_owner()
    {
        var child = Ce.Subject();
        await app.Client.GetAsync($"/api/children/{child}/journey");
        await using var connection = new NpgsqlConnection(app.ConnectionString);
        await connection.OpenAsync();

        foreach (var sql in new[] { "update caseflow.journey_reads set reason = 'nothing to see'", "delete from caseflow.journey_reads", "truncate caseflow.journey_reads" })
        {
            await using var cmd = new NpgsqlCommand(sql, connection);
            (await Should.ThrowAsync<PostgresException>(() => cmd.ExecuteNonQueryAsync())).MessageText.ShouldContain("append-only");
        }

        (await app.GetJsonAsync($"/api/audit/journey-reads?childId={child}"))["total"]!.GetValue<int>().ShouldBe(1);
    }

    [Fact]
    public async Task the_access_log_can_be_listed_by_key_and_date()
    {
        var child = Ce.Subject();
        using var auditor = app.ClientFor("auditor");
        await auditor.GetAsync($"/api/children/{child}/journey");
        await app.Client.GetAsync($"/api/children/{child}/journey");

        var byAuditor = await app.GetJsonAsync($"/api/audit/journey-reads?childId={child}&keyName=auditor");
        byAuditor["total"]!.GetValue<int>().ShouldBe(1);
        var yesterday = DateTime.UtcNow.AddDays(-1).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        (await app.GetJsonAsync($"/api/audit/journey-reads?childId={child}&to={yesterday}"))["total"]!.GetValue<int>().ShouldBe(0);
        (await app.Client.GetAsync("/api/audit/journey-reads?limit=0")).StatusCode.ShouldBe(HttpStatusCode.BadRequest);
    }
}
