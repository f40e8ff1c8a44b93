using System.Globalization;
using Lscb.CaseFlow.Events;
using Lscb.CaseFlow.Facts;
using Lscb.CaseFlow.Journeys;
using Lscb.CaseFlow.Kpis;
using Lscb.CaseFlow.Api.ReadModel.Storage;
using Npgsql;

namespace Lscb.CaseFlow.Api.ReadModel;

/// <summary>
/// kpis.md's breakdowns counted in PostgreSQL from the facts' stored dimension values (<see cref="Breakdowns"/> is the
/// in-memory reference it equals): per KPI, one grouped statement over the facts of the kinds its measures read.
/// </summary>
public sealed class BreakdownQuery(TenantDatabases databases)
{
    /// <summary>Every KPI the dimension applies to, with each group that occurs and its figure.</summary>
    public async Task<IReadOnlyDictionary<string, IReadOnlyDictionary<string, KpiValue>>> RunAsync(
        string dimension, Window window, string tenantId, CancellationToken ct)
    {
        var db = await databases.ReadForAsync(tenantId, ct);
        var answer = new Dictionary<string, IReadOnlyDictionary<string, KpiValue>>(StringComparer.Ordinal);
        foreach (var kpi in Breakdowns.AppliesTo[dimension])
        {
            var measures = kpi.Measures.Distinct().ToList();
            var counts = await CountAsync(db, dimension, kpi, measures, window, tenantId, ct);
            var groups = new Dictionary<string, KpiValue>(StringComparer.Ordinal);
            foreach (var (group, byMeasure) in counts)
            {
                long Count(Measure m) => byMeasure[measures.IndexOf(m)];
                var occurs = kpi is Kpi.Percentage p ? Count(p.Denominator) > 0 : measures.Any(m => Count(m) > 0);
                if (occurs)
                {
                    groups[group] = kpi.Evaluate(Count, population: null);
                }
            }

            answer[kpi.Key] = groups;
        }

        return answer;
    }

    private static async Task<Dictionary<string, long[]>> CountAsync(
        NpgsqlDataSource db, string dimension, Kpi kpi, IReadOnlyList<Measure> measures, Window window, string tenantId, CancellationToken ct)
    {
        var sums = string.Join(", ", measures.Select(CountOf));
        var kinds = measures.Select(KindOf).Distinct().Select(k => (short)k).ToArray();
        var sql = Breakdowns.IsByChildAtEnd(kpi)
            ? $"""
              {CurrentValue(dimension)}
              select c.value, {sums}
              from {CaseFlowTables.ChildFacts} f join current_value c on c.child_key = f.child_key
              where f.tenant_id = @tenant and f.kind = any(@kinds) and f.on_date <= @to and (f.until_date is null or f.until_date > @to)
                and c.value is not null
              group by c.value
              """
            : $"""
              select g.value, {sums}
              from {CaseFlowTables.ChildFacts} f cross join lateral unnest({ValuesOf(dimension)}) as g(value)
              where f.tenant_id = @tenant and f.kind = any(@kinds) and f.on_date <= @to{(measures.All(m => m is Measure.EventsIn or Measure.ChildrenIn) ? " and f.on_date >= @from" : "")}
                and g.value is not null
              group by g.value
              """;
        await using var cmd = db.CreateCommand(sql);
        cmd.Parameters.AddWithValue("tenant", tenantId);
        cmd.Parameters.AddWithValue("from", window.From);
        cmd.Parameters.AddWithValue("to", window.To);
        cmd.Parameters.AddWithValue("kinds", kinds);
        AddCurrentValueParameters(cmd, dimension);
        var counts = new Dictionary<string, long[]>(StringComparer.Ordinal);
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            counts[reader.GetString(0)] = [.. Enumerable.Range(1, measures.Count).Select(reader.GetInt64)];
        }

        return counts;
    }

    /// <summary>
    /// Each child's value at the window's end (<c>current_value</c>): under category that of its latest-started open plan,
    /// under legal status that of its latest-started open episode that is not a short break; ties to the greatest id.
    /// </summary>
    internal static string CurrentValue(string dimension) => $"""
        with current_value as (
            select distinct on (child_key) child_key, {(dimension == Dimensions.LegalStatus ? "legal_status" : "category")} as value
            from {CaseFlowTables.ChildFacts}
            where tenant_id = @tenant and kind = @span and on_date <= @to and (until_date is null or until_date > @to)
              and flags & @excluding = 0
            order by child_key, on_date desc, unit_key collate "C" desc)
        """;

    internal static void AddCurrentValueParameters(NpgsqlCommand cmd, string dimension)
    {
        cmd.Parameters.AddWithValue("span", (short)(dimension == Dimensions.LegalStatus ? FactKind.CareEpisode : FactKind.Plan));
        cmd.Parameters.AddWithValue("excluding", (int)(dimension == Dimensions.LegalStatus ? FactFlags.ShortBreak : FactFlags.None));
    }

    /// <summary>A fact's values under a dimension, as an array (several only under factor); agencies from the one mapping.</summary>
    internal static string ValuesOf(string dimension) => dimension switch
    {
        Dimensions.ReferralSource => "array[f.referral_source]",
        Dimensions.Agency => $"array[case when f.referral_source is null then null {string.Concat(
            CodeLists.ReferralSources.Select(code => $"when f.referral_source = '{code}' then '{Dimensions.AgencyOf(code)}' "))}else '{Dimensions.Unknown}' end]",
        Dimensions.MashDecision => "array[f.mash_decision]",
        Dimensions.Category => "array[f.category]",
        Dimensions.Factor => "f.factors",
        Dimensions.LegalStatus => "array[f.legal_status]",
        _ => throw new ArgumentOutOfRangeException(nameof(dimension), dimension, "Not a dimension of kpis.md."),
    };

    private static FactKind KindOf(Measure measure) => measure switch
    {
        Measure.EventsIn m => m.Kind,
        Measure.ChildrenIn m => m.Kind,
        Measure.ChildrenOpenAtEnd m => m.Kind,
        _ => throw new NotSupportedException(measure.GetType().Name),
    };

    /// <summary>Each measure counted as <see cref="Measure.CountIn"/> counts it, within a group.</summary>
    private static string CountOf(Measure measure) => measure switch
    {
        Measure.EventsIn m => string.Create(CultureInfo.InvariantCulture,
            $"count(*) filter (where f.kind = {(short)m.Kind} and f.on_date >= @from and f.flags & {(int)m.Having} = {(int)m.Having} and f.flags & {(int)m.Lacking} = 0)"),
        Measure.ChildrenIn m => string.Create(CultureInfo.InvariantCulture,
            $"count(distinct f.child_key) filter (where f.kind = {(short)m.Kind} and f.on_date >= @from)"),
        Measure.ChildrenOpenAtEnd m => string.Create(CultureInfo.InvariantCulture,
            $"count(distinct f.child_key) filter (where f.kind = {(short)m.Kind} and (f.until_date is null or f.until_date > @to) and f.flags & {(int)m.Excluding} = 0{(m.MilestoneReached ? " and f.milestone <= @to" : "")})"),
        _ => throw new NotSupportedException(measure.GetType().Name),
    };
}
