using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Nodes;
using Lscb.CaseFlow.Kpis;
using Npgsql;
using NpgsqlTypes;

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
        if (!TryParse(args, out var n, out var outFile, out var apiDll))
        {
            await Console.Error.WriteLineAsync("usage: --events N --out FILE [--api-dll PATH]   (PostgreSQL from env ConnectionStrings__CaseFlow)");
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
        var figures = await RunAsync(n, server, apiDll);

        var json = figures.ToJsonString(Indented);
        Console.WriteLine(json);
        await File.WriteAllTextAsync(outFile, json + "\n");
        PerformanceDoc.Update(Path.Combine(root, "docs", "performance.md"), figures);
        return figures["replayEqualsProjected"]!.GetValue<bool>() ? 0 : 1;
    }

    private static async Task<JsonObject> RunAsync(int n, string server, string apiDll)
    {
        var db = await CreateDatabaseAsync(server, $"caseflow_bench_{n}");
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
        figures["copyEventsPerSecond"] = Math.Round(await CopyAsync(db, workload));

        Log($"starting {apiDll}");
        await using var api = await ApiProcess.StartAsync(apiDll, db);
        figures["readySeconds"] = Math.Round(api.Ready.TotalSeconds, 2);
        using var http = new HttpClient { BaseAddress = api.BaseAddress, Timeout = TimeSpan.FromMinutes(10) };

        Log("POST /api/events");
        figures["ingestEventsPerSecond"] = Math.Round(await IngestAsync(http, workload));
        await CheckContactsAsync(http, workload);
        for (var year = 2010; year <= 2019; year++)
        {
            using var body = JsonContent(new JsonObject { ["children"] = PopulationPerYear }.ToJsonString());
            using var put = await http.PutAsync(new Uri($"/api/reference/population/{year}", UriKind.Relative), body);
            await Expect(put, HttpStatusCode.NoContent);
        }

        Log("GET /api/kpis");
        var (p50, p95) = (new JsonObject(), new JsonObject());
        foreach (var (name, window) in new[] { ("quarter", Quarter), ("year", Year), ("fiveYears", FiveYears) })
        {
            var url = KpiUrl(window);
            var ms = await LatenciesAsync(http, Enumerable.Repeat(url, WarmUps + Samples));
            (p50[name], p95[name]) = (Percentile(ms, 0.50), Percentile(ms, 0.95));
        }

        figures["kpiP50Ms"] = p50;
        figures["kpiP95Ms"] = p95;

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

        figures["peakRssMb"] = Math.Round(api.PeakRssMb());
        return figures;
    }

    /// <summary>Drops and creates the bench database on the server, so that every run starts empty.</summary>
    private static async Task<string> CreateDatabaseAsync(string server, string name)
    {
        await using (var admin = new NpgsqlConnection(server))
        {
            await admin.OpenAsync();
            await using var cmd = new NpgsqlCommand($"drop database if exists {name} with (force); create database {name}", admin);
            await cmd.ExecuteNonQueryAsync();
        }

        return new NpgsqlConnectionStringBuilder(server) { Database = name }.ConnectionString;
    }

    private static async Task<JsonObject> MachineAsync(string db)
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
            ["loadAverage"] = string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)),
        };
    }

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

    /// <summary>Every event in batches from concurrent clients; events per second until the last batch is acknowledged.</summary>
    private static async Task<double> IngestAsync(HttpClient http, Workload workload)
    {
        var (events, retractions) = (workload.Batches(retractions: false), workload.Batches(retractions: true));

        // The first request compiles the endpoint (Wolverine's runtime code generation): keep that out of the rate.
        using (var warmUp = await http.PostAsync(new Uri("/api/events", UriKind.Relative), JsonContent("[]")))
        {
            await Expect(warmUp, HttpStatusCode.BadRequest);
        }

        var clock = Stopwatch.StartNew();
        // Retractions only once every other batch is stored: the API refuses one whose target it does not hold yet.
        var accepted = await PostAllAsync(http, events) + await PostAllAsync(http, retractions);
        clock.Stop();
        if (accepted != workload.Events.Count)
        {
            throw new InvalidOperationException($"The API accepted {accepted} of {workload.Events.Count} events.");
        }

        return accepted / clock.Elapsed.TotalSeconds;
    }

    private static async Task<int> PostAllAsync(HttpClient http, IReadOnlyList<byte[]> batches)
    {
        var next = -1;
        var accepted = 0;
        async Task Client()
        {
            for (var i = Interlocked.Increment(ref next); i < batches.Count; i = Interlocked.Increment(ref next))
            {
                using var content = new ByteArrayContent(batches[i]);
                content.Headers.ContentType = new MediaTypeHeaderValue("application/cloudevents-batch+json");
                using var response = await http.PostAsync(new Uri("/api/events", UriKind.Relative), content);
                var ack = JsonNode.Parse(await Expect(response, HttpStatusCode.OK))!;
                Interlocked.Add(ref accepted, ack["accepted"]!.GetValue<int>());
            }
        }

        await Task.WhenAll(Enumerable.Range(0, Clients).Select(_ => Client()));
        return accepted;
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

    private static void Log(string message) =>
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

    private static bool TryParse(string[] args, out int events, out string outFile, out string? apiDll)
    {
        (events, outFile, apiDll) = (0, "", null);
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
                default:
                    return false;
            }
        }

        return args.Length % 2 == 0 && events > 0 && outFile.Length > 0;
    }
}
