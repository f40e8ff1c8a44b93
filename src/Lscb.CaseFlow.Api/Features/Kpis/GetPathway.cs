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
    public static ProblemDetails Validate(string? from, string? to) => WindowQuery.Validate(from, to);

    [Authorize(Roles = Roles.Analyst)]
    [WolverineGet("/api/pathway")]
    [EndpointSummary("The window's pathway as a Sankey's nodes and links")]
    public static async Task<Results<Ok<PathwayResponse>, FileContentHttpResult>> Get(ClaimsPrincipal user, string from, string to, string? format, KpiQuery query, CancellationToken ct)
    {
        var window = WindowQuery.Parse(from, to);
        var counts = await query.CountAsync(PathwayFlow.Measures, window, user.TenantId(), ct);
        var values = PathwayFlow.Count(m => counts[m]);
        var nodes = PathwayFlow.Nodes.Select(n => new PathwayNode(n.Id, n.Label, values[n.Id])).ToList();
        var links = PathwayFlow.Links.Select(l => new PathwayLink(l.Source, l.Target, values[l.Target])).ToList();

        return Csv.Wanted(format)
            ? Csv.File($"pathway-{from}-{to}.csv", ["node", "label", "value"], nodes.Select(n => new object?[] { n.Id, n.Label, n.Value }))
            : TypedResults.Ok(new PathwayResponse(window.From, window.To, nodes, links));
    }
}
