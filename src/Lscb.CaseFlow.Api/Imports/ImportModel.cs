using System.Globalization;
using System.Text.Json.Nodes;

namespace Lscb.CaseFlow.Api.Imports;

/// <summary>A place in the file (<c>where</c>) and what is wrong there, or what was not imported from it.</summary>
public sealed record ImportIssue(string Where, string Reason);

/// <summary>
/// One event a record of the file becomes, before the contract checks it. <see cref="Record"/> is where the
/// record is (and so what a rejection names); <see cref="Field"/> the element or column its date came from.
/// </summary>
public sealed record ImportedEvent(string Record, string Field, string Type, string Subject, string Id, DateOnly OccurredOn, JsonObject Data);

/// <summary>What a file was read into: the events, the records that could not be mapped, and what was left out.</summary>
public sealed class ImportBatch
{
    public List<ImportedEvent> Events { get; } = [];

    public List<ImportIssue> Rejected { get; } = [];

    public List<ImportIssue> Warnings { get; } = [];
}

/// <summary>The answer of an import: new events stored, duplicates, and every record not imported, with why.</summary>
public sealed record ImportAnswer(int Events, int Duplicates, IReadOnlyList<ImportIssue> Rejected, IReadOnlyList<ImportIssue> Warnings);

/// <summary>The file as a whole cannot be read (not XML, not a workbook, no collection year): a 400.</summary>
public sealed class ImportRefusedException(string title, string detail) : Exception(detail)
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

/// <summary>Adds the events of one record, all keyed by the record.</summary>
public sealed class RecordEvents(ImportBatch batch, string where, RecordKey key)
{
    public RecordKey Key => key;

    public void Add(string type, string field, DateOnly on, JsonObject data, DateOnly? detail = null)
    {
        data = new JsonObject(data.Where(p => p.Value is not null).Select(p => KeyValuePair.Create(p.Key, (JsonNode?)p.Value!.DeepClone())));
        batch.Events.Add(new ImportedEvent(where, field, type, key.Subject, key.EventId(type, detail), on, data));
    }
}
