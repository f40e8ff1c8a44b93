using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Lscb.CaseFlow.BrowserTests.Infrastructure;

namespace Lscb.CaseFlow.FaultTests.Infrastructure;

/// <summary>A batch of valid events for distinct children, and the ids it holds.</summary>
public sealed record Batch(int Number, string Json, IReadOnlyList<string> Ids, IReadOnlyList<string> Children)
{
    public int Count => Ids.Count;

    public override string ToString() => $"batch {Number}";
}

/// <summary>What one POST of a batch got: a status (0 when no answer came), how long it took, and the acknowledgement.</summary>
public sealed record PostResult(
    Batch Batch, int Status, TimeSpan Took, string? RetryAfter, string? MediaType, int? Accepted, int? Duplicates, string? Failure)
{
    public bool Answered => Status != 0;

    public override string ToString() =>
        $"{Batch}: {(Answered ? Status.ToString(CultureInfo.InvariantCulture) : Failure)} in {Took.TotalMilliseconds:0} ms"
        + (Accepted is { } a ? $" (accepted {a}, duplicates {Duplicates})" : "");
}

/// <summary>
/// The load the fault tests put on the API: batches in which each child has a contact, a referral, a re-referral 99
/// days later and a plan, so that the KPIs they move can be counted straight from the stored events.
/// </summary>
public static class Workload
{
    public const string Source = "urn:lscb:fault:mash";

    public static readonly string[] AllRoles = ["ingest", "analyst", "auditor", "admin"];

    /// <summary>A fresh random key per run holding every role, never written anywhere but the API's environment.</summary>
    public static IReadOnlyList<TestApiKey> Keys() => [TestApiKey.Generate("fault-tests", AllRoles, ["*"])];

    /// <summary>No rate limit gets in the way of the load (the limit itself is tested elsewhere).</summary>
    public static IReadOnlyDictionary<string, string> Environment { get; } = new Dictionary<string, string>
    {
        ["CaseFlow__RateLimit__PermitsPerMinute"] = "1000000",
        ["CaseFlow__RateLimit__AnonymousPermitsPerMinute"] = "1000000",
    };

    /// <summary>A distinct prefix per run, so that nothing of one run can be mistaken for another's.</summary>
    public static string NewRun() => $"f{Guid.NewGuid():N}"[..9];

    public static Batch Make(string run, int number, int children)
    {
        var events = new JsonArray();
        var ids = new List<string>();
        var subjects = new List<string>();
        var start = new DateOnly(2018, 1, 1).AddDays(number * 3);
        for (var c = 0; c < children; c++)
        {
            var child = $"{run}B{number:D3}C{c:D2}";
            subjects.Add(child);
            var on = start.AddDays(c);
            void Add(string kind, string type, DateOnly date, params (string Field, string Value)[] data)
            {
                var id = $"{run}-b{number:D3}-c{c:D2}-{kind}";
                ids.Add(id);
                var payload = new JsonObject { ["occurredOn"] = date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) };
                foreach (var (field, value) in data)
                {
                    payload[field] = value;
                }

                events.Add(new JsonObject
                {
                    ["specversion"] = "1.0",
                    ["id"] = id,
                    ["source"] = Source,
                    ["type"] = type,
                    ["subject"] = child,
                    ["data"] = payload,
                });
            }

            Add("contact", "contact", on, ("contactId", $"CT{c}"), ("referralSource", "2A"));
            Add("referral", "referral", on.AddDays(1), ("referralId", $"R{c}a"), ("contactId", $"CT{c}"));
            Add("rereferral", "referral", on.AddDays(100), ("referralId", $"R{c}b"));
            Add("plan", "plan-started", on.AddDays(130), ("planId", $"P{c}"), ("category", "NEG"));
        }

        return new Batch(number, events.ToJsonString(), ids, subjects);
    }

    public static HttpClient Client(ApiProcess api, IReadOnlyList<TestApiKey> keys, TimeSpan timeout)
    {
        var client = new HttpClient { BaseAddress = api.BaseAddress, Timeout = timeout };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", keys[0].Key);
        return client;
    }

    /// <summary>Posts a batch; a refused connection, a reset or a timeout is an outcome too (status 0), never thrown.</summary>
    public static async Task<PostResult> PostAsync(HttpClient client, Batch batch, CancellationToken ct = default)
    {
        var clock = Stopwatch.StartNew();
        try
        {
            using var content = new StringContent(batch.Json, Encoding.UTF8);
            content.Headers.ContentType = new MediaTypeHeaderValue("application/cloudevents-batch+json");
            using var response = await client.PostAsync(new Uri("/api/events", UriKind.Relative), content, ct);
            var body = await response.Content.ReadAsStringAsync(ct);
            int? accepted = null, duplicates = null;
            if (response.StatusCode == HttpStatusCode.OK)
            {
                using var ack = JsonDocument.Parse(body);
                accepted = ack.RootElement.GetProperty("accepted").GetInt32();
                duplicates = ack.RootElement.GetProperty("duplicates").GetInt32();
            }

            return new PostResult(batch, (int)response.StatusCode, clock.Elapsed, RetryAfter(response),
                response.Content.Headers.ContentType?.MediaType, accepted, duplicates, null);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or IOException && !ct.IsCancellationRequested)
        {
            return new PostResult(batch, 0, clock.Elapsed, null, null, null, null, e.GetType().Name);
        }
    }

    public static string? RetryAfter(HttpResponseMessage response) =>
        response.Headers.TryGetValues("Retry-After", out var values) ? string.Join(",", values) : null;

    /// <summary>The KPIs over every date the workload uses, as the API answers them.</summary>
    public static async Task<KpiFigures> KpisAsync(HttpClient client)
    {
        var to = DateOnly.FromDateTime(DateTime.UtcNow).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        using var response = await client.GetAsync(new Uri($"/api/kpis?from=1990-01-01&to={to}", UriKind.Relative));
        var body = await response.Content.ReadAsStringAsync();
        response.StatusCode.ShouldBe(HttpStatusCode.OK, body);
        var kpis = JsonNode.Parse(body)!["kpis"]!;
        long Value(string key, string part = "value") => kpis[key]![part]!.GetValue<long>();
        return new KpiFigures(
            Value("contacts"), Value("referrals"), Value("childrenReferred"), Value("reReferralRate", "numerator"),
            Value("plansStarted"), Value("childrenOnPlan"));
    }

    /// <summary>The ids a child's journey lists.</summary>
    public static async Task<IReadOnlyList<string>> JourneyIdsAsync(HttpClient client, string child)
    {
        using var response = await client.GetAsync(new Uri($"/api/children/{child}/journey", UriKind.Relative));
        var body = await response.Content.ReadAsStringAsync();
        response.StatusCode.ShouldBe(HttpStatusCode.OK, body);
        return JsonNode.Parse(body)!["events"]!.AsArray().Select(e => e!["id"]!.GetValue<string>()).Order(StringComparer.Ordinal).ToList();
    }
}

/// <summary>The KPIs the workload moves.</summary>
public sealed record KpiFigures(long Contacts, long Referrals, long ChildrenReferred, long ReReferrals, long PlansStarted, long ChildrenOnPlan);
