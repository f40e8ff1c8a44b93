using Lscb.CaseFlow.Kpis;

namespace Lscb.CaseFlow.Tests.Kpis;

public class KpiGroupsTests
{
    [Fact]
    public void every_kpi_sits_under_exactly_one_stage()
    {
        foreach (var kpi in KpiDefinitions.All)
        {
            KpiGroups.All.Count(g => g.Kpis.Contains(kpi)).ShouldBe(1, kpi.Key);
        }

        KpiGroups.Ungrouped.ShouldBeEmpty();
    }

    [Fact]
    public void conferences_sit_with_section_47_enquiries_as_in_the_board_report()
    {
        KpiGroups.Of(KpiDefinitions.Icpc).ShouldBe(KpiGroups.Enquiries);
        KpiGroups.Of(KpiDefinitions.IcpcRatePer10k).ShouldBe(KpiGroups.Enquiries);
    }

    [Fact]
    public void each_kind_names_how_its_value_reads()
    {
        KpiGroups.KindOf(KpiDefinitions.Contacts).ShouldBe("count");
        KpiGroups.KindOf(KpiDefinitions.ReReferralRate).ShouldBe("percentage");
        KpiGroups.KindOf(KpiDefinitions.S47RatePer10k).ShouldBe("rate");
    }
}
