using System.Collections.Concurrent;
using System.Globalization;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.RegularExpressions;
using Lscb.CaseFlow.BrowserTests.Infrastructure;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace Lscb.CaseFlow.BrowserTests;

/// <summary>
/// The dashboard at <c>/</c> in a real browser against the real API with the demo data: it asks for an API key
/// before anything else, then renders every panel for Q1 2016-17 without console errors or failed requests, is
/// usable with the keyboard, and shows Naseem's journey; a wrong key, a key refused later and a key without the
/// auditor role each get a clear message, and signing out forgets the key.
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
        "assessmentsWithin45WorkingDaysRate", "icpcWithin15WorkingDaysRate", "plansReviewedOnTimeRate",
    ];

    private static readonly Dictionary<string, string> RagLabels = new()
    {
        ["green"] = "Meets target", ["amber"] = "Within tolerance", ["red"] = "Misses target", ["none"] = "No target set",
    };

    private static readonly string[] WindowPanels = ["overview", "pathway", "trends", "consent"];

    /// <summary>Where the dashboard keeps the key: this tab's sessionStorage.</summary>
    private const string KeyItem = "caseflow.apiKey";

    [Fact]
    public async Task Dashboard_signs_in_then_shows_Q1_2016_17_with_charts_tables_keyboard_access_downloads_and_Naseems_journey()
    {
        var page = await host.Browser.NewPageAsync();
        var watch = PageWatch.On(page);
        var api = ApiRequests(page);
        try
        {
            await page.GotoAsync("/");
            await NothingIsAskedOrShownBeforeSignInAsync(page, api);
            await ScreenshotAsync(page, "sign-in.png");
            await TheSignInFormIsAccessibleAsync(page);

            await SignInAsync(page, host.AllRolesKey);
            await WaitForWindowAsync(page, "Q1 2016-17");
            (await page.EvaluateAsync<string>("() => document.activeElement.id")).ShouldBe("dashboard-heading", "focus moves to the dashboard");
            await TheKeyIsKeptInSessionStorageOnlyAsync(page, host.AllRolesKey);

            // The tab keeps its session over a reload: no sign-in form, the figures straight away.
            await page.ReloadAsync();
            await WaitForWindowAsync(page, "Q1 2016-17");
            (await page.Locator("#sign-in").IsVisibleAsync()).ShouldBeFalse();
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
            (await page.Locator("#board-report-link").GetAttributeAsync("data-href")).ShouldBe($"api/reports/board?from={From}&to={To}");
            (await page.Locator("#comparison-csv-link").GetAttributeAsync("data-href")).ShouldBe($"api/kpis/comparison?from={From}&to={To}&format=csv");
            (await page.Locator("#series-csv-link").GetAttributeAsync("data-href") ?? "").ShouldContain("format=csv");
            await DownloadsAndTheReportComeAsBlobsAsync(page);

            await TilesMatchTheComparisonAsync(page);
            await ChartsAreAccessibleImagesWithDataTablesAsync(page);
            await HoverTheChartsAsync(page);
            await NaseemsJourneyIsListedAsync(page);

            await page.EvaluateAsync("() => window.scrollTo(0, 0)");
            await ScreenshotAsync(page, "dashboard.png");

            await EveryApiRequestCarriedTheKeyAsync(api, host.AllRolesKey);
            await SigningOutForgetsTheKeyAndClearsThePageAsync(page, api);

            watch.PageErrors.ShouldBeEmpty("uncaught script errors");
            watch.ConsoleErrors.ShouldBeEmpty("console errors (a Content-Security-Policy violation is one)");
            watch.FailedRequests.ShouldBeEmpty("failed requests");
            watch.AllowedFailures.ShouldBeEmpty("nothing here is refused on purpose");
        }
        finally
        {
            await page.CloseAsync();
        }
    }

    [Fact]
    public async Task A_wrong_key_is_refused_at_sign_in_and_a_key_refused_later_returns_to_the_sign_in_form()
    {
        var page = await host.Browser.NewPageAsync();
        var watch = PageWatch.On(page)
            .Allow(401, CatalogueUrl())      // the sign-in's check of a wrong key
            .Allow(401, WindowApiUrl());   // the window's four requests with a key the service no longer accepts
        var api = ApiRequests(page);
        try
        {
            await page.GotoAsync($"/?from={From}&to={To}");
            await NothingIsAskedOrShownBeforeSignInAsync(page, api);

            // Nothing typed, or too little: said in the form, and nothing sent.
            await page.Locator("#sign-in-submit").ClickAsync();
            await SignInErrorAsync(page, "Enter your API key.");
            await page.Locator("#api-key").FillAsync("not-a-whole-key");
            await page.Locator("#api-key").PressAsync("Enter");
            await SignInErrorAsync(page, "at least 24 characters");
            api.ShouldBeEmpty("the form checks what it can without asking the service");

            // A key the service does not know: one request (401), the error, and nothing kept or shown.
            await page.Locator("#api-key").FillAsync(RandomKey());
            await page.Locator("#sign-in-submit").ClickAsync();
            await SignInErrorAsync(page, "was not accepted");
            api.Select(r => new Uri(r.Url).AbsolutePath).ShouldBe(["/api/catalogue"]);
            (await page.EvaluateAsync<string?>($"() => sessionStorage.getItem('{KeyItem}')")).ShouldBeNull("a wrong key is not kept");
            (await page.Locator("#dashboard").IsVisibleAsync()).ShouldBeFalse();
            (await page.Locator(".tile").CountAsync()).ShouldBe(0);
            await ScreenshotAsync(page, "sign-in-refused.png");

            // Signed in, then the key stops being accepted (here: the stored key replaced): the next answers are 401,
            // and the page goes back to the sign-in form, says why, and keeps nothing.
            await page.Locator("#api-key").FillAsync(host.AllRolesKey);
            await page.Locator("#sign-in-submit").ClickAsync();
            await WaitForWindowAsync(page, "Q1 2016-17");
            await page.EvaluateAsync($"key => sessionStorage.setItem('{KeyItem}', key)", RandomKey());
            await page.Locator("#period-buttons button[data-period='q2']").ClickAsync();
            await page.Locator("#sign-in").WaitForAsync(new LocatorWaitForOptions { State = WaitForSelectorState.Visible });
            await SignInErrorAsync(page, "no longer accepted");
            await page.WaitForLoadStateAsync(LoadState.NetworkIdle);
            (await page.EvaluateAsync<string?>($"() => sessionStorage.getItem('{KeyItem}')")).ShouldBeNull();
            await NoDataIsOnThePageAsync(page);

            watch.AllowedFailures.ShouldContain(f => f.StartsWith("401 GET ", StringComparison.Ordinal) && f.Contains("/api/catalogue", StringComparison.Ordinal));
            watch.AllowedFailures.ShouldContain(f => f.StartsWith("401 GET ", StringComparison.Ordinal) && f.Contains("/api/kpis/comparison?", StringComparison.Ordinal));
            watch.PageErrors.ShouldBeEmpty("uncaught script errors");
            watch.ConsoleErrors.ShouldBeEmpty("console errors other than the 401s");
            watch.FailedRequests.ShouldBeEmpty("failed requests other than the 401s");
        }
        finally
        {
            await page.CloseAsync();
        }
    }

    [Fact]
    public async Task An_analyst_key_sees_the_figures_and_is_told_a_childs_journey_needs_the_auditor_role()
    {
        var page = await host.Browser.NewPageAsync();
        var watch = PageWatch.On(page).Allow(403, JourneyUrl());
        var api = ApiRequests(page);
        try
        {
            await page.GotoAsync("/");
            await SignInAsync(page, host.AnalystKey);
            await WaitForWindowAsync(page, "Q1 2016-17");
            foreach (var key in KeyTiles)
            {
                (await page.Locator($".tile[data-kpi='{key}']").CountAsync()).ShouldBe(1, $"the {key} tile");
            }

            // The stages come from the catalogue: conferences sit with S47 enquiries, as in the board report.
            (await page.Locator("section.kpi-group:has(.tile[data-kpi='icpc']) h3").TextContentAsync()).ShouldBe("Assessment and section 47");

            await page.Locator("#child-id").FillAsync("NASEEM01");
            await page.Locator("#child-id").PressAsync("Enter");
            await WaitForStatesAsync(page, new() { ["journey"] = "forbidden" });
            var status = page.Locator("#journey-status");
            (await status.InnerTextAsync()).ShouldContain("needs the auditor role");
            (await status.GetAttributeAsync("class") ?? "").ShouldContain("status--forbidden", Case.Sensitive, "a calm note, not an error");
            (await status.GetAttributeAsync("role")).ShouldBe("status");
            (await page.Locator("#journey-result").IsVisibleAsync()).ShouldBeFalse("no part of the journey is shown");
            (await page.Locator(".tile").CountAsync()).ShouldBeGreaterThan(0, "the indicators still show");
            await WaitForStatesAsync(page, WindowPanels.ToDictionary(p => p, _ => "ready"));
            await page.Locator("#journey").ScrollIntoViewIfNeededAsync();
            await ScreenshotAsync(page, "analyst-journey.png", fullPage: false);

            await EveryApiRequestCarriedTheKeyAsync(api, host.AnalystKey);
            await SigningOutForgetsTheKeyAndClearsThePageAsync(page, api);

            watch.AllowedFailures.ShouldContain(f => f.StartsWith("403 GET ", StringComparison.Ordinal) && f.Contains("/api/children/NASEEM01/journey", StringComparison.Ordinal));
            watch.PageErrors.ShouldBeEmpty("uncaught script errors");
            watch.ConsoleErrors.ShouldBeEmpty("console errors other than the journey's 403");
            watch.FailedRequests.ShouldBeEmpty("failed requests other than the journey's 403");
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
            await SignInAsync(page, host.AllRolesKey);
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

    /// <summary>Every request the page sends to <c>/api/</c>.</summary>
    private static ConcurrentQueue<IRequest> ApiRequests(IPage page)
    {
        var requests = new ConcurrentQueue<IRequest>();
        page.Request += (_, request) =>
        {
            if (new Uri(request.Url).AbsolutePath.StartsWith("/api/", StringComparison.Ordinal))
            {
                requests.Enqueue(request);
            }
        };
        return requests;
    }

    private static string RandomKey() => Convert.ToHexString(RandomNumberGenerator.GetBytes(20));

    private static async Task ScreenshotAsync(IPage page, string name, bool fullPage = true)
    {
        var path = Path.Combine(AppContext.BaseDirectory, "TestResults", name);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = path, FullPage = fullPage });
    }

    /// <summary>Signs in through the form, as a person would.</summary>
    private static async Task SignInAsync(IPage page, string key)
    {
        await page.Locator("#sign-in").WaitForAsync(new LocatorWaitForOptions { State = WaitForSelectorState.Visible });
        await page.GetByLabel("API key", new PageGetByLabelOptions { Exact = true }).FillAsync(key);
        await page.GetByRole(AriaRole.Button, new PageGetByRoleOptions { Name = "Sign in", Exact = true }).ClickAsync();
        await page.Locator("#dashboard").WaitForAsync(new LocatorWaitForOptions { State = WaitForSelectorState.Visible });
    }

    /// <summary>The sign-in form's error says <paramref name="words"/>, is announced (role=alert), marks the field and has focus on it.</summary>
    private static async Task SignInErrorAsync(IPage page, string words)
    {
        var error = page.Locator("#sign-in-error");
        await page.WaitForFunctionAsync("words => document.getElementById('sign-in-error').textContent.includes(words)", words);
        (await error.IsVisibleAsync()).ShouldBeTrue();
        (await error.GetAttributeAsync("role")).ShouldBe("alert");
        (await page.Locator("#api-key").GetAttributeAsync("aria-invalid")).ShouldBe("true");
        (await page.Locator("#api-key").GetAttributeAsync("aria-describedby") ?? "").ShouldContain("sign-in-error");
        (await page.EvaluateAsync<string>("() => document.activeElement.id")).ShouldBe("api-key", "focus returns to the key");
    }

    /// <summary>A freshly opened page shows the sign-in form and nothing else, and has asked the API for nothing.</summary>
    private static async Task NothingIsAskedOrShownBeforeSignInAsync(IPage page, ConcurrentQueue<IRequest> api)
    {
        await page.Locator("#sign-in").WaitForAsync(new LocatorWaitForOptions { State = WaitForSelectorState.Visible });
        await page.WaitForLoadStateAsync(LoadState.NetworkIdle);
        await page.WaitForTimeoutAsync(300);
        api.ShouldBeEmpty("no API request before there is a key");
        (await page.Locator("#dashboard").IsVisibleAsync()).ShouldBeFalse("no part of the dashboard before sign-in");
        (await page.Locator("#masthead-nav").IsVisibleAsync()).ShouldBeFalse();
        (await page.Locator("#sign-out").IsVisibleAsync()).ShouldBeFalse();
        await NoDataIsOnThePageAsync(page);
        (await page.TitleAsync()).ShouldStartWith("Sign in");
    }

    private static async Task NoDataIsOnThePageAsync(IPage page)
    {
        (await page.Locator("#dashboard").IsVisibleAsync()).ShouldBeFalse();
        (await page.Locator(".tile").CountAsync()).ShouldBe(0, "no indicators");
        (await page.Locator(".chart canvas").CountAsync()).ShouldBe(0, "no charts");
        (await page.Locator("#trend-charts > *, #pathway-table > *, #consent-table > *, #journey-list > *").CountAsync()).ShouldBe(0, "no tables or journey");
        (await page.Locator("#consent-sentence").TextContentAsync()).ShouldBeNullOrEmpty();
        (await page.Locator("#authority-name").TextContentAsync()).ShouldBe("Safeguarding children partnership", "not the authority's name either");
    }

    /// <summary>A labelled password input (pasting allowed, no name so that it can never be submitted into a URL), a
    /// show/hide toggle that says what it does, and a submit button.</summary>
    private static async Task TheSignInFormIsAccessibleAsync(IPage page)
    {
        (await page.Locator("h1:visible").InnerTextAsync()).ShouldBe("Sign in to the dashboard");
        var input = page.GetByLabel("API key", new PageGetByLabelOptions { Exact = true });
        (await input.GetAttributeAsync("id")).ShouldBe("api-key");
        (await input.GetAttributeAsync("type")).ShouldBe("password");
        (await input.GetAttributeAsync("autocomplete")).ShouldBe("current-password", "a password manager may keep and fill it (WCAG 3.3.8)");
        (await input.GetAttributeAsync("name")).ShouldBeNull("an input without a name is never sent in a form's URL");
        (await input.GetAttributeAsync("aria-describedby") ?? "").ShouldContain("api-key-hint");

        var show = page.GetByRole(AriaRole.Button, new PageGetByRoleOptions { Name = "Show API key", Exact = true });
        await input.FillAsync("typed-but-not-sent-0123456789");
        await show.FocusAsync();
        await page.Keyboard.PressAsync("Enter");
        (await input.GetAttributeAsync("type")).ShouldBe("text", "shown");
        var hide = page.GetByRole(AriaRole.Button, new PageGetByRoleOptions { Name = "Hide API key", Exact = true });
        (await hide.GetAttributeAsync("aria-controls")).ShouldBe("api-key");
        (await page.Locator("#api-key-visibility").TextContentAsync()).ShouldBe("Your API key is shown.");
        await hide.ClickAsync();
        (await input.GetAttributeAsync("type")).ShouldBe("password", "hidden again");
        (await page.Locator("#api-key-visibility").TextContentAsync()).ShouldBe("Your API key is hidden.");
        (await show.CountAsync()).ShouldBe(1, "the button says Show again");
        await input.FillAsync("");

        (await page.GetByRole(AriaRole.Button, new PageGetByRoleOptions { Name = "Sign in", Exact = true }).GetAttributeAsync("type")).ShouldBe("submit");

        // Keyboard: the key, the toggle and the button in that order, each with a visible focus indicator.
        await input.FocusAsync();
        var order = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            order.Add(await page.EvaluateAsync<string>("""
                () => {
                  const e = document.activeElement, s = getComputedStyle(e);
                  return e.id + ((s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0) || s.boxShadow !== 'none' ? '' : ' (no focus indicator)');
                }
                """));
            await page.Keyboard.PressAsync("Tab");
        }

        order.ShouldBe(["api-key", "api-key-toggle", "sign-in-submit"]);
    }

    /// <summary>The key is in this tab's sessionStorage, and nowhere else the page could leave it.</summary>
    private async Task TheKeyIsKeptInSessionStorageOnlyAsync(IPage page, string key)
    {
        (await page.EvaluateAsync<string?>($"() => sessionStorage.getItem('{KeyItem}')")).ShouldBe(key);
        (await page.EvaluateAsync<int>("() => localStorage.length")).ShouldBe(0, "nothing in localStorage");
        (await page.EvaluateAsync<string>("() => document.cookie")).ShouldBeEmpty("no cookie");
        (await host.Browser.CookiesAsync([host.BaseAddress.ToString()])).ShouldBeEmpty("no cookie, from the service either");
        page.Url.ShouldNotContain(key, Case.Sensitive, "never in a URL");
        (await page.Locator("#api-key").InputValueAsync()).ShouldBeEmpty("the form forgets what was typed");
    }

    /// <summary>Every request to the API carried the key as a bearer token.</summary>
    private static async Task EveryApiRequestCarriedTheKeyAsync(ConcurrentQueue<IRequest> api, string key)
    {
        api.ShouldNotBeEmpty();
        foreach (var request in api)
        {
            var headers = await request.AllHeadersAsync();
            headers.GetValueOrDefault("authorization").ShouldBe($"Bearer {key}", $"{request.Method} {request.Url} carries the key");
            request.Url.ShouldNotContain(key, Case.Sensitive);
        }
    }

    /// <summary>Sign out: the key leaves sessionStorage, every panel is emptied, and the form says so; a reload stays signed out.</summary>
    private static async Task SigningOutForgetsTheKeyAndClearsThePageAsync(IPage page, ConcurrentQueue<IRequest> api)
    {
        await page.GetByRole(AriaRole.Button, new PageGetByRoleOptions { Name = "Sign out", Exact = true }).ClickAsync();
        await page.Locator("#sign-in").WaitForAsync(new LocatorWaitForOptions { State = WaitForSelectorState.Visible });
        await page.WaitForFunctionAsync("() => document.getElementById('sign-in-notice').textContent.includes('You have signed out')");
        (await page.EvaluateAsync<string?>($"() => sessionStorage.getItem('{KeyItem}')")).ShouldBeNull("signing out clears the key");
        (await page.EvaluateAsync<int>("() => sessionStorage.length")).ShouldBe(0);
        (await page.EvaluateAsync<string>("() => document.activeElement.id")).ShouldBe("sign-in-heading");
        (await page.Locator("#sign-in-error").IsVisibleAsync()).ShouldBeFalse("signing out is not an error");
        await NoDataIsOnThePageAsync(page);

        var before = api.Count;
        await page.ReloadAsync();
        await page.Locator("#sign-in").WaitForAsync(new LocatorWaitForOptions { State = WaitForSelectorState.Visible });
        await page.WaitForLoadStateAsync(LoadState.NetworkIdle);
        api.Count.ShouldBe(before, "still signed out after a reload: nothing asked of the API");
        await NoDataIsOnThePageAsync(page);
    }

    /// <summary>The CSV files download (fetched with the key, saved from a Blob) and the board report opens in a new tab
    /// as a Blob, styled despite the inherited Content-Security-Policy, without the key in that tab's storage.</summary>
    private static async Task DownloadsAndTheReportComeAsBlobsAsync(IPage page)
    {
        foreach (var (id, filename, firstLine) in new[]
                 {
                     ("#comparison-csv-link", $@"^kpis-{From}-to-{To}\.csv$", "kpi,title,value"),
                     ("#series-csv-link", $@"^kpi-trends-\d{{4}}-\d{{2}}-\d{{2}}-to-{To}\.csv$", ""),
                 })
        {
            var button = page.Locator(id);
            (await button.GetAttributeAsync("type")).ShouldBe("button");
            var download = await page.RunAndWaitForDownloadAsync(() => button.ClickAsync());
            download.SuggestedFilename.ShouldMatch(filename);
            download.Url.ShouldStartWith("blob:");
            var text = (await File.ReadAllTextAsync(await download.PathAsync())).TrimStart('\uFEFF');
            text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length.ShouldBeGreaterThan(2, $"{id}: a header and rows");
            text.ShouldStartWith(firstLine);
            await page.WaitForFunctionAsync("name => document.getElementById('download-status').textContent.includes(name)", download.SuggestedFilename);
        }

        var popup = await page.RunAndWaitForPopupAsync(() => page.Locator("#board-report-link").ClickAsync());
        var popupWatch = PageWatch.On(popup);
        try
        {
            await popup.WaitForURLAsync(BlobUrl());
            await popup.WaitForFunctionAsync("() => document.adoptedStyleSheets.length === 1");
            popup.Url.ShouldStartWith($"blob:{new Uri(page.Url).GetLeftPart(UriPartial.Authority)}/");
            (await popup.Locator("h1").InnerTextAsync()).ShouldNotBeNullOrWhiteSpace();
            (await popup.Locator("table").CountAsync()).ShouldBeGreaterThan(0);
            (await popup.EvaluateAsync<string>("() => getComputedStyle(document.querySelector('main')).maxWidth")).ShouldBe("960px", "the report's own style applies");
            (await popup.EvaluateAsync<int>("() => sessionStorage.length")).ShouldBe(0, "the report's tab holds no copy of the key");
            (await popup.EvaluateAsync<bool>("() => window.opener === null")).ShouldBeTrue();
            popupWatch.ConsoleErrors.ShouldBeEmpty("the report's tab has no Content-Security-Policy violation");
            popupWatch.PageErrors.ShouldBeEmpty();
        }
        finally
        {
            await popup.CloseAsync();
        }

        (await page.Locator("#download-status").TextContentAsync() ?? "").ShouldContain("board report is open in a new tab");
    }

    /// <summary>From the top of a freshly loaded page, Tab reaches the skip link, the window picker and every button
    /// and link of the reporting window, each with a visible focus indicator.</summary>
    private async Task KeyboardReachesTheWindowPickerAndButtonsAsync(IPage page)
    {
        var wanted = new[]
        {
            "a.skip-link", "a[href='#overview']", "a[href='#journey']", "#sign-out", "#fy-select", "q1", "q2", "q3", "q4", "year", "#rolling-end", "#rolling-apply",
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

        reached.IndexOf("a[href='#journey']").ShouldBeLessThan(reached.IndexOf("#sign-out"));
        reached.IndexOf("#sign-out").ShouldBeLessThan(reached.IndexOf("#fy-select"));
        reached.IndexOf("#fy-select").ShouldBeLessThan(reached.IndexOf("q1"));
        reached.IndexOf("#to-date").ShouldBeLessThan(reached.IndexOf("#window-apply"));

        // The quarter buttons work from the keyboard: focus Q1 and press Space.
        await page.Locator("#period-buttons button[data-period='q1']").FocusAsync();
        await page.Keyboard.PressAsync("Space");
        await WaitForWindowAsync(page, "Q1 2016-17");
    }

    /// <summary>One tile per KPI of <c>GET /api/kpis/comparison</c>, with its value and its RAG status in words.</summary>
    private async Task TilesMatchTheComparisonAsync(IPage page)
    {
        using var http = host.CreateClient();
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
        using var http = host.CreateClient();
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

    [GeneratedRegex(@"^http://[^/]+/api/catalogue$")]
    private static partial Regex CatalogueUrl();

    [GeneratedRegex(@"^http://[^/]+/api/(kpis/comparison|kpis/series|pathway|hypothesis/consent)\?")]
    private static partial Regex WindowApiUrl();

    [GeneratedRegex(@"^http://[^/]+/api/children/NASEEM01/journey$")]
    private static partial Regex JourneyUrl();

    [GeneratedRegex("^blob:")]
    private static partial Regex BlobUrl();
}
