using Lscb.CaseFlow.Events;
using Lscb.CaseFlow.Facts;
using Lscb.CaseFlow.Journeys;
using Lscb.CaseFlow.Tests.Support;

namespace Lscb.CaseFlow.Tests.Journeys;

public class ChildHistoryTests
{
    [Fact]
    public void retracted_event_counts_nowhere()
    {
        var first = A.Referral("2015-11-17");
        var wrongChild = A.Referral("2016-04-13");
        var retraction = A.Retraction(wrongChild, on: "2016-04-20");

        var history = A.History(first, wrongChild, retraction);

        history.Live.ShouldBe([first]);
        history.IsRetracted(wrongChild).ShouldBeTrue();
        history.Retracted[wrongChild].ShouldBeSameAs(retraction);
        ChildFacts.Of("C1", history).Count(f => f.Kind == FactKind.Referral).ShouldBe(1);
    }

    [Fact]
    public void retraction_is_never_live_itself()
    {
        var contact = A.Contact("2016-08-01");
        var history = A.History(contact, A.Retraction(contact, on: "2016-08-03"));

        history.Live.ShouldBeEmpty();
        history.All<EventRetracted>().ShouldBeEmpty();
    }

    [Fact]
    public void retraction_takes_its_event_back_whatever_the_retraction_s_date()
    {
        var contact = A.Contact("2016-08-01");
        var history = A.History(contact, A.Retraction(contact, on: "2016-08-03"));

        history.AsOf(A.Day("2016-08-02")).Live.ShouldBeEmpty();
        history.AsOf(A.Day("2016-08-02")).IsRetracted(contact).ShouldBeTrue();
    }

    [Fact]
    public void retracted_retraction_restores_the_event()
    {
        var contact = A.Contact("2016-08-01");
        var retraction = A.Retraction(contact, on: "2016-08-03");
        var retractionInError = A.Retraction(retraction, on: "2016-08-05");

        var history = A.History(contact, retraction, retractionInError);

        history.Live.ShouldBe([contact]);
        history.IsRetracted(contact).ShouldBeFalse();
        history.IsRetracted(retraction).ShouldBeTrue();
    }

    [Fact]
    public void retracting_the_retraction_of_a_retraction_takes_the_event_back_again()
    {
        var contact = A.Contact("2016-08-01");
        var retraction = A.Retraction(contact);
        var second = A.Retraction(retraction);
        var third = A.Retraction(second);

        var history = A.History(contact, retraction, second, third);

        history.Live.ShouldBeEmpty();
        history.Retracted[contact].ShouldBeSameAs(retraction);
    }

    [Fact]
    public void retraction_takes_back_only_an_event_of_its_own_source()
    {
        var fromMash = A.Contact("2016-08-01") with { Source = "urn:lscb:solihull:mash", EventId = "e-1" };
        var fromLcs = A.Contact("2016-08-01", contactId: "CT-2") with { Source = "urn:lscb:solihull:lcs", EventId = "e-1" };

        var history = A.History(fromMash, fromLcs, A.Retraction(fromLcs));

        history.Live.ShouldBe([fromMash]);
    }

    [Fact]
    public void duplicate_event_is_counted_once()
    {
        var referral = A.Referral("2016-04-13");

        var history = A.History(referral, referral with { }, referral);

        history.Live.ShouldHaveSingleItem().ShouldBe(referral);
    }

    [Fact]
    public void live_events_are_in_date_order()
    {
        var plan = A.Plan("2016-05-04");
        var referral = A.Referral("2016-04-13");
        var contact = A.Contact("2016-04-12");

        A.History(plan, referral, contact).Live.ShouldBe([contact, referral, plan]);
    }

    [Fact]
    public void history_is_the_same_whatever_the_arrival_order()
    {
        var contact = A.Contact("2016-04-12");
        var sameDay = A.Referral("2016-04-12");
        var referral = A.Referral("2016-04-13");
        var retraction = A.Retraction(referral, on: "2016-05-01");
        var plan = A.Plan("2016-05-04");
        var planRetraction = A.Retraction(plan, on: "2016-05-06");
        var restored = A.Retraction(planRetraction, on: "2016-05-07");
        CaseEvent[] events = [contact, sameDay, referral, retraction, plan, planRetraction, restored];

        var inOrder = ChildHistory.Of(events);
        inOrder.Live.ShouldBe([contact, sameDay, plan]);

        foreach (var arrival in Permutations(events))
        {
            Shape(ChildHistory.Of(arrival)).ShouldBe(Shape(inOrder));
        }
    }

    [Fact]
    public void event_retracted_twice_is_taken_back_by_the_same_retraction_whatever_the_arrival_order()
    {
        var contact = A.Contact("2016-08-01");
        var first = A.Retraction(contact, on: "2016-08-03");
        var second = A.Retraction(contact, on: "2016-08-02");

        A.History(contact, first, second).Retracted[contact].ShouldBeSameAs(second);
        A.History(contact, second, first).Retracted[contact].ShouldBeSameAs(second);
    }

    [Fact]
    public void as_of_a_date_leaves_out_later_events()
    {
        var referral = A.Referral("2016-04-13");
        var plan = A.Plan("2016-05-04");
        var history = A.History(referral, plan);

        history.AsOf(A.Day("2016-05-03")).Live.ShouldBe([referral]);
        history.AsOf(A.Day("2016-05-04")).Live.ShouldBe([referral, plan]);
    }

    /// <summary>What a history says, as text: its live events in order, and which retraction took back which event.</summary>
    private static string Shape(ChildHistory history) =>
        $"live: {string.Join(", ", history.Live.Select(e => e.EventId))}; retracted: "
        + string.Join(", ", history.Retracted.Select(r => $"{r.Key.EventId} by {r.Value.EventId}").Order(StringComparer.Ordinal));

    private static IEnumerable<CaseEvent[]> Permutations(CaseEvent[] events) =>
        events.Length <= 1
            ? [events]
            : events.SelectMany((head, i) =>
                Permutations([.. events.Take(i), .. events.Skip(i + 1)]).Select(tail => (CaseEvent[])[head, .. tail]));
}
