using System.Diagnostics;
using System.Net;
using Lscb.CaseFlow.Api.Tests.Infrastructure;
using Microsoft.Extensions.Configuration;
using Npgsql;
using Lscb.CaseFlow.Api.ReadModel.Storage;
using Lscb.CaseFlow.Api.ReadModel;

namespace Lscb.CaseFlow.Api.Tests.ReadModel;

/// <summary>
/// The projection run asynchronously, by Marten's daemon under Wolverine's agent distribution: a POST only appends, and
/// a read that comes after its 200 still counts its events, because reads wait for the projection.
/// </summary>
public sealed class AsyncProjectionTests(AsyncProjectionApp app) : IClassFixture<AsyncProjectionApp>
{
    public static TheoryData<int> Windows => [.. Enumerable.Range(0, NaseemFamily.Expected["windows"]!.AsArray().Count)];

    [Theory]
    [MemberData(nameof(Windows))]
    public async Task naseems_family_posted_a_moment_ago_gives_the_expected_kpis(int index)
    {
        await NaseemFamily.LoadAsync(app);
        var window = NaseemFamily.Expected["windows"]![index]!;
        var from = window["from"]!.GetValue<string>();
        var to = window["to"]!.GetValue<string>();

        var answer = await app.GetJsonAsync($"/api/kpis?from={from}&to={to}");

        KpiAssert.Matches(answer["kpis"]!, window["kpis"]!, $"{from}..{to}");
    }

    [Fact]
    public async Task the_facts_are_written_by_the_daemon_not_by_the_posting_transaction()
    {
        var child = Ce.Subject();
        await app.IngestAsync(Ce.Batch(Ce.Contact(child, "2020-05-01", "c1"), Ce.Referral(child, "2020-05-02", "r1")));
        await app.GetJsonAsync("/api/kpis?from=2020-05-01&to=2020-05-31");

        // The daemon's own record of how far it has come has passed every stored event.
        var stored = await app.ScalarAsync("select max(seq_id) from caseflow.mt_events");
        var projected = await app.ScalarAsync("select last_seq_id from caseflow.mt_event_progression where name = @name", ("name", ChildFactsProjection.ShardName));
        projected.ShouldBeGreaterThanOrEqualTo(stored);
        (await app.ScalarAsync("select count(*) from caseflow.child_facts where child_id = @child", ("child", child))).ShouldBe(2);

        // Wolverine runs the daemon as an agent assigned to this node.
        (await AsyncProjection.DaemonNodesAsync(app.ConnectionString)).Count.ShouldBe(1);
    }

    [Fact]
    public async Task a_read_the_projection_cannot_catch_up_with_in_time_is_a_503_with_retry_after_and_never_a_stale_figure()
    {
        var child = Ce.Subject();
        var window = "from=2021-03-01&to=2021-03-31";
        var before = (await app.GetJsonAsync($"/api/kpis?{window}"))["kpis"]!["contacts"]!["value"]!.GetValue<long>();

        // Hold the projection's writes back: the daemon's next page waits on this lock; reads and appends do not.
        await using var blocker = new NpgsqlConnection(app.ConnectionString);
        await blocker.OpenAsync();
        await using var tx = await blocker.BeginTransactionAsync();
        await using (var lockTable = new NpgsqlCommand("lock table caseflow.fact_counts in exclusive mode", blocker, tx))
        {
            await lockTable.ExecuteNonQueryAsync();
        }

        await app.IngestAsync(Ce.Batch(Ce.Contact(child, "2021-03-10", "c1")));
        var clock = Stopwatch.StartNew();
        using (var behind = await app.Client.GetAsync($"/api/kpis?{window}"))
        {
            behind.StatusCode.ShouldBe(HttpStatusCode.ServiceUnavailable);
            behind.Headers.RetryAfter!.Delta.ShouldBe(TimeSpan.FromSeconds(5));
            (await CaseFlowApp.ProblemOf(behind))["title"]!.GetValue<string>().ShouldBe("Figures catching up");
        }

        clock.Elapsed.ShouldBeGreaterThanOrEqualTo(TimeSpan.FromSeconds(AsyncProjection.ReadWaitSeconds - 0.5));
        using (var findings = await app.Client.GetAsync("/api/data-quality"))
        {
            findings.StatusCode.ShouldBe(HttpStatusCode.ServiceUnavailable, "findings are projected too");
        }

        // Once the projection can write, the same read counts the event.
        await tx.RollbackAsync();
        var after = (await app.GetJsonAsync($"/api/kpis?{window}"))["kpis"]!["contacts"]!["value"]!.GetValue<long>();
        after.ShouldBe(before + 1);
    }
}

/// <summary>
/// The asynchronous projection with a database per authority on two servers: one daemon per database, each projecting
/// only its own authority's events, and each authority's reads waiting for its own database's daemon.
/// </summary>
public sealed class AsyncDatabasePerTenantTests(AsyncDatabasePerTenantApp app) : IClassFixture<AsyncDatabasePerTenantApp>
{
    [Fact]
    public async Task each_database_has_its_own_daemon_and_each_authority_reads_its_own_writes()
    {
        using var other = app.ClientFor("other-authority");
        var window = "from=2015-01-01&to=2018-12-31";
        await NaseemFamily.LoadAsync(app);
        var extra = Enumerable.Range(0, 3).Select(_ => Ce.Subject("OTHER")).ToList();
        using (var content = new StringContent(Ce.Batch([.. extra.Select(c => Ce.Contact(c, "2016-05-02", "CT-1"))]).ToJsonString()))
        {
            content.Headers.ContentType = new("application/cloudevents-batch+json");
            (await other.PostAsync("/api/events", content)).StatusCode.ShouldBe(HttpStatusCode.OK);
        }

        var ours = await app.GetJsonAsync($"/api/kpis?{window}");
        KpiAssert.Matches(ours["kpis"]!, NaseemFamily.KpisOf("2015-01-01", "2018-12-31"), "the default authority, its database's daemon");
        var theirs = System.Text.Json.Nodes.JsonNode.Parse(await other.GetStringAsync($"/api/kpis?{window}"))!;
        theirs["kpis"]!["contacts"]!["value"]!.GetValue<long>().ShouldBe(extra.Count);

        // Each database's own progression, and two agents in Wolverine's tables (in the default database).
        foreach (var connectionString in new[] { app.ConnectionString, app.OtherConnectionString })
        {
            await using var connection = new NpgsqlConnection(connectionString);
            await connection.OpenAsync();
            await using var cmd = new NpgsqlCommand("""
                select (select last_seq_id from caseflow.mt_event_progression where name = 'child-facts:All') >= (select max(seq_id) from caseflow.mt_events)
                """, connection);
            ((bool?)await cmd.ExecuteScalarAsync()).ShouldBe(true);
        }

        (await AsyncProjection.DaemonNodesAsync(app.ConnectionString)).Count.ShouldBe(2);
    }
}

/// <summary>How <c>CaseFlow:Projections</c> is read: inline unless asked, and a wrong setting stops the start.</summary>
public sealed class ProjectionSettingsTests
{
    private static ProjectionSettings Read(params (string Key, string Value)[] settings) => ProjectionSettings.From(
        new ConfigurationBuilder()
            .AddInMemoryCollection(settings.Select(s => new KeyValuePair<string, string?>($"CaseFlow:Projections:{s.Key}", s.Value)))
            .Build());

    [Fact]
    public void the_projection_is_inline_and_reads_wait_ten_seconds_unless_configured()
    {
        var settings = Read();

        settings.Async.ShouldBeFalse();
        settings.ReadWait.ShouldBe(TimeSpan.FromSeconds(10));
        settings.HealthCheck.ShouldBe(TimeSpan.FromSeconds(2));
        settings.StaleNode.ShouldBe(TimeSpan.FromSeconds(10));
    }

    [Fact]
    public void async_mode_takes_its_timings_from_configuration()
    {
        var settings = Read(("Mode", "async"), ("ReadWaitSeconds", "30"), ("StaleNodeSeconds", "20"));

        settings.Async.ShouldBeTrue();
        settings.ReadWait.ShouldBe(TimeSpan.FromSeconds(30));
        settings.StaleNode.ShouldBe(TimeSpan.FromSeconds(20));
    }

    [Theory]
    [InlineData("Mode", "Eventually")]
    [InlineData("ReadWaitSeconds", "0")]
    [InlineData("HealthCheckSeconds", "-1")]
    public void a_mode_or_timing_that_makes_no_sense_stops_the_start(string key, string value) =>
        Should.Throw<InvalidOperationException>(() => Read((key, value))).Message.ShouldContain(key);
}
