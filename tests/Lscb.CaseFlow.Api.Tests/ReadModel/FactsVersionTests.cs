using Lscb.CaseFlow.Api.ReadModel;
using Lscb.CaseFlow.Api.Tests.Infrastructure;

namespace Lscb.CaseFlow.Api.Tests.ReadModel;

/// <summary>
/// A release that derives new facts makes every child's facts again at start, so a new KPI counts children whose
/// streams have not changed since: the facts' version, per database.
/// </summary>
public sealed class FactsVersionTests : IAsyncLifetime
{
    private readonly CaseFlowApp _app = new();

    public Task InitializeAsync() => _app.InitializeAsync();

    public Task DisposeAsync() => _app.DisposeAsync();

    [Fact]
    public async Task a_new_database_holds_this_release_s_facts_from_the_start()
    {
        (await _app.ScalarAsync($"select version from {FactsVersion.Table}")).ShouldBe(FactsWriter.Version);
    }

    [Fact]
    public async Task facts_an_older_release_wrote_are_derived_again_at_the_next_start()
    {
        await NaseemFamily.LoadAsync(_app);
        var url = "/api/kpis?from=2016-04-01&to=2017-03-31";
        var before = (await _app.GetJsonAsync(url)).ToJsonString();

        // As an older release left them: no timeliness facts at all, and its version.
        await _app.ScalarAsync($"""
            with gone as (delete from caseflow.child_facts where kind in (13, 14, 15) returning 1),
                 counts as (delete from caseflow.fact_counts where kind = 13 returning 1),
                 marked as (update {FactsVersion.Table} set version = 1 returning 1)
            select (select count(*) from gone) + (select count(*) from counts) + (select count(*) from marked)
            """);
        (await _app.GetJsonAsync(url)).ToJsonString().ShouldNotBe(before, "the damage shows");

        await using var restarted = await _app.StartHostAsync(null);
        using var client = _app.ClientFor("all", restarted);
        (await client.GetStringAsync(url)).ShouldBe(before);
        (await _app.ScalarAsync($"select version from {FactsVersion.Table}")).ShouldBe(FactsWriter.Version);
    }
}
