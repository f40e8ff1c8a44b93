using System.Collections.Concurrent;
using Lscb.CaseFlow.Facts;
using Lscb.CaseFlow.Kpis;
using Npgsql;
using Lscb.CaseFlow.Api.ReadModel.Storage;
using Lscb.CaseFlow.Api.Host.Telemetry;

namespace Lscb.CaseFlow.Api.ReadModel;

/// <summary>
/// Counts measures (<see cref="Measure"/>) for a window inside PostgreSQL, in one round trip. Each measure becomes
/// one aggregate with a filter; memory does not grow with the number of children.
/// </summary>
/// <remarks>
/// Reads the tenant's read replica when one is configured and has replayed everything its primary had committed when
/// the request came, else the primary (<see cref="TenantDatabases.ReadForAsync"/>): either way a window asked for after
/// a 200 includes that batch.
/// </remarks>
public sealed class KpiQuery(TenantDatabases databases)
{
    private readonly ConcurrentDictionary<string, Statements> _statements = new();

    /// <summary>Every KPI of <c>kpis.md</c> for the window, with the population that applies to it.</summary>
    public async Task<KpiAnswer> RunAsync(Window window, string tenantId, CancellationToken ct) =>
        await (await ReadingAsync(tenantId, ct)).RunAsync(window, ct);

    public async Task<IReadOnlyDictionary<Measure, long>> CountAsync(
        IReadOnlyList<Measure> measures, Window window, string tenantId, CancellationToken ct) =>
        await (await ReadingAsync(tenantId, ct)).CountAsync(measures, window, ct);

    /// <summary>
    /// The reads of one request that asks about several windows (a series, a comparison): where to read is chosen once
    /// (<see cref="TenantDatabases.ReadForAsync"/>: the wait for the projection and the replica's check), and the
    /// populations are read once, so every window is answered from the same database.
    /// </summary>
    public async Task<KpiReading> ReadingAsync(string tenantId, CancellationToken ct) =>
        new(this, await databases.ReadForAsync(tenantId, ct), tenantId);

    /// <summary>See <see cref="ReadingAsync"/>.</summary>
    public sealed class KpiReading(KpiQuery query, NpgsqlDataSource db, string tenantId)
    {
        private IReadOnlyDictionary<int, long>? _populations;

        public async Task<KpiAnswer> RunAsync(Window window, CancellationToken ct)
        {
            var counts = await CountAsync(KpiDefinitions.Measures, window, ct);
            _populations ??= await PopulationsAsync(db, tenantId, ct);
            var applicable = Population.For(window, _populations);
            var values = KpiDefinitions.All.ToDictionary(k => k.Key, k => k.Evaluate(m => counts[m], applicable?.Children));
            return new KpiAnswer(window, applicable?.Year, applicable?.Children, values);
        }

        public Task<IReadOnlyDictionary<Measure, long>> CountAsync(IReadOnlyList<Measure> measures, Window window, CancellationToken ct) =>
            query.CountAsync(db, measures, window, tenantId, ct);
    }

    private async Task<IReadOnlyDictionary<Measure, long>> CountAsync(
        NpgsqlDataSource db, IReadOnlyList<Measure> measures, Window window, string tenantId, CancellationToken ct)
    {
        var statements = _statements.GetOrAdd(string.Join('|', measures), _ => Statements.For(measures));
        using var span = CaseFlowTelemetry.ActivitySource.StartActivity("caseflow.kpi.query");
        span?.SetTag("caseflow.kpi.measures", measures.Count);
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        await using var batch = db.CreateBatch();
        foreach (var part in statements.Parts)
        {
            var cmd = new NpgsqlBatchCommand(part.Sql);
            cmd.Parameters.AddWithValue("tenant", tenantId);
            cmd.Parameters.AddWithValue("from", window.From);
            cmd.Parameters.AddWithValue("to", window.To);
            cmd.Parameters.AddWithValue("kinds", part.Kinds);
            batch.BatchCommands.Add(cmd);
        }

        var counts = new Dictionary<Measure, long>();
        await using var reader = await batch.ExecuteReaderAsync(ct);
        foreach (var part in statements.Parts)
        {
            await reader.ReadAsync(ct);
            for (var i = 0; i < part.Measures.Count; i++)
            {
                counts[part.Measures[i]] = reader.IsDBNull(i) ? 0 : reader.GetInt64(i);
            }

            await reader.NextResultAsync(ct);
        }

        CaseFlowTelemetry.KpiQueryDuration.Record(System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalSeconds);
        return counts;
    }

    private static async Task<IReadOnlyDictionary<int, long>> PopulationsAsync(NpgsqlDataSource db, string tenantId, CancellationToken ct)
    {
        await using var cmd = db.CreateCommand($"select year, children from {CaseFlowTables.Populations} where tenant_id = @tenant");
        cmd.Parameters.AddWithValue("tenant", tenantId);
        var estimates = new Dictionary<int, long>();
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            estimates[reader.GetInt32(0)] = reader.GetInt64(1);
        }

        return estimates;
    }

    /// <summary>One statement of the batch: the measures it counts, in column order.</summary>
    private sealed record Part(string Sql, short[] Kinds, IReadOnlyList<Measure> Measures);

    /// <summary>
    /// Up to three statements, each reading what it needs through its own index: event counts from the daily
    /// counts (a window costs its days, not its events), distinct children and families from the facts dated in
    /// the window that are their first there, and children with a span open at its end from the spans started by then.
    /// </summary>
    private sealed record Statements(IReadOnlyList<Part> Parts)
    {
        public static Statements For(IReadOnlyList<Measure> measures)
        {
            var parts = new List<Part>();
            var events = measures.OfType<Measure.EventsIn>().Distinct().ToList<Measure>();
            if (events.Count > 0)
            {
                // Summed by kind and flags first: the measures' filters then run over a few dozen groups, not the
                // window's days × kinds × flags rows.
                parts.Add(new Part($"""
                    select {string.Join(", ", events.Select(SumOf))}
                    from (select kind, flags, sum(n)::bigint as n
                          from {CaseFlowTables.FactCounts}
                          where tenant_id = @tenant and kind = any(@kinds) and on_date between @from and @to
                          group by kind, flags) g
                    """, Kinds(events), events));
            }

            var firsts = measures.Where(m => m is Measure.ChildrenIn or Measure.FamiliesIn).Distinct().ToList();
            if (firsts.Count > 0)
            {
                var kinds = Kinds(firsts);
                parts.Add(new Part($"""
                    select {string.Join(", ", firsts.Select(m => FirstsOf(m, kinds.Length > 1)))}
                    from {CaseFlowTables.ChildFacts}
                    where tenant_id = @tenant and kind = any(@kinds) and on_date between @from and @to
                    """, kinds, firsts));
            }

            var open = measures.OfType<Measure.ChildrenOpenAtEnd>().Distinct().ToList<Measure>();
            if (open.Count > 0)
            {
                parts.Add(new Part($"""
                    select {string.Join(", ", open.Select(DistinctOf))}
                    from {CaseFlowTables.ChildFacts}
                    where tenant_id = @tenant and kind = any(@kinds) and on_date <= @to
                      and (until_date is null or until_date > @to)
                    """, Kinds(open), open));
            }

            return new Statements(parts);
        }

        private static short[] Kinds(IEnumerable<Measure> measures) => measures.Select(m => m switch
        {
            Measure.EventsIn e => e.Kind,
            Measure.ChildrenIn c => c.Kind,
            Measure.FamiliesIn f => f.Kind,
            Measure.ChildrenOpenAtEnd o => o.Kind,
            _ => throw new NotSupportedException(m.GetType().Name),
        }).Distinct().Select(k => (short)k).ToArray();

        private static string SumOf(Measure measure) => measure is Measure.EventsIn m
            ? $"sum(n) filter (where kind = {(short)m.Kind} and flags & {(int)m.Having} = {(int)m.Having} and flags & {(int)m.Lacking} = 0)::bigint"
            : throw new NotSupportedException(measure.GetType().Name);

        /// <summary>
        /// Distinct children (families) with a fact of a kind in the window, counted as the facts in it that are their
        /// child's (family's) first there: no earlier fact of the kind, or the one before it dated before the window.
        /// A filtered count over the window's index entries, where <c>count(distinct …)</c> sorted them.
        /// </summary>
        private static string FirstsOf(Measure measure, bool manyKinds)
        {
            var (kind, previous, having) = measure switch
            {
                Measure.ChildrenIn m => (m.Kind, "prev_on", ""),
                Measure.FamiliesIn m => (m.Kind, "family_prev_on", "family_key is not null and "),
                _ => throw new NotSupportedException(measure.GetType().Name),
            };

            // The kind test only where the statement reads several kinds.
            return $"count(*) filter (where {(manyKinds ? $"kind = {(short)kind} and " : "")}{having}({previous} is null or {previous} < @from))";
        }

        private static string DistinctOf(Measure measure) => measure switch
        {
            Measure.ChildrenOpenAtEnd m =>
                $"count(distinct child_key) filter (where kind = {(short)m.Kind} and flags & {(int)m.Excluding} = 0"
                + $"{(m.MilestoneReached ? " and milestone <= @to" : "")})",
            _ => throw new NotSupportedException(measure.GetType().Name),
        };
    }
}

public sealed record KpiAnswer(Window Window, int? PopulationYear, long? Population, IReadOnlyDictionary<string, KpiValue> Values);
