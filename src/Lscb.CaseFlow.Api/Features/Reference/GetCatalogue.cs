using Lscb.CaseFlow.Events;
using Lscb.CaseFlow.Journeys;
using Lscb.CaseFlow.Kpis;
using Microsoft.AspNetCore.Authorization;
using Wolverine.Http;

namespace Lscb.CaseFlow.Api.Features.Reference;

/// <summary>A KPI as the dashboard lists it.</summary>
public sealed record CatalogueKpi(string Key, string Title, string Summary, string Kind);

/// <summary>A stage of the pathway with its question and measures, in pathway order.</summary>
public sealed record CatalogueGroup(string Id, string Heading, string Question, IReadOnlyList<CatalogueKpi> Kpis);

/// <summary>A code list in its order (MASH decisions run from the least to the most intervention).</summary>
public sealed record CatalogueCodeList(string Name, string Title, IReadOnlyList<Code> Codes);

/// <summary>A route and the roles that may call it (any one of them); none listed means any signed-in caller.</summary>
public sealed record CatalogueEndpoint(string Method, string Path, IReadOnlyList<string> Roles, bool Anonymous);

/// <summary>What the dashboard needs to label and group everything, read from the one place each list lives.</summary>
public sealed record Catalogue(
    IReadOnlyList<CatalogueGroup> Groups,
    IReadOnlyList<CatalogueCodeList> CodeLists,
    IReadOnlyList<CatalogueEndpoint> Endpoints);

/// <summary>
/// <c>GET /api/catalogue</c>: the KPI stages and titles, the code lists with their labels, and the role each route
/// needs (read from the routes' own authorization, so it cannot drift). Any signed-in caller: it names no child.
/// </summary>
public static class GetCatalogue
{
    [Authorize]
    [WolverineGet("/api/catalogue")]
    [EndpointSummary("The KPI stages, code lists and the roles each route needs, for the dashboard")]
    public static Catalogue Get(EndpointDataSource endpoints) => new(
        KpiGroups.All.Select(g => new CatalogueGroup(g.Id, g.Heading, g.Question,
            g.Kpis.Select(k => new CatalogueKpi(k.Key, k.Title, k.Summary, KpiGroups.KindOf(k))).ToList())).ToList(),
        CodeLists.All.Append(Dimensions.Agencies).Select(l => new CatalogueCodeList(l.Name, l.Title, l.Codes)).ToList(),
        EndpointsOf(endpoints));

    public static IReadOnlyList<CatalogueEndpoint> EndpointsOf(EndpointDataSource source) =>
        source.Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText is { } path && (path.StartsWith("/api/", StringComparison.Ordinal) || path.StartsWith("/health", StringComparison.Ordinal)))
            .SelectMany(e => (e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? []).Select(method => new CatalogueEndpoint(
                method,
                e.RoutePattern.RawText!,
                e.Metadata.GetOrderedMetadata<IAuthorizeData>()
                    .SelectMany(a => (a.Roles ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
                    .Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList(),
                e.Metadata.GetMetadata<IAllowAnonymous>() is not null)))
            .OrderBy(e => e.Path, StringComparer.Ordinal).ThenBy(e => e.Method, StringComparer.Ordinal)
            .ToList();
}
