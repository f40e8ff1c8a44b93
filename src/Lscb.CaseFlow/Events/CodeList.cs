using System.Collections;

namespace Lscb.CaseFlow.Events;

/// <summary>A code and how a person reads it.</summary>
public sealed record Code(string Value, string Label);

/// <summary>
/// One list of the contract's codes, in its order, each with its label: the validator checks membership, the
/// dashboard and the reports show the labels, so neither keeps a copy.
/// </summary>
public sealed class CodeList : IReadOnlySet<string>
{
    private readonly HashSet<string> values;
    private readonly Dictionary<string, int> positions;

    public CodeList(string name, string title, params (string Value, string Label)[] codes)
    {
        Name = name;
        Title = title;
        Codes = codes.Select(c => new Code(c.Value, c.Label)).ToList();
        values = new HashSet<string>(codes.Select(c => c.Value), StringComparer.Ordinal);
        positions = codes.Select((c, i) => (c.Value, i)).ToDictionary(p => p.Value, p => p.i, StringComparer.Ordinal);
    }

    /// <summary>The list's name in the catalogue, such as <c>referralSources</c>.</summary>
    public string Name { get; }

    public string Title { get; }

    public IReadOnlyList<Code> Codes { get; }

    /// <summary>The code's label, or the code itself when the list does not hold it.</summary>
    public string LabelOf(string code) => positions.TryGetValue(code, out var i) ? Codes[i].Label : code;

    /// <summary>The code's position in the list (the order means something for MASH decisions), or -1.</summary>
    public int IndexOf(string code) => positions.GetValueOrDefault(code, -1);

    public int Count => values.Count;
    public bool Contains(string item) => values.Contains(item);
    public bool IsProperSubsetOf(IEnumerable<string> other) => values.IsProperSubsetOf(other);
    public bool IsProperSupersetOf(IEnumerable<string> other) => values.IsProperSupersetOf(other);
    public bool IsSubsetOf(IEnumerable<string> other) => values.IsSubsetOf(other);
    public bool IsSupersetOf(IEnumerable<string> other) => values.IsSupersetOf(other);
    public bool Overlaps(IEnumerable<string> other) => values.Overlaps(other);
    public bool SetEquals(IEnumerable<string> other) => values.SetEquals(other);
    public IEnumerator<string> GetEnumerator() => Codes.Select(c => c.Value).GetEnumerator();
    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
