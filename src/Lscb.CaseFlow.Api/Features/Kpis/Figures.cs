using Lscb.CaseFlow.Kpis;
using Lscb.CaseFlow.Reporting;

namespace Lscb.CaseFlow.Api.Features.Kpis;

/// <summary>A KPI's figures as an output shows them: as they are, or with <c>publication=true</c> as the DfE publishes.</summary>
public static class Figures
{
    public static PublishedFigure Of(Kpi kpi, KpiValue value, bool publication) => publication
        ? Suppression.Publish(kpi, value)
        : new PublishedFigure(kpi is Kpi.Count ? value.Count : value.Value, value.Numerator, value.Denominator);

    /// <summary>The contract's shape: a count has <c>value</c>; a % or rate has <c>numerator</c>, <c>denominator</c> and <c>value</c>.</summary>
    public static KpiFigure Shape(Kpi kpi, KpiValue value, bool publication)
    {
        var figure = Of(kpi, value, publication);
        return kpi is Kpi.Count
            ? new CountFigure(figure.Value)
            : new RatioFigure(figure.Numerator, figure.Denominator, figure.Value);
    }

    public static bool IsSuppressed(Kpi kpi, KpiValue value, bool publication) =>
        publication && Suppression.Publish(kpi, value).Value is PublishedFigure.Suppressed;
}
