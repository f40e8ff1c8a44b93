namespace Lscb.CaseFlow.Events;

/// <summary>
/// The contract's code lists, each with its labels. Where the DfE's CIN census or SSDA903 return has a list, the codes
/// are theirs and the labels follow their guidance.
/// </summary>
public static class CodeLists
{
    public static readonly CodeList ReferralSources = new("referralSources", "Source of referral",
        ("1A", "the family"), ("1B", "an acquaintance"), ("1C", "the child"), ("1D", "an individual"),
        ("2A", "a school"), ("2B", "education services"),
        ("3A", "a GP"), ("3B", "a health visitor"), ("3C", "a school nurse"), ("3D", "primary health"), ("3E", "A&E"),
        ("3F", "health services"),
        ("4", "housing"), ("5A", "social care"), ("5B", "the local authority"), ("5C", "another local authority"),
        ("5D", "early help"), ("6", "the police"), ("7", "a legal agency"), ("8", "another source"), ("9", "an anonymous source"),
        ("10", "an unknown source"));

    /// <summary>MASH decisions from the least to the most intervention: the order <c>FurthestDecision</c> reads.</summary>
    public static readonly CodeList MashDecisions = new("mashDecisions", "MASH decision",
        ("no-further-action", "no further action"), ("information-advice", "information and advice"),
        ("early-help", "early help"), ("assessment", "assessment"), ("section-47", "section 47 enquiry"));

    public static readonly CodeList AssessmentOutcomes = new("assessmentOutcomes", "Outcome of assessment",
        ("no-further-action", "no further action"), ("early-help", "early help"), ("child-in-need", "child in need"),
        ("section-47", "section 47 enquiry"));

    /// <summary>CIN assessment factors, as the census guide names them. <c>21</c> (no factors identified) must stand alone.</summary>
    public static readonly CodeList AssessmentFactors = new("assessmentFactors", "Factor identified at the end of assessment",
        [
            .. Persons("1", "Alcohol misuse"), .. Persons("2", "Drug misuse"), .. Persons("3", "Domestic abuse"),
            .. Persons("4", "Mental health"), .. Persons("5", "Learning disability"), .. Persons("6", "Physical disability or illness"),
            ("7A", "Young carer"),
            ("8B", "Privately fostered: overseas child intending to return"), ("8C", "Privately fostered: overseas child intending to stay"),
            ("8D", "Privately fostered: UK child in an educational placement"), ("8E", "Privately fostered: UK child in an alternative family arrangement"),
            ("8F", "Privately fostered: other"),
            ("9A", "Unaccompanied asylum-seeking child"), ("10A", "Going or being missing"), ("11A", "Child sexual exploitation"),
            ("12A", "Trafficking"), ("13A", "Gangs"), ("14A", "Socially unacceptable behaviour"), ("15A", "Self-harm"),
            ("16A", "Neglect"), ("17A", "Emotional abuse"),
            ("18B", "Physical abuse: child on child"), ("18C", "Physical abuse: adult on child"),
            ("19B", "Sexual abuse: child on child"), ("19C", "Sexual abuse: adult on child"),
            ("20", "Other"), ("21", "No factors identified"),
            ("22A", "Female genital mutilation"), ("23A", "Abuse linked to faith or belief"), ("24A", "Child criminal exploitation"),
        ]);

    public const string NoFactors = "21";

    public static readonly CodeList S47Outcomes = new("s47Outcomes", "Outcome of the section 47 enquiry",
        ("icpc", "to an initial child protection conference"), ("no-icpc", "no conference"));

    public static readonly CodeList ConferenceOutcomes = new("conferenceOutcomes", "Outcome of the conference",
        ("plan", "plan agreed"), ("no-plan", "no plan"));

    public static readonly CodeList AbuseCategories = new("abuseCategories", "Category of abuse",
        ("NEG", "neglect"), ("PHY", "physical abuse"), ("SAB", "sexual abuse"), ("EMO", "emotional abuse"), ("MUL", "multiple categories"));

    /// <summary>SSDA903 legal statuses.</summary>
    public static readonly CodeList LegalStatuses = new("legalStatuses", "Legal status",
        ("C1", "interim care order"), ("C2", "full care order"), ("D1", "freeing order"), ("E1", "placement order"),
        ("V2", "accommodated under section 20"), ("V3", "short break, single occasion"), ("V4", "short breaks, series"),
        ("L1", "police protection"), ("L2", "emergency protection order"), ("L3", "child assessment order"),
        ("J1", "remanded to local authority accommodation"), ("J2", "detained under PACE"), ("J3", "sentenced to a supervision order with residence"));

    /// <summary>Short-break placements, which the looked-after counts leave out (as the DfE does).</summary>
    public static readonly IReadOnlySet<string> ShortBreakLegalStatuses = new HashSet<string>(["V3", "V4"], StringComparer.Ordinal);

    /// <summary>CIN <c>ReasonForClosure</c>: why a child-in-need episode was closed.</summary>
    public static readonly CodeList ClosureReasons = new("closureReasons", "Reason for closure",
        ("RC1", "adopted"), ("RC2", "died"), ("RC3", "child arrangements order"), ("RC4", "special guardianship order"),
        ("RC5", "transferred to another authority"), ("RC6", "transferred to adult social care"), ("RC7", "services ceased"),
        ("RC8", "closed after assessment, no further action"), ("RC9", "closed after assessment, referred to early help"));

    /// <summary>Every list, for the catalogue.</summary>
    public static readonly IReadOnlyList<CodeList> All =
        [ReferralSources, MashDecisions, AssessmentOutcomes, AssessmentFactors, S47Outcomes, ConferenceOutcomes, AbuseCategories,
         LegalStatuses, ClosureReasons];

    private static (string, string)[] Persons(string number, string factor) =>
        [($"{number}A", $"{factor}: the child"), ($"{number}B", $"{factor}: a parent or carer"), ($"{number}C", $"{factor}: another person")];
}
