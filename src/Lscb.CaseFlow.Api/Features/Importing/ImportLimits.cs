using System.Globalization;

namespace Lscb.CaseFlow.Api.Features.Importing;

/// <summary>
/// What one import may cost, whatever the file: every file is hostile until read. Each limit is checked while the file
/// is read, before anything is stored, and refused with a problem that names it (<see cref="ImportLimitException"/>).
/// Configured under <c>CaseFlow:Imports</c>; the defaults take the largest real returns (docs/imports.md) with room to
/// spare, and bound the memory of an import (docs/performance.md, <c>importPeakRssMb</c>).
/// </summary>
public sealed class ImportLimits
{
    public const string Section = "CaseFlow:Imports";

    public static readonly ImportLimits Default = new();

    /// <summary>The body as uploaded: a census's XML, or a workbook's zip.</summary>
    public long MaxBytes { get; init; } = 64 * 1024 * 1024;

    /// <summary>How deep elements may nest in any XML read: a census goes 7 deep, a workbook's parts 8.</summary>
    public int MaxDepth { get; init; } = 32;

    /// <summary>Elements and attributes in one census record (a child, or the header): a real child has a few hundred.</summary>
    public int MaxNodesPerRecord { get; init; } = 10_000;

    /// <summary>Characters in one value (an element's text or an attribute): census values are dates, codes and ids.</summary>
    public int MaxValueCharacters { get; init; } = 4_096;

    /// <summary>Events one file may become.</summary>
    public int MaxEvents { get; init; } = 500_000;

    /// <summary>Rows of one Annex A list.</summary>
    public int MaxRowsPerList { get; init; } = 250_000;

    /// <summary>Entries of a workbook's zip (a real one has a few dozen).</summary>
    public int MaxParts { get; init; } = 1_000;

    /// <summary>One part of a workbook, unzipped: a list of 250,000 rows takes about a hundred megabytes.</summary>
    public long MaxPartBytes { get; init; } = 256 * 1024 * 1024;

    /// <summary>All parts of a workbook, unzipped: what bounds the time a small zip can take.</summary>
    public long MaxExpandedBytes { get; init; } = 512 * 1024 * 1024;

    /// <summary>Characters of a workbook's shared strings, all held while its lists are read.</summary>
    public long MaxSharedStringCharacters { get; init; } = 16_000_000;

    /// <summary>Rejected records and warnings listed in an answer, each; beyond, they are counted.</summary>
    public int MaxListedIssues { get; init; } = 1_000;

    /// <summary>Imports read at once on one node; another is refused with 429 until one ends.</summary>
    public int MaxConcurrent { get; init; } = 2;

    /// <summary>Every limit with its configuration key, to check at start and to name in a refusal.</summary>
    public IEnumerable<(string Key, long Value)> All() =>
    [
        (nameof(MaxBytes), MaxBytes), (nameof(MaxDepth), MaxDepth), (nameof(MaxNodesPerRecord), MaxNodesPerRecord),
        (nameof(MaxValueCharacters), MaxValueCharacters), (nameof(MaxEvents), MaxEvents), (nameof(MaxRowsPerList), MaxRowsPerList),
        (nameof(MaxParts), MaxParts), (nameof(MaxPartBytes), MaxPartBytes), (nameof(MaxExpandedBytes), MaxExpandedBytes),
        (nameof(MaxSharedStringCharacters), MaxSharedStringCharacters), (nameof(MaxListedIssues), MaxListedIssues),
        (nameof(MaxConcurrent), MaxConcurrent),
    ];

    /// <summary>The limits configured under <see cref="Section"/>; a value that is not a positive number stops the start.</summary>
    public static ImportLimits From(IConfiguration configuration)
    {
        var section = configuration.GetSection(Section);
        var limits = section.Get<ImportLimits>() ?? new ImportLimits();
        foreach (var (key, value) in limits.All())
        {
            if (value <= 0)
            {
                throw new InvalidOperationException($"{Section}:{key} must be a positive whole number; it is {value.ToString(CultureInfo.InvariantCulture)}.");
            }
        }

        if (limits.MaxBytes > int.MaxValue - 1)
        {
            throw new InvalidOperationException($"{Section}:{nameof(MaxBytes)} must be under 2 GB: an upload is held in memory while it is read.");
        }

        return limits;
    }
}

/// <summary>A file that goes past one of the <see cref="ImportLimits"/>: refused whole, the limit named, nothing stored.</summary>
public sealed class ImportLimitException(int status, string title, string detail, string limit, long value)
    : ImportRefusedException(title, detail)
{
    public int Status { get; } = status;

    /// <summary>The limit's configuration key, such as <c>CaseFlow:Imports:MaxDepth</c>.</summary>
    public string Limit { get; } = $"{ImportLimits.Section}:{limit}";

    public long Value { get; } = value;

    /// <summary>More than a real file of this kind could hold: the file is too large to take in one import (413).</summary>
    public static ImportLimitException TooMany(string limit, long value, string detail) =>
        new(StatusCodes.Status413PayloadTooLarge, "Import too large", detail, limit, value);

    /// <summary>A shape no real file has (nesting, a record of thousands of elements, a value of pages): malformed (400).</summary>
    public static ImportLimitException Malformed(string limit, long value, string detail) =>
        new(StatusCodes.Status400BadRequest, "Malformed file", detail, limit, value);
}
