using System.Collections.Concurrent;
using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace Lscb.CaseFlow.BrowserTests.Infrastructure;

/// <summary>Collects what would make a page broken for its user: console errors (CSP violations among them),
/// uncaught script errors, requests that failed and answers of 400 or more. A test that provokes an answer on
/// purpose (a wrong key's 401, a missing role's 403) allows exactly that status from exactly those URLs with
/// <see cref="Allow"/>; the answer and the console line Chromium writes for it ("Failed to load resource: the
/// server responded with a status of 401") then go to <see cref="AllowedFailures"/> instead.</summary>
public sealed partial class PageWatch
{
    private readonly ConcurrentQueue<string> _consoleErrors = new();
    private readonly ConcurrentQueue<string> _pageErrors = new();
    private readonly ConcurrentQueue<string> _failedRequests = new();
    private readonly ConcurrentQueue<string> _allowedFailures = new();
    private readonly ConcurrentQueue<(int Status, Regex Url)> _allowed = new();

    private PageWatch()
    {
    }

    public IReadOnlyCollection<string> ConsoleErrors => _consoleErrors;

    public IReadOnlyCollection<string> PageErrors => _pageErrors;

    public IReadOnlyCollection<string> FailedRequests => _failedRequests;

    /// <summary>The deliberate failures that happened, as "401 GET http://…/api/targets" and "401 console http://…".</summary>
    public IReadOnlyCollection<string> AllowedFailures => _allowedFailures;

    public static PageWatch On(IPage page)
    {
        var watch = new PageWatch();
        page.Console += (_, message) =>
        {
            if (message.Type != "error")
            {
                return;
            }

            var status = ResourceStatus().Match(message.Text);
            // The location is "URL:line:column".
            var url = LineAndColumn().Replace(message.Location, "");
            if (status.Success && watch.IsAllowed(int.Parse(status.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture), url))
            {
                watch._allowedFailures.Enqueue($"{status.Groups[1].Value} console {message.Location}");
                return;
            }

            watch._consoleErrors.Enqueue($"{message.Text} ({message.Location})");
        };
        page.PageError += (_, error) => watch._pageErrors.Enqueue(error);
        page.RequestFailed += (_, request) => watch._failedRequests.Enqueue($"{request.Method} {request.Url}: {request.Failure}");
        page.Response += (_, response) =>
        {
            if (response.Status < 400)
            {
                return;
            }

            if (watch.IsAllowed(response.Status, response.Url))
            {
                watch._allowedFailures.Enqueue($"{response.Status} {response.Request.Method} {response.Url}");
                return;
            }

            watch._failedRequests.Enqueue($"{response.Request.Method} {response.Url}: HTTP {response.Status}");
        };
        return watch;
    }

    /// <summary>Expects answers of <paramref name="status"/> from URLs matching <paramref name="url"/>, and nothing else.</summary>
    public PageWatch Allow(int status, Regex url)
    {
        _allowed.Enqueue((status, url));
        return this;
    }

    private bool IsAllowed(int status, string url) => _allowed.Any(a => a.Status == status && a.Url.IsMatch(url));

    [GeneratedRegex(@":\d+:\d+$")]
    private static partial Regex LineAndColumn();

    [GeneratedRegex(@"^Failed to load resource: the server responded with a status of (\d{3})\b")]
    private static partial Regex ResourceStatus();
}
