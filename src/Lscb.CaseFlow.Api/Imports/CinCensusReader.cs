using System.Globalization;
using System.Text.Json.Nodes;
using System.Xml;
using System.Xml.Linq;
using System.Xml.Schema;
using Lscb.CaseFlow.Events;

namespace Lscb.CaseFlow.Api.Imports;

/// <summary>
/// Reads a children-in-need census return (the DfE's XML): checks it against the XSD of its collection year,
/// then maps each child's episodes and modules to events (docs/imports.md). The local child id becomes the
/// subject here, at the door; names, dates of birth, UPNs, postcodes and the child's characteristics are never read.
/// </summary>
public static class CinCensusReader
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

    private static readonly Lazy<Dictionary<int, XmlSchemaSet>> Schemas = new(LoadSchemas);

    public static ImportBatch Read(Stream xml, int? year, Func<string, string> subjectOf)
    {
        var document = Load(xml);
        var batch = new ImportBatch();
        var schemaYear = SchemaYear(document, year, batch);
        Tidy(document);

        var invalid = Validate(document, schemaYear, batch);
        var keys = new RecordKeys();
        var childNumber = 0;
        foreach (var child in document.Root!.Elements("Children").Elements("Child"))
        {
            childNumber++;
            var where = $"Child {childNumber} (line {Line(child)})";
            if (invalid.TryGetValue(child, out var childErrors))
            {
                batch.Rejected.Add(new(where, $"LAchildID is not valid under the {schemaYear} schema ({childErrors}); nothing of the child was imported."));
                continue;
            }

            var localId = child.Element("ChildIdentifiers")?.Element("LAchildID")?.Value;
            if (string.IsNullOrWhiteSpace(localId))
            {
                batch.Rejected.Add(new(where, "The child has no LAchildID; nothing of the child was imported."));
                continue;
            }

            MapChild(child, subjectOf(localId), where, schemaYear, invalid, keys, batch);
        }

        if (childNumber == 0)
        {
            batch.Warnings.Add(new("Children", "The file holds no child."));
        }

        return batch;
    }

    private static XDocument Load(Stream xml)
    {
        var settings = new XmlReaderSettings
        {
            DtdProcessing = DtdProcessing.Prohibit,
            XmlResolver = null,
            IgnoreComments = true,
            IgnoreProcessingInstructions = true,
        };
        XDocument document;
        try
        {
            using var reader = XmlReader.Create(xml, settings);
            document = XDocument.Load(reader, LoadOptions.SetLineInfo);
        }
        catch (XmlException ex)
        {
            throw new ImportRefusedException("Not XML", $"The body is not well-formed XML (line {ex.LineNumber}, position {ex.LinePosition}).");
        }

        if (document.Root is not { Name.LocalName: "Message" } root || root.Element("Children") is null)
        {
            throw new ImportRefusedException("Not a CIN census", "A children-in-need census is a <Message> holding <Children>.");
        }

        return document;
    }

    /// <summary>
    /// The collection year whose schema the file is checked against: the caller's <c>year</c>, else the year of the
    /// header's <c>ReferenceDate</c> (the census is as at 31 March), else its <c>Year</c>.
    /// </summary>
    private static int SchemaYear(XDocument document, int? year, ImportBatch batch)
    {
        var details = document.Root!.Element("Header")?.Element("CollectionDetails");
        var chosen = year
            ?? (ParseDate(details?.Element("ReferenceDate")?.Value) is { } reference ? reference.Year : (int?)null)
            ?? (int.TryParse(details?.Element("Year")?.Value.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var y) ? y : (int?)null)
            ?? throw new ImportRefusedException("No collection year",
                "The header names no ReferenceDate or Year; say which census it is with ?year=YYYY (or --year).");

        var clamped = Math.Clamp(chosen, EarliestSchema, LatestSchema);
        if (clamped != chosen)
        {
            batch.Warnings.Add(new("Header", $"Collection year {chosen}: checked against the {clamped} schema, the nearest this service holds."));
        }

        return clamped;
    }

    /// <summary>
    /// The habits of real files that change no meaning: stray spaces around values, <c>true</c>/<c>false</c>
    /// where the schema's yes/no type wants <c>1</c>/<c>0</c> (the DfE's own validator takes both), and an empty
    /// <c>&lt;FactorsIdentifiedAtAssessment/&gt;</c> or <c>&lt;Reviews/&gt;</c> for none.
    /// </summary>
    private static void Tidy(XDocument document)
    {
        document.Descendants().Where(e => e.Name.LocalName is "FactorsIdentifiedAtAssessment" or "Reviews" && !e.HasElements && string.IsNullOrWhiteSpace(e.Value))
            .ToList().ForEach(e => e.Remove());

        foreach (var element in document.Descendants().Where(e => !e.HasElements && !e.IsEmpty))
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

    /// <summary>
    /// Checks the file against its year's schema. An error in a record that becomes events (an episode's own
    /// fields, a module, the child id) marks that record, which is then rejected whole; an error anywhere else
    /// (personal details, need codes, pre-proceedings, the header) is a warning, since none of it is imported.
    /// </summary>
    private static Dictionary<XElement, string> Validate(XDocument document, int year, ImportBatch batch)
    {
        var invalid = new Dictionary<XElement, string>();
        document.Validate(Schemas.Value[year], (sender, e) =>
        {
            var element = sender switch { XElement x => x, XAttribute a => a.Parent, XNode n => n.Parent, _ => null } ?? document.Root!;
            var path = element.AncestorsAndSelf().Reverse().SkipWhile(a => a.Name.LocalName != "Child").Skip(1).Select(a => a.Name.LocalName).ToList();
            var inPersonal = path.Count > 0 && Personal.Contains(path[0]);
            var record = element.Name.LocalName == "LAchildID"
                ? element.Ancestors("Child").FirstOrDefault()
                : !inPersonal && RecordOf(element) is { } r && element.AncestorsAndSelf().TakeWhile(a => a != r).All(a => Imported.Contains(a.Name.LocalName))
                    ? r
                    : null;
            if (record is not null)
            {
                var message = e.Message.TrimEnd('.');
                invalid[record] = invalid.TryGetValue(record, out var earlier) ? $"{earlier}; {message}" : message;
                return;
            }

            var child = element.AncestorsAndSelf("Child").FirstOrDefault();
            var where = child is null ? string.Join("/", element.AncestorsAndSelf().Reverse().Select(a => a.Name.LocalName)) : $"{Describe(child)}, {string.Join("/", path)}";
            var reason = inPersonal || child is null && path.Count == 0
                ? $"{element.Name.LocalName} is not valid under the {year} schema"
                : $"not valid under the {year} schema: {e.Message.TrimEnd('.')}";
            batch.Warnings.Add(new(where, $"{reason}; it is not imported, and nothing else was left out for it."));
        });
        return invalid;
    }

    /// <summary>The record an element belongs to: its module, else its episode.</summary>
    private static XElement? RecordOf(XElement element) =>
        element.AncestorsAndSelf().FirstOrDefault(a => Modules.Contains(a.Name.LocalName) || a.Name.LocalName == "CINdetails");

    private static void MapChild(XElement child, string subject, string childWhere, int year, Dictionary<XElement, string> invalid, RecordKeys keys, ImportBatch batch)
    {
        var planStarts = child.Descendants("CPPstartDate").Select(d => ParseDate(d.Value)).OfType<DateOnly>().ToHashSet();
        var episodeNumber = 0;
        foreach (var episode in child.Elements("CINdetails"))
        {
            episodeNumber++;
            var episodeWhere = $"{childWhere}, CINdetails {episodeNumber} (line {Line(episode)})";
            if (invalid.TryGetValue(episode, out var episodeErrors))
            {
                batch.Rejected.Add(new(episodeWhere, $"not valid under the {year} schema ({episodeErrors}); the referral, its closure and its episode's conference were not imported."));
            }
            else
            {
                MapEpisode(episode, subject, episodeWhere, planStarts, keys, batch);
            }

            foreach (var group in episode.Elements().Where(e => Modules.Contains(e.Name.LocalName)).GroupBy(e => e.Name.LocalName))
            {
                var moduleNumber = 0;
                foreach (var module in group)
                {
                    moduleNumber++;
                    var where = $"{episodeWhere}, {group.Key} {moduleNumber} (line {Line(module)})";
                    if (invalid.TryGetValue(module, out var errors))
                    {
                        batch.Rejected.Add(new(where, $"not valid under the {year} schema ({errors}); none of its events were imported."));
                        continue;
                    }

                    MapModule(module, subject, where, planStarts, keys, batch);
                }
            }
        }
    }

    private static void MapEpisode(XElement episode, string subject, string where, HashSet<DateOnly> planStarts, RecordKeys keys, ImportBatch batch)
    {
        if (Date(episode, "CINreferralDate") is not { } referred)
        {
            batch.Rejected.Add(new(where, "The episode has no CINreferralDate; its referral, closure and conference were not imported."));
            return;
        }

        var referral = new RecordEvents(batch, where, keys.Next(subject, RecordKinds.Referral, referred));
        var referralId = referral.Key.DataId(RecordKinds.Referral);
        var source = episode.Element("ReferralSource")?.Value;
        referral.Add("referral", "CINreferralDate", referred, new()
        {
            ["referralId"] = referralId,
            ["referralSource"] = source is not null && CodeLists.ReferralSources.Contains(source) ? source : null,
        });
        if (episode.Element("ReferralNFA")?.Value == "1")
        {
            referral.Add("referral-nfa", "ReferralNFA", referred, new() { ["referralId"] = referralId });
        }

        if (Date(episode, "CINclosureDate") is { } closed)
        {
            var reason = episode.Element("ReasonForClosure")?.Value;
            referral.Add("referral-closed", "CINclosureDate", closed, new()
            {
                ["referralId"] = referralId,
                ["reason"] = reason is not null && CodeLists.ClosureReasons.Contains(reason) ? reason : null,
            });
        }

        // The episode's own conference date, unless one of its S47 enquiries already gives that conference.
        var s47Conferences = episode.Elements("Section47").Select(s => Date(s, "DateOfInitialCPC")).OfType<DateOnly>().ToHashSet();
        if (Date(episode, "DateOfInitialCPC") is { } held && !s47Conferences.Contains(held))
        {
            var conference = keys.Next(subject, RecordKinds.Conference, held);
            new RecordEvents(batch, where, conference).Add("icpc", "DateOfInitialCPC", held, new()
            {
                ["conferenceId"] = conference.DataId(RecordKinds.Conference),
                ["outcome"] = planStarts.Contains(held) ? "plan" : "no-plan",
            });
        }
    }

    private static void MapModule(XElement module, string subject, string where, HashSet<DateOnly> planStarts, RecordKeys keys, ImportBatch batch)
    {
        var (kind, startField) = module.Name.LocalName switch
        {
            "Assessments" => (RecordKinds.Assessment, "AssessmentActualStartDate"),
            "CINPlanDates" => (RecordKinds.ChildInNeedPlan, "CINPlanStartDate"),
            "Section47" => (RecordKinds.S47, "S47ActualStartDate"),
            _ => (RecordKinds.Plan, "CPPstartDate"),
        };
        if (Date(module, startField) is not { } started)
        {
            batch.Rejected.Add(new(where, $"The module has no {startField}; none of its events were imported."));
            return;
        }

        var record = new RecordEvents(batch, where, keys.Next(subject, kind, started));
        var id = record.Key.DataId(kind);
        switch (kind)
        {
            case RecordKinds.Assessment:
                record.Add("assessment-started", startField, started, new() { ["assessmentId"] = id });
                if (Date(module, "AssessmentAuthorisationDate") is { } authorised)
                {
                    var factors = module.Element("FactorsIdentifiedAtAssessment")?.Elements("AssessmentFactors").Select(f => f.Value).Distinct().ToList();
                    record.Add("assessment-completed", "AssessmentAuthorisationDate", authorised, new()
                    {
                        ["assessmentId"] = id,
                        ["factors"] = factors is { Count: > 0 } ? new JsonArray(factors.Select(f => (JsonNode)f).ToArray()) : null,
                    });
                }

                break;
            case RecordKinds.ChildInNeedPlan:
                record.Add("cin-plan-started", startField, started, new() { ["cinPlanId"] = id });
                if (Date(module, "CINPlanEndDate") is { } ended)
                {
                    record.Add("cin-plan-ceased", "CINPlanEndDate", ended, new() { ["cinPlanId"] = id });
                }

                break;
            case RecordKinds.S47:
                record.Add("s47-started", startField, started, new() { ["s47Id"] = id });
                if (Date(module, "DateOfInitialCPC") is { } held)
                {
                    var conference = keys.Next(subject, RecordKinds.Conference, held);
                    new RecordEvents(batch, where, conference).Add("icpc", "DateOfInitialCPC", held, new()
                    {
                        ["conferenceId"] = conference.DataId(RecordKinds.Conference),
                        ["s47Id"] = id,
                        ["outcome"] = planStarts.Contains(held) ? "plan" : "no-plan",
                    });
                }

                break;
            default:
                record.Add("plan-started", startField, started, new()
                {
                    ["planId"] = id,
                    ["category"] = module.Element("InitialCategoryOfAbuse")?.Value,
                });
                foreach (var reviewed in module.Elements("Reviews").Elements("CPPreviewDate").Select(r => ParseDate(r.Value)).OfType<DateOnly>().Distinct())
                {
                    record.Add("plan-reviewed", "CPPreviewDate", reviewed, new() { ["planId"] = id }, detail: reviewed);
                }

                if (Date(module, "CPPendDate") is { } ceased)
                {
                    record.Add("plan-ceased", "CPPendDate", ceased, new() { ["planId"] = id });
                }

                break;
        }
    }

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

    private static string Describe(XElement child) =>
        $"Child {child.ElementsBeforeSelf("Child").Count() + 1} (line {Line(child)})";

    private static int Line(XObject node) => ((IXmlLineInfo)node).HasLineInfo() ? ((IXmlLineInfo)node).LineNumber : 0;

    private static Dictionary<int, XmlSchemaSet> LoadSchemas()
    {
        var schemas = new Dictionary<int, XmlSchemaSet>();
        var assembly = typeof(CinCensusReader).Assembly;
        for (var year = EarliestSchema; year <= LatestSchema; year++)
        {
            using var stream = assembly.GetManifestResourceStream($"Lscb.CaseFlow.Api.Imports.Schemas.CIN_schema_{year}.xsd")
                ?? throw new InvalidOperationException($"The CIN schema of {year} is not embedded.");
            var set = new XmlSchemaSet { XmlResolver = null };
            using var reader = XmlReader.Create(stream, new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit, XmlResolver = null });
            set.Add(null, reader);
            set.Compile();
            schemas[year] = set;
        }

        return schemas;
    }
}
