using System.Security.Claims;
using Lscb.CaseFlow.Api.Security;
using Microsoft.AspNetCore.Authorization;
using Lscb.CaseFlow.Kpis;
using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;

namespace Lscb.CaseFlow.Api.Endpoints;

/// <summary><c>GET /api/kpis?from=&amp;to=</c>: every measure of <c>kpis.md</c> for a window.</summary>
public static class GetKpis
{
    public static ProblemDetails Validate(string? from, string? to) => Windows.Validate(from, to);

    [Authorize(Roles = Roles.Analyst)]
    [WolverineGet("/api/kpis")]
    public static async Task<IResult> Get(ClaimsPrincipal user, string from, string to, string? format, KpiQuery query, CancellationToken ct)
    {
        var answer = await query.RunAsync(Windows.Parse(from, to), user.TenantId(), ct);
        return Csv.Wanted(format)
            ? Csv.File($"kpis-{from}-{to}.csv", ["kpi", "value", "numerator", "denominator"],
                KpiDefinitions.All.Select(k => new object?[] { k.Key, answer.Values[k.Key].Value, answer.Values[k.Key].Numerator, answer.Values[k.Key].Denominator }))
            : Results.Ok(ToResponse(answer));
    }

    /// <summary>The contract's shape: a count has <c>value</c>; a % or rate has <c>numerator</c>, <c>denominator</c> and <c>value</c>.</summary>
    public static object ToResponse(KpiAnswer answer) => new
    {
        from = answer.Window.From,
        to = answer.Window.To,
        population = answer.Population,
        populationYear = answer.PopulationYear,
        kpis = KpiDefinitions.All.ToDictionary(k => k.Key, k => Shape(k, answer.Values[k.Key])),
    };

    private static object Shape(Kpi kpi, KpiValue value) => kpi is Kpi.Count
        ? new { value = value.Count }
        : new { numerator = value.Numerator, denominator = value.Denominator, value = value.Value };
}
