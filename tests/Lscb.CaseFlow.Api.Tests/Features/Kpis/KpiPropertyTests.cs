using Microsoft.Extensions.DependencyInjection;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Lscb.CaseFlow.Api.Host.Demo;
using Lscb.CaseFlow.Api.Features.Ingesting;
using Lscb.CaseFlow.Api.Tests.Infrastructure;
using Lscb.CaseFlow.Events;
using Lscb.CaseFlow.Facts;
using Lscb.CaseFlow.Journeys;
using Lscb.CaseFlow.Kpis;

namespace Lscb.CaseFlow.Api.Tests.Features.Kpis;

/// <summary>
/// Over a generated population of a few thousand events: any arrival order, batching and number of duplicates
/// gives the same answer for every window, equal to counting the facts of every child in memory; retracting
/// gives the answer of never sending; events dated after a window change only its linked outcomes.
/// </summary>
public sealed class KpiPropertyTests
{
    private static readonly IReadOnlyList<JsonObject> Population =
        new JourneyGenerator(seed: 20161, new DateOnly(2013, 1, 1), new DateOnly(2019, 12, 31)).Generate(families: 320);

    private static readonly Window[] WindowsToCheck =
    [
        new(new(2016, 4, 1), new(2016, 6, 30)),
        new(new(2015, 7, 1), new(2016, 6, 30)),
        new(new(2016, 4, 1), new(2017, 3, 31)),
        new(new(2014, 4, 1), new(2019, 3, 31)),
        new(new(2017, 11, 30), new(2017, 11, 30)),
        new(new(2013, 1, 1), new(2019, 12, 31)),
    ];

    [Fact]
    public void the_generated_population_is_large_and_varied_enough_to_prove_anything()
    {
        Population.Count.ShouldBeGreaterThan(2_000);
        var types = Population.Select(e => e["type"]!.GetValue<string>()).ToHashSet();
        types.ShouldBe(EventTypes.All.Select(t => t.Name).Except(EventTypes.CensusRecords), ignoreOrder: true);
    }

    [Fact]
    public async Task any_order_batching_and_duplicates_give_the_in_memory_answer_for_every_window()
    {
        var reference = WindowsToCheck.ToDictionary(w => w, w => Reference(Population, w));
        foreach (var seed in new[] { 1, 2 })
        {
            var app = new CaseFlowApp();
            await app.InitializeAsync();
            try
            {
                await SendShuffledAsync(app, Population, seed);
                (await DailyCountsDisagreeingWithFactsAsync(app)).ShouldBe(0);
                (await KpiFirstInWindowTests.PreviousDatesDisagreeingAsync(app)).ShouldBe(0);
                foreach (var window in WindowsToCheck)
                {
                    var answer = await app.GetJsonAsync($"/api/kpis?from={window.From:yyyy-MM-dd}&to={window.To:yyyy-MM-dd}");
                    KpiAssert.Matches(answer["kpis"]!, reference[window], $"seed {seed}, {window}");
                }
            }
            finally
            {
                await app.DisposeAsync();
            }
        }
    }

    /// <summary>Every measure counted anywhere: the KPIs, the pathway's steps and the consent hypothesis.</summary>
    public static IReadOnlyList<Measure> MeasuresInUse { get; } =
        [.. KpiDefinitions.Measures.Concat(Reporting.PathwayFlow.Measures).Concat(Reporting.ConsentHypothesis.Measures).Distinct()];

    [Fact]
    public async Task every_measure_used_anywhere_counts_the_same_in_sql_as_in_memory()
    {
        var facts = FactsOf(Population);
        var app = new CaseFlowApp();
        await app.InitializeAsync();
        try
        {
            await SendShuffledAsync(app, Population, seed: 5);
            var query = app.Host.Services.GetRequiredService<Lscb.CaseFlow.Api.ReadModel.KpiQuery>();
            foreach (var window in WindowsToCheck)
            {
                var counted = await query.CountAsync(MeasuresInUse, window, Lscb.CaseFlow.Api.Host.TenantIds.Default, CancellationToken.None);
                foreach (var measure in MeasuresInUse)
                {
                    counted[measure].ShouldBe(measure.CountIn(facts, window), $"{measure} in {window}");
                }

                if (window.To.DayNumber - window.From.DayNumber > 360)
                {
                    counted.Values.Count(n => n > 0).ShouldBeGreaterThan(MeasuresInUse.Count / 2, $"most measures count something in {window}");
                }
            }
        }
        finally
        {
            await app.DisposeAsync();
        }
    }

    [Fact]
    public async Task every_breakdown_counts_the_same_in_sql_as_in_memory()
    {
        var units = UnitsOf(Population);
        var app = new CaseFlowApp();
        await app.InitializeAsync();
        try
        {
            await SendShuffledAsync(app, Population, seed: 6);
            var query = app.Host.Services.GetRequiredService<Lscb.CaseFlow.Api.ReadModel.BreakdownQuery>();
            var groupsSeen = 0;
            foreach (var dimension in Dimensions.All)
            {
                foreach (var window in WindowsToCheck)
                {
                    var expected = Breakdowns.Evaluate(dimension, units, window);
                    var counted = await query.RunAsync(dimension, window, Lscb.CaseFlow.Api.Host.TenantIds.Default, CancellationToken.None);
                    counted.Keys.ShouldBe(expected.Keys, ignoreOrder: true, $"{dimension} in {window}");
                    foreach (var (key, groups) in expected)
                    {
                        counted[key].Keys.ShouldBe(groups.Keys, ignoreOrder: true, $"{key} by {dimension} in {window}");
                        foreach (var (group, value) in groups)
                        {
                            counted[key][group].ShouldBe(value, $"{key} by {dimension} = {group} in {window}");
                            groupsSeen++;
                        }
                    }
                }
            }

            groupsSeen.ShouldBeGreaterThan(200, "the population gives every dimension groups to compare");
        }
        finally
        {
            await app.DisposeAsync();
        }
    }

    [Fact]
    public async Task every_cohort_lists_the_same_units_in_sql_as_in_memory()
    {
        var units = UnitsOf(Population);
        var app = new CaseFlowApp();
        await app.InitializeAsync();
        try
        {
            await SendShuffledAsync(app, Population, seed: 7);
            var query = app.Host.Services.GetRequiredService<Lscb.CaseFlow.Api.ReadModel.CohortQuery>();
            var year = WindowsToCheck[2];
            static string Line(CohortUnit u) => $"{u.ChildId}|{u.Source}|{u.EventId}|{u.OccurredOn}|{u.FamilyId}|{u.InNumerator}";
            var listed = 0;
            foreach (var kpi in KpiDefinitions.All)
            {
                var expected = Cohorts.Of(kpi, units, year).Select(Line).Order(StringComparer.Ordinal).ToList();
                var read = (await query.RunAsync(kpi, year, null, null, 100_000, Lscb.CaseFlow.Api.Host.TenantIds.Default, CancellationToken.None))
                    .Select(Line).Order(StringComparer.Ordinal).ToList();
                read.ShouldBe(expected, $"{kpi.Key} in {year}");
                listed += read.Count;
            }

            foreach (var (dimension, kpis) in Breakdowns.AppliesTo)
            {
                foreach (var kpi in kpis)
                {
                    foreach (var group in Breakdowns.Evaluate(dimension, units, year)[kpi.Key].Keys.Take(3))
                    {
                        var expected = Cohorts.Of(kpi, units, year, dimension, group).Select(Line).Order(StringComparer.Ordinal).ToList();
                        var read = (await query.RunAsync(kpi, year, dimension, group, 100_000, Lscb.CaseFlow.Api.Host.TenantIds.Default, CancellationToken.None))
                            .Select(Line).Order(StringComparer.Ordinal).ToList();
                        read.ShouldBe(expected, $"{kpi.Key} by {dimension} = {group}");
                    }
                }
            }

            listed.ShouldBeGreaterThan(1_000);
        }
        finally
        {
            await app.DisposeAsync();
        }
    }

    [Fact]
    public async Task retracting_events_gives_exactly_the_answer_of_never_sending_them()
    {
        var retracted = Population.Where(e => e["type"]!.GetValue<string>() == "retraction")
            .Select(e => e["data"]!["retractedId"]!.GetValue<string>()).ToHashSet();
        retracted.ShouldNotBeEmpty();
        var neverSent = Population
            .Where(e => e["type"]!.GetValue<string>() != "retraction" && !retracted.Contains(e["id"]!.GetValue<string>()))
            .ToList();

        var withRetractions = new CaseFlowApp();
        var without = new CaseFlowApp();
        await Task.WhenAll(withRetractions.InitializeAsync(), without.InitializeAsync());
        try
        {
            await SendShuffledAsync(withRetractions, Population, seed: 3);
            await SendShuffledAsync(without, neverSent, seed: 4);
            foreach (var window in WindowsToCheck)
            {
                var url = $"/api/kpis?from={window.From:yyyy-MM-dd}&to={window.To:yyyy-MM-dd}";
                var a = await withRetractions.GetJsonAsync(url);
                var b = await without.GetJsonAsync(url);
                a["kpis"]!.ToJsonString().ShouldBe(b["kpis"]!.ToJsonString(), window.ToString());
            }
        }
        finally
        {
            await Task.WhenAll(withRetractions.DisposeAsync(), without.DisposeAsync());
        }
    }

    [Fact]
    public void events_dated_after_the_window_change_nothing_but_its_linked_outcomes()
    {
        // Linked outcomes count whatever their date: a contact's MASH decision, an S47's conference, and the
        // start of a plan whose cease falls in the window ("whose plan has a plan-started (of any date)").
        string[] linked = ["mash-decision", "icpc", "plan-started", "retraction"];
        foreach (var window in WindowsToCheck)
        {
            var truncated = Population.Where(e =>
                    string.CompareOrdinal(e["data"]!["occurredOn"]!.GetValue<string>(), window.To.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture)) <= 0
                    || linked.Contains(e["type"]!.GetValue<string>()))
                .ToList();

            Reference(truncated, window).ToJsonString().ShouldBe(Reference(Population, window).ToJsonString(), window.ToString());
        }
    }

    /// <summary>Rows where the daily counts the KPIs sum differ from counting the facts themselves.</summary>
    private static Task<long> DailyCountsDisagreeingWithFactsAsync(CaseFlowApp app) => app.ScalarAsync("""
        select count(*) from (
            (select kind, on_date, flags, count(*) as n from caseflow.child_facts group by 1, 2, 3
             except select kind, on_date, flags, n from caseflow.fact_counts where n <> 0)
            union all
            (select kind, on_date, flags, n from caseflow.fact_counts where n <> 0
             except select kind, on_date, flags, count(*) from caseflow.child_facts group by 1, 2, 3)) d
        """);

    /// <summary>The KPIs counted in memory from every child's facts: the naive replay the SQL must equal.</summary>
    private static JsonNode Reference(IEnumerable<JsonObject> events, Window window)
    {
        var facts = FactsOf(events);
        var values = KpiDefinitions.Evaluate(facts, window, population: null);
        var answer = new JsonObject();
        foreach (var kpi in KpiDefinitions.All)
        {
            var v = values[kpi.Key];
            answer[kpi.Key] = kpi is Kpi.Count
                ? new JsonObject { ["value"] = v.Count }
                : kpi is Kpi.RatePer10k
                    ? new JsonObject { ["numerator"] = v.Numerator }
                    : new JsonObject { ["numerator"] = v.Numerator, ["denominator"] = v.Denominator, ["value"] = v.Value };
        }

        return answer;
    }

    /// <summary>Every child's facts with their units, derived in memory as the projection derives them.</summary>
    private static List<(Fact Fact, FactUnit Unit)> UnitsOf(IEnumerable<JsonObject> events) => events
        .Select((e, i) => EventMapper.ToDomain(new IncomingEvent(i, System.Text.Json.JsonSerializer.SerializeToElement(e))))
        .GroupBy(e => ChildOf(events, e))
        .SelectMany(child => ChildFacts.WithUnits(child.Key, ChildHistory.Of(child)))
        .ToList();

    /// <summary>Every child's facts, derived in memory from the events as the projection derives them.</summary>
    private static List<Fact> FactsOf(IEnumerable<JsonObject> events) => [.. UnitsOf(events).Select(u => u.Fact)];

    private static string ChildOf(IEnumerable<JsonObject> events, CaseEvent e) =>
        ChildrenById.Value[(e.Source, e.EventId)];

    private static readonly Lazy<Dictionary<(string, string), string>> ChildrenById = new(() =>
        Population.ToDictionary(e => (e["source"]!.GetValue<string>(), e["id"]!.GetValue<string>()), e => e["subject"]!.GetValue<string>()));

    /// <summary>Sends the events in a random order and batching, a fifth of them twice, each retraction after its event.</summary>
    private static async Task SendShuffledAsync(CaseFlowApp app, IReadOnlyList<JsonObject> events, int seed)
    {
        var random = new Random(seed);
        var retractions = events.Where(e => e["type"]!.GetValue<string>() == "retraction").ToList();
        var order = events.Except(retractions).OrderBy(_ => random.Next()).ToList();
        order.AddRange(retractions);
        order.AddRange(events.Where(_ => random.NextDouble() < 0.2));

        var sent = 0;
        while (sent < order.Count)
        {
            var size = random.Next(1, 400);
            await app.IngestAsync(Ce.Batch([.. order.Skip(sent).Take(size)]));
            sent += size;
        }

        using var response = await app.Client.PutAsJsonAsync("/api/reference/population/2015", new { children = 45_200 });
        response.EnsureSuccessStatusCode();
    }
}
