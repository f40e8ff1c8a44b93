using System.Globalization;

namespace Lscb.CaseFlow.Reporting;

public enum Direction
{
    /// <summary>Lower is better: green at or below the target, amber up to the limit, red above.</summary>
    Lower,
    /// <summary>Higher is better: green at or above the target, amber down to the limit, red below.</summary>
    Higher,
}

public enum RagStatus
{
    None,
    Green,
    Amber,
    Red,
}

public sealed record Rag(RagStatus Status, string Reason);

/// <summary>
/// A local target for a KPI, such as the seed's "plans over 18 months: target 0 %, maximum 4 %"
/// (<c>new Target(0, 4, Direction.Lower)</c>) or "S47 to ICPC: 60 %" (<c>new Target(60, null, Direction.Higher)</c>).
/// </summary>
public sealed record Target(double Value, double? Limit, Direction Direction)
{
    /// <summary>
    /// The targets children's services scorecards set for timeliness, which apply until an authority sets its own:
    /// assessments within 45 working days and conferences within 15 (90 %, amber to 80 %), every plan reviewed on time
    /// (100 %, amber to 95 %).
    /// </summary>
    public static readonly IReadOnlyDictionary<string, Target> Defaults = new Dictionary<string, Target>(StringComparer.Ordinal)
    {
        ["assessmentsWithin45WorkingDaysRate"] = new(90, 80, Direction.Higher),
        ["icpcWithin15WorkingDaysRate"] = new(90, 80, Direction.Higher),
        ["plansReviewedOnTimeRate"] = new(100, 95, Direction.Higher),
    };

    public bool IsConsistent => Limit is null || (Direction == Direction.Lower ? Limit >= Value : Limit <= Value);

    public Rag Assess(double? value, string unit = "")
    {
        if (value is null)
        {
            return new Rag(RagStatus.None, "No value for this window.");
        }

        var v = Format(value.Value, unit);
        var t = Format(Value, unit);
        var limit = Limit is { } l ? Format(l, unit) : null;
        return Direction switch
        {
            Direction.Lower when value <= Value => new(RagStatus.Green, $"{v} is within the target of {t}."),
            Direction.Lower when value <= Limit => new(RagStatus.Amber, $"{v} is above the target of {t} but within the maximum of {limit}."),
            Direction.Lower => new(RagStatus.Red, limit is null ? $"{v} is above the target of {t}." : $"{v} is above the maximum of {limit} (target {t})."),
            _ when value >= Value => new(RagStatus.Green, $"{v} meets the target of {t}."),
            _ when value >= Limit => new(RagStatus.Amber, $"{v} is below the target of {t} but above the minimum of {limit}."),
            _ => new(RagStatus.Red, limit is null ? $"{v} is below the target of {t}." : $"{v} is below the minimum of {limit} (target {t})."),
        };
    }

    public static string Format(double value, string unit) =>
        value.ToString(value % 1 == 0 ? "0" : "0.0", CultureInfo.InvariantCulture) + unit;
}
