using Lscb.CaseFlow.Facts;

namespace Lscb.CaseFlow.Kpis;

/// <summary>A date window, both ends inclusive. <see cref="To"/> is the date point-in-time measures are taken at.</summary>
public readonly record struct Window(DateOnly From, DateOnly To)
{
    public bool Contains(DateOnly date) => From <= date && date <= To;
}

/// <summary>
/// A whole number counted from the facts for a window: the numerator or denominator of a KPI. Each kind of
/// measure is counted the same way in memory (<see cref="CountIn"/>) and in PostgreSQL.
/// </summary>
public abstract record Measure
{
    public abstract long CountIn(IEnumerable<Fact> facts, Window window);

    /// <summary>
    /// Events (or span starts) of a kind dated in the window that have every one of <see cref="Having"/> and
    /// none of <see cref="Lacking"/>.
    /// </summary>
    public sealed record EventsIn(FactKind Kind, FactFlags Having = FactFlags.None, FactFlags Lacking = FactFlags.None) : Measure
    {
        public override long CountIn(IEnumerable<Fact> facts, Window window) => facts.LongCount(f => Counts(f, window));

        /// <summary>Whether the fact is one of the events counted.</summary>
        public bool Counts(Fact f, Window window) => f.Kind == Kind && window.Contains(f.On) && f.Has(Having) && (f.Flags & Lacking) == 0;
    }

    /// <summary>Distinct children with an event of a kind dated in the window.</summary>
    public sealed record ChildrenIn(FactKind Kind) : Measure
    {
        public override long CountIn(IEnumerable<Fact> facts, Window window) =>
            facts.Where(f => f.Kind == Kind && window.Contains(f.On)).Select(f => f.ChildId).Distinct().LongCount();
    }

    /// <summary>Distinct non-empty family ids among the events of a kind dated in the window (siblings share one).</summary>
    public sealed record FamiliesIn(FactKind Kind) : Measure
    {
        public override long CountIn(IEnumerable<Fact> facts, Window window) =>
            facts.Where(f => f.Kind == Kind && window.Contains(f.On) && !string.IsNullOrEmpty(f.FamilyId))
                .Select(f => f.FamilyId).Distinct().LongCount();
    }

    /// <summary>
    /// Distinct children with a span of a kind open at the window's end (started on or before it, not ended on
    /// or before it), leaving out spans with any of <see cref="Excluding"/>; with <see cref="MilestoneReached"/>,
    /// only spans whose milestone (a plan's 18 months) falls on or before that date.
    /// </summary>
    public sealed record ChildrenOpenAtEnd(FactKind Kind, FactFlags Excluding = FactFlags.None, bool MilestoneReached = false) : Measure
    {
        public override long CountIn(IEnumerable<Fact> facts, Window window) =>
            facts.Where(f => Counts(f, window)).Select(f => f.ChildId).Distinct().LongCount();

        /// <summary>Whether the fact is a span that puts its child in the count.</summary>
        public bool Counts(Fact f, Window window) =>
            f.Kind == Kind && f.IsOpenAt(window.To) && (f.Flags & Excluding) == 0 && (!MilestoneReached || f.Milestone <= window.To);
    }
}
