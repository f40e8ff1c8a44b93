using System.Text.Json.Nodes;
using System.Xml.Linq;
using Lscb.CaseFlow.Events;

namespace Lscb.CaseFlow.Api.Features.Importing;

/// <summary>What a child's episodes and modules become: the events of each record, keyed by the record.</summary>
public static partial class CinCensusReader
{
    private static void MapChild(XElement child, string subject, Place childPlace, int year, Dictionary<XElement, string> invalid, RecordKeys keys, ImportBatch batch)
    {
        var planStarts = child.Descendants("CPPstartDate").Select(d => ParseDate(d.Value)).OfType<DateOnly>().ToHashSet();
        var episodeNumber = 0;
        foreach (var episode in child.Elements("CINdetails"))
        {
            episodeNumber++;
            var episodePlace = new Place(childPlace, "CINdetails", episodeNumber, Line(episode));
            if (invalid.TryGetValue(episode, out var episodeErrors))
            {
                batch.Rejected.Add(episodePlace.ToString(), $"not valid under the {year} schema ({episodeErrors}); the referral, its closure and its episode's conference were not imported.");
            }
            else
            {
                MapEpisode(episode, subject, episodePlace, planStarts, keys, batch);
            }

            foreach (var group in episode.Elements().Where(e => Modules.Contains(e.Name.LocalName)).GroupBy(e => e.Name.LocalName))
            {
                var moduleNumber = 0;
                foreach (var module in group)
                {
                    moduleNumber++;
                    var place = new Place(episodePlace, group.Key, moduleNumber, Line(module));
                    if (invalid.TryGetValue(module, out var errors))
                    {
                        batch.Rejected.Add(place.ToString(), $"not valid under the {year} schema ({errors}); none of its events were imported.");
                        continue;
                    }

                    MapModule(module, subject, place, planStarts, keys, batch);
                }
            }
        }
    }

    private static void MapEpisode(XElement episode, string subject, Place where, HashSet<DateOnly> planStarts, RecordKeys keys, ImportBatch batch)
    {
        if (Date(episode, "CINreferralDate") is not { } referred)
        {
            batch.Rejected.Add(where.ToString(), "The episode has no CINreferralDate; its referral, closure and conference were not imported.");
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

    private static void MapModule(XElement module, string subject, Place where, HashSet<DateOnly> planStarts, RecordKeys keys, ImportBatch batch)
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
            batch.Rejected.Add(where.ToString(), $"The module has no {startField}; none of its events were imported.");
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
}
