using Lscb.CaseFlow.Api.Host.OpenApi;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Http.HttpResults;
using System.Security.Claims;
using Lscb.CaseFlow.Api.Host.Security;
using Microsoft.AspNetCore.Authorization;
using System.Text.Json;
using Lscb.CaseFlow.Api.Features.Ingesting;
using Lscb.CaseFlow.Events;
using Lscb.CaseFlow.Journeys;
using Marten;
using Wolverine.Http;
using Lscb.CaseFlow.Api.Features.Audit;
using Lscb.CaseFlow.Api.Http;

namespace Lscb.CaseFlow.Api.Features.Journeys;

/// <summary>
/// <c>GET /api/children/{childId}/journey[?asOf=]</c>: one child's pathway for an auditor, every event
/// including retracted ones, with the annotations that explain it. Every read is recorded in the access log, with
/// a reason when the caller gives one (<c>?reason=</c> or the <c>X-Access-Reason</c> header). A child id that is not a
/// subject of the contract, or a reason that is not one line of plain text, is a 400 and nothing is recorded.
/// </summary>
public static class GetJourney
{
    [Authorize(Roles = Roles.Auditor)]
    [WolverineGet("/api/children/{childId}/journey")]
    [EndpointSummary("One child's pathway: every event, retracted ones too (each read is access-logged)")]
    [ProducesResponseType(StatusCodes.Status404NotFound)]
    public static async Task<Results<Ok<JourneyResponse>, ProblemHttpResult>> Get(
        ClaimsPrincipal user, HttpRequest request, string childId, string? asOf, string? reason, IDocumentStore store, AccessLog accessLog, TimeProvider clock, CancellationToken ct)
    {
        // Checked before anything is logged or read.
        var dateProblem = Problems.ParseDate("asOf", asOf, required: false, out var asOfDate);
        var reasonProblem = ChildReads.ReadReason(request, reason, out var given);
        if ((ChildReads.CheckChildId(childId) ?? dateProblem ?? reasonProblem) is { } problem)
        {
            return problem;
        }

        // Every look is recorded, found or not, before anything is shown.
        await accessLog.RecordAsync(user.TenantId(), (user.Id(), user.Name()), AccessLog.Journey, [childId], asOfDate, given, ct);

        // Only the caller's authority: another authority's child is simply not found.
        await using var session = store.QuerySession(user.TenantId());
        var stream = await session.Events.FetchStreamAsync(childId, token: ct);
        if (stream.Count == 0)
        {
            return Problems.NotFound($"No events are held for child '{childId}'.");
        }

        var stored = stream.Where(e => e.Data is CaseEvent)
            .Select(e => new StoredEvent((CaseEvent)e.Data, e.Sequence, e.Timestamp));
        var journey = Journey.Replay(childId, stored, asOfDate ?? IncomingEventValidator.Today(clock));
        return TypedResults.Ok(ToResponse(journey));
    }

    public sealed record JourneyResponse(string ChildId, [property: OptionalInContract] DateOnly AsOf, IReadOnlyList<JourneyEvent> Events, JourneyStatus Status);

    public sealed record JourneyEvent(
        string Id, string Source, string Type, DateOnly OccurredOn, DateTimeOffset RecordedAt, bool Retracted,
        JsonElement Data, [property: OptionalInContract] IReadOnlyList<Annotation> Annotations);

    public static JourneyResponse ToResponse(Journey journey) => new(
        journey.ChildId,
        journey.AsOf,
        journey.Steps.Select(s => new JourneyEvent(
            s.Event.EventId, s.Event.Source, EventTypes.NameOf(s.Event), s.Event.OccurredOn, s.Stored.RecordedAt,
            s.Retracted, EventMapper.DataOf(s.Event), s.Annotations)).ToList(),
        journey.Status);
}
