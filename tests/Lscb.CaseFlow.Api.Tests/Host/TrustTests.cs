using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Lscb.CaseFlow.Api.Tests.Infrastructure;

namespace Lscb.CaseFlow.Api.Tests.Host;

/// <summary>Each boundary — key, role, source, authority — crossed and refused, for every endpoint, with both authorities in one database.</summary>
public sealed class TrustTests(CaseFlowApp app) : TrustTestsOn<CaseFlowApp>(app);

/// <summary>The same boundaries with the other authority in a database of its own, on another server.</summary>
public sealed class TrustAcrossDatabasesTests(DatabasePerTenantApp app) : TrustTestsOn<DatabasePerTenantApp>(app);

public abstract class TrustTestsOn<TApp>(TApp app) : IClassFixture<TApp>, IAsyncLifetime
    where TApp : CaseFlowApp
{
    /// <summary>Every endpoint, with the roles that may call it.</summary>
    public static TheoryData<string, string, string[]> Endpoints => new()
    {
        { "POST", "/api/events", ["ingest"] },
        { "POST", "/api/imports/cin-census", ["ingest"] },
        { "POST", "/api/imports/annex-a", ["ingest"] },
        { "GET", "/api/kpis?from=2016-04-01&to=2016-06-30", ["analyst"] },
        { "GET", "/api/kpis/comparison?from=2016-04-01&to=2016-06-30", ["analyst"] },
        { "GET", "/api/kpis/series?from=2016-04-01&to=2016-06-30", ["analyst"] },
        { "GET", "/api/pathway?from=2016-04-01&to=2016-06-30", ["analyst"] },
        { "GET", "/api/hypothesis/consent?from=2016-04-01&to=2016-06-30", ["analyst"] },
        { "GET", "/api/reports/board?from=2016-04-01&to=2016-06-30", ["analyst"] },
        { "GET", "/api/targets", ["analyst", "admin"] },
        { "PUT", "/api/targets/icpc", ["admin"] },
        { "DELETE", "/api/targets/contacts", ["admin"] },
        { "PUT", "/api/reference/population/2016", ["admin"] },
        { "GET", "/api/children/NASEEM01/journey", ["auditor"] },
        { "GET", "/api/data-quality", ["auditor"] },
        { "GET", "/api/audit/journey-reads", ["admin"] },
    };

    public async Task InitializeAsync()
    {
        if (await app.StoredEventCountAsync("NASEEM01") == 0)
        {
            await app.IngestAsync(Ce.Naseem());
        }
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Theory]
    [MemberData(nameof(Endpoints))]
    public async Task without_a_valid_key_every_endpoint_is_401(string method, string url, string[] roles)
    {
        roles.ShouldNotBeEmpty();
        using var anonymous = app.ClientFor(null);
        using var none = await anonymous.SendAsync(Request(method, url));
        none.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);

        anonymous.DefaultRequestHeaders.Authorization = new("Bearer", "not-a-key-of-this-service-at-all");
        using var wrong = await anonymous.SendAsync(Request(method, url));
        wrong.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
    }

    [Theory]
    [MemberData(nameof(Endpoints))]
    public async Task a_key_without_the_role_is_403_and_a_key_with_it_gets_through(string method, string url, string[] roles)
    {
        foreach (var role in new[] { "ingest", "analyst", "auditor", "admin" })
        {
            using var client = app.ClientFor(role);
            using var response = await client.SendAsync(Request(method, url));
            if (roles.Contains(role))
            {
                response.StatusCode.ShouldNotBeOneOf([HttpStatusCode.Unauthorized, HttpStatusCode.Forbidden], $"{role} on {method} {url}");
                ((int)response.StatusCode).ShouldBeLessThan(500);
            }
            else
            {
                response.StatusCode.ShouldBe(HttpStatusCode.Forbidden, $"{role} on {method} {url}");
            }
        }
    }

    [Fact]
    public async Task a_caller_can_ask_who_it_is_and_what_it_may_do()
    {
        using var analyst = app.ClientFor("analyst");
        using var other = app.ClientFor("other-authority");

        var me = System.Text.Json.Nodes.JsonNode.Parse(await analyst.GetStringAsync("/api/me"))!;
        me["name"]!.GetValue<string>().ShouldBe("analyst");
        me["roles"]!.AsArray().Select(r => r!.GetValue<string>()).ShouldBe(["analyst"]);
        JsonNode.Parse(await other.GetStringAsync("/api/me"))!["tenant"]!.GetValue<string>().ShouldBe("E08000030");
        (await app.ClientFor(null).GetAsync("/api/me")).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task health_and_the_dashboard_answer_without_a_key()
    {
        using var anonymous = app.ClientFor(null);

        (await anonymous.GetAsync("/health")).StatusCode.ShouldBe(HttpStatusCode.OK);
        var dashboard = await anonymous.GetAsync("/");
        dashboard.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await dashboard.Content.ReadAsStringAsync()).ShouldContain("<html");
    }

    [Fact]
    public async Task an_ingest_key_may_send_only_its_own_sources_and_nothing_of_a_refused_batch_is_stored()
    {
        using var ingest = app.ClientFor("ingest");
        var child = Ce.Subject();
        var own = Ce.Contact(child, "2016-04-12", "CT-1");
        var foreign = Ce.Contact(child, "2016-04-13", "CT-2");
        foreign["source"] = "urn:lscb:elsewhere:mash";

        using var refused = await ingest.PostAsync("/api/events", Json(Ce.Batch(own, foreign)));
        refused.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await refused.Content.ReadAsStringAsync()).ShouldContain("urn:lscb:elsewhere:mash");
        (await app.StoredEventCountAsync(child)).ShouldBe(0);

        using var accepted = await ingest.PostAsync("/api/events", Json(Ce.Batch(own)));
        accepted.StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task another_authoritys_key_never_sees_this_authoritys_children()
    {
        using var other = app.ClientFor("other-authority");
        var ours = Ce.Subject();
        await app.IngestAsync(Ce.Batch(Ce.Contact(ours, "2016-04-12", "CT-1")));

        (await app.Client.GetAsync($"/api/children/{ours}/journey")).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await other.GetAsync($"/api/children/{ours}/journey")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        var kpis = JsonNode.Parse(await other.GetStringAsync("/api/kpis?from=2016-04-01&to=2016-06-30"))!;
        (await app.GetJsonAsync("/api/kpis?from=2016-04-01&to=2016-06-30"))["kpis"]!["contacts"]!["value"]!.GetValue<int>().ShouldBeGreaterThan(0);
        kpis["kpis"]!["contacts"]!["value"]!.GetValue<int>().ShouldBe(0);
        kpis["kpis"]!["childrenOnPlan"]!["value"]!.GetValue<int>().ShouldBe(0);
        var comparison = JsonNode.Parse(await other.GetStringAsync("/api/kpis/comparison?from=2016-04-01&to=2016-06-30"))!;
        comparison["kpis"]!.AsArray().Single(k => k!["key"]!.GetValue<string>() == "contacts")!["value"]!.GetValue<int>().ShouldBe(0);
        var series = JsonNode.Parse(await other.GetStringAsync("/api/kpis/series?keys=referrals&from=2016-04-01&to=2017-03-31&by=year"))!;
        series["series"]![0]!["points"]![0]!["value"]!.GetValue<double>().ShouldBe(0);
        var pathway = JsonNode.Parse(await other.GetStringAsync("/api/pathway?from=2016-04-01&to=2016-06-30"))!;
        pathway["nodes"]!.AsArray().Single(n => n!["id"]!.GetValue<string>() == "contacts")!["value"]!.GetValue<int>().ShouldBe(0);
        var hypothesis = JsonNode.Parse(await other.GetStringAsync("/api/hypothesis/consent?from=2016-04-01&to=2016-06-30"))!;
        hypothesis["afterConsentDeclined"]!["referrals"]!.GetValue<int>().ShouldBe(0);
        (await other.GetStringAsync("/api/reports/board?from=2016-04-01&to=2016-06-30&format=markdown")).ShouldContain("| Contacts | 0 |");
    }

    [Fact]
    public async Task the_same_child_id_from_another_authority_is_another_child()
    {
        using var other = app.ClientFor("other-authority");
        var theirs = Ce.Naseem().First()!.AsObject();

        using var response = await other.PostAsync("/api/events", Json(Ce.Batch(theirs)));

        (await response.Content.ReadFromJsonAsync<JsonNode>())!["accepted"]!.GetValue<int>().ShouldBe(1, "an id is unique within an authority, not across them");
        var journey = JsonNode.Parse(await other.GetStringAsync("/api/children/NASEEM01/journey"))!;
        journey["events"]!.AsArray().Count.ShouldBe(1);
        var ours = await app.GetJsonAsync("/api/children/NASEEM01/journey");
        ours["events"]!.AsArray().Count.ShouldBeGreaterThan(1);
    }

    [Fact]
    public async Task findings_targets_populations_and_the_access_log_stay_within_their_authority()
    {
        using var other = app.ClientFor("other-authority");
        var child = Ce.Subject();
        await app.IngestAsync(Ce.Batch(Ce.PlanCeased(child, "2017-01-10", "P-1")));
        (await app.Client.PutAsJsonAsync("/api/targets/icpc", new { target = 10, direction = "higher" })).EnsureSuccessStatusCode();
        (await app.Client.PutAsJsonAsync("/api/reference/population/2016", new { children = 45_260 })).EnsureSuccessStatusCode();
        (await app.Client.GetAsync($"/api/children/{child}/journey?reason=audit")).EnsureSuccessStatusCode();

        (await other.GetStringAsync($"/api/data-quality?childId={child}")).ShouldContain("\"total\":0");
        JsonNode.Parse(await other.GetStringAsync("/api/targets"))!.AsArray()
            .ShouldNotContain(t => t!["key"]!.GetValue<string>() == "icpc", "only the scorecards' defaults, none of the other authority's");
        JsonNode.Parse(await other.GetStringAsync("/api/kpis?from=2016-04-01&to=2016-06-30"))!["population"].ShouldBeNull();
        (await other.GetStringAsync($"/api/audit/journey-reads?childId={child}&read=journey")).ShouldContain("\"total\":0");
        (await other.GetStringAsync($"/api/audit/journey-reads?childId={child}")).ShouldContain("\"read\":\"data-quality\"", customMessage: "its own look, in its own log");
        (await app.Client.GetStringAsync($"/api/audit/journey-reads?childId={child}")).ShouldContain("\"total\":1");
    }

    private static HttpRequestMessage Request(string method, string url) => new(new HttpMethod(method), url)
    {
        Content = method switch
        {
            "POST" => Json(Ce.Batch(Ce.Contact(Ce.Subject(), "2016-04-12", "CT-1"))),
            "PUT" when url.Contains("population", StringComparison.Ordinal) => JsonContent.Create(new { children = 45_000 }),
            "PUT" => JsonContent.Create(new { target = 5, direction = "higher" }),
            _ => null,
        },
    };

    private static StringContent Json(JsonNode body) => new(body.ToJsonString(), Encoding.UTF8, "application/json");
}
