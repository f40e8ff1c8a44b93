using System.Text.Json.Nodes;
using Lscb.CaseFlow.Reporting;

namespace Lscb.CaseFlow.Api.Host.Demo;

/// <summary>
/// The demo authority: Naseem's family, a synthetic population shaped like the seed report's Solihull
/// (April–June 2016: about 840 contacts, 697 referrals in 348 families, 173 children on plans, 359 looked
/// after), the ONS 0–17 population, and the seed's local targets.
/// </summary>
public static class DemoData
{
    // Chosen among seeds whose April–June 2016 lands within 10 % of every seed-report figure (one quarter is noisy).
    public const int Seed = 5;
    public static readonly DateOnly From = new(2012, 4, 1);
    public static readonly DateOnly To = new(2017, 9, 30);
    public const int Families = 5_260;

    /// <summary>Children aged 0–17 by mid-year, around the seed's 45,260 for 2016.</summary>
    public static readonly IReadOnlyDictionary<int, long> Population = new Dictionary<int, long>
    {
        [2011] = 44_900, [2012] = 44_960, [2013] = 45_030, [2014] = 45_120, [2015] = 45_200, [2016] = 45_260, [2017] = 45_300,
    };

    /// <summary>The seed's targets: plans over 18 months 0 % (maximum 4 %), repeat plans within 2 years 6 %, S47 to ICPC 60 %.</summary>
    public static readonly IReadOnlyDictionary<string, Target> Targets = new Dictionary<string, Target>
    {
        ["plansOver18MonthsRate"] = new(0, 4, Direction.Lower),
        ["repeatPlansWithin2YearsRate"] = new(6, null, Direction.Lower),
        ["s47ToIcpcRate"] = new(60, null, Direction.Higher),
        ["plansCeasedLasting2YearsRate"] = new(0, 3.7, Direction.Lower),
    };

    public static IReadOnlyList<JsonObject> SyntheticPopulation() =>
        new JourneyGenerator(Seed, From, To, "solihull-demo").Generate(Families);
}
