using System.Buffers.Binary;
using System.IO.Compression;

namespace Lscb.CaseFlow.Api.Features.Importing;

/// <summary>The zip of a workbook, checked from its own directory before the package is opened.</summary>
public sealed partial class XlsxReader
{
    /// <summary>
    /// Refuses, from the zip's own directory and before anything is unzipped, a workbook with more entries than
    /// <see cref="ImportLimits.MaxParts"/> or parts larger once unzipped than the limits: .NET's unzipping stops at an
    /// entry's stated size, so these sizes bound everything read from the file afterwards.
    /// </summary>
    private static void CheckZip(Stream workbook, ImportLimits limits)
    {
        Span<byte> head = stackalloc byte[8];
        workbook.Position = 0;
        var read = workbook.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
        if (read >= 8 && BinaryPrimitives.ReadUInt64BigEndian(head) == 0xD0CF11E0A1B11AE1)
        {
            throw new ImportRefusedException(NotAWorkbookTitle,
                "The body is a password-protected (encrypted) or old-format (.xls) workbook: save it as an .xlsx without a password and import that.");
        }

        if (read < 4 || BinaryPrimitives.ReadUInt32LittleEndian(head) != 0x04034B50)
        {
            throw new ImportRefusedException(NotAWorkbookTitle, "The body is not an .xlsx workbook (not a zip).");
        }

        var (entries, directoryBytes) = EndOfCentralDirectory(workbook);
        if (entries > limits.MaxParts || directoryBytes > limits.MaxParts * 1_024L)
        {
            throw ImportLimitException.TooMany(nameof(ImportLimits.MaxParts), limits.MaxParts,
                $"The workbook's zip holds more than {limits.MaxParts:N0} entries; a real workbook holds a few dozen.");
        }

        workbook.Position = 0;
        try
        {
            using var zip = new ZipArchive(workbook, ZipArchiveMode.Read, leaveOpen: true);
            long total = 0;
            foreach (var entry in zip.Entries)
            {
                if (entry.Length > limits.MaxPartBytes)
                {
                    throw ImportLimitException.TooMany(nameof(ImportLimits.MaxPartBytes), limits.MaxPartBytes,
                        $"A part of the workbook unzips to more than {limits.MaxPartBytes / 1024 / 1024:N0} MB, more than any list of an import may take.");
                }

                total += entry.Length;
                if (total > limits.MaxExpandedBytes)
                {
                    throw ImportLimitException.TooMany(nameof(ImportLimits.MaxExpandedBytes), limits.MaxExpandedBytes,
                        $"The workbook unzips to more than {limits.MaxExpandedBytes / 1024 / 1024:N0} MB, the most one import may take; split it and import each part.");
                }
            }
        }
        catch (InvalidDataException)
        {
            throw new ImportRefusedException(NotAWorkbookTitle, "The body is not an .xlsx workbook: its zip is damaged or cut short.");
        }

        workbook.Position = 0;
    }

    /// <summary>The entry count and directory size the zip's last record states (ZIP64's markers stand for "very many").</summary>
    private static (long Entries, long DirectoryBytes) EndOfCentralDirectory(Stream workbook)
    {
        const int RecordLength = 22;
        var tail = (int)Math.Min(workbook.Length, RecordLength + ushort.MaxValue);
        var buffer = new byte[tail];
        workbook.Position = workbook.Length - tail;
        workbook.ReadExactly(buffer);
        for (var i = tail - RecordLength; i >= 0; i--)
        {
            if (BinaryPrimitives.ReadUInt32LittleEndian(buffer.AsSpan(i)) == 0x06054B50)
            {
                var entries = BinaryPrimitives.ReadUInt16LittleEndian(buffer.AsSpan(i + 10));
                var size = BinaryPrimitives.ReadUInt32LittleEndian(buffer.AsSpan(i + 12));
                return (entries == ushort.MaxValue ? long.MaxValue : entries, size == uint.MaxValue ? long.MaxValue : size);
            }
        }

        throw new ImportRefusedException(NotAWorkbookTitle, "The body is not an .xlsx workbook: its zip is damaged or cut short.");
    }
}
