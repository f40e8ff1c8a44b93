using Microsoft.AspNetCore.Http.HttpResults;
using System.Security.Claims;
using Lscb.CaseFlow.Api.Host.Security;
using Microsoft.AspNetCore.Authorization;
using Lscb.CaseFlow.Reporting;
using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;
using Lscb.CaseFlow.Api.ReadModel;
using Lscb.CaseFlow.Api.Http;

namespace Lscb.CaseFlow.Api.Features.Kpis;

/// <summary>
/// <c>GET /api/hypothesis/consent?from=&amp;to=</c>: are children re-referred more often after their parents
/// declined consent for early help? The seed report's hypothesis, measured.
/// </summary>
public static class GetConsentHypothesis
{
    public static AskedWindow Load(string? from, string? to) => WindowQuery.Read(from, to);

    public static ProblemDetails Validate(AskedWindow asked) => asked.Problem;

    [Authorize(Roles = Roles.Analyst)]
    [WolverineGet("/api/hypothesis/consent")]
    [EndpointSummary("Re-referral rates after declined consent for early help, and otherwise")]
    public static async Task<Ok<ConsentHypothesisResponse>> Get(ClaimsPrincipal user, AskedWindow asked, KpiQuery query, CancellationToken ct)
    {
        var window = asked.Window;
        var counts = await query.CountAsync(ConsentHypothesis.Measures, window, user.TenantId(), ct);
        var result = ConsentHypothesis.Evaluate(m => counts[m]);
        return TypedResults.Ok(new ConsentHypothesisResponse(
            window.From, window.To, Shape(result.AfterConsentDeclined), Shape(result.Otherwise), result.Sentence));
    }

    private static ConsentGroup Shape(ConsentHypothesis.Group group) => new(group.Referrals, group.ReReferrals, group.Rate);
}
