using System.Globalization;
using System.Text.Json.Nodes;
using Lscb.CaseFlow.Api.Tests.Infrastructure;

namespace Lscb.CaseFlow.Api.Tests.Features.Kpis;

/// <summary>
/// Children referred and families referred are counted as the referrals in a window that are their child's (family's)
/// first there, from the date of each fact's previous one kept beside it. Whatever the order, batching, ties on a date,
/// late earlier events, retractions and concurrent writers to one family, both counts equal counting distinct children
/// and families in memory, for every day-granular window around the referrals' dates.
/// </summary>
public sealed class KpiFirstInWindowTests : IAsyncLifetime
{
    private readonly CaseFlowApp _app = new();

    /// <summary>The referrals stored so far: (event, child, date, family); a retraction removes one.</summary>
    private readonly List<(JsonObject Event, string Child, DateOnly On, string? Family)> _referrals = [];

    public Task InitializeAsync() => _app.InitializeAsync();

    public Task DisposeAsync() => _app.DisposeAsync();

    [Fact]
    public async Task ties_late_earlier_referrals_and_retractions_keep_each_child_and_family_counted_once_in_every_window()
    {
        string a = Ce.Subject("A"), b = Ce.Subject("B"), c = Ce.Subject("C"), d = Ce.Subject("D"), e = Ce.Subject("E");
        const string f = "F-1", g = "F-2";

        // Siblings referred on different dates.
        await SendAsync(Referral(a, "2016-03-05", f), Referral(b, "2016-02-01", f));
        await CheckEveryWindowAsync();

        // Earlier ones arrive: two of A's on one day, B the same day (a tie across children), and a child without a family.
        await SendAsync(Referral(a, "2016-01-10", f), Referral(a, "2016-01-10", f), Referral(b, "2016-01-10", f), Referral(e, "2016-01-10", null));
        await CheckEveryWindowAsync();

        // C's later referral first, its earlier one in a later batch, before every sibling's; D referred twice on one
        // day under two families.
        await SendAsync(Referral(c, "2016-03-01", f));
        await SendAsync(Referral(c, "2015-12-31", f), Referral(d, "2016-02-01", g), Referral(d, "2016-02-01", f));
        await CheckEveryWindowAsync();

        // Retracting the family's first referral and one of a tie.
        await RetractAsync(c, new DateOnly(2015, 12, 31));
        await RetractAsync(a, new DateOnly(2016, 1, 10));
        await RetractAsync(b, new DateOnly(2016, 2, 1));
        await CheckEveryWindowAsync();
        (await PreviousDatesDisagreeingAsync(_app)).ShouldBe(0);
    }

    [Fact]
    public async Task siblings_written_by_concurrent_batches_are_ordered_within_their_family()
    {
        // 12 families of 4 children; each child's referrals go in a batch of their own, all at once, so batches
        // rewriting the same family's facts overlap.
        var random = new Random(5);
        var batches = new List<JsonArray>();
        for (var family = 0; family < 12; family++)
        {
            for (var child = 0; child < 4; child++)
            {
                var subject = Ce.Subject($"S{family}");
                var events = Enumerable.Range(0, random.Next(1, 4))
                    .Select(_ => Referral(subject, new DateOnly(2016, 1, 1).AddDays(random.Next(60)).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), $"FAM-{family}"))
                    .ToArray();
                batches.Add(Ce.Batch(events));
            }
        }

        await Task.WhenAll(batches.OrderBy(_ => random.Next()).Select(batch => _app.IngestAsync(batch)));

        (await PreviousDatesDisagreeingAsync(_app)).ShouldBe(0);
        await CheckEveryWindowAsync(step: 3);
    }

    [Fact]
    public async Task facts_written_before_the_previous_dates_existed_get_them_at_the_next_start()
    {
        string a = Ce.Subject("A"), b = Ce.Subject("B");
        await SendAsync(Referral(a, "2016-03-05", "F-1"), Referral(b, "2016-01-10", "F-1"), Referral(a, "2016-01-10", "F-1"));
        await SendAsync(Referral(b, "2016-03-05", "F-1"), Referral(b, "2015-11-30", null));

        // The table as the previous version left it; a start adds the columns and indexes (Marten), then fills them.
        await using (var connection = new Npgsql.NpgsqlConnection(_app.ConnectionString))
        {
            await connection.OpenAsync();
            await using var downgrade = new Npgsql.NpgsqlCommand("""
                drop index caseflow.ix_child_facts_family;
                drop index caseflow.ix_child_facts_window;
                alter table caseflow.child_facts drop column prev_on, drop column family_prev_on;
                create index ix_child_facts_window on caseflow.child_facts (tenant_id, kind, on_date)
                    include (flags, until_date, milestone, child_key, family_key);
                """, connection);
            await downgrade.ExecuteNonQueryAsync();
        }

        await using var restarted = await _app.StartHostAsync(null);
        (await PreviousDatesDisagreeingAsync(_app)).ShouldBe(0);
        await CheckEveryWindowAsync();
    }

    /// <summary>
    /// Rows whose previous dates differ from ordering every child's and every family's facts of each kind afresh.
    /// Compared as multisets of (group, date, previous date): which of several facts of one date gets the earlier
    /// previous date does not change any count, and that multiset is what makes every window exact.
    /// </summary>
    public static Task<long> PreviousDatesDisagreeingAsync(CaseFlowApp app) => app.ScalarAsync("""
        with stored as (
            select tenant_id, 'c' as g, child_id as id, kind, on_date, prev_on as prev from caseflow.child_facts
            union all
            select tenant_id, 'f', family_key::text, kind, on_date, family_prev_on from caseflow.child_facts where family_key is not null
        ), fresh as (
            select tenant_id, 'c' as g, child_id as id, kind, on_date,
                   lag(on_date) over (partition by tenant_id, child_id, kind order by on_date) as prev
            from caseflow.child_facts
            union all
            select tenant_id, 'f', family_key::text, kind, on_date,
                   lag(on_date) over (partition by tenant_id, family_key, kind order by on_date)
            from caseflow.child_facts where family_key is not null
        )
        select count(*) from ((table stored except all table fresh) union all (table fresh except all table stored)) d
        """);

    private JsonObject Referral(string child, string on, string? family)
    {
        var e = family is null
            ? Ce.Referral(child, on, Ce.NewId("R"))
            : Ce.Event("referral", child, on, ("referralId", Ce.NewId("R")), ("familyId", family));
        _referrals.Add((e, child, DateOnly.Parse(on, CultureInfo.InvariantCulture), family));
        return e;
    }

    private async Task SendAsync(params JsonObject[] events) => await _app.IngestAsync(Ce.Batch(events));

    private async Task RetractAsync(string child, DateOnly on)
    {
        var target = _referrals.First(r => r.Child == child && r.On == on);
        _referrals.Remove(target);
        await _app.IngestAsync(Ce.Batch(Ce.Retraction(child, "2016-06-01", target.Event["id"]!.GetValue<string>())));
    }

    /// <summary>Every window whose ends are a referral's date, the day before or the day after one.</summary>
    private async Task CheckEveryWindowAsync(int step = 1)
    {
        var dates = _referrals.SelectMany(r => new[] { r.On.AddDays(-1), r.On, r.On.AddDays(1) }).Distinct().Order().ToList();
        for (var i = 0; i < dates.Count; i += step)
        {
            for (var j = i; j < dates.Count; j += step)
            {
                var (from, to) = (dates[i], dates[j]);
                var inWindow = _referrals.Where(r => from <= r.On && r.On <= to).ToList();
                var kpis = (await _app.GetJsonAsync($"/api/kpis?from={from:yyyy-MM-dd}&to={to:yyyy-MM-dd}"))["kpis"]!;
                var window = $"{from:yyyy-MM-dd}..{to:yyyy-MM-dd}";
                kpis["childrenReferred"]!["value"]!.GetValue<long>().ShouldBe(inWindow.Select(r => r.Child).Distinct().LongCount(), window);
                kpis["referralFamilies"]!["value"]!.GetValue<long>().ShouldBe(
                    inWindow.Where(r => r.Family is not null).Select(r => r.Family).Distinct().LongCount(), window);
            }
        }
    }
}
