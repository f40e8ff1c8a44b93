using System.Globalization;
using System.Text.Json.Nodes;

namespace Lscb.CaseFlow.Api.Host.Demo;

/// <summary>
/// Synthetic, reproducible journeys as CloudEvents. Families arrive at the front door through the range;
/// each visit is a contact about one or more of the children, a MASH decision for the family, and then early
/// help, assessment or an S47 enquiry, conference, plan and care; families come back, more often after
/// declining consent. Calibrated so that a large authority's quarter looks like the seed report's
/// (Solihull, Q1 2016-17, about 309 new families a quarter): see <c>DemoData</c>. The same seed always gives the
/// same events. No real person is in it.
/// </summary>
public sealed class JourneyGenerator(int seed, DateOnly from, DateOnly to, string authority = "demo")
{
    private readonly Random _random = new(seed);

    // Separate streams for plan lengths and care, so that tuning one part of the calibration leaves the others be.
    private readonly Random _plans = new(seed + 1);
    private readonly Random _care = new(seed + 2);

    // Timeliness draws of their own, so that the rest of the story (the seed's figures) is drawn as before.
    private readonly Random _timing = new(seed + 3);
    private readonly List<JsonObject> _events = [];
    private readonly Dictionary<string, int> _perChild = [];
    private string Mash => $"urn:lscb:{authority}:mash";
    private string Lcs => $"urn:lscb:{authority}:lcs";

    /// <summary>Events for <paramref name="families"/> families arriving through the range.</summary>
    public IReadOnlyList<JsonObject> Generate(int families)
    {
        var days = Math.Max(1, to.DayNumber - from.DayNumber);
        for (var f = 0; f < families; f++)
        {
            var family = new Family($"F{seed:X}-{f:D6}", Enumerable.Range(0, Size()).Select(c => $"CH{seed:X}-{f:D6}-{c}").ToList());
            Visits(family, from.AddDays(_random.Next(days)));
        }

        // Children who come into care by other routes (court, remand, unaccompanied), beginning before the range
        // so that the numbers in care have settled by the time it is reported on.
        var careFrom = from.AddYears(-3);
        for (var c = 0; c < families / 4.6; c++)
        {
            var child = $"LA{seed:X}-{c:D6}";
            var started = careFrom.AddDays(_care.Next(to.DayNumber - careFrom.DayNumber));
            Care(child, started, Pick(["C2", "C2", "C1", "E1", "V2", "J2", "L2"], _care));
        }

        // Short breaks, which the looked-after counts leave out.
        for (var c = 0; c < families / 60; c++)
        {
            Care($"SB{seed:X}-{c:D6}", from.AddDays(_care.Next(days)), Pick(["V3", "V4"], _care));
        }

        return _events;
    }

    private sealed record Family(string Id, IReadOnlyList<string> Children)
    {
        public HashSet<string> OnPlan { get; } = [];
        public Dictionary<string, DateOnly> PlanEnded { get; } = [];
    }

    private void Visits(Family family, DateOnly day)
    {
        for (var visit = 0; visit < 6 && day <= to; visit++)
        {
            var declined = Visit(family, day);
            // Families come back: most within a year, more often after declining consent for early help.
            var back = _random.NextDouble() < (declined ? 0.8 : 0.58);
            if (!back)
            {
                return;
            }

            day = day.AddDays(_random.NextDouble() < 0.9 ? 25 + _random.Next(declined ? 150 : 260) : 365 + _random.Next(700));
        }
    }

    /// <summary>One visit to the front door; true when the parents declined consent for early help.</summary>
    private bool Visit(Family family, DateOnly day, string? decided = null)
    {
        var about = family.Children.Where((_, i) => i == 0 || _random.NextDouble() < 0.5).ToList();
        var contactIds = about.ToDictionary(c => c, c => Id(c, "CT"));
        var referralSource = Pick(ReferralSources);
        foreach (var child in about)
        {
            var contact = Emit(Mash, "contact", child, day, new() { ["contactId"] = contactIds[child], ["referralSource"] = referralSource, ["familyId"] = family.Id });
            if (_random.NextDouble() < 0.004)
            {
                Emit(Mash, "retraction", child, day.AddDays(3), new() { ["retractedId"] = contact["id"]!.GetValue<string>(), ["reason"] = "recorded against the wrong child" });
            }
        }

        var decision = decided ?? Weighted(Decisions);
        var decidedOn = day.AddDays(_random.NextDouble() < 0.7 ? 0 : _random.Next(1, 4));
        foreach (var child in about)
        {
            Emit(Mash, "mash-decision", child, decidedOn, new() { ["contactId"] = contactIds[child], ["decision"] = decision });
        }

        switch (decision)
        {
            case "early-help":
                return EarlyHelp(about, decidedOn, contactIds);
            case "assessment" or "section-47":
                foreach (var child in family.Children)
                {
                    Emit(Mash, "referral", child, decidedOn, new()
                    {
                        ["referralId"] = Id(child, "R"), ["contactId"] = contactIds.GetValueOrDefault(child), ["familyId"] = family.Id, ["referralSource"] = referralSource,
                    });
                }

                var outcome = decision == "section-47" ? "section-47" : Assessment(family, decidedOn);
                if (outcome == "section-47")
                {
                    Section47(family, decidedOn, repeat: decided is not null);
                    RepeatConcern(family);
                }

                // An assessment that steps down to early help: the family may decline it, as in Naseem's story.
                return outcome == "early-help" && EarlyHelp(family.Children, decidedOn.AddDays(30), contactIds);
            default:
                return false;
        }
    }

    /// <summary>Early help (the Engage team) for the children; true when the parents declined consent.</summary>
    private bool EarlyHelp(IReadOnlyList<string> children, DateOnly day, IReadOnlyDictionary<string, string> contactIds)
    {
        var declined = _random.NextDouble() < 0.35;
        foreach (var child in children)
        {
            var engage = Id(child, "E");
            Emit(Mash, "engage-referral", child, day.AddDays(1 + _random.Next(5)), new() { ["engageReferralId"] = engage, ["contactId"] = contactIds.GetValueOrDefault(child) });
            if (declined)
            {
                Emit(Mash, "consent-declined", child, day.AddDays(7 + _random.Next(21)), new() { ["engageReferralId"] = engage });
            }
        }

        return declined;
    }

    /// <summary>A single assessment of each child, with the family's outcome.</summary>
    private string Assessment(Family family, DateOnly day)
    {
        var outcome = Weighted(AssessmentOutcomes);
        foreach (var child in family.Children)
        {
            var assessment = Id(child, "A");
            Emit(Lcs, "assessment-started", child, day.AddDays(1), new() { ["assessmentId"] = assessment });
            // Most within 45 working days, a tail beyond (about 9 weeks and more), as an authority's scorecard shows.
            var usual = day.AddDays(20 + _random.Next(25));
            var completed = _timing.NextDouble() < 0.12 ? day.AddDays(66 + _timing.Next(40)) : usual;
            Emit(Lcs, "assessment-completed", child, completed, new()
            {
                ["assessmentId"] = assessment, ["outcome"] = outcome,
                ["factors"] = _random.NextDouble() < 0.1 ? new JsonArray("21") : new JsonArray(Pick(["1B", "2B", "3A", "3B", "4B", "16A", "18B"]), Pick(["6B", "8B", "10A", "22A"])),
            });
        }

        return outcome;
    }

    /// <summary>A strategy discussion and S47 enquiry for each child; some go to conference and a plan.</summary>
    private void Section47(Family family, DateOnly day, bool repeat)
    {
        var toConference = _random.NextDouble() < (repeat ? 0.6 : 0.40);
        var plan = _random.NextDouble() < 0.66;
        var conference = day.AddDays(12 + _random.Next(10));
        if (_timing.NextDouble() < 0.1)
        {
            // A conference that slipped past the 15 working days.
            conference = conference.AddDays(8 + _timing.Next(10));
        }

        var category = Pick(["NEG", "NEG", "NEG", "EMO", "EMO", "PHY", "SAB", "MUL"]);
        var months = Weighted(PlanMonths, _plans);
        var length = _plans.Next(months.Min, months.Max);
        foreach (var child in family.Children)
        {
            var s47 = Id(child, "S");
            Emit(Lcs, "strategy-discussion", child, day, new() { ["strategyId"] = Id(child, "SD") });
            Emit(Lcs, "s47-started", child, day.AddDays(1), new() { ["s47Id"] = s47 });
            Emit(Lcs, "s47-completed", child, day.AddDays(8 + _random.Next(7)), new() { ["s47Id"] = s47, ["outcome"] = toConference ? "icpc" : "no-icpc" });
            if (!toConference)
            {
                continue;
            }

            Emit(Lcs, "icpc", child, conference, new() { ["conferenceId"] = Id(child, "IC"), ["s47Id"] = s47, ["outcome"] = plan && !family.OnPlan.Contains(child) ? "plan" : "no-plan" });
            if (!plan || !family.OnPlan.Add(child))
            {
                continue;
            }

            var planId = Id(child, "P");
            Emit(Lcs, "plan-started", child, conference, new() { ["planId"] = planId, ["category"] = category });
            var ceased = conference.AddMonths(length).AddDays(_random.Next(28));
            Reviews(child, planId, conference, ceased);
            if (ceased <= to)
            {
                var intoCare = _random.NextDouble() < 0.1;
                Emit(Lcs, "plan-ceased", child, ceased, new() { ["planId"] = planId, ["reason"] = intoCare ? "became looked after" : "risk reduced" });
                family.OnPlan.Remove(child);
                if (intoCare)
                {
                    Care(child, ceased, "C2");
                }
                else
                {
                    family.PlanEnded[child] = ceased;
                }
            }
        }
    }

    /// <summary>Reviews within 3 months of the start and then every 6 months, while the plan is open; a few come late.</summary>
    private void Reviews(string child, string planId, DateOnly started, DateOnly ceased)
    {
        var due = started.AddMonths(3);
        while (due < ceased && due <= to)
        {
            var late = _timing.NextDouble() < 0.05;
            var review = late ? due.AddDays(5 + _timing.Next(25)) : due.AddDays(-_timing.Next(20));
            if (review >= ceased || review > to)
            {
                return;
            }

            Emit(Lcs, "plan-reviewed", child, review, new() { ["planId"] = planId });
            due = review.AddMonths(6);
        }
    }

    /// <summary>Some families are back within two years of a plan ending, and the worry is the same.</summary>
    private void RepeatConcern(Family family)
    {
        if (family.PlanEnded.Count == 0 || _random.NextDouble() >= 0.12)
        {
            return;
        }

        var day = family.PlanEnded.Values.Max().AddDays(45 + _random.Next(500));
        family.PlanEnded.Clear();
        if (day <= to)
        {
            Visit(family, day, "section-47");
        }
    }

    private void Care(string child, DateOnly started, string legalStatus)
    {
        if (started > to)
        {
            return;
        }

        var episode = Id(child, "L");
        Emit(Lcs, "lac-started", child, started, new() { ["episodeId"] = episode, ["legalStatus"] = legalStatus });
        var months = legalStatus is "V3" or "V4" ? 1 : _care.NextDouble() < 0.35 ? _care.Next(1, 12) : _care.Next(12, 72);
        var ended = started.AddMonths(months).AddDays(_care.Next(28));
        if (ended <= to)
        {
            Emit(Lcs, "lac-ceased", child, ended, new() { ["episodeId"] = episode });
        }
    }

    private JsonObject Emit(string source, string type, string child, DateOnly on, JsonObject data)
    {
        var payload = new JsonObject { ["occurredOn"] = (on > to ? to : on).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) };
        foreach (var (key, value) in data.Where(d => d.Value is not null))
        {
            payload[key] = value!.DeepClone();
        }

        var n = _perChild[child] = _perChild.GetValueOrDefault(child) + 1;
        var e = new JsonObject
        {
            ["specversion"] = "1.0",
            ["id"] = $"{type}-{child}-{n}",
            ["source"] = source,
            ["type"] = type,
            ["subject"] = child,
            ["data"] = payload,
        };
        _events.Add(e);
        return e;
    }

    private string Id(string child, string prefix) => $"{prefix}-{child}-{_perChild.GetValueOrDefault(child) + 1}-{_random.Next(1000):D3}";

    private int Size() => Weighted([(1, 0.45), (2, 0.30), (3, 0.17), (4, 0.08)]);

    private string Pick(IReadOnlyList<string> values, Random? random = null) => values[(random ?? _random).Next(values.Count)];

    private T Weighted<T>(IReadOnlyList<(T Value, double Weight)> choices, Random? random = null)
    {
        var roll = (random ?? _random).NextDouble() * choices.Sum(c => c.Weight);
        foreach (var (value, weight) in choices)
        {
            if ((roll -= weight) < 0)
            {
                return value;
            }
        }

        return choices[^1].Value;
    }

    private static readonly string[] ReferralSources = ["1A", "1C", "2A", "2A", "2A", "3A", "3B", "3C", "3E", "4", "5A", "5D", "6", "6", "6", "7", "8", "9", "10"];

    private static readonly (string, double)[] Decisions =
        [("no-further-action", 0.09), ("information-advice", 0.07), ("early-help", 0.20), ("assessment", 0.53), ("section-47", 0.09)];

    private static readonly (string, double)[] AssessmentOutcomes =
        [("no-further-action", 0.30), ("early-help", 0.22), ("child-in-need", 0.41), ("section-47", 0.07)];

    private static readonly ((int Min, int Max), double)[] PlanMonths = [((3, 10), 0.43), ((10, 18), 0.12), ((18, 24), 0.44), ((24, 30), 0.01)];
}
