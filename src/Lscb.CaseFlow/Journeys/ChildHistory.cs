using Lscb.CaseFlow.Events;

namespace Lscb.CaseFlow.Journeys;

/// <summary>
/// One child's events with retractions resolved: what counts (<see cref="Live"/>) and what was
/// recorded in error (<see cref="Retracted"/>). Built the same way whatever order the events arrived in,
/// so every rule that reads it is order-independent.
/// </summary>
public sealed class ChildHistory
{
    private ChildHistory(IReadOnlyList<CaseEvent> live, IReadOnlyDictionary<CaseEvent, EventRetracted> retracted)
    {
        Live = live;
        Retracted = retracted;
    }

    /// <summary>Events that count, retractions excluded, in pathway order (date, then source and id).</summary>
    public IReadOnlyList<CaseEvent> Live { get; }

    /// <summary>Each retracted event with the retraction that took it back.</summary>
    public IReadOnlyDictionary<CaseEvent, EventRetracted> Retracted { get; }

    public static ChildHistory Of(IEnumerable<CaseEvent> events)
    {
        var byKey = new Dictionary<(string Source, string Id), CaseEvent>();
        foreach (var e in events)
        {
            byKey.TryAdd((e.Source, e.EventId), e);
        }

        var retractionsOf = byKey.Values.OfType<EventRetracted>()
            .ToLookup(r => (r.Source, r.RetractedId));

        // A retraction that is itself retracted takes nothing back.
        bool IsEffective(EventRetracted r, HashSet<EventRetracted> seen) =>
            seen.Add(r) && !retractionsOf[(r.Source, r.EventId)].Any(o => IsEffective(o, [.. seen]));

        // An event retracted more than once is credited to its earliest retraction, whatever the arrival order.
        var retractedBy = new Dictionary<CaseEvent, EventRetracted>(ReferenceEqualityComparer.Instance);
        foreach (var retraction in byKey.Values.OfType<EventRetracted>()
                     .OrderBy(r => r.OccurredOn).ThenBy(r => r.EventId, StringComparer.Ordinal))
        {
            if (byKey.TryGetValue((retraction.Source, retraction.RetractedId), out var target)
                && IsEffective(retraction, new HashSet<EventRetracted>(ReferenceEqualityComparer.Instance)))
            {
                retractedBy.TryAdd(target, retraction);
            }
        }

        var live = byKey.Values
            .Where(e => e is not EventRetracted && !retractedBy.ContainsKey(e))
            .OrderBy(e => e.OccurredOn)
            .ThenBy(e => e.Source, StringComparer.Ordinal)
            .ThenBy(e => e.EventId, StringComparer.Ordinal)
            .ToList();
        return new ChildHistory(live, retractedBy);
    }

    public IEnumerable<T> All<T>() where T : CaseEvent => Live.OfType<T>();

    public ChildHistory AsOf(DateOnly date) =>
        new(Live.Where(e => e.OccurredOn <= date).ToList(), Retracted);

    /// <summary>The same history with only the live events that <paramref name="keep"/> selects.</summary>
    public ChildHistory Only(Func<CaseEvent, bool> keep) =>
        new(Live.Where(keep).ToList(), Retracted);

    public bool IsRetracted(CaseEvent e) => Retracted.ContainsKey(e);
}
