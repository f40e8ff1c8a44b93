using Lscb.CaseFlow.Api.ReadModel.Storage;

namespace Lscb.CaseFlow.Api.ReadModel;

/// <summary>
/// The access log's table is append-only in the database itself: the trigger here refuses every update, delete and
/// truncate (Features/Audit/AccessLog.cs writes and reads the rows).
/// </summary>
public static class JourneyReadsSchema
{
    /// <summary>What a read was of.</summary>
    public const string Journey = "journey";

    public const string DataQuality = "data-quality";

    public const string Cohort = "cohort";

    public const string TriggerName = "journey_reads_append_only";

    private const string TriggerBody = """

        begin
            raise exception 'the journey access log is append-only';
        end
        """;

    /// <summary>
    /// The trigger that refuses every update, delete and truncate, and its function. Enabled <c>always</c>, so it fires
    /// even in a session replaying as a replica (<c>session_replication_role</c>); put back, enabled, by the next
    /// schema apply if it was changed or disabled.
    /// </summary>
    public static readonly SqlSchemaObject AppendOnly = new(TriggerName,
        $"""
        select exists (
            select 1
            from pg_trigger t
            join pg_class c on c.oid = t.tgrelid
            join pg_namespace n on n.oid = c.relnamespace
            join pg_proc p on p.oid = t.tgfoid
            where n.nspname = '{CaseFlowTables.Schema}' and c.relname = 'journey_reads' and t.tgname = '{TriggerName}'
              and t.tgenabled = 'A'
              -- before (2) delete (8) update (16) truncate (32), for each statement
              and t.tgtype = 58
              and p.pronamespace = n.oid and p.proname = '{TriggerName}' and p.prosrc = $body${TriggerBody}$body$)
        """,
        $"""
        create or replace function {CaseFlowTables.Schema}.{TriggerName}() returns trigger language plpgsql as $body${TriggerBody}$body$;
        create or replace trigger {TriggerName}
            before update or delete or truncate on {CaseFlowTables.JourneyReads}
            for each statement execute function {CaseFlowTables.Schema}.{TriggerName}();
        alter table {CaseFlowTables.JourneyReads} enable always trigger {TriggerName};
        """,
        $"drop function if exists {CaseFlowTables.Schema}.{TriggerName}() cascade;");
}
