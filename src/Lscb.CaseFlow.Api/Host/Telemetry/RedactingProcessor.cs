using System.Diagnostics;
using OpenTelemetry;

namespace Lscb.CaseFlow.Api.Host.Telemetry;

/// <summary>
/// Runs before any exporter: a child's id travels in some paths (<c>/api/children/{childId}/…</c>) and could in a query
/// string, so a span keeps the route template instead of the path and never a query; exception text (which may quote
/// input) and any recorded SQL parameter are dropped.
/// </summary>
public sealed class RedactingProcessor : BaseProcessor<Activity>
{
    public override void OnEnd(Activity data)
    {
        var route = data.GetTagItem("http.route") as string;
        List<string>? drop = null;
        foreach (var (key, _) in data.TagObjects)
        {
            if (key is "url.query" or "url.full" or "http.target" or "http.url" or "exception.message" or "exception.stacktrace"
                || key.StartsWith("db.query.parameter.", StringComparison.Ordinal)
                || key.StartsWith("db.statement.parameter", StringComparison.Ordinal)
                || key.StartsWith("http.request.header.", StringComparison.Ordinal))
            {
                (drop ??= []).Add(key);
            }
        }

        foreach (var key in drop ?? [])
        {
            data.SetTag(key, null);
        }

        if (data.GetTagItem("url.path") is not null)
        {
            // Without a matched route there is no template to show, and the path may be anything a client sent.
            data.SetTag("url.path", route);
        }

        // An error's description and an exception event's message are the database's or the framework's words, which
        // may quote what was sent: the status and the exception's type stay.
        if (data.Status == ActivityStatusCode.Error && data.StatusDescription is not null)
        {
            data.SetStatus(ActivityStatusCode.Error);
        }

        foreach (var e in data.Events)
        {
            if (e.Name == "exception" && e.Tags is ActivityTagsCollection tags)
            {
                tags.Remove("exception.message");
                tags.Remove("exception.stacktrace");
            }
        }
    }
}
