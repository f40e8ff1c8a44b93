using System.Net.Http.Headers;
using Lscb.CaseFlow.Api.Tests.Infrastructure;
using Microsoft.Playwright;

namespace Lscb.CaseFlow.BrowserTests.Infrastructure;

/// <summary>
/// One API (child process, fresh database, demo data) and one headless Debian Chromium for a test class.
/// The API gets two keys made up for the run: one with every role, one with the analyst role only.
/// The browser is never downloaded: without /usr/bin/chromium the tests fail and say how to install it.
/// To iterate on the page against a service that is already running (e.g. <c>deploy/local/run.sh</c>),
/// set <c>CASEFLOW_DASHBOARD_URL</c>: then no database or API is started, the key with every role is
/// <c>CASEFLOW_DASHBOARD_KEY</c> (else <c>.local/dev-api-key</c>, as run.sh writes it) and the analyst's is
/// <c>CASEFLOW_DASHBOARD_ANALYST_KEY</c> (the test that needs it fails without it).
/// </summary>
public sealed class DashboardHost : IAsyncLifetime
{
    public const string ChromiumPath = "/usr/bin/chromium";

    private static readonly string[] ChromiumArgs =
    [
        "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
    ];

    private IPlaywright? _playwright;
    private string? _userDataDir;
    private ApiProcess? _api;

    public IBrowserContext Browser { get; private set; } = null!;

    public Uri BaseAddress { get; private set; } = null!;

    /// <summary>A key with the ingest, analyst, auditor and admin roles.</summary>
    public string AllRolesKey { get; private set; } = null!;

    /// <summary>A key with the analyst role only: figures, but no child's journey.</summary>
    public string AnalystKey => _analystKey
        ?? throw new InvalidOperationException("Set CASEFLOW_DASHBOARD_ANALYST_KEY to a key of the running service with the analyst role only.");

    private string? _analystKey;

    /// <summary>A client of the API with a key (the one with every role unless another is given).</summary>
    public HttpClient CreateClient(string? key = null)
    {
        var http = new HttpClient { BaseAddress = BaseAddress };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key ?? AllRolesKey);
        return http;
    }

    public async Task InitializeAsync()
    {
        if (!File.Exists(ChromiumPath))
        {
            throw new InvalidOperationException(
                $"Debian's Chromium is not installed ({ChromiumPath} is missing), and the browser tests never download a browser. " +
                "Run: apt-get install -y chromium (deploy/local/test.sh does this for you).");
        }

        if (Environment.GetEnvironmentVariable("CASEFLOW_DASHBOARD_URL") is { Length: > 0 } running)
        {
            BaseAddress = new Uri(running);
            AllRolesKey = Environment.GetEnvironmentVariable("CASEFLOW_DASHBOARD_KEY") is { Length: > 0 } key ? key : DevelopmentKey();
            _analystKey = Environment.GetEnvironmentVariable("CASEFLOW_DASHBOARD_ANALYST_KEY") is { Length: > 0 } analyst ? analyst : null;
        }
        else
        {
            var allRoles = TestApiKey.Generate("browser-all-roles", ["ingest", "analyst", "auditor", "admin"], ["*"]);
            var analystOnly = TestApiKey.Generate("browser-analyst", ["analyst"], []);
            var server = await PostgresServer.SharedAsync();
            var connectionString = await server.CreateDatabaseAsync("browser");
            _api = await ApiProcess.StartAsync(connectionString, [allRoles, analystOnly]);
            BaseAddress = _api.BaseAddress;
            AllRolesKey = allRoles.Key;
            _analystKey = analystOnly.Key;
        }

        _playwright = await Playwright.CreateAsync();
        _userDataDir = Directory.CreateTempSubdirectory("caseflow-chromium-").FullName;
        Browser = await _playwright.Chromium.LaunchPersistentContextAsync(_userDataDir, new BrowserTypeLaunchPersistentContextOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            Args = ChromiumArgs,
            ViewportSize = new ViewportSize { Width = 1440, Height = 900 },
            Locale = "en-GB",
            TimezoneId = "Europe/London",
            ColorScheme = ColorScheme.Light,
            // The dashboard turns ECharts' animation off for people who ask for less motion; the test asks too.
            ReducedMotion = ReducedMotion.Reduce,
            BaseURL = BaseAddress.ToString(),
            // The CSV files are downloads (Blobs): the test reads what was saved.
            AcceptDownloads = true,
        });
    }

    /// <summary>The key deploy/local/run.sh made for the local service.</summary>
    private static string DevelopmentKey()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Lscb.CaseFlow.sln")))
        {
            dir = dir.Parent;
        }

        var file = dir is null ? null : Path.Combine(dir.FullName, ".local", "dev-api-key");
        return file is not null && File.Exists(file)
            ? File.ReadAllText(file).Trim()
            : throw new InvalidOperationException("With CASEFLOW_DASHBOARD_URL, set CASEFLOW_DASHBOARD_KEY (or run deploy/local/run.sh, which writes .local/dev-api-key).");
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.DisposeAsync();
        }

        _playwright?.Dispose();
        if (_api is not null)
        {
            await _api.DisposeAsync();
        }

        if (_userDataDir is not null)
        {
            try
            {
                Directory.Delete(_userDataDir, recursive: true);
            }
            catch (IOException)
            {
                // Chromium may still be letting go of a file; the folder is in the temp directory anyway.
            }
        }
    }
}
