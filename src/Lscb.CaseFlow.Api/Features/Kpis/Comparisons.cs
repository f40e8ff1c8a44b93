using Lscb.CaseFlow.Api.Features.Reference;
using Lscb.CaseFlow.Kpis;
using Lscb.CaseFlow.Reporting;
using Lscb.CaseFlow.Api.ReadModel;

namespace Lscb.CaseFlow.Api.Features.Kpis;

/// <summary>One KPI beside everything the analyst compares it with.</summary>
public sealed record ComparedKpi(
    Kpi Kpi, KpiValue Current, KpiValue PreviousYear, PublishedComparison? Published, Target? Target, Rag Rag, string Sentence);

/// <summary>Every KPI of a window, compared with the same window a year earlier, the DfE's figures and local targets.</summary>
public sealed record ComparisonReport(
    KpiAnswer Current, Window PreviousWindow, AuthorityInfo? Authority, int ReportingYear, int? BenchmarkYear,
    IReadOnlyList<ComparedKpi> Kpis, bool Publication = false);

public sealed class Comparisons(KpiQuery query, TargetStore targets, DfeBenchmarks dfe, Authorities authorities)
{
    public const string SuppressedText = "Suppressed for publication: a figure here counts fewer than 6 children.";

    /// <summary>With <paramref name="publication"/>, sentences and reasons never reveal a suppressed figure.</summary>
    public async Task<ComparisonReport> ForAsync(Window window, string tenantId, CancellationToken ct, bool publication = false)
    {
        var previousWindow = new Window(window.From.AddYears(-1), window.To.AddYears(-1));
        var reading = await query.ReadingAsync(tenantId, ct);
        var current = await reading.RunAsync(window, ct);
        var previous = await reading.RunAsync(previousWindow, ct);
        var localTargets = await targets.AllAsync(tenantId, ct);
        var authority = authorities.Of(tenantId);
        var reportingYear = Periods.ReportingYearOf(window.To);
        var windowIsAYear = window.To.DayNumber - window.From.DayNumber + 1 is >= 365 and <= 366;

        var kpis = KpiDefinitions.All.Select(kpi =>
        {
            var value = current.Values[kpi.Key];
            // A tenant with no authority configured is still set beside England.
            var published = dfe.For(kpi.Key, authority?.LaCode ?? "", reportingYear);
            var target = localTargets.GetValueOrDefault(kpi.Key);
            var rag = target?.Assess(value.Value, kpi is Kpi.Percentage ? " %" : "") ?? new Rag(RagStatus.None, "No local target.");
            var sentence = Sentences.Compare(new ComparisonFigures(
                value.Value, previous.Values[kpi.Key].Value, published?.England, published?.Neighbours?.Mean,
                Annual: kpi is Kpi.RatePer10k && published?.Annual == true, windowIsAYear, IsCount: kpi is Kpi.Count));
            if (published is null && DfeBenchmarks.NotHeld.TryGetValue(kpi.Key, out var notHeld))
            {
                sentence = $"{sentence} {notHeld}".Trim();
            }

            if (Figures.IsSuppressed(kpi, value, publication) || Figures.IsSuppressed(kpi, previous.Values[kpi.Key], publication))
            {
                (sentence, rag) = (SuppressedText, rag with { Reason = SuppressedText });
            }

            return new ComparedKpi(kpi, value, previous.Values[kpi.Key], published, target, rag, sentence);
        }).ToList();

        return new ComparisonReport(current, previousWindow, authority, reportingYear,
            kpis.Select(k => k.Published?.Year).Max(), kpis, publication);
    }
}
