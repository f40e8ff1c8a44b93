using Microsoft.AspNetCore.Http.HttpResults;
using System.Security.Claims;
using Lscb.CaseFlow.Api.Host.Security;
using Microsoft.AspNetCore.Authorization;
using Lscb.CaseFlow.Kpis;
using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;
using Lscb.CaseFlow.Api.ReadModel;
using Lscb.CaseFlow.Api.Http;

namespace Lscb.CaseFlow.Api.Features.Kpis;

/// <summary><c>GET /api/kpis?from=&amp;to=</c>: every measure of <c>kpis.md</c> for a window.</summary>
public static class GetKpis
{
    public static AskedWindow Load(string? from, string? to) => WindowQuery.Read(from, to);

    public static ProblemDetails Validate(AskedWindow asked) => asked.Problem;

    [Authorize(Roles = Roles.Analyst)]
    [WolverineGet("/api/kpis")]
    [EndpointSummary("Every KPI of a window (kpis.md)")]
    public static async Task<Results<Ok<KpisResponse>, FileContentHttpResult>> Get(
        ClaimsPrincipal user, AskedWindow asked, string? format, bool? publication, KpiQuery query, CancellationToken ct)
    {
        var answer = await query.RunAsync(asked.Window, user.TenantId(), ct);
        var published = publication == true;
        return Csv.Wanted(format)
            ? Csv.File($"kpis-{asked.Window.From:yyyy-MM-dd}-{asked.Window.To:yyyy-MM-dd}.csv", ["kpi", "value", "numerator", "denominator"],
                KpiDefinitions.All.Select(k => Figures.Of(k, answer.Values[k.Key], published))
                    .Zip(KpiDefinitions.All, (f, k) => new[] { k.Key, f.Value, f.Numerator, f.Denominator }))
            : TypedResults.Ok(ToResponse(answer, published));
    }

    /// <summary>
    /// The contract's shape. With <c>publication=true</c>, counts of 1 to 5 and the percentages and rates built on
    /// them are shown as <c>c</c>, as the DfE publishes.
    /// </summary>
    public static KpisResponse ToResponse(KpiAnswer answer, bool publication = false) => new(
        answer.Window.From,
        answer.Window.To,
        answer.Population,
        answer.PopulationYear,
        publication,
        KpiDefinitions.All.ToDictionary(k => k.Key, k => Figures.Shape(k, answer.Values[k.Key], publication)));
}
