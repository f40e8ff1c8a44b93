using Lscb.CaseFlow.Journeys;
using Lscb.CaseFlow.Tests.Support;

namespace Lscb.CaseFlow.Tests.Journeys;

public class CareEpisodeTests
{
    [Theory]
    [InlineData("V3")]
    [InlineData("V4")]
    public void short_break_episode_is_not_looked_after(string legalStatus)
    {
        var history = A.History(A.Care("2018-09-10", legalStatus));

        Pathway.CareEpisodes(history).ShouldHaveSingleItem().IsShortBreak.ShouldBeTrue();
        Pathway.IsLookedAfterAt(history, A.Day("2018-12-31")).ShouldBeFalse();
    }

    [Theory]
    [InlineData("C2")]
    [InlineData("V2")]
    [InlineData("J1")]
    [InlineData(null)]
    public void episode_that_is_not_a_short_break_is_looked_after(string? legalStatus)
    {
        var history = A.History(A.Care("2018-09-10", legalStatus));

        Pathway.CareEpisodes(history).ShouldHaveSingleItem().IsShortBreak.ShouldBeFalse();
        Pathway.IsLookedAfterAt(history, A.Day("2018-12-31")).ShouldBeTrue();
    }

    [Fact]
    public void child_in_care_and_on_a_short_break_is_looked_after()
    {
        var history = A.History(A.Care("2018-01-10", "V3", episodeId: "L-1"), A.Care("2018-09-10", "C2", episodeId: "L-2"));

        Pathway.IsLookedAfterAt(history, A.Day("2018-12-31")).ShouldBeTrue();
    }

    [Fact]
    public void child_is_looked_after_from_the_start_until_the_day_before_the_episode_ends()
    {
        var history = A.History(A.Care("2018-09-10"), A.CareEnded("2019-02-01"));

        Pathway.IsLookedAfterAt(history, A.Day("2018-09-09")).ShouldBeFalse();
        Pathway.IsLookedAfterAt(history, A.Day("2018-09-10")).ShouldBeTrue();
        Pathway.IsLookedAfterAt(history, A.Day("2019-01-31")).ShouldBeTrue();
        Pathway.IsLookedAfterAt(history, A.Day("2019-02-01")).ShouldBeFalse();
    }

    [Fact]
    public void care_episodes_are_matched_by_episode_id()
    {
        var ended = A.CareEnded("2017-03-01", episodeId: "L-1");
        var history = A.History(A.Care("2018-09-10", episodeId: "L-2"), ended, A.Care("2016-01-04", episodeId: "L-1"));

        var episodes = Pathway.CareEpisodes(history);

        episodes.Select(e => e.EpisodeId).ShouldBe(["L-1", "L-2"]);
        episodes[0].Ended.ShouldBeSameAs(ended);
        episodes[1].Ended.ShouldBeNull();
    }

    [Fact]
    public void retracted_care_start_is_not_looked_after()
    {
        var start = A.Care("2018-09-10");

        Pathway.IsLookedAfterAt(A.History(start, A.Retraction(start)), A.Day("2018-12-31")).ShouldBeFalse();
    }
}
