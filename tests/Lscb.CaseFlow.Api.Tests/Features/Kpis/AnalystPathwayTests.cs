using System.Net;
using System.Text.Json.Nodes;
using Lscb.CaseFlow.Api.Tests.Infrastructure;

namespace Lscb.CaseFlow.Api.Tests.Features.Kpis;

/// <summary>
/// <c>GET /api/pathway</c> (the window as a Sankey) and <c>GET /api/hypothesis/consent</c> (are children re-referred
/// more often after declined consent?) for Naseem's family.
/// </summary>
public sealed class AnalystPathwayTests(CaseFlowApp app) : IClassFixture<CaseFlowApp>, IAsyncLifetime
{
    private static readonly string[] NodeIds =
    [
        "contacts", "decision-no-further-action", "decision-information-advice", "decision-early-help", "decision-assessment",
        "decision-section-47", "decision-pending", "early-help", "consent-declined", "assessments", "s47", "icpc", "plans",
        "looked-after", "re-referrals",
    ];

    public Task InitializeAsync() => NaseemFamily.LoadAsync(app);

    public Task DisposeAsync() => Task.CompletedTask;

    private static Dictionary<string, long> Nodes(JsonNode pathway) =>
        pathway["nodes"]!.AsArray().ToDictionary(n => n!["id"]!.GetValue<string>(), n => n!["value"]!.GetValue<long>());

    private static long Link(JsonNode pathway, string source, string target) =>
        pathway["links"]!.AsArray().Single(l => l!["source"]!.GetValue<string>() == source && l["target"]!.GetValue<string>() == target)!
            ["value"]!.GetValue<long>();

    [Fact]
    public async Task the_pathway_has_every_node_with_a_label_and_links_between_them()
    {
        var pathway = await app.GetJsonAsync("/api/pathway?from=2016-04-01&to=2016-06-30");

        pathway["from"]!.GetValue<string>().ShouldBe("2016-04-01");
        pathway["to"]!.GetValue<string>().ShouldBe("2016-06-30");
        pathway["nodes"]!.AsArray().Select(n => n!["id"]!.GetValue<string>()).ShouldBe(NodeIds);
        pathway["nodes"]!.AsArray().ShouldAllBe(n => !string.IsNullOrWhiteSpace(n!["label"]!.GetValue<string>()));
        pathway["nodes"]!.AsArray().Single(n => n!["id"]!.GetValue<string>() == "decision-pending")!["label"]!.GetValue<string>()
            .ShouldBe("No MASH decision yet");
        pathway["links"]!.AsArray().ShouldNotBeEmpty();
        pathway["links"]!.AsArray().ShouldAllBe(l =>
            NodeIds.Contains(l!["source"]!.GetValue<string>()) && NodeIds.Contains(l["target"]!.GetValue<string>()) && l["value"]!.GetValue<long>() >= 0);
    }

    [Fact]
    public async Task naseem_and_tara_go_from_contact_to_section_47_conference_and_plan_in_april_to_june_2016()
    {
        var pathway = await app.GetJsonAsync("/api/pathway?from=2016-04-01&to=2016-06-30");

        Nodes(pathway).Where(n => n.Value != 0).ToDictionary().ShouldBe(new Dictionary<string, long>
        {
            ["contacts"] = 2, ["decision-section-47"] = 2, ["s47"] = 2, ["icpc"] = 2, ["plans"] = 2, ["re-referrals"] = 1,
        });
        Link(pathway, "contacts", "decision-section-47").ShouldBe(2);
        Link(pathway, "contacts", "decision-pending").ShouldBe(0);
    }

    [Theory]
    [InlineData("2016-04-01", "2016-06-30")]
    [InlineData("2015-04-01", "2016-03-31")]
    [InlineData("2015-01-01", "2018-12-31")]
    public async Task the_contacts_node_is_the_contacts_kpi_and_the_decisions_share_them_out(string from, string to)
    {
        var pathway = Nodes(await app.GetJsonAsync($"/api/pathway?from={from}&to={to}"));
        var kpis = await app.GetJsonAsync($"/api/kpis?from={from}&to={to}");

        pathway["contacts"].ShouldBe(kpis["kpis"]!["contacts"]!["value"]!.GetValue<long>());
        pathway["contacts"].ShouldBe(NaseemFamily.KpisOf(from, to)["contacts"]!["value"]!.GetValue<long>());
        pathway.Where(n => n.Key.StartsWith("decision-", StringComparison.Ordinal)).Sum(n => n.Value).ShouldBe(pathway["contacts"]);
        pathway["s47"].ShouldBe(kpis["kpis"]!["s47"]!["value"]!.GetValue<long>());
        pathway["plans"].ShouldBe(kpis["kpis"]!["plansStarted"]!["value"]!.GetValue<long>());
        pathway["consent-declined"].ShouldBe(kpis["kpis"]!["consentDeclined"]!["value"]!.GetValue<long>());
        pathway["re-referrals"].ShouldBe(kpis["kpis"]!["reReferralRate"]!["numerator"]!.GetValue<long>());
    }

    [Fact]
    public async Task contacts_with_no_mash_decision_yet_are_the_contacts_less_those_decided()
    {
        // A family of 2021, away from Naseem's years: one contact decided after the window, one never, one no further action.
        var child = Ce.Subject();
        await app.IngestAsync(Ce.Batch(
            Ce.Contact(child, "2021-03-01", "CT-X1"),
            Ce.Event("mash-decision", child, "2022-01-10", ("contactId", "CT-X1"), ("decision", "assessment")),
            Ce.Contact(child, "2021-05-01", "CT-X2"),
            Ce.Contact(child, "2021-07-01", "CT-X3"),
            Ce.Event("mash-decision", child, "2021-07-02", ("contactId", "CT-X3"), ("decision", "information-advice")),
            Ce.Event("mash-decision", child, "2021-07-09", ("contactId", "CT-X3"), ("decision", "no-further-action"))));

        var pathway = await app.GetJsonAsync("/api/pathway?from=2021-01-01&to=2021-12-31");

        var nodes = Nodes(pathway);
        nodes["contacts"].ShouldBe(3);
        nodes["decision-assessment"].ShouldBe(1, "a decision dated after the window still decides its contact");
        nodes["decision-information-advice"].ShouldBe(1, "the furthest decision, not the latest");
        nodes["decision-no-further-action"].ShouldBe(0);
        nodes["decision-pending"].ShouldBe(1);
        Link(pathway, "contacts", "decision-pending").ShouldBe(1);
    }

    [Fact]
    public async Task naseems_re_referral_in_april_2016_follows_consent_declined_on_8_january()
    {
        var answer = await app.GetJsonAsync("/api/hypothesis/consent?from=2016-04-01&to=2016-06-30");

        answer["from"]!.GetValue<string>().ShouldBe("2016-04-01");
        answer["to"]!.GetValue<string>().ShouldBe("2016-06-30");
        answer["afterConsentDeclined"]!["referrals"]!.GetValue<long>().ShouldBe(1, "Naseem's");
        answer["afterConsentDeclined"]!["reReferrals"]!.GetValue<long>().ShouldBe(1);
        answer["afterConsentDeclined"]!["rate"]!.GetValue<double>().ShouldBe(100);
        answer["otherwise"]!["referrals"]!.GetValue<long>().ShouldBe(1, "Tara's");
        answer["otherwise"]!["reReferrals"]!.GetValue<long>().ShouldBe(0);
        answer["otherwise"]!["rate"]!.GetValue<double>().ShouldBe(0);
        answer["sentence"]!.GetValue<string>().ShouldBe(
            "Referrals of children who declined consent in the previous 12 months were re-referrals 100.0 % of the time (1 of 1), "
            + "against 0.0 % for other referrals (0 of 1).");
    }

    [Fact]
    public async Task with_no_other_referrals_there_is_nothing_to_compare()
    {
        // 2015-16: Naseem's first referral (17 November 2015) came after consent declined on 2 June 2015.
        var answer = await app.GetJsonAsync("/api/hypothesis/consent?from=2015-04-01&to=2016-03-31");

        answer["afterConsentDeclined"]!["referrals"]!.GetValue<long>().ShouldBe(1);
        answer["afterConsentDeclined"]!["reReferrals"]!.GetValue<long>().ShouldBe(0);
        answer["otherwise"]!["referrals"]!.GetValue<long>().ShouldBe(0);
        answer["otherwise"]!["rate"].ShouldBeNull();
        answer["sentence"]!.GetValue<string>().ShouldBe("Too few referrals in this window to compare.");
    }

    [Theory]
    [InlineData("/api/pathway?from=2016-07-01&to=2016-06-30")]
    [InlineData("/api/pathway?to=2016-06-30")]
    [InlineData("/api/hypothesis/consent?from=2016-04-01&to=30/06/2016")]
    [InlineData("/api/hypothesis/consent?from=2016-04-01")]
    public async Task a_missing_malformed_or_reversed_window_is_refused(string url)
    {
        using var response = await app.Client.GetAsync(url);

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await CaseFlowApp.ProblemOf(response))["status"]!.GetValue<int>().ShouldBe(400);
    }
}
