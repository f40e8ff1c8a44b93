namespace Lscb.CaseFlow.Events;

/// <summary>
/// The contract's code lists. Where the DfE's CIN census or SSDA903 return has a list, the codes are theirs.
/// </summary>
public static class CodeLists
{
    public static readonly IReadOnlySet<string> ReferralSources = Set(
        "1A", "1B", "1C", "1D", "2A", "2B", "3A", "3B", "3C", "3D", "3E", "3F",
        "4", "5A", "5B", "5C", "5D", "6", "7", "8", "9", "10");

    public static readonly IReadOnlySet<string> MashDecisions = Set(
        "no-further-action", "information-advice", "early-help", "assessment", "section-47");

    public static readonly IReadOnlySet<string> AssessmentOutcomes = Set(
        "no-further-action", "early-help", "child-in-need", "section-47");

    /// <summary>CIN assessment factors. <c>21</c> (no factors identified) must stand alone.</summary>
    public static readonly IReadOnlySet<string> AssessmentFactors = Set(
        Enumerable.Range(1, 6).SelectMany(n => new[] { $"{n}A", $"{n}B", $"{n}C" })
            .Concat(["7A", "8B", "8C", "8D", "8E", "8F", "9A", "10A", "11A", "12A", "13A", "14A", "15A", "16A",
                     "17A", "18B", "18C", "19B", "19C", "20", "21", "22A", "23A", "24A"])
            .ToArray());

    public const string NoFactors = "21";

    public static readonly IReadOnlySet<string> S47Outcomes = Set("icpc", "no-icpc");

    public static readonly IReadOnlySet<string> ConferenceOutcomes = Set("plan", "no-plan");

    public static readonly IReadOnlySet<string> AbuseCategories = Set("NEG", "PHY", "SAB", "EMO", "MUL");

    public static readonly IReadOnlySet<string> LegalStatuses = Set(
        "C1", "C2", "D1", "E1", "V2", "V3", "V4", "L1", "L2", "L3", "J1", "J2", "J3");

    /// <summary>Short-break placements, which the looked-after counts leave out (as the DfE does).</summary>
    public static readonly IReadOnlySet<string> ShortBreakLegalStatuses = Set("V3", "V4");

    /// <summary>CIN <c>ReasonForClosure</c>: why a child-in-need episode was closed.</summary>
    public static readonly IReadOnlySet<string> ClosureReasons = Set("RC1", "RC2", "RC3", "RC4", "RC5", "RC6", "RC7", "RC8", "RC9");

    private static HashSet<string> Set(params string[] codes) => new(codes, StringComparer.Ordinal);
}
