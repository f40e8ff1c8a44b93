using System.Net;
using System.Text.Json.Nodes;
using Lscb.CaseFlow.Api.Tests.Infrastructure;
using Npgsql;

namespace Lscb.CaseFlow.Api.Tests.Features.Audit;

/// <summary>Every read that names a child (a journey, data-quality findings) is recorded, append-only, and listed to admins.</summary>
public sealed class AccessLogTests(CaseFlowApp app) : IClassFixture<CaseFlowApp>
{
    [Fact]
    public async Task every_journey_read_is_recorded_with_key_authority_child_time_and_reason()
    {
        var child = Ce.Subject();
        await app.IngestAsync(Ce.Batch(Ce.Contact(child, "2016-04-12", "CT-1")));
        using var auditor = app.ClientFor("auditor");
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/children/{child}/journey?asOf=2016-05-01");
        request.Headers.Add("X-Access-Reason", "serious case review");

        (await auditor.SendAsync(request)).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await auditor.GetAsync($"/api/children/{child}/journey?reason=supervision")).StatusCode.ShouldBe(HttpStatusCode.OK);

        var reads = (await app.GetJsonAsync($"/api/audit/journey-reads?childId={child}"))["reads"]!.AsArray();
        reads.Count.ShouldBe(2);
        reads.ShouldAllBe(r => r!["keyName"]!.GetValue<string>() == "auditor" && r["tenantId"]!.GetValue<string>() == "*DEFAULT*"
            && r["callerId"]!.GetValue<string>() == AuditorId && r["read"]!.GetValue<string>() == "journey");
        reads.Select(r => r!["reason"]!.GetValue<string>()).ShouldBe(["supervision", "serious case review"]);
        reads[1]!["asOf"]!.GetValue<string>().ShouldBe("2016-05-01");
        DateTimeOffset.Parse(reads[0]!["readAt"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture)
            .ShouldBeGreaterThan(DateTimeOffset.UtcNow.AddMinutes(-5));
    }

    [Fact]
    public async Task a_look_for_a_child_with_no_events_is_recorded_too()
    {
        var nobody = Ce.Subject("NOBODY");

        (await app.Client.GetAsync($"/api/children/{nobody}/journey")).StatusCode.ShouldBe(HttpStatusCode.NotFound);

        (await app.GetJsonAsync($"/api/audit/journey-reads?childId={nobody}"))["total"]!.GetValue<int>().ShouldBe(1);
    }

    [Fact]
    public async Task the_access_log_cannot_be_rewritten_even_by_the_database_owner()
    {
        var child = Ce.Subject();
        await app.Client.GetAsync($"/api/children/{child}/journey");
        await using var connection = new NpgsqlConnection(app.ConnectionString);
        await connection.OpenAsync();

        foreach (var sql in new[] { "update caseflow.journey_reads set reason = 'nothing to see'", "delete from caseflow.journey_reads", "truncate caseflow.journey_reads" })
        {
            await using var cmd = new NpgsqlCommand(sql, connection);
            (await Should.ThrowAsync<PostgresException>(() => cmd.ExecuteNonQueryAsync())).MessageText.ShouldContain("append-only");
        }

        (await app.GetJsonAsync($"/api/audit/journey-reads?childId={child}"))["total"]!.GetValue<int>().ShouldBe(1);
    }

    [Fact]
    public async Task the_access_log_can_be_listed_by_key_and_date()
    {
        var child = Ce.Subject();
        using var auditor = app.ClientFor("auditor");
        await auditor.GetAsync($"/api/children/{child}/journey");
        await app.Client.GetAsync($"/api/children/{child}/journey");

        var byAuditor = await app.GetJsonAsync($"/api/audit/journey-reads?childId={child}&keyName=auditor");
        byAuditor["total"]!.GetValue<int>().ShouldBe(1);
        var yesterday = DateTime.UtcNow.AddDays(-1).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        (await app.GetJsonAsync($"/api/audit/journey-reads?childId={child}&to={yesterday}"))["total"]!.GetValue<int>().ShouldBe(0);
        (await app.Client.GetAsync("/api/audit/journey-reads?limit=0")).StatusCode.ShouldBe(HttpStatusCode.BadRequest);
    }

    /// <summary>The auditor key's stable id: <c>key:</c> and the first 8 bytes of the key's SHA-256.</summary>
    private static readonly string AuditorId =
        "key:" + Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(CaseFlowApp.Keys["auditor"].Key))[..8]);

    [Fact]
    public async Task one_childs_data_quality_is_recorded_found_or_not_before_it_is_read()
    {
        var child = Ce.Subject();
        var nobody = Ce.Subject("NOBODY");
        await app.IngestAsync(Ce.Batch(Ce.PlanCeased(child, "2017-01-10", "P-1")));
        using var auditor = app.ClientFor("auditor");
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/data-quality?childId={child}");
        request.Headers.Add("X-Access-Reason", "case file review");

        (await auditor.SendAsync(request)).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await auditor.GetAsync($"/api/data-quality?childId={nobody}&reason=spot%20check")).StatusCode.ShouldBe(HttpStatusCode.OK);

        var read = (await app.GetJsonAsync($"/api/audit/journey-reads?childId={child}"))["reads"]!.AsArray().ShouldHaveSingleItem()!;
        read["read"]!.GetValue<string>().ShouldBe("data-quality");
        read["callerId"]!.GetValue<string>().ShouldBe(AuditorId);
        read["keyName"]!.GetValue<string>().ShouldBe("auditor");
        read["reason"]!.GetValue<string>().ShouldBe("case file review");
        var none = (await app.GetJsonAsync($"/api/audit/journey-reads?childId={nobody}&read=data-quality"))["reads"]!.AsArray().ShouldHaveSingleItem()!;
        none["reason"]!.GetValue<string>().ShouldBe("spot check");
        (await app.GetJsonAsync($"/api/audit/journey-reads?childId={child}&read=journey"))["total"]!.GetValue<int>().ShouldBe(0);
    }

    [Fact]
    public async Task a_listing_of_findings_records_each_child_it_names_once_and_no_other()
    {
        string a = Ce.Subject("A"), b = Ce.Subject("B");
        await app.IngestAsync(Ce.Batch(Ce.PlanCeased(a, "2017-01-10", "P-1"), Ce.PlanCeased(a, "2017-02-10", "P-2"), Ce.PlanCeased(b, "2017-01-11", "P-1")));
        using var auditor = app.ClientFor("auditor");
        var reason = $"listing {Guid.NewGuid():N}";

        var listed = JsonNode.Parse(await auditor.GetStringAsync($"/api/data-quality?rule=plan-ceased-without-start&limit=1000&reason={Uri.EscapeDataString(reason)}"))!;

        var named = listed["findings"]!.AsArray().Select(f => f!["childId"]!.GetValue<string>()).ToHashSet();
        named.ShouldContain(a);
        named.ShouldContain(b);
        var logged = await LoggedChildrenAsync(reason);
        logged.ShouldBe(named.Order(StringComparer.Ordinal).ToList(), customMessage: "one record per child the answer named, each once");
        (await app.GetJsonAsync($"/api/audit/journey-reads?childId={a}&read=data-quality&callerId={Uri.EscapeDataString(AuditorId)}"))["total"]!.GetValue<int>()
            .ShouldBe(1);

        // A page that names nobody records nobody.
        var empty = $"empty {Guid.NewGuid():N}";
        (await auditor.GetAsync($"/api/data-quality?rule=no-such-rule&reason={Uri.EscapeDataString(empty)}")).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await LoggedChildrenAsync(empty)).ShouldBeEmpty();
    }

    public static TheoryData<string, string?> Hostile => new()
    {
        { $"/api/children/{new string('A', 8_000)}/journey", null },
        { "/api/children/C1%0D%0AforgedLine/journey", null },
        { "/api/children/C1%0A/journey", null },
        { "/api/children/Naseem%20Khan/journey", null },
        { "/api/children/C1%2F..%2Fx/journey", null },
        { $"/api/children/{new string('A', 65)}/journey", null },
        { $"/api/data-quality?childId={new string('A', 8_000)}", null },
        { "/api/data-quality?childId=C1%0D%0Aforged", null },
        { "/api/data-quality?childId=", null },
        { "/api/data-quality?childId=%00", null },
        { "/api/children/C1/journey?reason=line%0Abreak", null },
        { "/api/children/C1/journey?reason=bell%07", null },
        { "/api/children/C1/journey?reason=tab%09", null },
        { $"/api/children/C1/journey?reason={new string('r', 501)}", null },
        { "/api/children/C1/journey", @"header\u001bescape" },
        { "/api/children/C1/journey", @"half \ud800 a pair" },
        { "/api/data-quality?childId=C1&reason=%0D%0Aforged", null },
        { "/api/data-quality", @"delete\u007f" },
    };

    [Theory]
    [MemberData(nameof(Hostile))]
    public async Task a_malformed_child_id_or_reason_is_400_and_nothing_is_logged(string url, string? reasonHeader)
    {
        var before = await app.ScalarAsync("select count(*) from caseflow.journey_reads");
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        if (reasonHeader is not null)
        {
            request.Headers.TryAddWithoutValidation("X-Access-Reason", System.Text.RegularExpressions.Regex.Unescape(reasonHeader));
        }

        using var response = await app.Client.SendAsync(request);

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest, url);
        (await CaseFlowApp.ProblemOf(response))["status"]!.GetValue<int>().ShouldBe(400);
        (await app.ScalarAsync("select count(*) from caseflow.journey_reads")).ShouldBe(before, "nothing logged of a refused read");
    }

    [Fact]
    public async Task two_keys_of_the_same_name_are_two_callers_in_the_access_log()
    {
        (string, string, string[], string?)[] keys =
        [
            ("dup", "test-key-dup-one-of-this-authority-0123", ["auditor", "admin"], null),
            ("dup", "test-key-dup-two-of-this-authority-0123", ["auditor", "admin"], null),
            ("dup", "test-key-dup-of-the-other-authority-0123", ["auditor", "admin"], "E08000030"),
        ];
        var same = new CaseFlowApp { MoreKeys = keys };
        await same.InitializeAsync();
        try
        {
            var child = Ce.Subject();
            foreach (var (_, key, _, _) in keys)
            {
                using var client = same.ClientWithToken(key);
                (await client.GetAsync($"/api/children/{child}/journey")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
            }

            using var admin = same.ClientWithToken(keys[0].Item2);
            var ours = JsonNode.Parse(await admin.GetStringAsync($"/api/audit/journey-reads?childId={child}"))!["reads"]!.AsArray();
            ours.Select(r => r!["keyName"]!.GetValue<string>()).ShouldBe(["dup", "dup"]);
            ours.Select(r => r!["callerId"]!.GetValue<string>()).ShouldBe([KeyId(keys[1].Item2), KeyId(keys[0].Item2)]);
            using var otherAdmin = same.ClientWithToken(keys[2].Item2);
            var theirs = JsonNode.Parse(await otherAdmin.GetStringAsync($"/api/audit/journey-reads?childId={child}"))!["reads"]!.AsArray().ShouldHaveSingleItem()!;
            theirs["callerId"]!.GetValue<string>().ShouldBe(KeyId(keys[2].Item2));
            (await admin.GetStringAsync($"/api/audit/journey-reads?callerId={Uri.EscapeDataString(KeyId(keys[1].Item2))}")).ShouldContain("\"total\":1");
        }
        finally
        {
            await same.DisposeAsync();
        }
    }

    [Fact]
    public async Task the_trigger_disabled_by_the_owner_is_back_at_the_next_start()
    {
        await using (var connection = new NpgsqlConnection(app.ConnectionString))
        {
            await connection.OpenAsync();
            await using var disable = new NpgsqlCommand("alter table caseflow.journey_reads disable trigger journey_reads_append_only", connection);
            await disable.ExecuteNonQueryAsync();
        }

        await using (var restarted = await app.StartHostAsync(null))
        {
            (await app.ScalarAsync("select count(*) from pg_trigger where tgname = 'journey_reads_append_only' and tgenabled = 'A'")).ShouldBe(1);
        }

        await using var again = new NpgsqlConnection(app.ConnectionString);
        await again.OpenAsync();
        await using var delete = new NpgsqlCommand("delete from caseflow.journey_reads", again);
        (await Should.ThrowAsync<PostgresException>(() => delete.ExecuteNonQueryAsync())).MessageText.ShouldContain("append-only");
    }

    [Fact]
    public async Task reads_recorded_before_callers_had_ids_survive_the_migration_as_journey_reads()
    {
        // The table as the previous version left it, with a read it recorded (by display name only).
        var child = Ce.Subject("OLD");
        await using (var connection = new NpgsqlConnection(app.ConnectionString))
        {
            await connection.OpenAsync();
            await using var downgrade = new NpgsqlCommand($"""
                drop index caseflow.ix_journey_reads_caller;
                alter table caseflow.journey_reads drop column caller_id, drop column read_kind;
                insert into caseflow.journey_reads (tenant_id, key_name, child_id, reason) values ('*DEFAULT*', 'auditor', '{child}', 'before');
                """, connection);
            await downgrade.ExecuteNonQueryAsync();
        }

        await using var restarted = await app.StartHostAsync(null);
        using var admin = app.ClientFor("admin", restarted);
        var read = JsonNode.Parse(await admin.GetStringAsync($"/api/audit/journey-reads?childId={child}"))!["reads"]!.AsArray().ShouldHaveSingleItem()!;
        read["read"]!.GetValue<string>().ShouldBe("journey");
        read["callerId"].ShouldBeNull();
        read["keyName"]!.GetValue<string>().ShouldBe("auditor");
        read["reason"]!.GetValue<string>().ShouldBe("before");
        (await app.ScalarAsync("select count(*) from caseflow.journey_reads where caller_id is null and read_kind = 'journey'")).ShouldBeGreaterThanOrEqualTo(1);
    }

    private static string KeyId(string key) =>
        "key:" + Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(key))[..8]);

    /// <summary>The children recorded as read (data-quality) with this reason, in order.</summary>
    private async Task<List<string>> LoggedChildrenAsync(string reason)
    {
        await using var connection = new NpgsqlConnection(app.ConnectionString);
        await connection.OpenAsync();
        await using var cmd = new NpgsqlCommand(
            "select child_id from caseflow.journey_reads where reason = @reason and read_kind = 'data-quality' order by child_id collate \"C\"", connection);
        cmd.Parameters.AddWithValue("reason", reason);
        var children = new List<string>();
        await using var reader = await cmd.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            children.Add(reader.GetString(0));
        }

        return children;
    }
}
