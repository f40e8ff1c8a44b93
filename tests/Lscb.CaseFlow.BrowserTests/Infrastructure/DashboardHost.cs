using Lscb.CaseFlow.Api.Tests.Infrastructure;
using Microsoft.Playwright;

namespace Lscb.CaseFlow.BrowserTests.Infrastructure;

/// <summary>
/// One API (child process, fresh database, demo data) and one headless Debian Chromium for a test class.
/// The browser is never downloaded: without /usr/bin/chromium the tests fail and say how to install it.
/// To iterate on the page against a service that is already running (e.g. <c>dotnet run</c> with the demo data),
/// set <c>CASEFLOW_DASHBOARD_URL</c>: then no database or API is started.
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
        }
        else
        {
            var server = await PostgresServer.SharedAsync();
            var connectionString = await server.CreateDatabaseAsync("browser");
            _api = await ApiProcess.StartAsync(connectionString);
            BaseAddress = _api.BaseAddress;
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
            AcceptDownloads = false,
        });
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
