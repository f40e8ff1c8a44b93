using Lscb.CaseFlow.Kpis;

namespace Lscb.CaseFlow.Reporting;

/// <summary>A figure as it may be published: a number, or <c>c</c> where the DfE would suppress it.</summary>
public sealed record PublishedFigure(object? Value, object? Numerator, object? Denominator)
{
    public const string Suppressed = "c";
}

/// <summary>
/// The DfE's suppression for publication: a count of 1 to 5 is shown as <c>c</c>, and so is every percentage
/// or rate built on one (its numerator or denominator), so that a small group of children cannot be singled out.
/// Zero is not suppressed.
/// </summary>
public static class Suppression
{
    public static bool IsSmall(long? count) => count is >= 1 and <= 5;

    public static PublishedFigure Publish(Kpi kpi, KpiValue value)
    {
        switch (kpi)
        {
            case Kpi.Count:
                return new PublishedFigure(IsSmall(value.Count) ? PublishedFigure.Suppressed : value.Count, null, null);
            case Kpi.RatePer10k:
                return IsSmall(value.Numerator)
                    ? new PublishedFigure(PublishedFigure.Suppressed, PublishedFigure.Suppressed, value.Denominator)
                    : new PublishedFigure(value.Value, value.Numerator, value.Denominator);
            default:
                return IsSmall(value.Numerator) || IsSmall(value.Denominator)
                    ? new PublishedFigure(PublishedFigure.Suppressed, PublishedFigure.Suppressed, PublishedFigure.Suppressed)
                    : new PublishedFigure(value.Value, value.Numerator, value.Denominator);
        }
    }
}
