using Lscb.CaseFlow.Api.ReadModel.Storage;
namespace Lscb.CaseFlow.Api.ReadModel;

/// <summary>
/// Fills <c>prev_on</c> and <c>family_prev_on</c> of <c>child_facts</c> in a database whose facts were written before the
/// columns existed (Marten adds them empty), once: the column's comment marks it done. A schema object of its own
/// (<see cref="Object"/>), after the tables, so it runs where Marten's schema changes run: at start when the service owns
/// its schema, in <c>db-apply</c> otherwise, and only while the mark is missing; on a new database it only sets the mark.
/// The same values as the projection writes, but for the order of one child's facts of a kind on one date, which only
/// decides which of them is the first.
/// </summary>
public static class PreviousDatesBackfill
{
    private const string Done = "previous dates v1";


    public static readonly string Sql = $"""
        do $$
        begin
            if col_description('{CaseFlowTables.ChildFacts}'::regclass, (select attnum from pg_attribute
                    where attrelid = '{CaseFlowTables.ChildFacts}'::regclass and attname = 'prev_on')) is distinct from '{Done}' then
                -- One node at a time; the others find the mark set when they get the lock.
                perform pg_advisory_xact_lock(hashtextextended('{CaseFlowTables.ChildFacts}.prev_on', 0));
                if col_description('{CaseFlowTables.ChildFacts}'::regclass, (select attnum from pg_attribute
                        where attrelid = '{CaseFlowTables.ChildFacts}'::regclass and attname = 'prev_on')) is distinct from '{Done}' then
                    update {CaseFlowTables.ChildFacts} f set prev_on = d.prev_on, family_prev_on = d.family_prev_on
                    from (select row_id, prev_on, stored, stored_family,
                                 case when family_key is not null then lag(on_date) over ({FactsWriter.FamilyOrder}) end as family_prev_on
                          from (select ctid as row_id, tenant_id, child_key, family_key, kind, on_date,
                                       prev_on as stored, family_prev_on as stored_family,
                                       lag(on_date) over (partition by tenant_id, child_id, kind order by on_date) as prev_on
                                from {CaseFlowTables.ChildFacts}) c) d
                    where f.ctid = d.row_id
                      and (d.stored is distinct from d.prev_on or d.stored_family is distinct from d.family_prev_on);
                    comment on column {CaseFlowTables.ChildFacts}.prev_on is '{Done}';
                end if;
            end if;
        end $$;
        """;

    /// <summary>Current once the mark is set; until then, the backfill (after <see cref="Sql"/>: fields start in order).</summary>
    public static readonly SqlSchemaObject Object = new("child_facts_previous_dates", $"""
        select exists (
            select 1
            from pg_attribute a
            join pg_class c on c.oid = a.attrelid
            join pg_namespace n on n.oid = c.relnamespace
            where n.nspname = '{CaseFlowTables.Schema}' and c.relname = 'child_facts' and a.attname = 'prev_on'
              and col_description(c.oid, a.attnum) = '{Done}')
        """, Sql);
}
