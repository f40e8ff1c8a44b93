using Lscb.CaseFlow.Facts;
using Lscb.CaseFlow.Kpis;
using Npgsql;

namespace Lscb.CaseFlow.Api;

/// <summary>
/// Counts every measure of <see cref="KpiDefinitions"/> for a window inside PostgreSQL, in one pass over the
/// indexed facts: the events dated in the window, and the spans (plans, periods of care) started by its end.
/// Memory does not grow with the number of children.
/// </summary>
public sealed class KpiQuery(NpgsqlDataSource db)
{
    private static readonly IReadOnlyList<Measure> Measures = KpiDefinitions.Measures;

    private static readonly short[] EventKinds = Measures
        .Select(m => m switch { Measure.EventsIn e => e.Kind, Measure.ChildrenIn c => c.Kind, Measure.FamiliesIn f => f.Kind, _ => (FactKind?)null })
        .OfType<FactKind>().Distinct().Select(k => (short)k).ToArray();

    private static readonly short[] SpanKinds = Measures.OfType<Measure.ChildrenOpenAtEnd>()
        .Select(m => (short)m.Kind).Distinct().ToArray();

    private static readonly string Sql = $"""
        select {string.Join(",\n       ", Measures.Select(CountOf))}
        from {CaseFlowTables.ChildFacts}
        where tenant_id = @tenant and on_date <= @to
          and ((kind = any(@event_kinds) and on_date >= @from) or kind = any(@span_kinds))
        """;

    public async Task<KpiAnswer> RunAsync(Window window, string tenantId, CancellationToken ct)
    {
        await using var batch = db.CreateBatch();
        var counts = new NpgsqlBatchCommand(Sql);
        counts.Parameters.AddWithValue("tenant", tenantId);
        counts.Parameters.AddWithValue("from", window.From);
        counts.Parameters.AddWithValue("to", window.To);
        counts.Parameters.AddWithValue("event_kinds", EventKinds);
        counts.Parameters.AddWithValue("span_kinds", SpanKinds);
        batch.BatchCommands.Add(counts);
        var population = new NpgsqlBatchCommand(
            $"select year, children from {CaseFlowTables.Populations} where tenant_id = @tenant");
        population.Parameters.AddWithValue("tenant", tenantId);
        batch.BatchCommands.Add(population);

        await using var reader = await batch.ExecuteReaderAsync(ct);
        await reader.ReadAsync(ct);
        var byMeasure = Measures.Select((m, i) => (m, reader.GetInt64(i))).ToDictionary(x => x.m, x => x.Item2);
        await reader.NextResultAsync(ct);
        var estimates = new Dictionary<int, long>();
        while (await reader.ReadAsync(ct))
        {
            estimates[reader.GetInt32(0)] = reader.GetInt64(1);
        }

        var applicable = Population.For(window, estimates);
        var values = KpiDefinitions.All.ToDictionary(k => k.Key, k => k.Evaluate(m => byMeasure[m], applicable?.Children));
        return new KpiAnswer(window, applicable?.Year, applicable?.Children, values);
    }

    private static string CountOf(Measure measure) => measure switch
    {
        Measure.EventsIn m =>
            $"count(*) filter (where kind = {(short)m.Kind} and on_date >= @from and flags & {(int)m.Having} = {(int)m.Having})",
        Measure.ChildrenIn m =>
            $"count(distinct child_id) filter (where kind = {(short)m.Kind} and on_date >= @from)",
        Measure.FamiliesIn m =>
            $"count(distinct family_id) filter (where kind = {(short)m.Kind} and on_date >= @from and family_id <> '')",
        Measure.ChildrenOpenAtEnd m =>
            $"count(distinct child_id) filter (where kind = {(short)m.Kind} and (until_date is null or until_date > @to)"
            + $" and flags & {(int)m.Excluding} = 0{(m.MilestoneReached ? " and milestone <= @to" : "")})",
        _ => throw new NotSupportedException(measure.GetType().Name),
    };
}

public sealed record KpiAnswer(Window Window, int? PopulationYear, long? Population, IReadOnlyDictionary<string, KpiValue> Values);
