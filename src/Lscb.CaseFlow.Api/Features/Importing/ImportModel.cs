using System.Collections;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Lscb.CaseFlow.Api.Features.Importing;

/// <summary>A place in the file (<c>where</c>) and what is wrong there, or what was not imported from it.</summary>
public sealed record ImportIssue(string Where, string Reason);

/// <summary>
/// Where a record is in the file, such as <c>Child 2 (line 73), CINdetails 1 (line 85)</c> or <c>List 3, row 5</c>:
/// held as its parts and written out only when an answer names it, since a large file has hundreds of thousands.
/// </summary>
public sealed class Place(Place? parent, string label, int number, int line = 0)
{
    public override string ToString() => parent is null ? Own() : $"{parent}, {Own()}";

    private string Own() => line > 0
        ? string.Create(CultureInfo.InvariantCulture, $"{label} {number} (line {line})")
        : string.Create(CultureInfo.InvariantCulture, $"{label} {number}");
}

/// <summary>
/// One event a record of the file becomes, before the contract checks it: kept small, as an import may hold
/// <see cref="ImportLimits.MaxEvents"/> of them. <see cref="Record"/> is where the record is (and so what a rejection
/// names); <see cref="Field"/> the element or column its date came from; the data is kept as its JSON.
/// </summary>
public sealed class ImportedEvent(Place place, string dateField, string type, RecordKey key, DateOnly? detail, DateOnly occurredOn, byte[] data)
{
    public string Record => place.ToString();

    public string Field => dateField;

    public string Type => type;

    public string Subject => key.Subject;

    public string Id => key.EventId(type, detail);

    public DateOnly OccurredOn => occurredOn;

    /// <summary>The contract's <c>data</c> without <c>occurredOn</c>, as UTF-8 JSON.</summary>
    public ReadOnlyMemory<byte> DataJson => data;

    public JsonObject Data => JsonNode.Parse(data)!.AsObject();
}

/// <summary>Issues as an answer lists them: the first <c>max</c>, and how many there were in all.</summary>
public sealed class IssueList(int max) : IReadOnlyList<ImportIssue>
{
    private readonly List<ImportIssue> _listed = [];

    public int Total { get; private set; }

    public int Count => _listed.Count;

    public ImportIssue this[int index] => _listed[index];

    public void Add(ImportIssue issue)
    {
        Total++;
        if (_listed.Count < max)
        {
            _listed.Add(issue);
        }
    }

    public void Add(string where, string reason)
    {
        Total++;
        if (_listed.Count < max)
        {
            _listed.Add(new ImportIssue(where, reason));
        }
    }

    public IEnumerator<ImportIssue> GetEnumerator() => _listed.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}

/// <summary>What a file was read into: the events, the records that could not be mapped, and what was left out.</summary>
public sealed class ImportBatch(ImportLimits limits)
{
    public ImportBatch()
        : this(ImportLimits.Default)
    {
    }

    public ImportLimits Limits => limits;

    public List<ImportedEvent> Events { get; } = [];

    public IssueList Rejected { get; } = new(limits.MaxListedIssues);

    public IssueList Warnings { get; } = new(limits.MaxListedIssues);

    public void Add(ImportedEvent e)
    {
        if (Events.Count >= limits.MaxEvents)
        {
            throw ImportLimitException.TooMany(nameof(ImportLimits.MaxEvents), limits.MaxEvents,
                $"The file holds more than {limits.MaxEvents:N0} events' worth of records, the most one import takes; split it (by year, or by list) and import each part.");
        }

        Events.Add(e);
    }
}

/// <summary>
/// The answer of an import: new events stored, duplicates, every record not imported with why (the first
/// <see cref="ImportLimits.MaxListedIssues"/>), and how many records were rejected and warned of in all.
/// </summary>
public sealed record ImportAnswer(int Events, int Duplicates, IReadOnlyList<ImportIssue> Rejected, IReadOnlyList<ImportIssue> Warnings, int RejectedTotal, int WarningsTotal);

/// <summary>The file as a whole cannot be read (not XML, not a workbook, no collection year): a 400.</summary>
public class ImportRefusedException(string title, string detail) : Exception(detail)
{
    public string Title { get; } = title;
}

/// <summary>
/// The deterministic ids of imported records, the same whichever format holds the record: a record is known by
/// its kind, its child and its date, numbered when the child has several of that kind on one day
/// (<c>referral:{subject}:2022-10-06:1</c>). Never the local id. Ids inside <c>data</c> follow the same key
/// (<c>R-20221006</c>, <c>R-20221006-2</c> for the second that day), so a re-import, next year's census repeating
/// an open episode, or the Annex A listing a plan that the census already holds, sends the same event again.
/// </summary>
public sealed class RecordKeys
{
    private readonly Dictionary<(string Subject, string Kind, DateOnly On), int> _count = [];

    public RecordKey Next(string subject, string kind, DateOnly on)
    {
        var n = _count[(subject, kind, on)] = _count.GetValueOrDefault((subject, kind, on)) + 1;
        return new RecordKey(subject, on, n);
    }
}

public readonly record struct RecordKey(string Subject, DateOnly On, int N)
{
    /// <summary>The CloudEvents id of the record's event of <paramref name="type"/>.</summary>
    public string EventId(string type, DateOnly? detail = null) =>
        $"{type}:{Subject}:{On:yyyy-MM-dd}:{N.ToString(CultureInfo.InvariantCulture)}" + (detail is { } d ? $":{d:yyyy-MM-dd}" : "");

    /// <summary>The producer's id of the record inside <c>data</c>, such as <c>CPP-20220217</c>.</summary>
    public string DataId(string prefix) =>
        $"{prefix}-{On:yyyyMMdd}" + (N > 1 ? $"-{N.ToString(CultureInfo.InvariantCulture)}" : "");
}

/// <summary>The records both formats know, with the prefix of their ids inside <c>data</c>.</summary>
public static class RecordKinds
{
    public const string Contact = "CT";
    public const string Referral = "R";
    public const string Assessment = "A";
    public const string ChildInNeedPlan = "CINP";
    public const string Strategy = "SD";
    public const string S47 = "S47";
    public const string Conference = "ICPC";
    public const string Plan = "CPP";
    public const string Care = "LAC";
}

/// <summary>Adds the events of one record, all keyed by the record, to a batch or to what a row holds until it is known good.</summary>
public sealed class RecordEvents(Action<ImportedEvent> add, Place place, RecordKey key)
{
    public RecordEvents(ImportBatch batch, Place place, RecordKey key)
        : this(batch.Add, place, key)
    {
    }

    public RecordKey Key => key;

    public void Add(string type, string field, DateOnly on, JsonObject data, DateOnly? detail = null)
    {
        using var buffer = new MemoryStream(64);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            foreach (var (name, value) in data.Where(p => p.Value is not null))
            {
                writer.WritePropertyName(name);
                value!.WriteTo(writer);
            }

            writer.WriteEndObject();
        }

        add(new ImportedEvent(place, field, type, key, detail, on, buffer.ToArray()));
    }
}
