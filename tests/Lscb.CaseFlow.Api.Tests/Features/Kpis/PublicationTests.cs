using System.Text.Json.Nodes;
using Lscb.CaseFlow.Api.Tests.Infrastructure;

namespace Lscb.CaseFlow.Api.Tests.Features.Kpis;

/// <summary>
/// <c>publication=true</c> applies the DfE's suppression: counts of 1 to 5 are shown as <c>c</c>, with the
/// percentages and rates built on them. Naseem's family is small, so nearly everything is suppressed.
/// </summary>
public sealed class PublicationTests(CaseFlowApp app) : IClassFixture<CaseFlowApp>, IAsyncLifetime
{
    public Task InitializeAsync() => NaseemFamily.LoadAsync(app);

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task small_counts_and_the_rates_built_on_them_are_shown_as_c_and_zero_is_not()
    {
        var kpis = (await app.GetJsonAsync("/api/kpis?from=2016-04-01&to=2016-06-30&publication=true"))["kpis"]!;

        kpis["contacts"]!["value"]!.GetValue<string>().ShouldBe("c");
        kpis["earlyHelpReferrals"]!["value"]!.GetValue<int>().ShouldBe(0);
        kpis["reReferralRate"]!["value"]!.GetValue<string>().ShouldBe("c");
        kpis["reReferralRate"]!["numerator"]!.GetValue<string>().ShouldBe("c");
        kpis["referralRatePer10k"]!["value"]!.GetValue<string>().ShouldBe("c");
        kpis["referralRatePer10k"]!["denominator"]!.GetValue<int>().ShouldBe(45_260);
        kpis["plansCeasedLasting2YearsRate"]!["value"].ShouldBeNull();
    }

    [Fact]
    public async Task without_publication_the_same_figures_are_shown()
    {
        var kpis = (await app.GetJsonAsync("/api/kpis?from=2016-04-01&to=2016-06-30"))["kpis"]!;

        kpis["contacts"]!["value"]!.GetValue<int>().ShouldBe(2);
    }

    [Fact]
    public async Task series_comparison_and_report_are_suppressed_too_and_say_nothing_of_the_hidden_figures()
    {
        var series = await app.GetJsonAsync("/api/kpis/series?keys=contacts&from=2016-04-01&to=2016-06-30&by=quarter&publication=true");
        series["series"]![0]!["points"]![0]!["value"]!.GetValue<string>().ShouldBe("c");

        var comparison = await app.GetJsonAsync("/api/kpis/comparison?from=2016-04-01&to=2016-06-30&publication=true");
        var contacts = comparison["kpis"]!.AsArray().Single(k => k!["key"]!.GetValue<string>() == "contacts")!;
        contacts["value"]!.GetValue<string>().ShouldBe("c");
        contacts["sentence"]!.GetValue<string>().ShouldStartWith("Suppressed");

        using var response = await app.Client.GetAsync("/api/reports/board?from=2016-04-01&to=2016-06-30&format=markdown&publication=true");
        var report = await response.Content.ReadAsStringAsync();
        report.ShouldContain("| Contacts | c | c |");
        report.ShouldNotContain("(1 of 2)");
    }
}
