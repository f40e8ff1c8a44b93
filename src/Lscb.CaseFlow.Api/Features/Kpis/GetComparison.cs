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
    public static ProblemDetails Validate(string? from, string? to) => WindowQuery.ValidateWithYearEarlier(from, to);

    [Authorize(Roles = Roles.Analyst)]
    [WolverineGet("/api/kpis/comparison")]
    public static async Task<IResult> Get(
        ClaimsPrincipal user, string from, string to, string? format, bool? publication, Comparisons comparisons, CancellationToken ct)
    {
        var report = await comparisons.ForAsync(WindowQuery.Parse(from, to), user.TenantId(), ct, publication == true);
        if (Csv.Wanted(format))
        {
            return Csv.File($"kpis-{from}-{to}.csv",
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

        return Results.Ok(ToResponse(report));
    }

    public static object ToResponse(ComparisonReport report) => new
    {
        from = report.Current.Window.From,
        to = report.Current.Window.To,
        population = report.Current.Population,
        populationYear = report.Current.PopulationYear,
        previousWindow = new { from = report.PreviousWindow.From, to = report.PreviousWindow.To },
        authority = report.Authority is { } a ? new { laCode = a.LaCode, name = a.Name, region = a.RegionName } : null,
        reportingYear = report.ReportingYear,
        benchmarkYear = report.BenchmarkYear,
        publication = report.Publication,
        kpis = report.Kpis.Select(k => Kpi(k, report.Publication)).ToList(),
    };

    private static object Kpi(ComparedKpi k, bool publication)
    {
        var now = Figures.Of(k.Kpi, k.Current, publication);
        var then = Figures.Of(k.Kpi, k.PreviousYear, publication);
        return new
        {
            key = k.Kpi.Key,
            title = k.Kpi.Title,
            kind = GetSeries.KindOf(k.Kpi),
            summary = k.Kpi.Summary,
            value = now.Value,
            numerator = now.Numerator,
            denominator = now.Denominator,
            previousYear = new { value = then.Value, numerator = then.Numerator, denominator = then.Denominator },
            published = k.Published is { } p
                ? new
                {
                    year = p.Year,
                    measure = p.Measure,
                    annual = p.Annual,
                    england = p.England,
                    region = p.Region,
                    authority = p.Authority,
                    neighbours = p.Neighbours is { } n ? new { median = n.Median, mean = n.Mean, count = n.Count } : null,
                }
                : null,
            target = k.Target is { } t ? new { target = t.Value, limit = t.Limit, direction = t.Direction.ToString().ToLowerInvariant() } : null,
            rag = new { status = k.Rag.Status.ToString().ToLowerInvariant(), reason = k.Rag.Reason },
            sentence = k.Sentence,
        };
    }
}
