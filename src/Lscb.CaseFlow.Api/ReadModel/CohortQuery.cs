using System.Globalization;
using Lscb.CaseFlow.Kpis;
using Lscb.CaseFlow.Api.ReadModel.Storage;
using static Lscb.CaseFlow.Kpis.Measure;

namespace Lscb.CaseFlow.Api.ReadModel;

/// <summary>
/// The units behind a KPI (kpis.md, Cohorts) read from the stored facts and their units; <see cref="Cohorts"/> is the
/// in-memory reference it equals. At most <c>limit</c> + 1 units are read, so an answer too large to give is known
/// without reading it all.
/// </summary>
public sealed class CohortQuery(TenantDatabases databases)
{
    public async Task<IReadOnlyList<CohortUnit>> RunAsync(
        Kpi kpi, Window window, string? dimension, string? group, int limit, string tenantId, CancellationToken ct)
    {
        var (counted, numerator) = kpi switch
        {
            Kpi.Percentage p => (p.Denominator, (Measure?)p.Numerator),
            Kpi.Count c => (c.Of, null),
            Kpi.RatePer10k r => (r.Numerator, null),
            _ => throw new ArgumentOutOfRangeException(nameof(kpi)),
        };

        var grouped = dimension is not null && group is not null;
        var byChild = grouped && Breakdowns.IsByChildAtEnd(kpi);
        var prefix = byChild ? BreakdownQuery.CurrentValue(dimension!) : "";
        var join = byChild ? "join current_value c on c.child_key = f.child_key and c.value = @group" : "";
        var filter = grouped && !byChild ? $" and @group = any({BreakdownQuery.ValuesOf(dimension!)})" : "";
        var sql = counted switch
        {
            EventsIn m => $"""
                {prefix}
                select f.child_id, f.unit_source, f.unit_id, f.on_date, nullif(f.family_id, ''), {(numerator is EventsIn n ? Flags(n, "f") : "null::boolean")}
                from {CaseFlowTables.ChildFacts} f {join}
                where f.tenant_id = @tenant and f.kind = {(short)m.Kind} and f.on_date between @from and @to and {Flags(m, "f")}{filter}
                order by f.on_date, f.child_id, f.unit_id limit @limit
                """,
            FamiliesIn m => $"""
                {prefix}
                select f.child_id, f.unit_source, f.unit_id, f.on_date, f.family_id, null::boolean
                from {CaseFlowTables.ChildFacts} f {join}
                where f.tenant_id = @tenant and f.kind = {(short)m.Kind} and f.on_date between @from and @to
                  and f.family_id is not null and f.family_id <> ''{filter}
                order by f.on_date, f.child_id, f.unit_id limit @limit
                """,
            ChildrenIn m => $"""
                {prefix}
                select f.child_id, null, null, null::date, null, null::boolean
                from {CaseFlowTables.ChildFacts} f {join}
                where f.tenant_id = @tenant and f.kind = {(short)m.Kind} and f.on_date between @from and @to{filter}
                group by f.child_id order by f.child_id limit @limit
                """,
            ChildrenOpenAtEnd m => $"""
                {prefix}
                select f.child_id, null, null, null::date, null,
                       {(numerator is ChildrenOpenAtEnd n ? $"bool_or({Open(n, "f")})" : "null::boolean")}
                from {CaseFlowTables.ChildFacts} f {join}
                where f.tenant_id = @tenant and f.on_date <= @to and (f.until_date is null or f.until_date > @to){filter}
                group by f.child_id having bool_or({Open(m, "f")})
                order by f.child_id limit @limit
                """,
            _ => throw new ArgumentOutOfRangeException(nameof(kpi)),
        };

        var db = await databases.ReadForAsync(tenantId, ct);
        await using var cmd = db.CreateCommand(sql);
        cmd.Parameters.AddWithValue("tenant", tenantId);
        cmd.Parameters.AddWithValue("from", window.From);
        cmd.Parameters.AddWithValue("to", window.To);
        cmd.Parameters.AddWithValue("limit", limit + 1);
        if (grouped)
        {
            cmd.Parameters.AddWithValue("group", group!);
        }

        if (byChild)
        {
            BreakdownQuery.AddCurrentValueParameters(cmd, dimension!);
        }

        var units = new List<CohortUnit>();
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            units.Add(new CohortUnit(
                reader.GetString(0),
                reader.IsDBNull(1) ? null : reader.GetString(1),
                reader.IsDBNull(2) ? null : reader.GetString(2),
                reader.IsDBNull(3) ? null : reader.GetFieldValue<DateOnly>(3),
                reader.IsDBNull(4) ? null : reader.GetString(4),
                reader.IsDBNull(5) ? null : reader.GetBoolean(5)));
        }

        return units;
    }

    private static string Flags(EventsIn m, string f) => string.Create(CultureInfo.InvariantCulture,
        $"({f}.flags & {(int)m.Having} = {(int)m.Having} and {f}.flags & {(int)m.Lacking} = 0)");

    private static string Open(ChildrenOpenAtEnd m, string f) => string.Create(CultureInfo.InvariantCulture,
        $"({f}.kind = {(short)m.Kind} and {f}.flags & {(int)m.Excluding} = 0{(m.MilestoneReached ? $" and {f}.milestone <= @to" : "")})");
}
