using Microsoft.AspNetCore.Http.HttpResults;
using System.Security.Claims;
using Lscb.CaseFlow.Api.Host.Security;
using Microsoft.AspNetCore.Authorization;
using System.Text;
using Lscb.CaseFlow.Api.Features.Reports;
using Lscb.CaseFlow.Reporting;
using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;
using Lscb.CaseFlow.Api.Features.Kpis;
using Lscb.CaseFlow.Api.ReadModel;
using Lscb.CaseFlow.Api.Http;

namespace Lscb.CaseFlow.Api.Features.Reports;

/// <summary><c>GET /api/reports/board?from=&amp;to=[&amp;format=html|markdown]</c>: the board's report, printable.</summary>
public static class GetBoardReport
{
    public static AskedWindow Load(string? from, string? to) => WindowQuery.ReadWithYearEarlier(from, to);

    public static ProblemDetails Validate(AskedWindow asked, string? format) =>
        format?.ToLowerInvariant() is null or "html" or "markdown"
            ? asked.Problem
            : new ProblemDetails { Status = 400, Title = "Invalid format", Detail = "'format' must be html or markdown." };

    [Authorize(Roles = Roles.Analyst)]
    [WolverineGet("/api/reports/board")]
    [EndpointSummary("The board report of a window, as HTML or Markdown")]
    [ProducesResponseType(typeof(string), StatusCodes.Status200OK, "text/html", "text/markdown")]
    public static async Task<ContentHttpResult> Get(
        ClaimsPrincipal user, HttpResponse response, AskedWindow asked, string? format, bool? publication, Comparisons comparisons, KpiQuery query, CancellationToken ct)
    {
        var window = asked.Window;
        var comparison = await comparisons.ForAsync(window, user.TenantId(), ct, publication == true);
        var counts = await query.CountAsync(ConsentHypothesis.Measures, window, user.TenantId(), ct);
        var report = new BoardReport(comparison, ConsentHypothesis.Evaluate(m => counts[m]));

        // The printable report carries its own styles and no script.
        response.Headers.ContentSecurityPolicy = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-ancestors 'none'";
        return string.Equals(format, "markdown", StringComparison.OrdinalIgnoreCase)
            ? TypedResults.Text(report.ToMarkdown(), "text/markdown; charset=utf-8", Encoding.UTF8)
            : TypedResults.Text(report.ToHtml(), "text/html; charset=utf-8", Encoding.UTF8);
    }
}
