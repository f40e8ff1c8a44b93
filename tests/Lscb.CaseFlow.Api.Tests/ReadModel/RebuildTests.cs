using System.Diagnostics;
using System.Text;
using System.Text.Json.Nodes;
using Lscb.CaseFlow.Api.Host.Demo;
using Lscb.CaseFlow.Api.Tests.Infrastructure;
using Npgsql;

namespace Lscb.CaseFlow.Api.Tests.ReadModel;

/// <summary>
/// Rebuilding the projection from the event log, as an administrator does it — the service's bulk command,
/// <c>dotnet Lscb.CaseFlow.Api.dll facts-rebuild</c>, or Marten's own, <c>projections rebuild</c>, against the service's
/// database — gives back exactly the facts, daily counts and data-quality findings that ingestion built, for every
/// authority, whatever state the projected tables were in: both empty them first and derive everything again.
/// </summary>
public sealed class RebuildTests(CaseFlowApp app) : IClassFixture<CaseFlowApp>
{
    private static readonly string[] Windows = ["from=2016-04-01&to=2016-06-30", "from=2016-04-01&to=2017-03-31", "from=2013-01-01&to=2019-12-31"];

    [Theory]
    [InlineData("facts-rebuild")]
    [InlineData("projections rebuild")]
    public async Task a_rebuild_from_the_event_log_gives_back_the_kpis_findings_and_daily_counts_whatever_the_tables_held(string command)
    {
        // Many children, sent in a random order and batching, so that a child's events lie in several of the pages
        // the rebuild reads (500 events each); Naseem's family; and another authority's children.
        var range = (From: new DateOnly(2013, 1, 1), To: new DateOnly(2019, 12, 31));
        using var other = app.ClientFor("other-authority");
        await SendShuffledAsync(app.Client, new JourneyGenerator(seed: 31, range.From, range.To).Generate(families: 150), seed: 1);
        await SendShuffledAsync(other, new JourneyGenerator(seed: 32, range.From, range.To, authority: "other").Generate(families: 40), seed: 2);
        await app.IngestAsync(Ce.Naseem());
        (await app.StoredEventCountAsync()).ShouldBeGreaterThan(2_000);

        var ingested = await ProjectedStateAsync(other);
        ingested["data_quality_findings"].ShouldNotStartWith("0 ");

        await DamageAsync();
        (await ProjectedStateAsync(other)).ShouldNotBe(ingested);

        var output = await RunRebuildCommandAsync(command.Split(' '));

        var rebuilt = await ProjectedStateAsync(other);
        foreach (var (part, value) in ingested)
        {
            rebuilt[part].ShouldBe(value, $"{part} after the rebuild\n{output}");
        }
    }

    [Fact]
    public async Task the_bulk_rebuild_of_one_authority_leaves_the_others_rows_as_they_are()
    {
        using var other = app.ClientFor("other-authority");
        var range = (From: new DateOnly(2013, 1, 1), To: new DateOnly(2019, 12, 31));
        await SendShuffledAsync(app.Client, new JourneyGenerator(seed: 31, range.From, range.To).Generate(families: 150), seed: 1);
        await SendShuffledAsync(other, new JourneyGenerator(seed: 32, range.From, range.To, authority: "other").Generate(families: 40), seed: 2);
        var ingested = await ProjectedStateAsync(other);

        await DamageAsync();
        var damaged = await ProjectedStateAsync(other);
        var output = await RunRebuildCommandAsync("facts-rebuild", "--tenant", "E08000030");

        var rebuilt = await ProjectedStateAsync(other);
        output.ShouldContain("E08000030: ");
        output.ShouldNotContain("*DEFAULT*: ");
        foreach (var window in Windows)
        {
            rebuilt[$"other kpis {window}"].ShouldBe(ingested[$"other kpis {window}"], "the rebuilt authority is whole again");
            rebuilt[$"default kpis {window}"].ShouldBe(damaged[$"default kpis {window}"], "the other authority was not touched");
        }

        rebuilt["other data-quality"].ShouldBe(ingested["other data-quality"]);
        (await RunRebuildCommandAsync("facts-rebuild")).ShouldContain("*DEFAULT*: ");
        (await ProjectedStateAsync(other)).ShouldBe(ingested);
    }

    /// <summary>Damage of every kind: facts gone, counts off, findings missing, stray rows.</summary>
    private Task DamageAsync() =>
        ExecuteAsync("""
            delete from caseflow.child_facts where child_id in (select child_id from caseflow.child_facts order by child_id limit 300);
            insert into caseflow.child_facts (tenant_id, child_id, kind, on_date, flags) values ('*DEFAULT*', 'GHOST', 1, '2016-05-01', 0);
            update caseflow.fact_counts set n = n + 7 where on_date < '2016-01-01';
            delete from caseflow.data_quality_findings where ctid in (select ctid from caseflow.data_quality_findings limit 3);
            insert into caseflow.data_quality_findings values ('E08000030', 'GHOST', 's', 'e', 'rule', 'message', '2016-05-01');
            update caseflow.fact_counts set n = n + 3 where tenant_id = 'E08000030' and on_date < '2017-01-01';
            """);

    /// <summary>An administrator's command, run on the built API against this app's database.</summary>
    private async Task<string> RunRebuildCommandAsync(params string[] command)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = AppContext.BaseDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var arg in new[] { Path.Combine(AppContext.BaseDirectory, "Lscb.CaseFlow.Api.dll") }.Concat(command))
        {
            info.ArgumentList.Add(arg);
        }

        info.Environment["ConnectionStrings__CaseFlow"] = app.ConnectionString;
        info.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        info.Environment["Logging__LogLevel__Default"] = "Warning";

        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        await process.WaitForExitAsync(timeout.Token);
        var output = await stdout + await stderr;
        process.ExitCode.ShouldBe(0, output);
        output.ShouldContain(command[0] == "projections" ? "Finished rebuilding child-facts" : " events, ", customMessage: output);
        return output;
    }

    /// <summary>
    /// Everything the projection produced: each authority's KPIs for several windows and its findings, as the API
    /// answers them, and the projected tables themselves (row count and a digest of every row).
    /// </summary>
    private async Task<Dictionary<string, string>> ProjectedStateAsync(HttpClient otherAuthority)
    {
        var state = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (authority, client) in new[] { ("default", app.Client), ("other", otherAuthority) })
        {
            foreach (var window in Windows)
            {
                state[$"{authority} kpis {window}"] = await GetAsync(client, $"/api/kpis?{window}");
            }

            state[$"{authority} data-quality"] = await GetAsync(client, "/api/data-quality?limit=1000");
        }

        foreach (var (table, columns, where) in new[]
        {
            ("child_facts", "tenant_id, child_id, kind, on_date, until_date, milestone, flags, family_id, child_key, family_key, prev_on, family_prev_on, unit_source, unit_id, unit_key, referral_source, mash_decision, category, legal_status, factors", "true"),
            ("fact_counts", "tenant_id, kind, on_date, flags, n", "n <> 0"),
            ("data_quality_findings", "tenant_id, child_id, source, event_id, rule, message, occurred_on", "true"),
        })
        {
            await using var connection = new NpgsqlConnection(app.ConnectionString);
            await connection.OpenAsync();
            await using var cmd = new NpgsqlCommand(
                $"select count(*) || ' ' || coalesce(md5(string_agg(t::text, ';' order by t::text)), '') from (select {columns} from caseflow.{table} where {where}) t",
                connection);
            state[table] = (string)(await cmd.ExecuteScalarAsync())!;
        }

        return state;
    }

    private static async Task<string> GetAsync(HttpClient client, string url)
    {
        using var response = await client.GetAsync(url);
        var body = await response.Content.ReadAsStringAsync();
        response.IsSuccessStatusCode.ShouldBeTrue($"{url}: {(int)response.StatusCode} {body}");
        return body;
    }

    private async Task ExecuteAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(app.ConnectionString);
        await connection.OpenAsync();
        await using var cmd = new NpgsqlCommand(sql, connection);
        await cmd.ExecuteNonQueryAsync();
    }

    /// <summary>Sends the events in a random order and batching, each retraction after every other event.</summary>
    private static async Task SendShuffledAsync(HttpClient client, IReadOnlyList<JsonObject> events, int seed)
    {
        var random = new Random(seed);
        var retractions = events.Where(e => e["type"]!.GetValue<string>() == "retraction").ToList();
        var order = events.Except(retractions).OrderBy(_ => random.Next()).ToList();
        order.AddRange(retractions);

        for (var sent = 0; sent < order.Count;)
        {
            var size = random.Next(50, 400);
            var batch = new JsonArray([.. order.Skip(sent).Take(size).Select(e => e.DeepClone())]);
            using var content = new StringContent(batch.ToJsonString(), Encoding.UTF8, "application/cloudevents-batch+json");
            using var response = await client.PostAsync("/api/events", content);
            response.IsSuccessStatusCode.ShouldBeTrue(await response.Content.ReadAsStringAsync());
            sent += size;
        }
    }
}
