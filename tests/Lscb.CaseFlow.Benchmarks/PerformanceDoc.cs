using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;

namespace Lscb.CaseFlow.Benchmarks;

/// <summary>Keeps one section per N in <c>docs/performance.md</c>: a run replaces its own N's section and leaves the others.</summary>
internal static class PerformanceDoc
{
    private const string Intro = """
        # Performance

        Figures from `tests/Lscb.CaseFlow.Benchmarks`, an end-to-end run against a fresh PostgreSQL database
        (`caseflow_bench_<N>`, dropped and created by the run, left in place afterwards for inspection). It
        generates N synthetic events with the demo `JourneyGenerator` (financial years 2010-11 to 2019-20), then
        measures, in order:

        | figure | what it measures |
        | --- | --- |
        | events, children | the workload: N events, over this many children (one stream each) |
        | copyEventsPerSecond | raw Npgsql binary COPY of the same events into a plain, unindexed table: the physical write limit of this machine |
        | readySeconds | from starting `dotnet Lscb.CaseFlow.Api.dll` (Production: the pre-generated code, static type loading) on the empty database (schema created at start) until `GET /health` answers 200 |
        | ingestEventsPerSecond | `POST /api/events` with an API key holding every role (made up per run), batches of up to 1,000 (whole families) from 4 concurrent clients (retractions last, after their targets), until the last 200; inline projections, so the KPIs then include every event (checked). The tables are analyzed every 5 s meanwhile, as autovacuum keeps a database in service analyzed (on a fresh database it may take a minute or more: see Targets) |
        | kpiP50Ms / kpiP95Ms | `GET /api/kpis` latency over 100 sequential requests after 5 warm-ups, for a quarter (2016-04-01..2016-06-30), a financial year (2016-04-01..2017-03-31) and five years (2014-04-01..2019-03-31) |
        | breakdownP50Ms / breakdownP95Ms | `GET /api/kpis/breakdown` latency for the financial year, over 100 sequential requests after 5 warm-ups, each dimension in turn |
        | cohortP50Ms / cohortP95Ms | `GET /api/kpis/cohort?key=reReferralRate&by=agency&group=schools` for the financial year (every unit, access-logged), over 100 sequential requests after 5 warm-ups |
        | journeyP50Ms / journeyP95Ms | `GET /api/children/{id}/journey` latency over 100 random children, after 5 warm-ups |
        | replayKpiMs | the financial year's KPIs computed without the projection: every stream fetched through Marten and derived in memory (`ChildHistory` → `ChildFacts` → `KpiDefinitions.Evaluate`) |
        | replayEqualsProjected | whether that replay equals the API's answer for every KPI (numerator, denominator, value) |
        | peakRssMb | the API process's peak resident memory (VmHWM) after ingestion, the queries and the replay |
        | rebuildEventsPerSecond | `dotnet Lscb.CaseFlow.Api.dll facts-rebuild` (the bulk rebuild, what an administrator runs), on the analyzed database: every authority's projected rows replaced in one transaction from its events, read once in stream order, derived and copied in; N over the rebuild's own time as the command reports it (the command's whole run, start-up included, beside it) |
        | martenRebuildEventsPerSecond | then Marten's own `projections rebuild` on the same database: the projected tables emptied, every event read back page by page and handed to the projection; N over the rebuild's time as Marten reports it |
        | CPU, WAL, busy | per step (COPY, ingest, rebuild): CPU time of our process and of the PostgreSQL backends serving the database (`/proc/<pid>/stat`, sampled every 200 ms), per 1,000 events, and the rate two cores could reach on that much CPU; the WAL written (`pg_current_wal_lsn`); what the busy backends were doing at each sample (`pg_stat_activity`: on the CPU, or waiting on a lock, an internal lock or I/O) |
        | rebuildEqualsIngested | whether the KPIs of the three windows, the data-quality findings and the projected tables (every row of `child_facts`, `fact_counts`, `data_quality_findings`) are the same after each rebuild as after ingestion |
        | rebuildPeakRssMb | the rebuild command's peak resident memory |

        Each section also says where the time of ingestion and of the rebuild goes, from the timings the API logs at Debug
        (`Lscb.CaseFlow.Api.Endpoints.PostEvents`, `….Ingestion.EventIngestor`, `….ChildFactsProjection`).

        Run it (the API is built in Release by the same command; `--api-dll` points at another build):

        ```bash
        export ConnectionStrings__CaseFlow='Host=127.0.0.1;Port=5499;Username=postgres'
        dotnet run -c Release --project tests/Lscb.CaseFlow.Benchmarks -- --events 200000 --out /tmp/bench-200k.json
        ```

        It prints the figures as JSON, writes them to `--out`, and replaces the section for its N below. `--imports` instead
        (no `--events`) posts the largest files the import limits allow, and censuses of 5, 10 and 20 MB, to an API of their own
        and replaces the Imports section (`importPeakRssMb`). Other work on the
        machine skews every figure: each section gives the load average at its start and at its end.

        """;

    public static void Update(string path, JsonObject figures)
    {
        var n = figures["N"]!.GetValue<int>();
        var asynchronous = figures["projection"]?.GetValue<string>() == "async";
        var heading = string.Create(CultureInfo.InvariantCulture, $"## N = {n:N0} events{(asynchronous ? ", asynchronous projection" : "")}");
        var text = File.Exists(path) ? File.ReadAllText(path) : Intro;
        var lines = text.TrimEnd('\n').Split('\n').ToList();
        var section = (asynchronous ? AsynchronousSection(heading, figures) : Section(heading, figures)).Split('\n');

        ReplaceSection(lines, heading, section);
        File.WriteAllText(path, string.Join('\n', lines).TrimEnd('\n') + "\n");
    }

    private const string ImportsHeading = "## Imports";

    /// <summary>Replaces the imports' section (after the sizes, before the hand-written sections), or adds it.</summary>
    public static void UpdateImports(string path, JsonObject figures)
    {
        var text = File.Exists(path) ? File.ReadAllText(path) : Intro;
        var lines = text.TrimEnd('\n').Split('\n').ToList();
        var section = ImportsSection(figures).Split('\n');
        ReplaceSection(lines, ImportsHeading, section);
        File.WriteAllText(path, string.Join('\n', lines).TrimEnd('\n') + "\n");
    }

    /// <summary>
    /// Replaces the section under <paramref name="heading"/>, up to the next heading of its level (keeping the blank line
    /// before it); a new one goes after the sizes (and a size's before the imports), before the hand-written sections
    /// that follow them (## Targets).
    /// </summary>
    private static void ReplaceSection(List<string> lines, string heading, string[] section)
    {
        var start = lines.FindIndex(l => l.TrimEnd() == heading);
        if (start < 0)
        {
            var next = lines.FindIndex(l => l.StartsWith("## ", StringComparison.Ordinal) && !l.StartsWith("## N = ", StringComparison.Ordinal)
                && (heading != ImportsHeading || l.TrimEnd() != ImportsHeading));
            if (next < 0)
            {
                lines.Add("");
                lines.AddRange(section);
            }
            else
            {
                lines.InsertRange(next, [.. section, ""]);
            }

            return;
        }

        var end = lines.FindIndex(start + 1, l => l.StartsWith("## ", StringComparison.Ordinal));
        end = end < 0 ? lines.Count : end - 1;
        lines.RemoveRange(start, end - start);
        lines.InsertRange(start, section);
    }

    private static string ImportsSection(JsonObject f)
    {
        var machine = f["machine"]!;
        var s = new StringBuilder();
        s.AppendLine(ImportsHeading).AppendLine();
        s.AppendLine(CultureInfo.InvariantCulture,
            $"{f["date"]}, `--imports`: {machine["cores"]} cores, {machine["memoryGb"]} GB memory, PostgreSQL {machine["postgres"]}, load average "
            + $"{machine["loadAverage"]} at the start, {machine["loadAverageAtEnd"]} at the end. Each file is posted to one API process (idle at "
            + $"{f["idleRssMb"]} MB resident) whose peak resident set is reset before each import; seconds are the request's, storing included.");
        s.AppendLine();
        s.AppendLine("| file | MB | events | seconds | s per MB | events/s | peak RSS MB |");
        s.AppendLine("| --- | --- | --- | --- | --- | --- | --- |");
        foreach (var run in f["censusBySize"]!.AsArray().Append(f["largestCensus"]).Append(f["largestAnnexA"]))
        {
            s.AppendLine(CultureInfo.InvariantCulture,
                $"| {run!["what"]} | {run["mb"]} | {run["events"]} | {run["seconds"]} | {run["secondsPerMb"]} | {run["eventsPerSecond"]} | {run["peakRssMb"]} |");
        }

        s.AppendLine();
        s.AppendLine(CultureInfo.InvariantCulture, $"importPeakRssMb (the larger of the two largest files): **{f["importPeakRssMb"]}**.");
        return s.ToString().TrimEnd('\n');
    }

    private static string Section(string heading, JsonObject f)
    {
        var machine = f["machine"]!;
        var copy = f["copyEventsPerSecond"]!.GetValue<double>();
        string Windows(string key) => $"{f[key]!["quarter"]} / {f[key]!["year"]} / {f[key]!["fiveYears"]}";
        string OfCopy(string key) => string.Create(CultureInfo.InvariantCulture, $"{f[key]} ({f[key]!.GetValue<double>() / copy:0.000} × COPY)");
        var yearP95 = f["kpiP95Ms"]!["year"]!.GetValue<double>();
        var rows = new (string Figure, string Value)[]
        {
            ("events", $"{f["events"]}"),
            ("children", $"{f["children"]}"),
            ("copyEventsPerSecond", $"{f["copyEventsPerSecond"]}"),
            ("ingestEventsPerSecond", OfCopy("ingestEventsPerSecond")),
            ("rebuildEventsPerSecond (`facts-rebuild`)", OfCopy("rebuildEventsPerSecond")
                + string.Create(CultureInfo.InvariantCulture, $"; {f["rebuildSeconds"]} s, the command {f["rebuildCommandSeconds"]} s from start to exit")),
            ("martenRebuildEventsPerSecond (`projections rebuild`)", OfCopy("martenRebuildEventsPerSecond")
                + string.Create(CultureInfo.InvariantCulture, $"; {f["martenRebuildSeconds"]} s")),
            ("readySeconds", $"{f["readySeconds"]}"),
            ("kpiP50Ms (quarter / year / five years)", Windows("kpiP50Ms")),
            ("kpiP95Ms (quarter / year / five years)", Windows("kpiP95Ms")),
            ("breakdownP50Ms / breakdownP95Ms (year, every dimension)", f["breakdownP50Ms"] is { } b50 ? $"{b50} / {f["breakdownP95Ms"]}" : "not measured"),
            ("cohortP50Ms / cohortP95Ms (year, reReferralRate, schools)", f["cohortP50Ms"] is { } c50 ? $"{c50} / {f["cohortP95Ms"]}" : "not measured"),
            ("journeyP50Ms", $"{f["journeyP50Ms"]}"),
            ("journeyP95Ms", $"{f["journeyP95Ms"]}"),
            ("replayKpiMs (financial year)", string.Create(CultureInfo.InvariantCulture,
                $"{f["replayKpiMs"]} ({f["replayKpiMs"]!.GetValue<double>() / yearP95:N0} × the year's KPI p95)")),
            ("replayEqualsProjected", $"{f["replayEqualsProjected"]}"),
            ("rebuildEqualsIngested", $"{f["rebuildEqualsIngested"]}"),
            ("CPU ms per 1,000 events, COPY (benchmark / PostgreSQL); WAL per 1,000", Cpu(f, "copy", "benchmark")),
            ("CPU ms per 1,000 events, ingest (API / PostgreSQL); WAL per 1,000", Cpu(f, "ingest", "api")),
            ("CPU ms per 1,000 events, `facts-rebuild` (command / PostgreSQL); WAL per 1,000", Cpu(f, "rebuild", "command")),
            ("CPU ms per 1,000 events, `projections rebuild` (command / PostgreSQL); WAL per 1,000", Cpu(f, "martenRebuild", "command")),
            ("peakRssMb (API)", $"{f["peakRssMb"]}"),
            ("rebuildPeakRssMb (rebuild command)", $"{f["rebuildPeakRssMb"]}"),
        };

        var s = new StringBuilder();
        s.AppendLine(heading).AppendLine();
        s.AppendLine(CultureInfo.InvariantCulture,
            $"{f["date"]}, N = {f["N"]}: {machine["cores"]} cores, {machine["memoryGb"]} GB memory, PostgreSQL {machine["postgres"]}, "
            + $"load average {machine["loadAverage"]} at the start, {machine["loadAverageAtEnd"]} at the end.");
        s.AppendLine();
        s.AppendLine("| figure | value |");
        s.AppendLine("| --- | --- |");
        foreach (var (figure, value) in rows)
        {
            s.AppendLine(CultureInfo.InvariantCulture, $"| {figure} | {value} |");
        }

        Stages(s, f["ingestProfile"]!, "Where a POST of 1,000 events spends its time, summed over every batch (4 at once) and shared out "
            + "over the requests' time as the clients saw it", "ms per batch");
        Stages(s, f["rebuildProfile"]!, "Where Marten's rebuild spends its time, per page of events the daemon hands the projection "
            + string.Create(CultureInfo.InvariantCulture, $"(it read back {f["rebuildProfile"]!["storedEventsReadPerEvent"]} stored events per event)"), "ms per page");
        return s.ToString().TrimEnd('\n');
    }

    private static string AsynchronousSection(string heading, JsonObject f)
    {
        var machine = f["machine"]!;
        var copy = f["copyEventsPerSecond"]!.GetValue<double>();
        string Windows(string key) => $"{f[key]!["quarter"]} / {f[key]!["year"]} / {f[key]!["fiveYears"]}";
        string OfCopy(string key) => string.Create(CultureInfo.InvariantCulture, $"{f[key]} ({f[key]!.GetValue<double>() / copy:0.000} × COPY)");
        var rows = new (string Figure, string Value)[]
        {
            ("events", $"{f["events"]}"),
            ("children", $"{f["children"]}"),
            ("copyEventsPerSecond", $"{f["copyEventsPerSecond"]}"),
            ("ingestAcknowledgedEventsPerSecond (until the last 200)", OfCopy("ingestAcknowledgedEventsPerSecond")),
            ("ingestEventsPerSecond (until the KPIs count every event)", OfCopy("ingestEventsPerSecond")),
            ("projectionCatchUpSeconds (after the last 200)", $"{f["projectionCatchUpSeconds"]}"),
            ("readySeconds", $"{f["readySeconds"]}"),
            ("daemonPlacedSeconds (start to the daemon's assignment)", $"{f["daemonPlacedSeconds"]}"),
            ("kpiP50Ms (quarter / year / five years)", Windows("kpiP50Ms")),
            ("kpiP95Ms (quarter / year / five years)", Windows("kpiP95Ms")),
            ("CPU ms per 1,000 events, COPY (benchmark / PostgreSQL); WAL per 1,000", Cpu(f, "copy", "benchmark")),
            ("CPU ms per 1,000 events, ingest and projection (API / PostgreSQL); WAL per 1,000", Cpu(f, "ingest", "api")),
            ("peakRssMb (API)", $"{f["peakRssMb"]}"),
        };

        var s = new StringBuilder();
        s.AppendLine(heading).AppendLine();
        s.AppendLine(CultureInfo.InvariantCulture,
            $"{f["date"]}, N = {f["N"]}, `--projection async`: {machine["cores"]} cores, {machine["memoryGb"]} GB memory, PostgreSQL {machine["postgres"]}, "
            + $"load average {machine["loadAverage"]} at the start, {machine["loadAverageAtEnd"]} at the end. One API node runs the daemon; "
            + $"the rebuild and the replay are the same work as in the inline run.");
        s.AppendLine();
        s.AppendLine("| figure | value |");
        s.AppendLine("| --- | --- |");
        foreach (var (figure, value) in rows)
        {
            s.AppendLine(CultureInfo.InvariantCulture, $"| {figure} | {value} |");
        }

        return s.ToString().TrimEnd('\n');
    }

    /// <summary>Both processes' CPU per 1,000 events, and the rate that much CPU allows on this machine's cores.</summary>
    private static string Cpu(JsonObject f, string step, string process)
    {
        var cpu = f["cpuMsPerThousandEvents"]![step]!;
        var busy = string.Join(", ", cpu["postgresBusy"]!.AsObject().Where(b => b.Key != "samples")
            .Select(b => string.Create(CultureInfo.InvariantCulture, $"{b.Key} {b.Value!.GetValue<double>() * 100:0} %")));
        return string.Create(CultureInfo.InvariantCulture,
            $"{cpu[process]} / {cpu["postgres"]}: at most {cpu["ceilingOnTwoCoresEventsPerSecond"]} events/s on {f["machine"]!["cores"]} cores; "
            + $"{cpu["walKb"]} KB of WAL, {cpu["checkpoints"]} checkpoints; PostgreSQL's busy backends: {busy}");
    }

    private static void Stages(StringBuilder s, JsonNode profile, string caption, string unit)
    {
        s.AppendLine();
        s.AppendLine(CultureInfo.InvariantCulture, $"{caption}: {profile["units"]} in all, {profile["msPerUnit"]} ms each.");
        s.AppendLine();
        s.AppendLine(CultureInfo.InvariantCulture, $"| stage | {unit} | share |");
        s.AppendLine("| --- | --- | --- |");
        foreach (var (stage, figures) in profile["stages"]!.AsObject())
        {
            s.AppendLine(CultureInfo.InvariantCulture,
                $"| {stage} | {figures!["msPerUnit"]} | {figures["share"]!.GetValue<double>() * 100:0.0} % |");
        }
    }
}
