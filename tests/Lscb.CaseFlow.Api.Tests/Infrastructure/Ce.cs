using System.Text.Json.Nodes;

namespace Lscb.CaseFlow.Api.Tests.Infrastructure;

/// <summary>Terse CloudEvents for tests: <c>Ce.Event("referral", "C1", "2016-04-13", ("referralId", "R1"))</c>.</summary>
public static class Ce
{
    public const string Mash = "urn:lscb:test:mash";

    private static int _next;

    public static string NewId(string prefix = "ev") => $"{prefix}-{Interlocked.Increment(ref _next):D6}-{Guid.NewGuid():N}"[..40];

    public static JsonObject Event(string type, string subject, string occurredOn, params (string Field, JsonNode? Value)[] data) =>
        EventWithId(NewId(type), type, subject, occurredOn, data);

    public static JsonObject EventWithId(string id, string type, string subject, string occurredOn, params (string Field, JsonNode? Value)[] data)
    {
        var payload = new JsonObject { ["occurredOn"] = occurredOn };
        foreach (var (field, value) in data)
        {
            payload[field] = value;
        }

        return new JsonObject
        {
            ["specversion"] = "1.0",
            ["id"] = id,
            ["source"] = Mash,
            ["type"] = type,
            ["subject"] = subject,
            ["data"] = payload,
        };
    }

    public static JsonObject Contact(string subject, string on, string contactId) =>
        Event("contact", subject, on, ("contactId", contactId), ("referralSource", "2A"));

    public static JsonObject Referral(string subject, string on, string referralId) =>
        Event("referral", subject, on, ("referralId", referralId));

    public static JsonObject PlanStarted(string subject, string on, string planId) =>
        Event("plan-started", subject, on, ("planId", planId), ("category", "NEG"));

    public static JsonObject PlanCeased(string subject, string on, string planId) =>
        Event("plan-ceased", subject, on, ("planId", planId));

    public static JsonObject Retraction(string subject, string on, string retractedId) =>
        Event("retraction", subject, on, ("retractedId", retractedId), ("reason", "recorded in error"));

    public static JsonArray Batch(params JsonNode[] events) => new(events.Select(e => e.DeepClone()).ToArray());

    public static string Subject(string prefix = "C") => $"{prefix}{Guid.NewGuid():N}"[..24];

    /// <summary>Naseem's family, as the shared fixture holds it.</summary>
    public static JsonArray Naseem() => (JsonArray)JsonNode.Parse(File.ReadAllText(SharedFile("fixtures/naseem.json")))!;

    public static string SharedFile(string relative)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            foreach (var candidate in new[] { Path.Combine(dir.FullName, "shared", relative), Path.Combine(dir.FullName, "..", "shared", relative) })
            {
                if (File.Exists(candidate))
                {
                    return Path.GetFullPath(candidate);
                }
            }
        }

        throw new FileNotFoundException($"shared/{relative} was not found beside the repository.");
    }
}
