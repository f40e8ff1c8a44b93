using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Nodes;
using Lscb.CaseFlow.Api;
using Lscb.CaseFlow.Kpis;
using Npgsql;
using NpgsqlTypes;
using Lscb.CaseFlow.Api.ReadModel;

namespace Lscb.CaseFlow.Benchmarks;

/// <summary>
/// End-to-end benchmark on a fresh database: N generated events copied raw (the physical limit), then ingested,
/// queried and replayed through the built API running as a child process. Prints the figures as JSON, writes them
/// to <c>--out</c> and into <c>docs/performance.md</c>.
/// </summary>
internal static class Program
{
    private const int Clients = 4;
    private const int WarmUps = 5;
    private const int Samples = 100;
    private const long PopulationPerYear = 100_000;

    private static readonly Window Quarter = new(new(2016, 4, 1), new(2016, 6, 30));
    private static readonly Window Year = new(new(2016, 4, 1), new(2017, 3, 31));
    private static readonly Window FiveYears = new(new(2014, 4, 1), new(2019, 3, 31));
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    private static async Task<int> Main(string[] args)
    {
        if (!TryParse(args, out var n, out var outFile, out var apiDll, out var asynchronous, out var importsOnly))
        {
            await Console.Error.WriteLineAsync("usage: --events N --out FILE [--api-dll PATH] [--projection inline|async]   (PostgreSQL from env ConnectionStrings__CaseFlow)");
            await Console.Error.WriteLineAsync("       --imports --out FILE [--api-dll PATH]   (the imports alone: the largest files allowed, and censuses of 5, 10 and 20 MB)");
            return 2;
        }

        var server = Environment.GetEnvironmentVariable("ConnectionStrings__CaseFlow");
        if (string.IsNullOrEmpty(server))
        {
            await Console.Error.WriteLineAsync("Set ConnectionStrings__CaseFlow to the PostgreSQL server to benchmark on.");
            return 2;
        }

        var root = RepoRoot();
        apiDll ??= Path.Combine(root, "src", "Lscb.CaseFlow.Api", "bin", "Release", "net10.0", "Lscb.CaseFlow.Api.dll");
        if (importsOnly)
        {
            var imports = await ImportBenchmark.RunAsync(server, apiDll);
            await File.WriteAllTextAsync(outFile, imports.ToJsonString(Indented) + "\n");
            Console.WriteLine(imports.ToJsonString(Indented));
            PerformanceDoc.UpdateImports(Path.Combine(root, "docs", "performance.md"), imports);
            return 0;
        }

        var figures = asynchronous ? await RunAsynchronousAsync(n, server, apiDll) : await RunAsync(n, server, apiDll);

        var json = figures.ToJsonString(Indented);
        Console.WriteLine(json);
        await File.WriteAllTextAsync(outFile, json + "\n");
        PerformanceDoc.Update(Path.Combine(root, "docs", "performance.md"), figures);
        return figures["replayEqualsProjected"]?.GetValue<bool>() != false && figures["rebuildEqualsIngested"]?.GetValue<bool>() != false ? 0 : 1;
    }

    /// <summary>
    /// The same workload with the projection asynchronous (<c>CaseFlow:Projections:Mode = Async</c>): COPY, then the API
    /// started and its daemon placed by Wolverine, then ingestion timed until a KPI read (which waits for the daemon)
    /// counts every event, then the KPI and journey latencies. The rebuild and the replay are the inline run's: the
    /// same work whichever way the projection runs.
    /// </summary>
    private static async Task<JsonObject> RunAsynchronousAsync(int n, string server, string apiDll)
    {
        var (db, figures, workload, cpu) = await GenerateAndCopyAsync(n, server, $"caseflow_bench_async_{n}");
        figures["projection"] = "async";

        Log($"starting {apiDll} with the projection asynchronous");
        var environment = new Dictionary<string, string>
        {
            ["CaseFlow__Projections__Mode"] = "Async",
            // The check after ingestion waits for the whole back-log to be projected.
            ["CaseFlow__Projections__ReadWaitSeconds"] = "3600",
        };
        await using var api = await ApiProcess.StartAsync(apiDll, db, environment);
        figures["readySeconds"] = Math.Round(api.Ready.TotalSeconds, 2);
        var placed = Stopwatch.StartNew();
        while (await ScalarAsync(db, "select count(*) from caseflow.wolverine_node_assignments where id like 'event-subscriptions://%'") == 0)
        {
            await Task.Delay(50);
        }

        figures["daemonPlacedSeconds"] = Math.Round(api.Ready.TotalSeconds + placed.Elapsed.TotalSeconds, 2);
        using var http = api.CreateClient();

        Log("POST /api/events, then GET /api/kpis once the daemon has caught up");
        await using (var meter = await CpuMeter.StartAsync(db, () => api.ProcessId))
        {
            using var stop = new CancellationTokenSource();
            var analyzing = AnalyzeEveryAsync(db, TimeSpan.FromSeconds(5), stop.Token);
            var clock = Stopwatch.StartNew();
            var (acknowledged, _, _) = await IngestAsync(http, workload, api.Timings);
            var posted = clock.Elapsed;
            await CheckContactsAsync(http, workload);
            clock.Stop();
            await stop.CancelAsync();
            await analyzing;
            cpu["ingest"] = PerThousand(await meter.StopAsync(), workload.Events.Count, "api");
            figures["ingestAcknowledgedEventsPerSecond"] = Math.Round(acknowledged);
            figures["ingestEventsPerSecond"] = Math.Round(workload.Events.Count / clock.Elapsed.TotalSeconds);
            figures["projectionCatchUpSeconds"] = Math.Round((clock.Elapsed - posted).TotalSeconds, 1);
        }

        await AnalyzeAsync(db, vacuum: true);
        await PutPopulationsAsync(http);
        await KpiLatenciesAsync(http, figures);
        figures["cpuMsPerThousandEvents"] = cpu;
        figures["peakRssMb"] = Math.Round(api.PeakRssMb());
        figures["machine"]!["loadAverageAtEnd"] = LoadAverage();
        return figures;
    }

    private static async Task<long> ScalarAsync(string db, string sql)
    {
        await using var connection = new NpgsqlConnection(db);
        await connection.OpenAsync();
        await using var cmd = new NpgsqlCommand(sql, connection);
        return Convert.ToInt64(await cmd.ExecuteScalarAsync(), CultureInfo.InvariantCulture);
    }

    /// <summary>A fresh database, the generated workload, and the COPY of it: how every run begins.</summary>
    private static async Task<(string Db, JsonObject Figures, Workload Workload, JsonObject Cpu)> GenerateAndCopyAsync(
        int n, string server, string database)
    {
        var db = await CreateDatabaseAsync(server, database);
        var figures = new JsonObject
        {
            ["N"] = n,
            ["date"] = DateTime.UtcNow.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            ["machine"] = await MachineAsync(db),
        };

        Log($"generating {n} events");
        var workload = Workload.Generate(n);
        figures["events"] = workload.Events.Count;
        figures["children"] = workload.Children.Count;

        Log("COPY");
        var cpu = new JsonObject();
        await using (var meter = await CpuMeter.StartAsync(db, () => Environment.ProcessId))
        {
            figures["copyEventsPerSecond"] = Math.Round(await CopyAsync(db, workload));
            cpu["copy"] = PerThousand(await meter.StopAsync(), workload.Events.Count, "benchmark");
        }

        return (db, figures, workload, cpu);
    }

    private static async Task PutPopulationsAsync(HttpClient http)
    {
        for (var year = 2010; year <= 2019; year++)
        {
            using var body = JsonContent(new JsonObject { ["children"] = PopulationPerYear }.ToJsonString());
            using var put = await http.PutAsync(new Uri($"/api/reference/population/{year}", UriKind.Relative), body);
            await Expect(put, HttpStatusCode.NoContent);
        }
    }

    private static async Task KpiLatenciesAsync(HttpClient http, JsonObject figures)
    {
        Log("GET /api/kpis");
        var (p50, p95) = (new JsonObject(), new JsonObject());
        foreach (var (name, window) in new[] { ("quarter", Quarter), ("year", Year), ("fiveYears", FiveYears) })
        {
            var ms = await LatenciesAsync(http, Enumerable.Repeat(KpiUrl(window), WarmUps + Samples));
            (p50[name], p95[name]) = (Percentile(ms, 0.50), Percentile(ms, 0.95));
        }

        figures["kpiP50Ms"] = p50;
        figures["kpiP95Ms"] = p95;

        // A financial year's breakdown by every dimension in turn, as the dashboard's tiles open them.
        Log("GET /api/kpis/breakdown");
        var dimensions = Lscb.CaseFlow.Journeys.Dimensions.All;
        var breakdowns = await LatenciesAsync(http, Enumerable.Range(0, WarmUps + Samples)
            .Select(i => $"/api/kpis/breakdown?from={Year.From:yyyy-MM-dd}&to={Year.To:yyyy-MM-dd}&by={dimensions[i % dimensions.Count]}"));
        figures["breakdownP50Ms"] = Percentile(breakdowns, 0.50);
        figures["breakdownP95Ms"] = Percentile(breakdowns, 0.95);

        // The units behind a financial year's re-referral rate for the schools' referrals, as an auditor opens them from
        // a breakdown (each read access-logged); the whole year's are past the 10,000 units one answer gives at this size.
        Log("GET /api/kpis/cohort");
        var cohorts = await LatenciesAsync(http, Enumerable.Repeat(
            $"/api/kpis/cohort?key=reReferralRate&from={Year.From:yyyy-MM-dd}&to={Year.To:yyyy-MM-dd}&by=agency&group=schools&reason=benchmark", WarmUps + Samples));
        figures["cohortP50Ms"] = Percentile(cohorts, 0.50);
        figures["cohortP95Ms"] = Percentile(cohorts, 0.95);
    }

    private static async Task<JsonObject> RunAsync(int n, string server, string apiDll)
    {
        var (db, figures, workload, cpu) = await GenerateAndCopyAsync(n, server, $"caseflow_bench_{n}");

        Log($"starting {apiDll}");
        await using var api = await ApiProcess.StartAsync(apiDll, db);
        figures["readySeconds"] = Math.Round(api.Ready.TotalSeconds, 2);
        using var http = api.CreateClient();

        Log("POST /api/events");
        (double Rate, double RequestMs, int Batches) ingested;
        await using (var meter = await CpuMeter.StartAsync(db, () => api.ProcessId))
        {
            using var stop = new CancellationTokenSource();
            var analyzing = AnalyzeEveryAsync(db, TimeSpan.FromSeconds(5), stop.Token);
            ingested = await IngestAsync(http, workload, api.Timings);
            await stop.CancelAsync();
            await analyzing;
            cpu["ingest"] = PerThousand(await meter.StopAsync(), workload.Events.Count, "api");
        }

        await AnalyzeAsync(db, vacuum: true);

        var (rate, requestMs, batches) = ingested;
        figures["ingestEventsPerSecond"] = Math.Round(rate);
        figures["ingestProfile"] = IngestProfile(api.Timings, requestMs, batches);
        await CheckContactsAsync(http, workload);
        await PutPopulationsAsync(http);
        await KpiLatenciesAsync(http, figures);

        Log("GET /api/children/{id}/journey");
        var children = workload.Children.ToArray();
        new Random(20161).Shuffle(children);
        var journeys = await LatenciesAsync(http, children.Take(WarmUps + Samples).Select(c => $"/api/children/{c}/journey"));
        figures["journeyP50Ms"] = Percentile(journeys, 0.50);
        figures["journeyP95Ms"] = Percentile(journeys, 0.95);

        Log("replaying the financial year from the event store");
        var projected = await GetJsonAsync(http, KpiUrl(Year));
        var clock = Stopwatch.StartNew();
        var replayed = await Replay.KpisAsync(db, Year, projected["population"]?.GetValue<long>());
        figures["replayKpiMs"] = Math.Round(clock.Elapsed.TotalMilliseconds);
        var differences = Replay.Differences(projected["kpis"]!, replayed);
        differences.ForEach(d => Log($"replay differs: {d}"));
        figures["replayEqualsProjected"] = differences.Count == 0;

        // The API's peak so far: ingestion, queries and the replay's reads. The rebuild is another process.
        figures["peakRssMb"] = Math.Round(api.PeakRssMb());

        Log("facts-rebuild");
        var before = await ProjectedStateAsync(http, db);
        await AnalyzeAsync(db);
        var rebuild = await RebuildCommand.RunAsync(apiDll, db, bulk: true);
        var changed = Changes(before, await ProjectedStateAsync(http, db), "facts-rebuild");
        figures["rebuildEventsPerSecond"] = Math.Round(workload.Events.Count / rebuild.Rebuild.TotalSeconds);
        figures["rebuildSeconds"] = Math.Round(rebuild.Rebuild.TotalSeconds, 1);
        figures["rebuildCommandSeconds"] = Math.Round(rebuild.Command.TotalSeconds, 1);
        figures["rebuildPeakRssMb"] = rebuild.PeakRssMb;
        cpu["rebuild"] = PerThousand(rebuild.Cpu, workload.Events.Count, "command");

        Log("projections rebuild (Marten's)");
        var marten = await RebuildCommand.RunAsync(apiDll, db, bulk: false);
        changed.AddRange(Changes(before, await ProjectedStateAsync(http, db), "projections rebuild"));
        figures["martenRebuildEventsPerSecond"] = Math.Round(workload.Events.Count / marten.Rebuild.TotalSeconds);
        figures["martenRebuildSeconds"] = Math.Round(marten.Rebuild.TotalSeconds, 1);
        figures["rebuildProfile"] = RebuildProfile(marten);
        cpu["martenRebuild"] = PerThousand(marten.Cpu, workload.Events.Count, "command");
        figures["cpuMsPerThousandEvents"] = cpu;
        figures["rebuildEqualsIngested"] = changed.Count == 0;
        figures["machine"]!["loadAverageAtEnd"] = LoadAverage();
        return figures;
    }

    private static List<string> Changes(IReadOnlyDictionary<string, string> before, IReadOnlyDictionary<string, string> after, string command)
    {
        var changed = before.Where(b => after[b.Key] != b.Value).Select(b => b.Key).ToList();
        changed.ForEach(c => Log($"after {command}, {c} differs"));
        return changed;
    }

    /// <summary>
    /// CPU milliseconds per 1,000 events of our process and of PostgreSQL, and the rate two cores could reach if that
    /// CPU were all there was to it and both processes kept both cores busy: the CPU-bound ceiling of the step.
    /// </summary>
    private static JsonObject PerThousand(CpuMeter.Usage usage, int events, string process)
    {
        var (own, postgres) = (usage.ProcessMs * 1000 / events, usage.PostgresMs * 1000 / events);
        return new JsonObject
        {
            [process] = Math.Round(own, 1),
            ["postgres"] = Math.Round(postgres, 1),
            ["ceilingOnTwoCoresEventsPerSecond"] = Math.Round(Environment.ProcessorCount * 1000 * 1000 / (own + postgres)),
            ["walKb"] = Math.Round(usage.WalBytes / events, 1),
            ["checkpoints"] = usage.Checkpoints,
            ["postgresBusy"] = Shares(usage.Busy),
        };
    }

    /// <summary>
    /// ANALYZE of the service's tables, as autovacuum does for a database in service. Autovacuum only looks every minute
    /// (autovacuum_naptime) and only at tables grown by a tenth, so on the fresh database of a run the planner may have
    /// no statistics for the whole of a short ingestion, and plans the projection's reads of a few children as scans of
    /// the event table: the first runs at 200,000 went 17,700 or 11,000 events/s (rebuild 26,900 or 5,900) by that alone.
    /// With <paramref name="vacuum"/> (after ingestion, before the reads are timed), VACUUM too, as autovacuum does after
    /// a table took inserts: until then no page of the fresh tables is all-visible, so every index-only scan also reads
    /// each row's heap page (the five-year KPIs at 1,000,000: 46–55 ms p50 before it, 18–35 ms after).
    /// </summary>
    private static async Task AnalyzeAsync(string db, bool vacuum = false)
    {
        await using var connection = new NpgsqlConnection(db);
        await connection.OpenAsync();
        await using var cmd = new NpgsqlCommand($"{(vacuum ? "vacuum (analyze)" : "analyze")} {string.Join(", ", new[]
        {
            "mt_events", "mt_streams", "event_keys", "child_facts", "fact_counts", "identities", "data_quality_findings",
        }.Select(t => $"{CaseFlowTables.Schema}.{t}"))}", connection);
        cmd.CommandTimeout = 600;
        await cmd.ExecuteNonQueryAsync();
    }

    /// <summary><see cref="AnalyzeAsync"/> every <paramref name="interval"/> until stopped: statistics as current as a long-running database's.</summary>
    private static async Task AnalyzeEveryAsync(string db, TimeSpan interval, CancellationToken stop)
    {
        try
        {
            while (true)
            {
                await Task.Delay(interval, stop);
                await AnalyzeAsync(db);
            }
        }
        catch (OperationCanceledException)
        {
            // Stopped.
        }
    }

    /// <summary>What PostgreSQL's busy backends were doing, as shares of the samples: the main ones, the rest as "other".</summary>
    private static JsonObject Shares(IReadOnlyDictionary<string, int> busy)
    {
        var total = Math.Max(1, busy.Values.Sum());
        var shares = new JsonObject { ["samples"] = busy.Values.Sum() };
        var main = busy.OrderByDescending(b => b.Value).Where(b => b.Value * 50 >= total).ToList();
        foreach (var (doing, n) in main)
        {
            shares[doing] = Math.Round((double)n / total, 3);
        }

        var rest = total - main.Sum(m => m.Value);
        if (rest > 0)
        {
            shares["other"] = Math.Round((double)rest / total, 3);
        }

        return shares;
    }

    /// <summary>
    /// What the projection produced, to compare before and after a rebuild: the KPIs of the three windows, the data
    /// quality findings (first page and total), and digests of the facts, daily counts and findings tables.
    /// </summary>
    private static async Task<Dictionary<string, string>> ProjectedStateAsync(HttpClient http, string db)
    {
        var state = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, window) in new[] { ("kpis quarter", Quarter), ("kpis year", Year), ("kpis five years", FiveYears) })
        {
            state[name] = (await GetJsonAsync(http, KpiUrl(window))).ToJsonString();
        }

        state["data-quality"] = (await GetJsonAsync(http, "/api/data-quality?limit=1000")).ToJsonString();
        await using var connection = new NpgsqlConnection(db);
        await connection.OpenAsync();
        foreach (var (name, sql) in new[]
        {
            ("child_facts", "select tenant_id, child_id, kind, on_date, until_date, milestone, flags, family_id, child_key, family_key, prev_on, family_prev_on, unit_source, unit_id, unit_key, referral_source, mash_decision, category, legal_status, factors from caseflow.child_facts"),
            ("fact_counts", "select tenant_id, kind, on_date, flags, n from caseflow.fact_counts where n <> 0"),
            ("data_quality_findings", "select tenant_id, child_id, source, event_id, rule, message, occurred_on from caseflow.data_quality_findings"),
        })
        {
            await using var cmd = new NpgsqlCommand($"select count(*) || ' ' || coalesce(md5(string_agg(t::text, ';' order by t::text)), '') from ({sql}) t", connection);
            cmd.CommandTimeout = 600;
            state[name] = (string)(await cmd.ExecuteScalarAsync())!;
        }

        return state;
    }

    /// <summary>
    /// Where a POST's time goes, from the API's debug timings: each stage's milliseconds per batch of 1,000 and its
    /// share of the request as the client saw it. What no stage accounts for is HTTP, routing, authentication, the
    /// JSON answer and waiting for a thread or a lock.
    /// </summary>
    private static JsonObject IngestProfile(Profile p, double requestMs, int batches)
    {
        const string post = "Lscb.CaseFlow.Api.Endpoints.PostEvents";
        const string ingest = IngestorCategory;
        const string projection = "Lscb.CaseFlow.Api.ChildFactsProjection";
        var projectionMs = p.Sum(projection, "ReadMs") + p.Sum(projection, "DeriveMs") + p.Sum(projection, "CountsMs") + p.Sum(projection, "QueueMs");
        var stages = new (string Name, double Ms)[]
        {
            ("bodyRead", p.Sum(post, "ReadMs")),
            ("jsonParse", p.Sum(post, "ParseMs")),
            ("validation", p.Sum(post, "ValidateMs")),
            ("hashAndMapping", p.Sum(post, "PrepareMs")),
            ("connectionAndBegin", p.Sum(ingest, "BeginMs")),
            ("childLocks", p.Sum(ingest, "LockMs")),
            ("retractionCheck", p.Sum(ingest, "RetractionCheckMs")),
            ("keyClaim", p.Sum(ingest, "ClaimMs")),
            ("projectionReadStoredEvents", p.Sum(projection, "ReadMs")),
            ("projectionDeriveFacts", p.Sum(projection, "DeriveMs")),
            ("projectionReadPreviousFacts", p.Sum(projection, "CountsMs")),
            ("projectionQueueWrites", p.Sum(projection, "QueueMs")),
            ("appendAndProjectionWrites", p.Sum(ingest, "SaveMs") - projectionMs),
            ("commit", p.Sum(ingest, "CommitMs")),
        };
        return StageTable(stages, requestMs, batches, "httpAndWaiting", p);
    }

    /// <summary>
    /// Where the rebuild's time goes: the projection's own steps from its debug timings, per page of events the daemon
    /// hands it, and the rest (the daemon's reading of the events, the teardown and the writes) as the remainder.
    /// </summary>
    private static JsonObject RebuildProfile(RebuildCommand.Result rebuild)
    {
        const string projection = "Lscb.CaseFlow.Api.ChildFactsProjection";
        var p = rebuild.Timings;
        var stages = new (string Name, double Ms)[]
        {
            ("projectionReadStoredEvents", p.Sum(projection, "ReadMs")),
            ("projectionDeriveFacts", p.Sum(projection, "DeriveMs")),
            ("projectionReadPreviousFacts", p.Sum(projection, "CountsMs")),
            ("projectionQueueWrites", p.Sum(projection, "QueueMs")),
        };
        var profile = StageTable(stages, rebuild.Rebuild.TotalMilliseconds, p.Lines(projection), "daemonReadsTeardownAndWrites", p);
        profile["storedEventsReadPerEvent"] = Math.Round(p.Sum(projection, "Stored") / Math.Max(1, p.Sum(projection, "Events")), 2);
        return profile;
    }

    private static JsonObject StageTable((string Name, double Ms)[] stages, double totalMs, int units, string remainder, Profile p)
    {
        var table = new JsonObject();
        foreach (var (name, ms) in stages.Append((remainder, totalMs - stages.Sum(s => s.Ms))))
        {
            table[name] = new JsonObject
            {
                ["msPerUnit"] = Math.Round(ms / Math.Max(1, units), 2),
                ["share"] = Math.Round(ms / totalMs, 3),
            };
        }

        return new JsonObject
        {
            ["units"] = units,
            ["msPerUnit"] = Math.Round(totalMs / Math.Max(1, units), 2),
            ["stages"] = table,
            ["raw"] = p.Raw(),
        };
    }

    /// <summary>Drops and creates the bench database on the server, so that every run starts empty.</summary>
    internal static async Task<string> CreateDatabaseAsync(string server, string name)
    {
        await using (var admin = new NpgsqlConnection(server))
        {
            await admin.OpenAsync();
            await using var cmd = new NpgsqlCommand($"drop database if exists {name} with (force); create database {name}", admin);
            await cmd.ExecuteNonQueryAsync();
        }

        return new NpgsqlConnectionStringBuilder(server) { Database = name }.ConnectionString;
    }

    internal static async Task<JsonObject> MachineAsync(string db)
    {
        var memKb = File.ReadLines("/proc/meminfo").First(l => l.StartsWith("MemTotal:", StringComparison.Ordinal))
            .Split(' ', StringSplitOptions.RemoveEmptyEntries)[1];
        await using var connection = new NpgsqlConnection(db);
        await connection.OpenAsync();
        return new JsonObject
        {
            ["cores"] = Environment.ProcessorCount,
            ["memoryGb"] = Math.Round(long.Parse(memKb, CultureInfo.InvariantCulture) / 1024.0 / 1024.0, 1),
            ["postgres"] = connection.PostgreSqlVersion.ToString(),
            // Other work on the machine skews every figure: the 1, 5 and 15 minute load averages at the start say how much there was.
            ["loadAverage"] = LoadAverage(),
        };
    }

    internal static string LoadAverage() => string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3));

    /// <summary>Binary COPY of the events into a plain table with no index or constraint: the physical write limit.</summary>
    private static async Task<double> CopyAsync(string db, Workload workload)
    {
        var rows = workload.Events.Select(e => (
            Id: Workload.Text(e, "id"), Source: Workload.Text(e, "source"), Subject: Workload.Subject(e), Type: Workload.Text(e, "type"),
            OccurredOn: DateOnly.ParseExact(e["data"]!["occurredOn"]!.GetValue<string>(), "yyyy-MM-dd", CultureInfo.InvariantCulture),
            Data: e["data"]!.ToJsonString())).ToList();

        await using var connection = new NpgsqlConnection(db);
        await connection.OpenAsync();
        await using (var create = new NpgsqlCommand("""
            create schema bench;
            create table bench.copy_events (id text, source text, subject text, type text, occurred_on date, data jsonb)
            """, connection))
        {
            await create.ExecuteNonQueryAsync();
        }

        var clock = Stopwatch.StartNew();
        await using (var copy = await connection.BeginBinaryImportAsync(
            "copy bench.copy_events (id, source, subject, type, occurred_on, data) from stdin (format binary)"))
        {
            foreach (var row in rows)
            {
                await copy.StartRowAsync();
                await copy.WriteAsync(row.Id, NpgsqlDbType.Text);
                await copy.WriteAsync(row.Source, NpgsqlDbType.Text);
                await copy.WriteAsync(row.Subject, NpgsqlDbType.Text);
                await copy.WriteAsync(row.Type, NpgsqlDbType.Text);
                await copy.WriteAsync(row.OccurredOn, NpgsqlDbType.Date);
                await copy.WriteAsync(row.Data, NpgsqlDbType.Jsonb);
            }

            await copy.CompleteAsync();
        }

        return rows.Count / clock.Elapsed.TotalSeconds;
    }

    /// <summary>
    /// Every event in batches from concurrent clients: events per second until the last batch is acknowledged, the
    /// requests' total time as the clients saw it, and the number of requests.
    /// </summary>
    private const string IngestorCategory = "Lscb.CaseFlow.Api.Ingestion.EventIngestor";

    private static async Task<(double Rate, double RequestMs, int Batches)> IngestAsync(
        HttpClient http, Workload workload, Profile timings)
    {
        var (events, retractions) = (workload.Batches(retractions: false), workload.Batches(retractions: true));

        // The first request sets up the endpoint and the connection pool: keep that out of the rate.
        using (var warmUp = await http.PostAsync(new Uri("/api/events", UriKind.Relative), JsonContent("[]")))
        {
            await Expect(warmUp, HttpStatusCode.BadRequest);
        }

        timings.Clear();
        var clock = Stopwatch.StartNew();
        // Retractions only once every other batch is stored: the API refuses one whose target it does not hold yet.
        var (first, firstMs) = await PostAllAsync(http, events);
        var (second, secondMs) = await PostAllAsync(http, retractions);
        clock.Stop();
        var accepted = first + second;
        if (accepted != workload.Events.Count)
        {
            throw new InvalidOperationException($"The API accepted {accepted} of {workload.Events.Count} events.");
        }

        // The API writes its timing lines asynchronously: wait for the last batch's (a retried batch writes more).
        var batches = events.Count + retractions.Count;
        var waited = Stopwatch.StartNew();
        while (timings.Lines(IngestorCategory) < batches && waited.Elapsed < TimeSpan.FromSeconds(10))
        {
            await Task.Delay(20);
        }

        return (accepted / clock.Elapsed.TotalSeconds, firstMs + secondMs, batches);
    }

    private static async Task<(int Accepted, double RequestMs)> PostAllAsync(HttpClient http, IReadOnlyList<byte[]> batches)
    {
        var next = -1;
        var accepted = 0;
        var ticks = 0L;
        async Task Client()
        {
            for (var i = Interlocked.Increment(ref next); i < batches.Count; i = Interlocked.Increment(ref next))
            {
                using var content = new ByteArrayContent(batches[i]);
                content.Headers.ContentType = new MediaTypeHeaderValue("application/cloudevents-batch+json");
                var started = Stopwatch.GetTimestamp();
                using var response = await http.PostAsync(new Uri("/api/events", UriKind.Relative), content);
                var ack = JsonNode.Parse(await Expect(response, HttpStatusCode.OK))!;
                Interlocked.Add(ref ticks, Stopwatch.GetElapsedTime(started).Ticks);
                Interlocked.Add(ref accepted, ack["accepted"]!.GetValue<int>());
            }
        }

        await Task.WhenAll(Enumerable.Range(0, Clients).Select(_ => Client()));
        return (accepted, TimeSpan.FromTicks(ticks).TotalMilliseconds);
    }

    /// <summary>Projections are inline: once the last batch is acknowledged, the KPIs must count every live contact.</summary>
    private static async Task CheckContactsAsync(HttpClient http, Workload workload)
    {
        var answer = await GetJsonAsync(http, KpiUrl(new Window(Workload.From, Workload.To)));
        var counted = answer["kpis"]!["contacts"]!["value"]!.GetValue<long>();
        if (counted != workload.LiveContacts())
        {
            throw new InvalidOperationException($"GET /api/kpis counts {counted} contacts; {workload.LiveContacts()} were sent and not retracted.");
        }
    }

    /// <summary>Sequential GETs, each timed to the end of its body; the first <see cref="WarmUps"/> are left out.</summary>
    private static async Task<List<double>> LatenciesAsync(HttpClient http, IEnumerable<string> urls)
    {
        var ms = new List<double>();
        foreach (var url in urls)
        {
            var clock = Stopwatch.StartNew();
            using var response = await http.GetAsync(new Uri(url, UriKind.Relative));
            await Expect(response, HttpStatusCode.OK);
            ms.Add(clock.Elapsed.TotalMilliseconds);
        }

        return ms.Skip(WarmUps).ToList();
    }

    /// <summary>Nearest-rank percentile, in ms to 0.1.</summary>
    private static double Percentile(List<double> values, double p)
    {
        var sorted = values.Order().ToList();
        return Math.Round(sorted[(int)Math.Ceiling(p * sorted.Count) - 1], 1);
    }

    private static async Task<JsonNode> GetJsonAsync(HttpClient http, string url)
    {
        using var response = await http.GetAsync(new Uri(url, UriKind.Relative));
        return JsonNode.Parse(await Expect(response, HttpStatusCode.OK))!;
    }

    private static async Task<string> Expect(HttpResponseMessage response, HttpStatusCode status)
    {
        var body = await response.Content.ReadAsStringAsync();
        return response.StatusCode == status
            ? body
            : throw new InvalidOperationException(
                $"{response.RequestMessage?.Method} {response.RequestMessage?.RequestUri}: {(int)response.StatusCode} {body}");
    }

    private static StringContent JsonContent(string json) => new(json, System.Text.Encoding.UTF8, "application/json");

    private static string KpiUrl(Window w) =>
        string.Create(CultureInfo.InvariantCulture, $"/api/kpis?from={w.From:yyyy-MM-dd}&to={w.To:yyyy-MM-dd}");

    internal static void Log(string message) =>
        Console.Error.WriteLine($"{DateTime.Now:HH:mm:ss} {message}");

    private static string RepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Lscb.CaseFlow.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("Lscb.CaseFlow.sln not found above " + AppContext.BaseDirectory);
    }

    private static bool TryParse(string[] args, out int events, out string outFile, out string? apiDll, out bool asynchronous, out bool importsOnly)
    {
        (events, outFile, apiDll, asynchronous) = (0, "", null, false);
        importsOnly = args.Contains("--imports");
        args = [.. args.Where(a => a != "--imports")];
        for (var i = 0; i + 1 < args.Length; i += 2)
        {
            switch (args[i])
            {
                case "--events" when int.TryParse(args[i + 1], CultureInfo.InvariantCulture, out var n) && n > 0:
                    events = n;
                    break;
                case "--out":
                    outFile = args[i + 1];
                    break;
                case "--api-dll":
                    apiDll = Path.GetFullPath(args[i + 1]);
                    break;
                case "--projection" when args[i + 1] is "inline" or "async":
                    asynchronous = args[i + 1] == "async";
                    break;
                default:
                    return false;
            }
        }

        return args.Length % 2 == 0 && (events > 0 || importsOnly) && outFile.Length > 0;
    }
}
