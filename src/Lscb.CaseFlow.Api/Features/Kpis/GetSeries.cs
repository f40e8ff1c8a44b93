using Microsoft.AspNetCore.Http.HttpResults;
using System.Security.Claims;
using Lscb.CaseFlow.Api.Host.Security;
using Microsoft.AspNetCore.Authorization;
using Lscb.CaseFlow.Kpis;
using Lscb.CaseFlow.Reporting;
using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;
using Lscb.CaseFlow.Api.ReadModel;
using Lscb.CaseFlow.Api.Http;

namespace Lscb.CaseFlow.Api.Features.Kpis;

/// <summary><c>GET /api/kpis/series?keys=&amp;from=&amp;to=&amp;by=month|quarter|year</c>: KPIs period by period, for trends.</summary>
public static class GetSeries
{
    public const int MaxPeriods = 120;

    public static AskedWindow Load(string? from, string? to) => WindowQuery.Read(from, to);

    public static ProblemDetails Validate(AskedWindow asked, string? by, string? keys)
    {
        if (asked.Problem != WolverineContinue.NoProblems)
        {
            return asked.Problem;
        }

        var problems = new List<string>();
        if (!TryKind(by, out var kind))
        {
            problems.Add("'by' must be month, quarter or year.");
        }
        else if (Periods.Covering(asked.Window, kind).Count > MaxPeriods)
        {
            problems.Add($"At most {MaxPeriods} periods at once: choose a longer period or a shorter range.");
        }

        problems.AddRange(Keys(keys).Where(k => KpiDefinitions.All.All(x => x.Key != k)).Select(k => $"'{k}' is not a KPI."));
        return problems.Count == 0
            ? WolverineContinue.NoProblems
            : new ProblemDetails { Status = 400, Title = "Invalid series", Detail = string.Join(" ", problems) };
    }

    [Authorize(Roles = Roles.Analyst)]
    [WolverineGet("/api/kpis/series")]
    [EndpointSummary("KPIs period by period, for trends")]
    public static async Task<Results<Ok<SeriesResponse>, FileContentHttpResult>> Get(
        ClaimsPrincipal user, AskedWindow asked, string? by, string? keys, string? format, bool? publication, KpiQuery query, CancellationToken ct)
    {
        var published = publication == true;
        TryKind(by, out var kind);
        var wanted = Keys(keys).ToHashSet();
        var kpis = KpiDefinitions.All.Where(k => wanted.Count == 0 || wanted.Contains(k.Key)).ToList();
        var range = asked.Window;

        var points = new List<(Period Period, KpiAnswer Answer)>();
        var reading = await query.ReadingAsync(user.TenantId(), ct);
        foreach (var period in Periods.Covering(range, kind))
        {
            points.Add((period, await reading.RunAsync(period.Window, ct)));
        }

        var series = kpis.Select(k => new KpiSeries(
            k.Key,
            k.Title,
            KpiGroups.KindOf(k),
            points.Select(p => (p.Period, Figure: Figures.Of(k, p.Answer.Values[k.Key], published))).Select(p => new SeriesPoint(
                p.Period.Window.From, p.Period.Window.To, p.Period.Label, p.Figure.Value, p.Figure.Numerator, p.Figure.Denominator)).ToList()))
            .ToList();

        return Csv.Wanted(format)
            ? Csv.File($"series-{range.From:yyyy-MM-dd}-{range.To:yyyy-MM-dd}.csv", ["kpi", "period", "from", "to", "value", "numerator", "denominator"],
                series.SelectMany(s => s.Points.Select(p => new object?[] { s.Key, p.Label, p.From, p.To, p.Value, p.Numerator, p.Denominator })))
            : TypedResults.Ok(new SeriesResponse(kind.ToString().ToLowerInvariant(), range.From, range.To, published, series));
    }

    private static bool TryKind(string? by, out PeriodKind kind) =>
        Enum.TryParse(by ?? "quarter", ignoreCase: true, out kind) && Enum.IsDefined(kind) && !int.TryParse(by, out _);

    private static IEnumerable<string> Keys(string? keys) =>
        (keys ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
