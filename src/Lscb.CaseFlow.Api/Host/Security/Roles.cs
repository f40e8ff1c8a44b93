namespace Lscb.CaseFlow.Api.Host.Security;

/// <summary>What a caller may do. A key may hold several roles.</summary>
public static class Roles
{
    /// <summary>Push events, only with a source its key lists.</summary>
    public const string Ingest = "ingest";

    /// <summary>KPIs, series, comparisons, reports: never a single child's journey.</summary>
    public const string Analyst = "analyst";

    /// <summary>Journeys and data-quality findings.</summary>
    public const string Auditor = "auditor";

    /// <summary>Reference data, targets and the access log.</summary>
    public const string Admin = "admin";

    public static readonly IReadOnlySet<string> All = new HashSet<string>([Ingest, Analyst, Auditor, Admin], StringComparer.Ordinal);
}
