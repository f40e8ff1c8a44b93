using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Lscb.CaseFlow.Api.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Lscb.CaseFlow.Api.Tests.Http;

/// <summary>
/// Ten thousand hostile bodies to <c>POST /api/events</c> and a few hundred hostile queries and bodies to the other
/// endpoints, built from a seed (<c>CASEFLOW_FUZZ_SEED</c> replays a run): never a 5xx, every refusal a problem, nothing
/// stored that was not acknowledged, and the service healthy afterwards.
/// </summary>
public sealed class FuzzTests(CaseFlowApp app, ITestOutputHelper output) : IClassFixture<CaseFlowApp>
{
    private const int EventBodies = 10_000;
    private const int OtherRequests = 400;
    private const int Parallelism = 8;
    private const string ProblemJson = "application/problem+json";

    private sealed record Outcome(string Request, string Kind, bool MayBeAccepted, int Status, string? MediaType, string Answer, int Accepted, IReadOnlyList<(string Source, string Id)> Ids)
    {
        public override string ToString() => $"{Request} [{Kind}] → {Status} {MediaType}: {Answer}";
    }

    [Fact]
    public async Task ten_thousand_hostile_bodies_never_get_a_5xx_and_store_nothing()
    {
        var seed = int.TryParse(Environment.GetEnvironmentVariable("CASEFLOW_FUZZ_SEED"), NumberStyles.Integer, CultureInfo.InvariantCulture, out var s)
            ? s
            : Random.Shared.Next();
        output.WriteLine($"seed {seed} (CASEFLOW_FUZZ_SEED={seed} replays it)");
        var prefix = $"FZ{seed:x8}";
        var bodies = new HostileBodies(seed, prefix);
        var storedBefore = await app.ScalarAsync("select count(*) from caseflow.event_keys");
        var clock = Stopwatch.StartNew();

        var outcomes = new ConcurrentBag<Outcome>();
        foreach (var regression in bodies.Regressions())
        {
            outcomes.Add(await PostAsync(regression, CancellationToken.None));
        }

        await Parallel.ForEachAsync(Enumerable.Range(0, EventBodies), new ParallelOptions { MaxDegreeOfParallelism = Parallelism },
            async (i, ct) => outcomes.Add(await PostAsync(bodies.Make(i), ct)));
        var eventsTook = clock.Elapsed;

        var others = new ConcurrentBag<Outcome>();
        await Parallel.ForEachAsync(Enumerable.Range(0, OtherRequests), new ParallelOptions { MaxDegreeOfParallelism = Parallelism },
            async (i, ct) => others.Add(await SendOtherAsync(new Random(unchecked((seed * 31) + i)), ct)));
        foreach (var url in NulInQueries)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, url);
            var (status, mediaType, answer) = await SendAsync(request, CancellationToken.None);
            others.Add(new Outcome($"GET {url}", "NUL in a query", true, status, mediaType, Truncate(answer), 0, []));
            status.ShouldBe(400, $"{url}: {answer}");
        }

        output.WriteLine($"{EventBodies} bodies in {eventsTook.TotalSeconds:0.0} s, {OtherRequests} other requests in {(clock.Elapsed - eventsTook).TotalSeconds:0.0} s");

        foreach (var kind in outcomes.GroupBy(o => o.Kind.Split(':', ' ')[0] + (o.Kind.StartsWith("no content", StringComparison.Ordinal) ? " content type" : ""))
                     .OrderByDescending(g => g.Count()))
        {
            output.WriteLine($"  {kind.Count(),5}× {kind.Key}: {string.Join(", ", kind.GroupBy(o => o.Status).OrderBy(g => g.Key).Select(g => $"{g.Count()}× {g.Key}"))}");
        }

        output.WriteLine($"  other endpoints: {string.Join(", ", others.GroupBy(o => o.Status).OrderBy(g => g.Key).Select(g => $"{g.Count()}× {g.Key}"))}");

        // Never a 5xx, never a hang or a dropped connection; every refusal of a body is a problem.
        var all = outcomes.Concat(others).ToList();
        all.Where(o => o.Status is < 200 or >= 300 and < 400 or >= 500).Take(20).ShouldBeEmpty();
        outcomes.Where(o => o.Status is >= 400 and < 500 && o.MediaType != ProblemJson).Take(20).ShouldBeEmpty();
        others.Where(o => o.Status is >= 400 and < 500 && o.MediaType != ProblemJson).Take(20).ShouldBeEmpty();
        outcomes.Where(o => !o.MayBeAccepted && o.Status is >= 200 and < 300).Take(20).ShouldBeEmpty("Refused by construction, yet accepted.");

        // Stored: nothing but what was acknowledged, and exactly that. SQL text in ids is stored verbatim, never run.
        var acknowledged = outcomes.Where(o => o.Status == 200).ToList();
        var acknowledgedIds = acknowledged.SelectMany(o => o.Ids).ToHashSet();
        var storedIds = await StoredKeysAsync();
        output.WriteLine($"{acknowledged.Count} bodies acknowledged ({acknowledged.Sum(o => o.Accepted)} events accepted): "
            + string.Join(", ", acknowledged.GroupBy(o => o.Kind.Split(':')[0]).Select(g => $"{g.Count()}× {g.Key}")));
        (storedIds.Count - storedBefore).ShouldBe(acknowledged.Sum(o => o.Accepted));
        storedIds.Where(k => !acknowledgedIds.Contains(k)).ShouldBeEmpty("Stored, yet never acknowledged.");
        (await app.ScalarAsync("select count(*) from caseflow.mt_events")).ShouldBe(storedIds.Count);
        (await app.ScalarAsync("select count(*) from caseflow.event_keys where tenant_id = '' or event_id ~ '[[:cntrl:]]' or source ~ '[[:cntrl:]]'")).ShouldBe(0);

        // The access log holds child ids as the contract writes them and reasons of one plain line, whatever was sent.
        (await app.ScalarAsync("""
            select count(*) from caseflow.journey_reads
            where child_id !~ '^[A-Za-z0-9_-]{1,64}$' or reason ~ '[[:cntrl:]]' or length(reason) > 500 or caller_id is null
            """)).ShouldBe(0);

        // Still healthy, and still taking valid batches.
        using (var health = await app.Client.GetAsync("/health"))
        {
            health.StatusCode.ShouldBe(HttpStatusCode.OK);
        }

        var child = $"{prefix}ok";
        var (accepted, _) = await app.IngestAsync(Ce.Batch(Ce.Contact(child, "2020-01-01", "CT-1"), Ce.Referral(child, "2020-01-02", "R-1")));
        accepted.ShouldBe(2);
        output.WriteLine($"done in {clock.Elapsed.TotalSeconds:0.0} s");
    }

    private async Task<Outcome> PostAsync(HostileBody body, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/events") { Content = new ByteArrayContent(body.Body) };
        if (body.ContentType is not null)
        {
            request.Content.Headers.TryAddWithoutValidation("Content-Type", body.ContentType);
        }

        var (status, mediaType, answer) = await SendAsync(request, ct);
        var accepted = 0;
        IReadOnlyList<(string, string)> ids = [];
        if (status == 200)
        {
            accepted = JsonDocument.Parse(answer).RootElement.GetProperty("accepted").GetInt32();
            ids = IdsOf(body.Body);
        }

        return new Outcome(body.ToString(), body.Kind, body.MayBeAccepted, status, mediaType, Truncate(answer), accepted, ids);
    }

    private async Task<(int Status, string? MediaType, string Answer)> SendAsync(HttpRequestMessage request, CancellationToken ct)
    {
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
            timeout.CancelAfter(TimeSpan.FromSeconds(30));
            using var response = await app.Client.SendAsync(request, timeout.Token);
            return ((int)response.StatusCode, response.Content.Headers.ContentType?.MediaType, await response.Content.ReadAsStringAsync(timeout.Token));
        }
        catch (Exception e) when (e is HttpRequestException or OperationCanceledException or IOException or InvalidOperationException)
        {
            // No answer: reported as status 0, which fails the test with the case that caused it.
            return (0, null, $"{e.GetType().Name}: {e.Message}");
        }
    }

    /// <summary>The (source, id) of each event of a body the API accepted (so it is a JSON array or object).</summary>
    private static List<(string, string)> IdsOf(byte[] body)
    {
        using var document = JsonDocument.Parse(body);
        var events = document.RootElement.ValueKind == JsonValueKind.Array ? document.RootElement.EnumerateArray().ToList() : [document.RootElement];
        return events.Select(e => (e.GetProperty("source").GetString()!, e.GetProperty("id").GetString()!)).ToList();
    }

    private async Task<HashSet<(string, string)>> StoredKeysAsync()
    {
        await using var connection = new Npgsql.NpgsqlConnection(app.ConnectionString);
        await connection.OpenAsync();
        await using var cmd = new Npgsql.NpgsqlCommand("select source, event_id from caseflow.event_keys", connection);
        await using var reader = await cmd.ExecuteReaderAsync();
        var keys = new HashSet<(string, string)>();
        while (await reader.ReadAsync())
        {
            keys.Add((reader.GetString(0), reader.GetString(1)));
        }

        return keys;
    }

    private static string Truncate(string text) => text.Length <= 300 ? text : text[..300] + "…";

    private static readonly string[] Values =
    [
        "", " ", "2020-01-01", "2019-04-01", "2020-02-30", "2020-13-01", "9999-12-31", "0001-01-01", "1990-01-01", "-1", "0",
        "2147483648", "99999999999999999999", "abc", "null", "[]", "{}", "1e400", "NaN", "true", "2020-01-01T00:00:00Z",
        "２０２０-01-01", "2020-1-1", "csv", "html", "markdown", "CSV", "quarter", "month", "contacts,referrals", "contacts",
        "1", "yes", "on", "False", "1.5", "-0", "0x10", "1e3", "NASEEM01", "C1\r\nforged", "C1\n", "journey", "data-quality",
        "key:0000000000000000", "jwt:https://idp.council.test|user-1", "plan-ceased-without-start", "\u0007bell", "\t",
        new string('9', 5_000), new string('x', 20_000), .. HostileBodies.Hostile,
    ];

    /// <summary>Every query value that reaches PostgreSQL as a parameter, holding U+0000 (which it cannot hold).</summary>
    private static readonly string[] NulInQueries =
    [
        "/api/data-quality?childId=a%00b", "/api/data-quality?rule=%00", "/api/children/C1/journey?reason=why%00",
        "/api/data-quality?reason=%00", "/api/audit/journey-reads?childId=%00", "/api/audit/journey-reads?keyName=%00",
        "/api/audit/journey-reads?callerId=%00", "/api/audit/journey-reads?read=%00",
    ];

    /// <summary>Percent-encodings put into a URL as they are: NUL, invalid UTF-8, header injection, broken escapes.</summary>
    private static readonly string[] RawEncodings = ["%00", "%FF%FE", "%C0%AF", "%E2%82", "%0d%0aSet-Cookie:%20x=1", "%", "%%", "%zz", "%u0041", "%2e%2e%2f"];

    private static readonly (string Path, string[] Parameters)[] Reads =
    [
        ("/api/kpis", ["from", "to", "format", "publication"]),
        ("/api/kpis/series", ["from", "to", "by", "keys", "format", "publication"]),
        ("/api/kpis/comparison", ["from", "to", "format", "publication"]),
        ("/api/pathway", ["from", "to", "format"]),
        ("/api/hypothesis/consent", ["from", "to"]),
        ("/api/reports/board", ["from", "to", "format", "publication"]),
        ("/api/children/{v}/journey", ["asOf", "reason"]),
        ("/api/data-quality", ["childId", "rule", "reason", "limit", "offset"]),
        ("/api/audit/journey-reads", ["childId", "keyName", "callerId", "read", "from", "to", "limit", "offset"]),
        ("/api/targets", []),
    ];

    private static readonly string[] Bodies =
    [
        "{\"children\":1000}", "{\"children\":-5}", "{\"children\":0}", "{\"children\":\"x\"}", "{\"children\":1e400}",
        "{\"children\":9223372036854775808}", "{\"children\":null}", "{\"children\":1.5}", "{}", "[]", "", "null", "{", "\"x\"",
        "{\"children\":1,\"x\":\"<script>alert(1)</script>\"}", "{\"target\":10,\"direction\":\"higher\"}",
        "{\"target\":\"x\",\"direction\":\"higher\"}", "{\"target\":1e400,\"limit\":null,\"direction\":\"sideways\"}",
        "{\"key\":\"'; drop table caseflow.targets; --\",\"target\":1,\"direction\":\"lower\"}", "{\"target\":null}",
        "{\"target\":5,\"limit\":\"<script>\",\"direction\":[]}", "{\"direction\":{\"$ne\":1}}", "{\"target\":-1e308,\"direction\":\"\\u0000\"}",
        "{\"children\":\"\\uD800\"}", "{\"target\":1,\"direction\":\"higher\",\"target\":2}",
    ];

    private async Task<Outcome> SendOtherAsync(Random random, CancellationToken ct)
    {
        string Value() => random.Next(6) == 0
            ? RawEncodings[random.Next(RawEncodings.Length)]
            : Uri.EscapeDataString(Values[random.Next(Values.Length)]);

        // In a path, %00 never reaches the service: Kestrel answers 400 itself, and the test server refuses to send it.
        string Segment() => Value() is var v && v == "%00" ? "%01" : v;

        HttpRequestMessage request;
        var roll = random.Next(10);
        if (roll < 6)
        {
            var (path, parameters) = Reads[random.Next(Reads.Length)];
            var query = string.Join("&", parameters.Where(_ => random.Next(4) != 0).Select(p => $"{p}={Value()}"));
            request = new HttpRequestMessage(HttpMethod.Get, path.Replace("{v}", Segment(), StringComparison.Ordinal) + (query.Length > 0 ? "?" + query : ""));
        }
        else
        {
            var (method, path) = random.Next(3) switch
            {
                0 => (HttpMethod.Put, $"/api/reference/population/{(random.Next(2) == 0 ? "2021" : Segment())}"),
                1 => (HttpMethod.Put, $"/api/targets/{(random.Next(2) == 0 ? "referrals" : Segment())}"),
                _ => (HttpMethod.Delete, $"/api/targets/{Segment()}"),
            };
            var body = random.Next(20) == 0
                ? random.Next(2) == 0 ? new string('[', 5_000) + new string(']', 5_000) : "{\"children\":\"" + new string('A', 1_000_000) + "\"}"
                : Bodies[random.Next(Bodies.Length)];
            request = new HttpRequestMessage(method, path) { Content = new ByteArrayContent(Encoding.UTF8.GetBytes(body)) };
            var type = new[] { "application/json", "application/json; charset=utf-8", "text/plain", null, "application/xml" }[random.Next(5)];
            if (type is not null)
            {
                request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(type);
            }
        }

        // Hostile headers now and then.
        if (random.Next(10) == 0)
        {
            request.Headers.TryAddWithoutValidation(random.Next(2) == 0 ? "X-Correlation-Id" : "X-Access-Reason", Values[random.Next(Values.Length)]);
        }

        var (status, mediaType, answer) = await SendAsync(request, ct);
        return new Outcome($"{request.Method} {Truncate(request.RequestUri!.OriginalString)}", "other", true, status, mediaType, Truncate(answer), 0, []);
    }
}
