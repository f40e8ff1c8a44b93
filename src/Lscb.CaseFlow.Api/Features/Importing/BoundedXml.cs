using System.Globalization;
using System.Xml;

namespace Lscb.CaseFlow.Api.Features.Importing;

/// <summary>
/// The one way an import reads XML, a census or a part of a workbook: forward only, no DTD, no resolver, characters
/// capped, and a reader that refuses nesting past <see cref="ImportLimits.MaxDepth"/> and values past
/// <see cref="ImportLimits.MaxValueCharacters"/> as it goes, so that nothing built from it (an <c>XElement</c>, schema
/// validation) can recurse or grow without bound. A malformed file is refused by place, never quoted.
/// </summary>
public static class BoundedXml
{
    public static BoundedXmlReader Open(Stream stream, ImportLimits limits, string what, long maxCharacters) =>
        new(XmlReader.Create(stream, new XmlReaderSettings
        {
            DtdProcessing = DtdProcessing.Prohibit,
            XmlResolver = null,
            MaxCharactersInDocument = maxCharacters,
            MaxCharactersFromEntities = 1_024,
            IgnoreComments = true,
            IgnoreProcessingInstructions = true,
            IgnoreWhitespace = true,
            CloseInput = false,
        }), limits, what);

    /// <summary>
    /// Runs a read of <paramref name="what"/>, turning what the XML parser or the zip below it refuses into a 400 that
    /// says where, never what: the parser's own messages quote the file. Limits pass through as they are.
    /// </summary>
    public static T Read<T>(string what, string title, Func<T> read)
    {
        try
        {
            return read();
        }
        catch (XmlException ex)
        {
            var at = ex.LineNumber > 0
                ? $" (line {ex.LineNumber.ToString(CultureInfo.InvariantCulture)}, position {ex.LinePosition.ToString(CultureInfo.InvariantCulture)})"
                : "";
            throw new ImportRefusedException(title, $"{Capitalised(what)} is not well-formed XML{at}, or holds a DTD, which no census or workbook needs.");
        }
        catch (InvalidDataException)
        {
            throw new ImportRefusedException(title, $"{Capitalised(what)} cannot be unzipped: the workbook is damaged or cut short.");
        }
    }

    private static string Capitalised(string text) => text.Length == 0 ? text : char.ToUpperInvariant(text[0]) + text[1..];
}

/// <summary>
/// An <see cref="XmlReader"/> over another that checks, on every node, the depth and the length of values, and counts
/// the elements and attributes of a record (<see cref="BeginRecord"/>), so that one record is bounded. Everything else is
/// the inner reader's; line numbers pass through for the places an answer names.
/// </summary>
public sealed class BoundedXmlReader(XmlReader inner, ImportLimits limits, string what) : XmlReader, IXmlLineInfo
{
    private string? _record;
    private long _nodes;

    /// <summary>From here, the elements and attributes read are one record's, at most <see cref="ImportLimits.MaxNodesPerRecord"/>.</summary>
    public void BeginRecord(string record)
    {
        _record = record;
        _nodes = 0;
    }

    public void EndRecord() => _record = null;

    public override bool Read()
    {
        if (!inner.Read())
        {
            return false;
        }

        if (inner.Depth > limits.MaxDepth)
        {
            throw ImportLimitException.Malformed(nameof(ImportLimits.MaxDepth), limits.MaxDepth,
                $"{Capitalised(what)} nests elements more than {limits.MaxDepth} deep{At()}; no census or workbook does.");
        }

        switch (inner.NodeType)
        {
            case XmlNodeType.Element:
                _nodes += 1 + inner.AttributeCount;
                if (_record is not null && _nodes > limits.MaxNodesPerRecord)
                {
                    throw ImportLimitException.Malformed(nameof(ImportLimits.MaxNodesPerRecord), limits.MaxNodesPerRecord,
                        $"{Capitalised(_record)} holds more than {limits.MaxNodesPerRecord:N0} elements and attributes; a real record has a few hundred.");
                }

                for (var i = 0; i < inner.AttributeCount; i++)
                {
                    CheckValue(inner.GetAttribute(i));
                }

                break;
            case XmlNodeType.Text or XmlNodeType.CDATA or XmlNodeType.SignificantWhitespace:
                CheckValue(inner.Value);
                break;
        }

        return true;
    }

    private void CheckValue(string? value)
    {
        if (value?.Length > limits.MaxValueCharacters)
        {
            throw ImportLimitException.Malformed(nameof(ImportLimits.MaxValueCharacters), limits.MaxValueCharacters,
                $"{Capitalised(_record ?? what)} holds a value of more than {limits.MaxValueCharacters:N0} characters{At()}; no field of a census or workbook is that long.");
        }
    }

    private string At() => inner is IXmlLineInfo info && info.HasLineInfo()
        ? $" (line {info.LineNumber.ToString(CultureInfo.InvariantCulture)}, position {info.LinePosition.ToString(CultureInfo.InvariantCulture)})"
        : "";

    private static string Capitalised(string text) => text.Length == 0 ? text : char.ToUpperInvariant(text[0]) + text[1..];

    public override int AttributeCount => inner.AttributeCount;

    public override string BaseURI => inner.BaseURI;

    public override int Depth => inner.Depth;

    public override bool EOF => inner.EOF;

    public override bool IsEmptyElement => inner.IsEmptyElement;

    public override string LocalName => inner.LocalName;

    public override string NamespaceURI => inner.NamespaceURI;

    public override XmlNameTable NameTable => inner.NameTable;

    public override XmlNodeType NodeType => inner.NodeType;

    public override string Prefix => inner.Prefix;

    public override ReadState ReadState => inner.ReadState;

    public override string Value => inner.Value;

    public override string GetAttribute(int i) => inner.GetAttribute(i);

    public override string? GetAttribute(string name) => inner.GetAttribute(name);

    public override string? GetAttribute(string name, string? namespaceURI) => inner.GetAttribute(name, namespaceURI);

    public override string? LookupNamespace(string prefix) => inner.LookupNamespace(prefix);

    public override bool MoveToAttribute(string name) => inner.MoveToAttribute(name);

    public override bool MoveToAttribute(string name, string? ns) => inner.MoveToAttribute(name, ns);

    public override bool MoveToElement() => inner.MoveToElement();

    public override bool MoveToFirstAttribute() => inner.MoveToFirstAttribute();

    public override bool MoveToNextAttribute() => inner.MoveToNextAttribute();

    public override bool ReadAttributeValue() => inner.ReadAttributeValue();

    public override void ResolveEntity() => inner.ResolveEntity();

    public bool HasLineInfo() => inner is IXmlLineInfo info && info.HasLineInfo();

    public int LineNumber => inner is IXmlLineInfo info ? info.LineNumber : 0;

    public int LinePosition => inner is IXmlLineInfo info ? info.LinePosition : 0;

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            inner.Dispose();
        }

        base.Dispose(disposing);
    }
}
