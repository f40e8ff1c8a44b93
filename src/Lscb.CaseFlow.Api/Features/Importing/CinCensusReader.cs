using System.Globalization;
using System.Xml;
using System.Xml.Linq;
using System.Xml.Schema;

namespace Lscb.CaseFlow.Api.Features.Importing;

/// <summary>
/// Reads a children-in-need census return (the DfE's XML): checks it against the XSD of its collection year,
/// then maps each child's episodes and modules to events (docs/imports.md). The local child id becomes the
/// subject here, at the door; names, dates of birth, UPNs, postcodes and the child's characteristics are never read.
/// </summary>
public static partial class CinCensusReader
{
    public const int EarliestSchema = 2021;
    public const int LatestSchema = 2026;

    /// <summary>The modules of an episode, each a record: rejected whole when its XML breaks the schema.</summary>
    private static readonly HashSet<string> Modules = new(["Assessments", "CINPlanDates", "Section47", "ChildProtectionPlans"], StringComparer.Ordinal);

    /// <summary>Every element whose value becomes part of an event; a schema error anywhere else leaves the events be.</summary>
    private static readonly HashSet<string> Imported = new(
    [
        "LAchildID", "CINdetails", "CINreferralDate", "ReferralSource", "CINclosureDate", "ReasonForClosure", "DateOfInitialCPC", "ReferralNFA",
        "Assessments", "AssessmentActualStartDate", "AssessmentAuthorisationDate", "FactorsIdentifiedAtAssessment", "AssessmentFactors",
        "CINPlanDates", "CINPlanStartDate", "CINPlanEndDate", "Section47", "S47ActualStartDate",
        "ChildProtectionPlans", "CPPstartDate", "CPPendDate", "InitialCategoryOfAbuse", "Reviews", "CPPreviewDate",
    ], StringComparer.Ordinal);

    /// <summary>Where the child's personal details are: a schema error there is named, never quoted.</summary>
    private static readonly HashSet<string> Personal = new(["ChildIdentifiers", "ChildCharacteristics"], StringComparer.Ordinal);

    private static readonly Lazy<Dictionary<int, CensusSchema>> Schemas = new(LoadSchemas);

    /// <summary>A collection year's schema, and the types a child and the header are checked against one at a time.</summary>
    private sealed record CensusSchema(XmlSchemaSet Set, XmlSchemaType Child, XmlSchemaType Header);

    /// <summary>
    /// Reads the census as a stream, one <c>&lt;Child&gt;</c> at a time (each checked against the schema on its own),
    /// so that memory holds one child and the events so far, and time is linear in the file. Any limit of
    /// <paramref name="limits"/> that the file passes refuses it whole, before anything is stored.
    /// </summary>
    public static ImportBatch Read(Stream xml, int? year, Func<string, string> subjectOf, ImportLimits? limits = null)
    {
        limits ??= ImportLimits.Default;
        return BoundedXml.Read("the body", NotXml, () => ReadStream(xml, year, subjectOf, limits));
    }

    private const string NotXml = "Not XML";

    private static ImportBatch ReadStream(Stream xml, int? year, Func<string, string> subjectOf, ImportLimits limits)
    {
        var batch = new ImportBatch(limits);
        using var reader = BoundedXml.Open(xml, limits, "the census", limits.MaxBytes);
        if (reader.MoveToContent() != XmlNodeType.Element || reader.LocalName != "Message" || reader.IsEmptyElement)
        {
            throw NotACensus();
        }

        int? schemaYear = null;
        var sawChildren = false;
        var childNumber = 0;
        var keys = new RecordKeys();
        foreach (var name in ElementsWithin(reader))
        {
            switch (name)
            {
                case "Header" when schemaYear is null && !sawChildren:
                    var header = Load(reader, "the header");
                    Tidy(header);
                    schemaYear = SchemaYear(header, year, batch);
                    ValidateHeader(header, schemaYear.Value, batch);
                    break;
                case "Children":
                    sawChildren = true;
                    schemaYear ??= SchemaYear(null, year, batch);
                    foreach (var childName in ElementsWithin(reader))
                    {
                        if (childName != "Child")
                        {
                            batch.Warnings.Add($"Message/Children/{childName}", "not part of the census; not read.");
                            reader.Skip();
                            continue;
                        }

                        childNumber++;
                        var place = new Place(null, "Child", childNumber, reader.LineNumber);
                        var child = Load(reader, $"Child {childNumber} (line {reader.LineNumber})");
                        ReadChild(child, place, schemaYear.Value, subjectOf, keys, batch);
                    }

                    break;
                default:
                    batch.Warnings.Add($"Message/{name}", "not part of the census, or out of its place; not read.");
                    reader.Skip();
                    break;
            }
        }

        if (!sawChildren)
        {
            throw NotACensus();
        }

        if (childNumber == 0)
        {
            batch.Warnings.Add("Children", "The file holds no child.");
        }

        return batch;
    }

    private static ImportRefusedException NotACensus() =>
        new("Not a CIN census", "A children-in-need census is a <Message> holding <Children>.");

    /// <summary>
    /// The names of the elements directly inside the element the reader is on, each yielded with the reader on it; the
    /// caller consumes the element (<see cref="Load"/> or <c>Skip</c>), which leaves the reader on what follows it. Ends
    /// with the reader past the element's end.
    /// </summary>
    private static IEnumerable<string> ElementsWithin(BoundedXmlReader reader)
    {
        var depth = reader.Depth;
        var empty = reader.IsEmptyElement;
        reader.Read();
        if (empty)
        {
            yield break;
        }

        while (reader.Depth > depth)
        {
            if (reader.NodeType == XmlNodeType.Element)
            {
                yield return reader.LocalName;
            }
            else
            {
                reader.Read();
            }
        }

        reader.Read();
    }

    /// <summary>
    /// One record (a child, the header) as an element, its nodes bounded by <see cref="ImportLimits.MaxNodesPerRecord"/>;
    /// the reader is left on what follows it.
    /// </summary>
    private static XElement Load(BoundedXmlReader reader, string record)
    {
        reader.BeginRecord(record);
        XElement element;
        using (var subtree = reader.ReadSubtree())
        {
            element = XElement.Load(subtree, LoadOptions.SetLineInfo);
        }

        reader.EndRecord();
        reader.Read();
        return element;
    }

    private static void ReadChild(XElement child, Place place, int schemaYear, Func<string, string> subjectOf, RecordKeys keys, ImportBatch batch)
    {
        Tidy(child);
        var invalid = Validate(child, place, schemaYear, batch);
        if (invalid.ContainsKey(child))
        {
            batch.Rejected.Add(place.ToString(), $"LAchildID is not valid under the {schemaYear} schema (it is empty, too long or holds characters the schema refuses); nothing of the child was imported.");
            return;
        }

        var localId = child.Element("ChildIdentifiers")?.Element("LAchildID")?.Value;
        if (string.IsNullOrWhiteSpace(localId))
        {
            batch.Rejected.Add(place.ToString(), "The child has no LAchildID; nothing of the child was imported.");
            return;
        }

        MapChild(child, subjectOf(localId), place, schemaYear, invalid, keys, batch);
    }

    /// <summary>
    /// The collection year whose schema the file is checked against: the caller's <c>year</c>, else the year of the
    /// header's <c>ReferenceDate</c> (the census is as at 31 March), else its <c>Year</c>.
    /// </summary>
    private static int SchemaYear(XElement? header, int? year, ImportBatch batch)
    {
        var details = header?.Element("CollectionDetails");
        var chosen = year
            ?? (ParseDate(details?.Element("ReferenceDate")?.Value) is { } reference ? reference.Year : (int?)null)
            ?? (int.TryParse(details?.Element("Year")?.Value.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var y) ? y : (int?)null)
            ?? throw new ImportRefusedException("No collection year",
                "The header (before <Children>) names no ReferenceDate or Year; say which census it is with ?year=YYYY (or --year).");

        var clamped = Math.Clamp(chosen, EarliestSchema, LatestSchema);
        if (clamped != chosen)
        {
            batch.Warnings.Add("Header", $"Collection year {chosen}: checked against the {clamped} schema, the nearest this service holds.");
        }

        return clamped;
    }

    /// <summary>
    /// The habits of real files that change no meaning: stray spaces around values, <c>true</c>/<c>false</c>
    /// where the schema's yes/no type wants <c>1</c>/<c>0</c> (the DfE's own validator takes both), and an empty
    /// <c>&lt;FactorsIdentifiedAtAssessment/&gt;</c> or <c>&lt;Reviews/&gt;</c> for none.
    /// </summary>
    private static void Tidy(XElement record)
    {
        record.Descendants().Where(e => e.Name.LocalName is "FactorsIdentifiedAtAssessment" or "Reviews" && !e.HasElements && string.IsNullOrWhiteSpace(e.Value))
            .ToList().ForEach(e => e.Remove());

        foreach (var element in record.DescendantsAndSelf().Where(e => !e.HasElements && !e.IsEmpty))
        {
            var value = element.Value.Replace('\u00A0', ' ').Trim();
            if (element.Name.LocalName is "ReferralNFA" or "ICPCnotRequired")
            {
                value = value.ToLowerInvariant() switch { "true" => "1", "false" => "0", _ => value };
            }

            if (value != element.Value)
            {
                element.Value = value;
            }
        }
    }

    /// <summary>The header against its year's schema: an error there is a warning, since none of it is imported.</summary>
    private static void ValidateHeader(XElement header, int year, ImportBatch batch) =>
        header.Validate(Schemas.Value[year].Header, Schemas.Value[year].Set, (sender, _) =>
        {
            var element = sender switch { XElement x => x, XAttribute a => a.Parent, XNode n => n.Parent, _ => null } ?? header;
            var where = "Message/" + string.Join("/", element.AncestorsAndSelf().Reverse().Select(a => a.Name.LocalName));
            batch.Warnings.Add(where, $"{element.Name.LocalName} is not valid under the {year} schema; it is not imported, and nothing else was left out for it.");
        });

    /// <summary>
    /// Checks a child against its year's schema. An error in a record that becomes events (an episode's own
    /// fields, a module, the child id) marks that record, which is then rejected whole; an error anywhere else
    /// (personal details, need codes, pre-proceedings) is a warning, since none of it is imported.
    /// </summary>
    private static Dictionary<XElement, string> Validate(XElement child, Place place, int year, ImportBatch batch)
    {
        var invalid = new Dictionary<XElement, string>();
        var schema = Schemas.Value[year];
        child.Validate(schema.Child, schema.Set, (sender, e) =>
        {
            var element = sender switch { XElement x => x, XAttribute a => a.Parent, XNode n => n.Parent, _ => null } ?? child;
            var path = element.AncestorsAndSelf().Reverse().Skip(1).Select(a => a.Name.LocalName).ToList();
            var inPersonal = path.Count > 0 && Personal.Contains(path[0]);
            var record = element.Name.LocalName == "LAchildID"
                ? child
                : !inPersonal && RecordOf(element) is { } r && element.AncestorsAndSelf().TakeWhile(a => a != r).All(a => Imported.Contains(a.Name.LocalName))
                    ? r
                    : null;
            if (record is not null)
            {
                var message = e.Message.TrimEnd('.');
                invalid[record] = invalid.TryGetValue(record, out var earlier) ? $"{earlier}; {message}" : message;
                return;
            }

            var reason = inPersonal || path.Count == 0
                ? $"{element.Name.LocalName} is not valid under the {year} schema"
                : $"not valid under the {year} schema: {e.Message.TrimEnd('.')}";
            batch.Warnings.Add($"{place}, {string.Join("/", path)}", $"{reason}; it is not imported, and nothing else was left out for it.");
        });
        return invalid;
    }

    /// <summary>The record an element belongs to: its module, else its episode.</summary>
    private static XElement? RecordOf(XElement element) =>
        element.AncestorsAndSelf().FirstOrDefault(a => Modules.Contains(a.Name.LocalName) || a.Name.LocalName == "CINdetails");

    private static DateOnly? Date(XElement parent, string name) => ParseDate(parent.Element(name)?.Value);

    /// <summary>An <c>xs:date</c>: <c>YYYY-MM-DD</c>, with a time zone or none.</summary>
    public static DateOnly? ParseDate(string? text)
    {
        if (text is null)
        {
            return null;
        }

        text = text.Trim();
        if (text.Length > 10 && (text[10] is 'Z' or '+' or '-'))
        {
            text = text[..10];
        }

        return DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date) ? date : null;
    }

    private static int Line(XObject node) => ((IXmlLineInfo)node).HasLineInfo() ? ((IXmlLineInfo)node).LineNumber : 0;

    private static Dictionary<int, CensusSchema> LoadSchemas()
    {
        var schemas = new Dictionary<int, CensusSchema>();
        var assembly = typeof(CinCensusReader).Assembly;
        for (var year = EarliestSchema; year <= LatestSchema; year++)
        {
            using var stream = assembly.GetManifestResourceStream($"Lscb.CaseFlow.Api.Imports.Schemas.CIN_schema_{year}.xsd")
                ?? throw new InvalidOperationException($"The CIN schema of {year} is not embedded.");
            var set = new XmlSchemaSet { XmlResolver = null };
            using var reader = XmlReader.Create(stream, new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit, XmlResolver = null });
            set.Add(null, reader);
            set.Compile();
            XmlSchemaType Type(string name) => (XmlSchemaType?)set.GlobalTypes[new XmlQualifiedName(name)]
                ?? throw new InvalidOperationException($"The CIN schema of {year} has no type {name}.");
            schemas[year] = new CensusSchema(set, Type("childtype"), Type("headertype"));
        }

        return schemas;
    }
}
