using Lscb.CaseFlow.Kpis;
using Microsoft.AspNetCore.Http.HttpResults;
using System.Security.Claims;
using Lscb.CaseFlow.Api.Host.Security;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;
using Lscb.CaseFlow.Api.Http;

namespace Lscb.CaseFlow.Api.Features.Kpis;

/// <summary>
/// <c>GET /api/kpis/comparison?from=&amp;to=</c>: every KPI with the same window a year earlier, England, the
/// region and statistical neighbours (DfE), the local target and its RAG status, and a plain sentence.
/// </summary>
public static class GetComparison
{
    public static AskedWindow Load(string? from, string? to) => WindowQuery.ReadWithYearEarlier(from, to);

    public static ProblemDetails Validate(AskedWindow asked) => asked.Problem;

    [Authorize(Roles = Roles.Analyst)]
    [WolverineGet("/api/kpis/comparison")]
    [EndpointSummary("Every KPI of a window beside a year earlier, the DfE's published figures and the local target")]
    public static async Task<Results<Ok<ComparisonResponse>, FileContentHttpResult>> Get(
        ClaimsPrincipal user, AskedWindow asked, string? format, bool? publication, Comparisons comparisons, CancellationToken ct)
    {
        var report = await comparisons.ForAsync(asked.Window, user.TenantId(), ct, publication == true);
        if (Csv.Wanted(format))
        {
            return Csv.File($"kpis-{asked.Window.From:yyyy-MM-dd}-{asked.Window.To:yyyy-MM-dd}.csv",
                ["kpi", "title", "value", "numerator", "denominator", "previousYear", "england", "region", "authorityPublished",
                 "neighboursMedian", "neighboursMean", "benchmarkYear", "target", "limit", "rag", "sentence"],
                report.Kpis.Select(k => (k, Now: Figures.Of(k.Kpi, k.Current, report.Publication), Then: Figures.Of(k.Kpi, k.PreviousYear, report.Publication)))
                    .Select(x => (x.k, x.Now, x.Then)).Select(x => new object?[]
                {
                    x.k.Kpi.Key, x.k.Kpi.Title, x.Now.Value, x.Now.Numerator, x.Now.Denominator, x.Then.Value,
                    x.k.Published?.England, x.k.Published?.Region, x.k.Published?.Authority, x.k.Published?.Neighbours?.Median,
                    x.k.Published?.Neighbours?.Mean, x.k.Published?.Year, x.k.Target?.Value, x.k.Target?.Limit,
                    x.k.Rag.Status.ToString().ToLowerInvariant(), x.k.Sentence,
                }));
        }

        return TypedResults.Ok(ToResponse(report));
    }

    public static ComparisonResponse ToResponse(ComparisonReport report) => new(
        report.Current.Window.From,
        report.Current.Window.To,
        report.Current.Population,
        report.Current.PopulationYear,
        new WindowRange(report.PreviousWindow.From, report.PreviousWindow.To),
        report.Authority is { } a ? new AuthorityResponse(a.LaCode, a.Name, a.RegionName) : null,
        report.ReportingYear,
        report.BenchmarkYear,
        report.Publication,
        report.Kpis.Select(k => Kpi(k, report.Publication)).ToList());

    private static ComparedKpiResponse Kpi(ComparedKpi k, bool publication)
    {
        var now = Figures.Of(k.Kpi, k.Current, publication);
        var then = Figures.Of(k.Kpi, k.PreviousYear, publication);
        return new ComparedKpiResponse(
            k.Kpi.Key,
            k.Kpi.Title,
            KpiGroups.KindOf(k.Kpi),
            k.Kpi.Summary,
            now.Value,
            now.Numerator,
            now.Denominator,
            new FigureParts(then.Value, then.Numerator, then.Denominator),
            k.Published,
            k.Target is { } t ? new TargetResponse(t.Value, t.Limit, t.Direction.ToString().ToLowerInvariant()) : null,
            new RagResponse(k.Rag.Status.ToString().ToLowerInvariant(), k.Rag.Reason),
            k.Sentence);
    }
}
