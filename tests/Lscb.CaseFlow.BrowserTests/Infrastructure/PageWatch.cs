using System.Collections.Concurrent;
using Microsoft.Playwright;

namespace Lscb.CaseFlow.BrowserTests.Infrastructure;

/// <summary>Collects what would make a page broken for its user: console errors (CSP violations among them),
/// uncaught script errors, requests that failed and answers of 400 or more.</summary>
public sealed class PageWatch
{
    private readonly ConcurrentQueue<string> _consoleErrors = new();
    private readonly ConcurrentQueue<string> _pageErrors = new();
    private readonly ConcurrentQueue<string> _failedRequests = new();

    private PageWatch()
    {
    }

    public IReadOnlyCollection<string> ConsoleErrors => _consoleErrors;

    public IReadOnlyCollection<string> PageErrors => _pageErrors;

    public IReadOnlyCollection<string> FailedRequests => _failedRequests;

    public static PageWatch On(IPage page)
    {
        var watch = new PageWatch();
        page.Console += (_, message) =>
        {
            if (message.Type == "error")
            {
                watch._consoleErrors.Enqueue($"{message.Text} ({message.Location})");
            }
        };
        page.PageError += (_, error) => watch._pageErrors.Enqueue(error);
        page.RequestFailed += (_, request) => watch._failedRequests.Enqueue($"{request.Method} {request.Url}: {request.Failure}");
        page.Response += (_, response) =>
        {
            if (response.Status >= 400)
            {
                watch._failedRequests.Enqueue($"{response.Request.Method} {response.Url}: HTTP {response.Status}");
            }
        };
        return watch;
    }
}
