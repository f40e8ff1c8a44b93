using System.Globalization;
using System.Text.Json.Nodes;

namespace Lscb.CaseFlow.Api.Demo;

/// <summary>
/// Synthetic, reproducible journeys as CloudEvents: families of children passing through contact, MASH,
/// early help, assessment, S47, conference, plan and care, with the mess real feeds have (retractions, late
/// cases). The same seed always gives the same events. No real person is in it.
/// </summary>
public sealed class JourneyGenerator(int seed, DateOnly from, DateOnly to, string authority = "demo")
{
    private readonly Random _random = new(seed);
    private readonly List<JsonObject> _events = [];
    private readonly int _days = to.DayNumber - from.DayNumber;
    private string Mash => $"urn:lscb:{authority}:mash";
    private string Lcs => $"urn:lscb:{authority}:lcs";

    /// <summary>Events for about <paramref name="families"/> families, in pathway order per child.</summary>
    public IReadOnlyList<JsonObject> Generate(int families)
    {
        for (var f = 0; f < families; f++)
        {
            var family = $"F{seed:X}-{f:D6}";
            var children = 1 + (_random.NextDouble() < 0.45 ? _random.Next(1, 4) : 0);
            var firstContact = from.AddDays(_random.Next(Math.Max(1, _days)));
            for (var c = 0; c < children; c++)
            {
                Child($"{family}-{c}".Replace("F", "CH", StringComparison.Ordinal), family, firstContact);
            }
        }

        return _events;
    }

    private void Child(string child, string family, DateOnly day)
    {
        var n = 0;
        string Id(string kind) => $"{child}-{kind}-{++n}";
        var contacts = 1 + (_random.NextDouble() < 0.35 ? _random.Next(1, 4) : 0);
        var onPlan = false;
        for (var k = 0; k < contacts && day <= to; k++)
        {
            var contactId = Id("CT");
            var contact = Emit(Mash, "contact", child, day, new() { ["contactId"] = contactId, ["referralSource"] = Pick(ReferralSources), ["familyId"] = family });
            if (_random.NextDouble() < 0.01)
            {
                Emit(Mash, "retraction", child, day.AddDays(2), new() { ["retractedId"] = contact["id"]!.GetValue<string>(), ["reason"] = "recorded against the wrong child" });
                day = day.AddDays(30 + _random.Next(200));
                continue;
            }

            var decision = Pick(Decisions);
            var decided = day.AddDays(_random.Next(0, 3));
            Emit(Mash, "mash-decision", child, decided, new() { ["contactId"] = contactId, ["decision"] = decision });
            if (decision is "assessment" or "section-47")
            {
                Emit(Mash, "referral", child, decided, new() { ["referralId"] = Id("R"), ["contactId"] = contactId, ["familyId"] = family });
            }

            if (decision == "early-help")
            {
                var engage = Id("E");
                Emit(Mash, "engage-referral", child, decided.AddDays(2), new() { ["engageReferralId"] = engage, ["contactId"] = contactId });
                if (_random.NextDouble() < 0.4)
                {
                    Emit(Mash, "consent-declined", child, decided.AddDays(5 + _random.Next(20)), new() { ["engageReferralId"] = engage });
                }
            }
            else if (decision == "assessment")
            {
                var assessment = Id("A");
                Emit(Lcs, "assessment-started", child, decided.AddDays(1), new() { ["assessmentId"] = assessment });
                Emit(Lcs, "assessment-completed", child, decided.AddDays(20 + _random.Next(25)), new()
                {
                    ["assessmentId"] = assessment, ["outcome"] = Pick(["no-further-action", "early-help", "child-in-need", "section-47"]),
                    ["factors"] = new JsonArray(Pick(["1B", "3A", "16A", "4A", "21"])),
                });
            }
            else if (decision == "section-47" && !onPlan)
            {
                onPlan = Section47(child, decided, Id);
            }

            day = day.AddDays(60 + _random.Next(400));
        }

        if (_random.NextDouble() < 0.05)
        {
            var start = from.AddDays(_random.Next(Math.Max(1, _days)));
            var episode = Id("L");
            Emit(Lcs, "lac-started", child, start, new() { ["episodeId"] = episode, ["legalStatus"] = Pick(["C2", "C2", "V2", "E1", "V3", "V4", "J2"]) });
            if (_random.NextDouble() < 0.5)
            {
                Emit(Lcs, "lac-ceased", child, start.AddDays(30 + _random.Next(900)), new() { ["episodeId"] = episode });
            }
        }
    }

    /// <summary>Strategy discussion, S47 and perhaps conference and plan; true while the plan stays open.</summary>
    private bool Section47(string child, DateOnly day, Func<string, string> id)
    {
        Emit(Lcs, "strategy-discussion", child, day, new() { ["strategyId"] = id("SD") });
        var s47 = id("S");
        Emit(Lcs, "s47-started", child, day.AddDays(1), new() { ["s47Id"] = s47 });
        var toConference = _random.NextDouble() < 0.4;
        Emit(Lcs, "s47-completed", child, day.AddDays(10), new() { ["s47Id"] = s47, ["outcome"] = toConference ? "icpc" : "no-icpc" });
        if (!toConference)
        {
            return false;
        }

        var conference = day.AddDays(15);
        var plan = _random.NextDouble() < 0.85;
        Emit(Lcs, "icpc", child, conference, new() { ["conferenceId"] = id("IC"), ["s47Id"] = s47, ["outcome"] = plan ? "plan" : "no-plan" });
        if (!plan)
        {
            return false;
        }

        var planId = id("P");
        Emit(Lcs, "plan-started", child, conference, new() { ["planId"] = planId, ["category"] = Pick(["NEG", "NEG", "EMO", "PHY", "SAB", "MUL"]) });
        var months = _random.NextDouble() < 0.1 ? 18 + _random.Next(14) : 3 + _random.Next(14);
        var ceased = conference.AddMonths(months).AddDays(_random.Next(28));
        if (_random.NextDouble() < 0.85)
        {
            Emit(Lcs, "plan-ceased", child, ceased, new() { ["planId"] = planId, ["reason"] = "risk reduced" });
            return false;
        }

        return true;
    }

    private JsonObject Emit(string source, string type, string child, DateOnly on, JsonObject data)
    {
        var occurredOn = on > to ? to : on;
        var payload = new JsonObject { ["occurredOn"] = occurredOn.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) };
        foreach (var (key, value) in data)
        {
            payload[key] = value?.DeepClone();
        }

        var e = new JsonObject
        {
            ["specversion"] = "1.0",
            ["id"] = $"{type}-{child}-{_events.Count(x => x["subject"]!.GetValue<string>() == child)}",
            ["source"] = source,
            ["type"] = type,
            ["subject"] = child,
            ["data"] = payload,
        };
        _events.Add(e);
        return e;
    }

    private string Pick(IReadOnlyList<string> values) => values[_random.Next(values.Count)];

    private static readonly string[] ReferralSources = ["1A", "2A", "2A", "3A", "3B", "3E", "4", "5D", "6", "6", "8", "9"];

    private static readonly string[] Decisions =
        ["no-further-action", "information-advice", "early-help", "early-help", "assessment", "assessment", "assessment", "section-47", "section-47"];
}
