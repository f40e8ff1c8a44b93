using Weasel.Core;
using Weasel.Postgresql;
using Weasel.Postgresql.Tables;

namespace Lscb.CaseFlow.Api.ReadModel;

/// <summary>
/// The tables this service keeps beside Marten's event store. Marten creates and migrates them with its own
/// schema, so a fresh database needs no manual step.
/// </summary>
public static class CaseFlowTables
{
    public const string Schema = "caseflow";
    public const string EventKeys = Schema + ".event_keys";
    public const string ChildFacts = Schema + ".child_facts";
    public const string FactCounts = Schema + ".fact_counts";
    public const string Identities = Schema + ".identities";
    public const string Findings = Schema + ".data_quality_findings";
    public const string Populations = Schema + ".populations";
    public const string Targets = Schema + ".targets";
    public const string JourneyReads = Schema + ".journey_reads";

    private static PostgresqlObjectName Name(string table) => new(Schema, table, SchemaUtils.IdentifierUsage.General);

    public static IEnumerable<ISchemaObject> All()
    {
        // One row per stored event: its CloudEvents identity and a hash of its content. The primary key is
        // what makes ingestion idempotent under concurrency.
        var keys = new Table(Name("event_keys"));
        keys.AddColumn<string>("tenant_id").AsPrimaryKey();
        keys.AddColumn<string>("source").AsPrimaryKey();
        keys.AddColumn<string>("event_id").AsPrimaryKey();
        keys.AddColumn<string>("child_id").NotNull();
        keys.AddColumn<string>("type").NotNull();
        keys.AddColumn("content_hash", "bytea").NotNull();
        keys.AddColumn("stored_at", "timestamp with time zone").NotNull().DefaultValueByExpression("now()");
        yield return keys;

        // Which derivation of the facts the rows were written by (FactsVersion): one row per database.
        var version = new Table(Name("facts_version"));
        version.AddColumn<int>("id").AsPrimaryKey();
        version.AddColumn<int>("version").NotNull();
        version.AddColumn("written_at", "timestamp with time zone").NotNull();
        yield return version;

        // Per-child facts (Lscb.CaseFlow.Facts.Fact), replaced whenever the child's stream changes.
        var facts = new Table(Name("child_facts"));
        facts.AddColumn<string>("tenant_id").NotNull();
        facts.AddColumn<string>("child_id").NotNull();
        facts.AddColumn("kind", "smallint").NotNull();
        facts.AddColumn("on_date", "date").NotNull();
        facts.AddColumn("until_date", "date");
        facts.AddColumn("milestone", "date");
        facts.AddColumn("flags", "integer").NotNull();
        facts.AddColumn<string>("family_id");
        facts.AddColumn<long>("child_key");
        facts.AddColumn<long>("family_key");

        // The date of the previous fact of the same kind, of the same child (prev_on) and of the same family
        // (family_prev_on), null for the first: a fact dated in a window whose previous one is null or before the
        // window is its child's (family's) first there, so distinct children and families in any window are plain
        // filtered counts rather than distinct sorts. Facts on the same date are ordered (ChildFactsProjection), so
        // exactly one of them can be the first.
        facts.AddColumn("prev_on", "date");
        facts.AddColumn("family_prev_on", "date");

        // The unit a fact counts, for cohorts (its event's source and id; a span's plan or episode id as its key), and
        // the unit's values under the breakdowns' dimensions (kpis.md), null where a dimension does not apply.
        facts.AddColumn<string>("unit_source");
        facts.AddColumn<string>("unit_id");
        facts.AddColumn<string>("unit_key");
        facts.AddColumn<string>("referral_source");
        facts.AddColumn<string>("mash_decision");
        facts.AddColumn<string>("category");
        facts.AddColumn<string>("legal_status");
        facts.AddColumn("factors", "text[]");
        facts.Indexes.Add(new IndexDefinition("ix_child_facts_window")
        {
            Columns = ["tenant_id", "kind", "on_date"],
            IncludeColumns = ["flags", "until_date", "milestone", "child_key", "family_key", "prev_on", "family_prev_on"],
        });
        facts.Indexes.Add(new IndexDefinition("ix_child_facts_child") { Columns = ["tenant_id", "child_id"] });

        // A family's facts, to order them when one of its children changes; only facts with a family (referrals).
        facts.Indexes.Add(new IndexDefinition("ix_child_facts_family")
        {
            Columns = ["tenant_id", "family_key"],
            Predicate = "family_key is not null",
        });
        yield return facts;

        // A dense number for each child and family id: counting distinct numbers is several times faster than
        // counting distinct strings, and, unlike a hash, exact.
        var identities = new Table(Name("identities"));
        identities.AddColumn<string>("tenant_id").AsPrimaryKey();
        identities.AddColumn("space", "smallint").AsPrimaryKey();
        identities.AddColumn<string>("name").AsPrimaryKey();
        identities.AddColumn<long>("key").BigAutoIncrement().NotNull();
        yield return identities;

        // How many facts of each kind, date and flags there are: what every count KPI sums over a window, so a
        // window's counts cost its days, not its events. Kept in step with child_facts by the same projection.
        var counts = new Table(Name("fact_counts"));
        counts.AddColumn<string>("tenant_id").AsPrimaryKey();
        counts.AddColumn("kind", "smallint").AsPrimaryKey();
        counts.AddColumn("on_date", "date").AsPrimaryKey();
        counts.AddColumn("flags", "integer").AsPrimaryKey();
        counts.AddColumn<long>("n").NotNull();
        yield return counts;

        var findings = new Table(Name("data_quality_findings"));
        findings.AddColumn<string>("tenant_id").NotNull();
        findings.AddColumn<string>("child_id").NotNull();
        findings.AddColumn<string>("source").NotNull();
        findings.AddColumn<string>("event_id").NotNull();
        findings.AddColumn<string>("rule").NotNull();
        findings.AddColumn<string>("message").NotNull();
        findings.AddColumn("occurred_on", "date").NotNull();
        findings.Indexes.Add(new IndexDefinition("ix_findings_child") { Columns = ["tenant_id", "child_id"] });
        findings.Indexes.Add(new IndexDefinition("ix_findings_rule") { Columns = ["tenant_id", "rule"] });
        yield return findings;

        // The ONS mid-year estimate of children aged 0–17, by mid-year (30 June).
        var populations = new Table(Name("populations"));
        populations.AddColumn<string>("tenant_id").AsPrimaryKey();
        populations.AddColumn<int>("year").AsPrimaryKey();
        populations.AddColumn<long>("children").NotNull();
        yield return populations;

        // Local targets per KPI, with the band that makes amber.
        var targets = new Table(Name("targets"));
        targets.AddColumn<string>("tenant_id").AsPrimaryKey();
        targets.AddColumn<string>("kpi").AsPrimaryKey();
        targets.AddColumn<double>("target").NotNull();
        targets.AddColumn("limit_value", "double precision");
        targets.AddColumn<string>("direction").NotNull();
        yield return targets;

        // Every read that names a child (AccessLog): append-only. key_name is the caller's display name, caller_id its
        // stable id (null on rows from before there was one), read_kind what was read (every earlier row a journey).
        // Columns are only ever added, nullable or with a default, so that the rows already held stay as they are.
        var reads = new Table(Name("journey_reads"));
        reads.AddColumn<long>("id").BigAutoIncrement().NotNull().AsPrimaryKey();
        reads.AddColumn("read_at", "timestamp with time zone").NotNull().DefaultValueByExpression("now()");
        reads.AddColumn<string>("tenant_id").NotNull();
        reads.AddColumn<string>("key_name").NotNull();
        reads.AddColumn<string>("child_id").NotNull();
        reads.AddColumn("as_of", "date");
        reads.AddColumn<string>("reason");
        reads.AddColumn("caller_id", "text");
        reads.AddColumn("read_kind", "text").NotNull().DefaultValueByExpression($"'{JourneyReadsSchema.Journey}'");
        reads.Indexes.Add(new IndexDefinition("ix_journey_reads_child") { Columns = ["tenant_id", "child_id"] });
        reads.Indexes.Add(new IndexDefinition("ix_journey_reads_caller") { Columns = ["tenant_id", "caller_id"] });
        yield return reads;
    }
}
