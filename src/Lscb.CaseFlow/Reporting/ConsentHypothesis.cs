using Lscb.CaseFlow.Facts;
using Lscb.CaseFlow.Kpis;
using static Lscb.CaseFlow.Kpis.Measure;

namespace Lscb.CaseFlow.Reporting;

/// <summary>
/// The seed's hypothesis: children whose parents declined consent for early help come back. Compares how often
/// referrals in the window are re-referrals when the child declined consent in the 12 months before, and otherwise.
/// </summary>
public static class ConsentHypothesis
{
    public static readonly EventsIn ReferralsAfterDeclined = new(FactKind.Referral, FactFlags.ConsentDeclinedWithin12MonthsBefore);
    public static readonly EventsIn ReReferralsAfterDeclined = new(FactKind.Referral, FactFlags.ReReferral | FactFlags.ConsentDeclinedWithin12MonthsBefore);
    public static readonly EventsIn ReferralsOtherwise = new(FactKind.Referral, Lacking: FactFlags.ConsentDeclinedWithin12MonthsBefore);
    public static readonly EventsIn ReReferralsOtherwise = new(FactKind.Referral, FactFlags.ReReferral, FactFlags.ConsentDeclinedWithin12MonthsBefore);

    public static IReadOnlyList<Measure> Measures { get; } =
        [ReferralsAfterDeclined, ReReferralsAfterDeclined, ReferralsOtherwise, ReReferralsOtherwise];

    public sealed record Group(long Referrals, long ReReferrals)
    {
        public double? Rate => Referrals == 0 ? null : 100.0 * ReReferrals / Referrals;
    }

    public sealed record Result(Group AfterConsentDeclined, Group Otherwise, string Sentence);

    public static Result Evaluate(Func<Measure, long> count)
    {
        var after = new Group(count(ReferralsAfterDeclined), count(ReReferralsAfterDeclined));
        var otherwise = new Group(count(ReferralsOtherwise), count(ReReferralsOtherwise));
        var sentence = after.Rate is null || otherwise.Rate is null
            ? "Too few referrals in this window to compare."
            : $"Referrals of children who declined consent in the previous 12 months were re-referrals {Sentences.N(after.Rate)} % of the time "
              + $"({after.ReReferrals} of {after.Referrals}), against {Sentences.N(otherwise.Rate)} % for other referrals "
              + $"({otherwise.ReReferrals} of {otherwise.Referrals}).";
        return new Result(after, otherwise, sentence);
    }
}
