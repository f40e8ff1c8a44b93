using Lscb.CaseFlow.Api.Host.OpenApi;
using System.Text.Json.Serialization;
using Lscb.CaseFlow.Api.Features.Reference;

namespace Lscb.CaseFlow.Api.Features.Kpis;

// The answers of the KPI endpoints, as the contract (kpis.md) and the dashboard read them. A figure's value, numerator
// and denominator are numbers, null, or "c" where publication mode suppresses them: hence object.

/// <summary><c>GET /api/kpis</c>: every KPI of a window, keyed by KPI.</summary>
public sealed record KpisResponse(
    DateOnly From, DateOnly To, long? Population, [property: OptionalInContract] int? PopulationYear, [property: OptionalInContract] bool Publication,
    IReadOnlyDictionary<string, KpiFigure> Kpis);

/// <summary>A count has <c>value</c>; a percentage or rate has <c>numerator</c>, <c>denominator</c> and <c>value</c>.</summary>
// No discriminator: the wire shape is the fields alone, as kpis.md fixes it.
[JsonDerivedType(typeof(CountFigure))]
[JsonDerivedType(typeof(RatioFigure))]
public abstract record KpiFigure;

public sealed record CountFigure(object? Value) : KpiFigure;

public sealed record RatioFigure(object? Numerator, object? Denominator, object? Value) : KpiFigure;

/// <summary>A figure with all three parts, whatever its kind (null where a count has none).</summary>
public sealed record FigureParts(object? Value, object? Numerator, object? Denominator);

/// <summary><c>GET /api/kpis/breakdown</c>: every KPI the dimension applies to, split by it ([] where no group occurs).</summary>
public sealed record BreakdownResponse(
    DateOnly From, DateOnly To, string By, [property: OptionalInContract] bool Publication,
    IReadOnlyDictionary<string, IReadOnlyList<BreakdownGroup>> Kpis);

/// <summary>One group of a breakdown: a count has <c>value</c>; a percentage has <c>numerator</c>, <c>denominator</c> and <c>value</c>.</summary>
// No discriminator: the wire shape is the fields alone, as kpis.md fixes it.
[JsonDerivedType(typeof(CountGroup))]
[JsonDerivedType(typeof(RatioGroup))]
public abstract record BreakdownGroup(string Group);

public sealed record CountGroup(string Group, object? Value) : BreakdownGroup(Group);

public sealed record RatioGroup(string Group, object? Numerator, object? Denominator, object? Value) : BreakdownGroup(Group);

/// <summary><c>GET /api/kpis/series</c>: KPIs period by period.</summary>
public sealed record SeriesResponse(string By, DateOnly From, DateOnly To, bool Publication, IReadOnlyList<KpiSeries> Series);

public sealed record KpiSeries(string Key, string Title, string Kind, IReadOnlyList<SeriesPoint> Points);

public sealed record SeriesPoint(DateOnly From, DateOnly To, string Label, object? Value, object? Numerator, object? Denominator);

/// <summary><c>GET /api/pathway</c>: a Sankey's nodes and links.</summary>
public sealed record PathwayResponse(DateOnly From, DateOnly To, IReadOnlyList<PathwayNode> Nodes, IReadOnlyList<PathwayLink> Links);

public sealed record PathwayNode(string Id, string Label, long Value);

public sealed record PathwayLink(string Source, string Target, long Value);

/// <summary><c>GET /api/hypothesis/consent</c>.</summary>
public sealed record ConsentHypothesisResponse(
    DateOnly From, DateOnly To, ConsentGroup AfterConsentDeclined, ConsentGroup Otherwise, string Sentence);

public sealed record ConsentGroup(long Referrals, long ReReferrals, double? Rate);

/// <summary><c>GET /api/kpis/comparison</c>: each KPI beside a year earlier, the DfE's figures and the local target.</summary>
public sealed record ComparisonResponse(
    DateOnly From, DateOnly To, long? Population, int? PopulationYear, WindowRange PreviousWindow, AuthorityResponse? Authority,
    int ReportingYear, int? BenchmarkYear, bool Publication, IReadOnlyList<ComparedKpiResponse> Kpis);

public sealed record WindowRange(DateOnly From, DateOnly To);

public sealed record AuthorityResponse(string LaCode, string Name, string? Region);

public sealed record ComparedKpiResponse(
    string Key, string Title, string Kind, string Summary, object? Value, object? Numerator, object? Denominator,
    FigureParts PreviousYear, PublishedComparison? Published, TargetResponse? Target, RagResponse Rag, string Sentence);

public sealed record TargetResponse(double Target, double? Limit, string Direction);

public sealed record RagResponse(string Status, string Reason);
