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

/// <summary><c>GET /api/pathway?from=&amp;to=</c>: the window's pathway as a Sankey's nodes and links.</summary>
public static class GetPathway
{
    public static AskedWindow Load(string? from, string? to) => WindowQuery.Read(from, to);

    public static ProblemDetails Validate(AskedWindow asked) => asked.Problem;

    [Authorize(Roles = Roles.Analyst)]
    [WolverineGet("/api/pathway")]
    [EndpointSummary("The window's pathway as a Sankey's nodes and links")]
    public static async Task<Results<Ok<PathwayResponse>, FileContentHttpResult>> Get(ClaimsPrincipal user, AskedWindow asked, string? format, KpiQuery query, CancellationToken ct)
    {
        var window = asked.Window;
        var counts = await query.CountAsync(PathwayFlow.Measures, window, user.TenantId(), ct);
        var values = PathwayFlow.Count(m => counts[m]);
        var nodes = PathwayFlow.Nodes.Select(n => new PathwayNode(n.Id, n.Label, values[n.Id])).ToList();
        var links = PathwayFlow.Links.Select(l => new PathwayLink(l.Source, l.Target, values[l.Target])).ToList();

        return Csv.Wanted(format)
            ? Csv.File($"pathway-{window.From:yyyy-MM-dd}-{window.To:yyyy-MM-dd}.csv", ["node", "label", "value"], nodes.Select(n => new object?[] { n.Id, n.Label, n.Value }))
            : TypedResults.Ok(new PathwayResponse(window.From, window.To, nodes, links));
    }
}
