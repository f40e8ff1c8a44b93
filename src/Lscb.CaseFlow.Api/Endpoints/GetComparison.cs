using System.Security.Claims;
using Lscb.CaseFlow.Api.Security;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;

namespace Lscb.CaseFlow.Api.Endpoints;

/// <summary>
/// <c>GET /api/kpis/comparison?from=&amp;to=</c>: every KPI with the same window a year earlier, England, the
/// region and statistical neighbours (DfE), the local target and its RAG status, and a plain sentence.
/// </summary>
public static class GetComparison
{
    public static ProblemDetails Validate(string? from, string? to) => Windows.ValidateWithYearEarlier(from, to);

    [Authorize(Roles = Roles.Analyst)]
    [WolverineGet("/api/kpis/comparison")]
    public static async Task<IResult> Get(ClaimsPrincipal user, string from, string to, string? format, Comparisons comparisons, CancellationToken ct)
    {
        var report = await comparisons.ForAsync(Windows.Parse(from, to), user.TenantId(), ct);
        if (Csv.Wanted(format))
        {
            return Csv.File($"kpis-{from}-{to}.csv",
                ["kpi", "title", "value", "numerator", "denominator", "previousYear", "england", "region", "authorityPublished",
                 "neighboursMedian", "neighboursMean", "benchmarkYear", "target", "limit", "rag", "sentence"],
                report.Kpis.Select(k => new object?[]
                {
                    k.Kpi.Key, k.Kpi.Title, k.Current.Value, k.Current.Numerator, k.Current.Denominator, k.PreviousYear.Value,
                    k.Published?.England, k.Published?.Region, k.Published?.Authority, k.Published?.Neighbours?.Median,
                    k.Published?.Neighbours?.Mean, k.Published?.Year, k.Target?.Value, k.Target?.Limit,
                    k.Rag.Status.ToString().ToLowerInvariant(), k.Sentence,
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
        kpis = report.Kpis.Select(k => new
        {
            key = k.Kpi.Key,
            title = k.Kpi.Title,
            kind = GetSeries.KindOf(k.Kpi),
            summary = k.Kpi.Summary,
            value = k.Current.Value,
            numerator = k.Current.Numerator,
            denominator = k.Current.Denominator,
            previousYear = new { value = k.PreviousYear.Value, numerator = k.PreviousYear.Numerator, denominator = k.PreviousYear.Denominator },
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
        }).ToList(),
    };
}
