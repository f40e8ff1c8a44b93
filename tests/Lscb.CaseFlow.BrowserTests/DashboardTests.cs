using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Lscb.CaseFlow.BrowserTests.Infrastructure;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace Lscb.CaseFlow.BrowserTests;

/// <summary>
/// The dashboard at <c>/</c> in a real browser against the real API with the demo data: it renders every panel for
/// Q1 2016-17 without console errors or failed requests, is usable with the keyboard, and shows Naseem's journey.
/// </summary>
public sealed partial class DashboardTests(DashboardHost host, ITestOutputHelper output) : IClassFixture<DashboardHost>
{
    private const string From = "2016-04-01";
    private const string To = "2016-06-30";

    /// <summary>The seed report's headline measures: each must have its tile.</summary>
    private static readonly string[] KeyTiles =
    [
        "contacts", "referrals", "referralRatePer10k", "reReferralRate", "contactsToAssessmentOrS47Rate", "s47ToIcpcRate",
        "childrenOnPlan", "plansOver18MonthsRate", "repeatPlansWithin2YearsRate", "childrenLookedAfter",
    ];

    private static readonly Dictionary<string, string> RagLabels = new()
    {
        ["green"] = "Meets target", ["amber"] = "Within tolerance", ["red"] = "Misses target", ["none"] = "No target set",
    };

    private static readonly string[] WindowPanels = ["overview", "pathway", "trends", "consent"];

    [Fact]
    public async Task Dashboard_shows_Q1_2016_17_with_charts_tables_keyboard_access_and_Naseems_journey()
    {
        var page = await host.Browser.NewPageAsync();
        var watch = PageWatch.On(page);
        try
        {
            await page.GotoAsync("/");
            await WaitForWindowAsync(page, "Q1 2016-17");
            (await page.Locator("#from-date").InputValueAsync()).ShouldBe(From, "the default window is Q1 2016-17, the demo data's story");
            (await page.Locator("#to-date").InputValueAsync()).ShouldBe(To);

            await KeyboardReachesTheWindowPickerAndButtonsAsync(page);

            // Pick another quarter, then Q1 2016-17, with the picker.
            await page.Locator("#fy-select").SelectOptionAsync("2015");
            await page.Locator("#period-buttons button[data-period='q1']").ClickAsync();
            await WaitForWindowAsync(page, "Q1 2015-16");
            await page.Locator("#fy-select").SelectOptionAsync("2016");
            await page.Locator("#period-buttons button[data-period='q1']").ClickAsync();
            await WaitForWindowAsync(page, "Q1 2016-17");
            (await page.Locator("#period-buttons button[data-period='q1']").GetAttributeAsync("aria-pressed")).ShouldBe("true");
            page.Url.ShouldContain($"from={From}");
            page.Url.ShouldContain($"to={To}");
            (await page.Locator("#board-report-link").GetAttributeAsync("href")).ShouldBe($"api/reports/board?from={From}&to={To}");
            (await page.Locator("#comparison-csv-link").GetAttributeAsync("href")).ShouldBe($"api/kpis/comparison?from={From}&to={To}&format=csv");
            (await page.Locator("#series-csv-link").GetAttributeAsync("href") ?? "").ShouldContain("format=csv");
            await LinksAnswerAsync(page);

            await TilesMatchTheComparisonAsync(page);
            await ChartsAreAccessibleImagesWithDataTablesAsync(page);
            await HoverTheChartsAsync(page);
            await NaseemsJourneyIsListedAsync(page);

            await page.EvaluateAsync("() => window.scrollTo(0, 0)");
            var screenshot = Path.Combine(AppContext.BaseDirectory, "TestResults", "dashboard.png");
            Directory.CreateDirectory(Path.GetDirectoryName(screenshot)!);
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = screenshot, FullPage = true });
            output.WriteLine($"Screenshot: {screenshot}");

            watch.PageErrors.ShouldBeEmpty("uncaught script errors");
            watch.ConsoleErrors.ShouldBeEmpty("console errors (a Content-Security-Policy violation is one)");
            watch.FailedRequests.ShouldBeEmpty("failed requests");
        }
        finally
        {
            await page.CloseAsync();
        }
    }

    [Fact]
    public async Task A_failing_endpoint_shows_a_message_in_its_own_panel_and_the_rest_still_works()
    {
        var page = await host.Browser.NewPageAsync();
        var watch = PageWatch.On(page);
        try
        {
            await page.RouteAsync(PathwayUrl(), route => route.FulfillAsync(new RouteFulfillOptions
            {
                Status = 404, ContentType = "application/problem+json", Body = """{"title":"Not Found","status":404}""",
            }));
            await page.RouteAsync(ConsentUrl(), route => route.FulfillAsync(new RouteFulfillOptions
            {
                Status = 500, ContentType = "text/plain", Body = "boom",
            }));

            await page.GotoAsync($"/?from={From}&to={To}");
            await WaitForStatesAsync(page, new() { ["overview"] = "ready", ["trends"] = "ready", ["pathway"] = "error", ["consent"] = "error" });

            (await page.Locator("#pathway-status").InnerTextAsync()).ShouldContain("The pathway could not be loaded.");
            (await page.Locator("#pathway-status").InnerTextAsync()).ShouldContain("404");
            (await page.Locator("#consent-status").InnerTextAsync()).ShouldContain("The consent analysis could not be loaded.");
            (await page.Locator("#consent-status").InnerTextAsync()).ShouldContain("500");
            (await page.Locator("#pathway-chart").IsVisibleAsync()).ShouldBeFalse();
            (await page.Locator(".tile").CountAsync()).ShouldBeGreaterThan(0, "the indicators still show");

            // A child with no events: a message, not a broken panel.
            await page.Locator("#child-id").FillAsync("NOBODY99");
            await page.Locator("#child-id").PressAsync("Enter");
            await WaitForStatesAsync(page, new() { ["journey"] = "error" });
            (await page.Locator("#journey-status").InnerTextAsync()).ShouldContain("No events are held for NOBODY99.");

            // A reversed window is refused in the form, with the field marked.
            await page.Locator("#from-date").FillAsync("2016-07-01");
            await page.Locator("#to-date").FillAsync("2016-06-30");
            await page.Locator("#window-apply").ClickAsync();
            (await page.Locator("#window-error").InnerTextAsync()).ShouldContain("must start on or before");
            (await page.Locator("#from-date").GetAttributeAsync("aria-invalid")).ShouldBe("true");

            watch.PageErrors.ShouldBeEmpty("uncaught script errors");
        }
        finally
        {
            await page.CloseAsync();
        }
    }

    /// <summary>From the top of a freshly loaded page, Tab reaches the skip link, the window picker and every button
    /// and link of the reporting window, each with a visible focus indicator.</summary>
    private async Task KeyboardReachesTheWindowPickerAndButtonsAsync(IPage page)
    {
        var wanted = new[]
        {
            "a.skip-link", "a[href='#overview']", "a[href='#journey']", "#fy-select", "q1", "q2", "q3", "q4", "year", "#rolling-end", "#rolling-apply",
            "#from-date", "#to-date", "#window-apply", "#board-report-link", "#comparison-csv-link", "#series-csv-link",
        };
        var reached = new List<string>();
        for (var i = 0; i < 60 && !reached.Contains("#series-csv-link"); i++)
        {
            await page.Keyboard.PressAsync("Tab");
            var stop = await page.EvaluateAsync<string>("""
                () => {
                  const e = document.activeElement;
                  const s = getComputedStyle(e);
                  const visible = (s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0) || s.boxShadow !== 'none';
                  const name = e.dataset.period || (e.id ? '#' + e.id
                    : e.tagName.toLowerCase() + (e.className ? '.' + e.className.split(' ')[0] : `[href='${e.getAttribute('href')}']`));
                  return name + '|' + visible;
                }
                """);
            var parts = stop.Split('|');
            parts[1].ShouldBe("true", $"focus is visible on {parts[0]}");
            if (!reached.Contains(parts[0]))
            {
                reached.Add(parts[0]);
            }
        }

        output.WriteLine($"Tab order: {string.Join(" → ", reached)}");
        foreach (var stop in wanted)
        {
            reached.ShouldContain(stop, $"Tab reaches {stop}");
        }

        reached.IndexOf("#fy-select").ShouldBeLessThan(reached.IndexOf("q1"));
        reached.IndexOf("#to-date").ShouldBeLessThan(reached.IndexOf("#window-apply"));

        // The quarter buttons work from the keyboard: focus Q1 and press Space.
        await page.Locator("#period-buttons button[data-period='q1']").FocusAsync();
        await page.Keyboard.PressAsync("Space");
        await WaitForWindowAsync(page, "Q1 2016-17");
    }

    /// <summary>The printable board report and the CSV downloads that the page links to answer, with the right media types.</summary>
    private async Task LinksAnswerAsync(IPage page)
    {
        using var http = new HttpClient { BaseAddress = host.BaseAddress };
        foreach (var (id, mediaType) in new[]
                 {
                     ("#board-report-link", "text/html"), ("#comparison-csv-link", "text/csv"), ("#series-csv-link", "text/csv"),
                 })
        {
            var href = await page.Locator(id).GetAttributeAsync("href") ?? "";
            using var response = await http.GetAsync(new Uri(href, UriKind.Relative));
            ((int)response.StatusCode).ShouldBe(200, $"{id} → {href}");
            response.Content.Headers.ContentType?.MediaType.ShouldBe(mediaType, $"{id} → {href}");
            (await response.Content.ReadAsStringAsync()).Length.ShouldBeGreaterThan(0);
        }
    }

    /// <summary>One tile per KPI of <c>GET /api/kpis/comparison</c>, with its value and its RAG status in words.</summary>
    private async Task TilesMatchTheComparisonAsync(IPage page)
    {
        using var http = new HttpClient { BaseAddress = host.BaseAddress };
        var comparison = await http.GetFromJsonAsync<JsonElement>(new Uri($"/api/kpis/comparison?from={From}&to={To}", UriKind.Relative));
        var kpis = comparison.GetProperty("kpis").EnumerateArray().ToList();

        (await page.Locator(".tile").CountAsync()).ShouldBe(kpis.Count, "a tile for every KPI");
        foreach (var key in KeyTiles)
        {
            (await page.Locator($".tile[data-kpi='{key}']").CountAsync()).ShouldBe(1, $"the {key} tile");
        }

        foreach (var kpi in kpis)
        {
            var key = kpi.GetProperty("key").GetString()!;
            var tile = page.Locator($".tile[data-kpi='{key}']");
            (await tile.Locator(".tile__title").InnerTextAsync()).ShouldBe(kpi.GetProperty("title").GetString());
            var status = kpi.TryGetProperty("rag", out var rag) && rag.ValueKind == JsonValueKind.Object
                ? rag.GetProperty("status").GetString()! : "none";
            (await tile.Locator(".rag").TextContentAsync() ?? "").Trim().ShouldBe(RagLabels[status], $"{key}'s status in words");
            var tileText = await tile.InnerTextAsync();
            if (kpi.GetProperty("kind").GetString() != "count"
                && kpi.TryGetProperty("previousYear", out var previous) && previous.ValueKind == JsonValueKind.Object
                && previous.TryGetProperty("value", out var previousValue) && previousValue.ValueKind == JsonValueKind.Number)
            {
                tileText.ShouldContain("Same period last year", Case.Sensitive, $"{key} shows last year's figure");
            }

            if (kpi.GetProperty("kind").GetString() != "count"
                && kpi.TryGetProperty("published", out var published) && published.ValueKind == JsonValueKind.Object
                && published.TryGetProperty("england", out var england) && england.ValueKind == JsonValueKind.Number)
            {
                tileText.ShouldContain("England", Case.Sensitive, $"{key} shows England's figure");
            }

            if (kpi.TryGetProperty("sentence", out var sentence) && sentence.ValueKind == JsonValueKind.String && sentence.GetString()!.Length > 0)
            {
                tileText.ShouldContain(sentence.GetString()!);
            }
        }

        var contacts = await page.Locator(".tile[data-kpi='contacts'] .tile__number").InnerTextAsync();
        int.Parse(contacts, NumberStyles.AllowThousands, CultureInfo.InvariantCulture).ShouldBeGreaterThan(0);
        (await page.Locator(".tile[data-kpi='reReferralRate'] .tile__number").InnerTextAsync()).ShouldEndWith("%");
    }

    /// <summary>Every drawn chart is an image with a summary, and has its numbers in an HTML table.</summary>
    private static async Task ChartsAreAccessibleImagesWithDataTablesAsync(IPage page)
    {
        var charts = page.Locator(".chart:visible");
        var count = await charts.CountAsync();
        count.ShouldBeGreaterThanOrEqualTo(3, "the pathway, at least one trend and the consent chart");
        for (var i = 0; i < count; i++)
        {
            var chart = charts.Nth(i);
            (await chart.GetAttributeAsync("role")).ShouldBe("img");
            (await chart.GetAttributeAsync("aria-label") ?? "").Length.ShouldBeGreaterThan(30, "a summary of what the chart shows");
            (await chart.Locator("canvas").CountAsync()).ShouldBeGreaterThan(0, "ECharts has drawn it");
        }

        // Asked for less motion (the browser context says so), every chart is drawn without animation.
        (await page.EvaluateAsync<bool>("""
            () => [...document.querySelectorAll('.chart')].filter(c => echarts.getInstanceByDom(c))
              .every(c => echarts.getInstanceByDom(c).getOption().animation === false)
            """)).ShouldBeTrue("ECharts animation is off under prefers-reduced-motion");

        // Content-Security-Policy friendly: no inline script, a policy that allows only this origin's scripts.
        (await page.Locator("script:not([src])").CountAsync()).ShouldBe(0);
        (await page.Locator("meta[http-equiv='Content-Security-Policy']").GetAttributeAsync("content") ?? "")
            .ShouldContain("script-src 'self'");

        (await page.Locator("#trend-charts .trend-card").CountAsync()).ShouldBeGreaterThan(0);
        (await page.Locator("#consent-sentence").InnerTextAsync()).ShouldNotBeNullOrWhiteSpace();

        // The Sankey's numbers as a real table, behind "Show data table".
        var details = page.Locator("#pathway-table-details");
        await details.Locator("summary").ClickAsync();
        (await details.GetAttributeAsync("open")).ShouldNotBeNull();
        var table = details.Locator("table").First;
        (await table.IsVisibleAsync()).ShouldBeTrue();
        (await table.Locator("caption").InnerTextAsync()).ShouldNotBeNullOrWhiteSpace();
        (await table.Locator("tbody tr").CountAsync()).ShouldBeGreaterThan(3);
        (await table.InnerTextAsync()).ShouldContain("Contacts");
        (await page.Locator("#trend-charts details.data-table table").CountAsync()).ShouldBe(await page.Locator("#trend-charts .trend-card").CountAsync());
        (await page.Locator("#consent-table table tbody tr").CountAsync()).ShouldBe(2);
        await details.Locator("summary").ClickAsync();
        (await details.GetAttributeAsync("open")).ShouldBeNull("closed again");
    }

    /// <summary>Tooltips are HTML that ECharts writes: hovering shows them without breaking the Content-Security-Policy.</summary>
    private static async Task HoverTheChartsAsync(IPage page)
    {
        foreach (var selector in new[] { "#consent-chart", "#pathway-chart", "#trend-charts .chart >> nth=0" })
        {
            var box = await page.Locator(selector).BoundingBoxAsync();
            if (box is null)
            {
                continue;
            }

            await page.Locator(selector).ScrollIntoViewIfNeededAsync();
            box = await page.Locator(selector).BoundingBoxAsync();
            foreach (var (fx, fy) in new[] { (0.3, 0.3), (0.5, 0.5), (0.4, 0.7) })
            {
                await page.Mouse.MoveAsync((float)(box!.X + (box.Width * fx)), (float)(box.Y + (box.Height * fy)));
                await page.WaitForTimeoutAsync(150);
            }
        }

        await page.Mouse.MoveAsync(0, 0);
    }

    /// <summary>Naseem's journey, first as it stood on the day of his conference, then in full with the retracted contact.</summary>
    private async Task NaseemsJourneyIsListedAsync(IPage page)
    {
        using var http = new HttpClient { BaseAddress = host.BaseAddress };
        var journey = await http.GetFromJsonAsync<JsonElement>(new Uri("/api/children/NASEEM01/journey", UriKind.Relative));
        var events = journey.GetProperty("events").EnumerateArray().ToList();

        await page.Locator("#child-id").FillAsync("NASEEM01");
        await page.Locator("#as-of").FillAsync("2016-05-04");
        await page.Locator("#child-id").PressAsync("Enter");
        await WaitForStatesAsync(page, new() { ["journey"] = "ready" });
        var dates = await page.Locator("#journey-list > li time").EvaluateAllAsync<string[]>("ts => ts.map(t => t.getAttribute('datetime'))");
        dates.Length.ShouldBe(events.Count(e => string.CompareOrdinal(e.GetProperty("occurredOn").GetString(), "2016-05-04") <= 0));
        dates.ShouldAllBe(d => string.CompareOrdinal(d, "2016-05-04") <= 0);
        (await page.Locator("#journey-list").InnerTextAsync()).ShouldContain("Initial child protection conference");

        await page.Locator("#as-of").FillAsync("");
        await page.Locator("#journey-submit").ClickAsync();
        await WaitForStatesAsync(page, new() { ["journey"] = "ready" });
        var items = page.Locator("#journey-list > li");
        (await items.CountAsync()).ShouldBe(events.Count, "every event, retracted ones too");
        var text = await page.Locator("#journey-list").InnerTextAsync();
        text.ShouldContain("Contact from a school");
        text.ShouldContain("Re-referral within 12 months");
        text.ShouldContain("Child protection plan started");

        var retracted = events.Count(e => e.GetProperty("retracted").GetBoolean());
        retracted.ShouldBeGreaterThan(0, "the demo data has a retracted contact");
        var struck = page.Locator("#journey-list > li[data-retracted='true']");
        (await struck.CountAsync()).ShouldBe(retracted);
        (await struck.First.Locator("del").CountAsync()).ShouldBe(1, "struck through");
        (await struck.First.InnerTextAsync()).ShouldContain("Retracted");
        (await page.Locator("#journey-chart canvas").CountAsync()).ShouldBeGreaterThan(0);
        (await page.Locator("#journey-badges").InnerTextAsync()).ShouldContain("On a child protection plan");
    }

    /// <summary>Waits until the window's four panels are ready for the named window, with their charts drawn.</summary>
    private static async Task WaitForWindowAsync(IPage page, string name)
    {
        await WaitForStatesAsync(page, WindowPanels.ToDictionary(p => p, _ => "ready"));
        await page.WaitForFunctionAsync("""
            name => document.getElementById('window-summary').textContent.includes(name)
              && document.querySelectorAll('.tile').length > 0
              && ['pathway-chart', 'consent-chart'].every(id => document.querySelector('#' + id + ' canvas'))
              && [...document.querySelectorAll('#trend-charts .chart')].every(c => c.querySelector('canvas'))
            """, name, new PageWaitForFunctionOptions { Timeout = 60_000 });
    }

    /// <summary>Waits for panels' <c>data-state</c>; a panel in "error" that should not be fails at once with its message.</summary>
    private static async Task WaitForStatesAsync(IPage page, Dictionary<string, string> wanted)
    {
        var deadline = DateTime.UtcNow.AddSeconds(90);
        while (true)
        {
            var states = await page.EvaluateAsync<Dictionary<string, string>>("""
                ids => Object.fromEntries(ids.map(id => [id, (document.getElementById(id).dataset.state || '') + '|'
                  + (document.getElementById(id).querySelector('.status')?.textContent || '')]))
                """, wanted.Keys.ToArray());
            var done = true;
            foreach (var (id, state) in wanted)
            {
                var (actual, message) = (states[id].Split('|')[0], states[id].Split('|', 2)[1]);
                if (actual == "error" && state != "error")
                {
                    throw new ShouldAssertException($"The '{id}' panel shows an error: {message}");
                }

                done &= actual == state;
            }

            if (done)
            {
                return;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Panels did not reach {string.Join(", ", wanted)}; they are {string.Join(", ", states)}.");
            }

            await page.WaitForTimeoutAsync(100);
        }
    }

    [GeneratedRegex(@"/api/pathway\?")]
    private static partial Regex PathwayUrl();

    [GeneratedRegex(@"/api/hypothesis/consent\?")]
    private static partial Regex ConsentUrl();
}
