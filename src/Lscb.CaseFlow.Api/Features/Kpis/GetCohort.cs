using System.Security.Claims;
using System.Text.Json.Serialization;
using Lscb.CaseFlow.Api.Features.Audit;
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

/// <summary><c>GET /api/kpis/cohort</c>: the units behind one KPI, and optionally one group of a breakdown.</summary>
public sealed record CohortResponse(string Key, DateOnly From, DateOnly To, string? By, string? Group, IReadOnlyList<CohortUnitResponse> Units);

/// <summary>An event (with its source, id and date) or a child; for a percentage, whether it is in the numerator.</summary>
public sealed record CohortUnitResponse(
    string ChildId,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Source,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? EventId,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] DateOnly? OccurredOn,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? FamilyId,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] bool? InNumerator);

/// <summary>
/// <c>GET /api/kpis/cohort?key=&amp;from=&amp;to=[&amp;by=&amp;group=]</c>, for auditors: the units behind a figure (kpis.md,
/// Cohorts), so that a figure leads to the children behind it and on to their journeys. Every call is written to the
/// access log with each child it names and the reason given, before anything is shown. Never part of a publication.
/// </summary>
public static class GetCohort
{
    /// <summary>The most units one answer gives: past it, a 400 asks for a shorter window or a group.</summary>
    public const int MaxUnits = 10_000;

    public static AskedWindow Load(string? from, string? to) => WindowQuery.Read(from, to);

    public static ProblemDetails Validate(AskedWindow asked, string? key, string? by, string? group)
    {
        if (asked.Problem != WolverineContinue.NoProblems)
        {
            return asked.Problem;
        }

        var kpi = KpiDefinitions.All.FirstOrDefault(k => k.Key == key);
        var problem = kpi is null ? "'key' must name a KPI of kpis.md."
            : (by is null) != (group is null) ? "'by' and 'group' go together: give both, or neither."
            : by is not null && !(Breakdowns.AppliesTo.TryGetValue(by, out var kpis) && kpis.Contains(kpi)) ? $"'{key}' is not broken down by that dimension."
            : group is { Length: > 200 } || (group is not null && !ChildReads.IsPlainText(group)) ? "'group' must be one line of plain text."
            : null;
        return problem is null
            ? WolverineContinue.NoProblems
            : new ProblemDetails { Status = StatusCodes.Status400BadRequest, Title = "Invalid cohort", Detail = problem };
    }

    [Authorize(Roles = Roles.Auditor)]
    [WolverineGet("/api/kpis/cohort")]
    [EndpointSummary("The units behind one KPI, and optionally one group of a breakdown (auditors; each child named is access-logged)")]
    public static async Task<Results<Ok<CohortResponse>, FileContentHttpResult, ProblemHttpResult>> Get(
        ClaimsPrincipal user, HttpRequest request, AskedWindow asked, string key, string? by, string? group, string? reason, string? format,
        CohortQuery query, AccessLog accessLog, CancellationToken ct)
    {
        if (ChildReads.ReadReason(request, reason, out var given) is { } reasonProblem)
        {
            return reasonProblem;
        }

        var kpi = KpiDefinitions.All.Single(k => k.Key == key);
        var units = await query.RunAsync(kpi, asked.Window, by, group, MaxUnits, user.TenantId(), ct);
        if (units.Count > MaxUnits)
        {
            return Problems.BadRequest("Cohort too large",
                $"This cohort has more than {MaxUnits:N0} units: choose a shorter window or one group of a breakdown.");
        }

        // Every child named is recorded before anything is shown.
        var children = units.Select(u => u.ChildId).Distinct(StringComparer.Ordinal).ToList();
        await accessLog.RecordAsync(user.TenantId(), (user.Id(), user.Name()), AccessLog.Cohort, children, null, given, ct);

        var shaped = units.Select(u => new CohortUnitResponse(u.ChildId, u.Source, u.EventId, u.OccurredOn, u.FamilyId, u.InNumerator)).ToList();
        return Csv.Wanted(format)
            ? Csv.File($"cohort-{key}-{asked.Window.From:yyyy-MM-dd}-{asked.Window.To:yyyy-MM-dd}.csv",
                ["childId", "source", "eventId", "occurredOn", "familyId", "inNumerator"],
                shaped.Select(u => new object?[] { u.ChildId, u.Source, u.EventId, u.OccurredOn, u.FamilyId, u.InNumerator }))
            : TypedResults.Ok(new CohortResponse(key, asked.Window.From, asked.Window.To, by, group, shaped));
    }
}
