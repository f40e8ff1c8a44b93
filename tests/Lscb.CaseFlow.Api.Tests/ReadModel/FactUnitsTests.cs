using Lscb.CaseFlow.Api.Tests.Infrastructure;

namespace Lscb.CaseFlow.Api.Tests.ReadModel;

/// <summary>Each stored fact carries its unit and the unit's dimension values, for the breakdowns and cohorts.</summary>
public sealed class FactUnitsTests(CaseFlowApp app) : IClassFixture<CaseFlowApp>, IAsyncLifetime
{
    public Task InitializeAsync() => NaseemFamily.LoadAsync(app);

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task every_event_fact_names_its_event_and_every_span_its_plan_or_episode()
    {
        (await app.ScalarAsync("select count(*) from caseflow.child_facts where kind not in (11, 12, 14, 15) and (unit_source is null or unit_id is null)")).ShouldBe(0);
        (await app.ScalarAsync("select count(*) from caseflow.child_facts where kind in (11, 12, 14, 15) and unit_key is null")).ShouldBe(0);
        (await app.ScalarAsync(
            "select count(*) from caseflow.child_facts f join caseflow.event_keys k on k.tenant_id = f.tenant_id and k.source = f.unit_source and k.event_id = f.unit_id where f.kind = 2"))
            .ShouldBe(await app.ScalarAsync("select count(*) from caseflow.child_facts where kind = 2"), "each referral fact names a stored event");
    }

    [Fact]
    public async Task contacts_and_referrals_carry_their_source_and_plans_their_category()
    {
        (await app.ScalarAsync("select count(*) from caseflow.child_facts where kind in (1, 2) and referral_source is null")).ShouldBe(0);
        (await app.ScalarAsync("select count(*) from caseflow.child_facts where kind = 1 and mash_decision is null")).ShouldBe(0);
        (await app.ScalarAsync("select count(*) from caseflow.child_facts where kind in (9, 11) and category is null")).ShouldBe(0);
        (await app.ScalarAsync("select count(*) from caseflow.child_facts where kind = 11 and category = 'NEG'")).ShouldBeGreaterThan(0);
    }
}
