using System.Security.Claims;
using Lscb.CaseFlow.Api.Host.Security;
using Lscb.CaseFlow.Api.Http;
using Lscb.CaseFlow.Api.ReadModel;
using Lscb.CaseFlow.Journeys;
using Lscb.CaseFlow.Kpis;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;

namespace Lscb.CaseFlow.Api.Features.Kpis;

/// <summary>
/// <c>GET /api/kpis/breakdown?from=&amp;to=&amp;by=</c>: every KPI the dimension applies to, split by it (kpis.md,
/// Breakdowns), counted in the database. With <c>publication=true</c> each group is suppressed as the DfE suppresses.
/// </summary>
public static class GetBreakdown
{
    public static AskedWindow Load(string? from, string? to) => WindowQuery.Read(from, to);

    public static ProblemDetails Validate(AskedWindow asked, string? by) =>
        asked.Problem != WolverineContinue.NoProblems ? asked.Problem
        : by is not null && Breakdowns.AppliesTo.ContainsKey(by) ? WolverineContinue.NoProblems
        : new ProblemDetails
        {
            Status = StatusCodes.Status400BadRequest,
            Title = "Invalid breakdown",
            Detail = $"'by' must be one of {string.Join(", ", Dimensions.All)}.",
        };

    [Authorize(Roles = Roles.Analyst)]
    [WolverineGet("/api/kpis/breakdown")]
    [EndpointSummary("Every KPI a dimension applies to, split by it (agency, referral source, MASH decision, category, factor, legal status)")]
    public static async Task<Results<Ok<BreakdownResponse>, FileContentHttpResult>> Get(
        ClaimsPrincipal user, AskedWindow asked, string by, string? format, bool? publication, BreakdownQuery query, CancellationToken ct)
    {
        var published = publication == true;
        var answer = await query.RunAsync(by, asked.Window, user.TenantId(), ct);
        var kpis = Breakdowns.AppliesTo[by].ToDictionary(
            k => k.Key,
            k => (IReadOnlyList<BreakdownGroup>)[.. answer[k.Key].OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => Group(k, g.Key, g.Value, published))],
            StringComparer.Ordinal);
        return Csv.Wanted(format)
            ? Csv.File($"breakdown-{by}-{asked.Window.From:yyyy-MM-dd}-{asked.Window.To:yyyy-MM-dd}.csv", ["kpi", "group", "value", "numerator", "denominator"],
                Breakdowns.AppliesTo[by].SelectMany(k => answer[k.Key].OrderBy(g => g.Key, StringComparer.Ordinal)
                    .Select(g => (Kpi: k, Group: g.Key, Figure: Figures.Of(k, g.Value, published)))
                    .Select(x => new object?[] { x.Kpi.Key, x.Group, x.Figure.Value, x.Figure.Numerator, x.Figure.Denominator })))
            : TypedResults.Ok(new BreakdownResponse(asked.Window.From, asked.Window.To, by, published, kpis));
    }

    private static BreakdownGroup Group(Kpi kpi, string group, KpiValue value, bool publication)
    {
        var figure = Figures.Of(kpi, value, publication);
        return kpi is Kpi.Count ? new CountGroup(group, figure.Value) : new RatioGroup(group, figure.Numerator, figure.Denominator, figure.Value);
    }
}
