using System.Text;
using Lscb.CaseFlow.Api.Tests.Infrastructure;

namespace Lscb.CaseFlow.Api.Tests.Features.Importing;

/// <summary>Both formats in one store: the same child is one subject, and the same record one event.</summary>
public sealed class CrossFormatImportTests(CaseFlowApp app) : IClassFixture<CaseFlowApp>
{
    [Fact]
    public async Task the_same_record_from_the_census_and_the_annex_is_stored_once()
    {
        // A census return for Annex A's child 6537810, derived from the one-child sample: the referral of
        // 2020-09-16 (source 8), its S47 and conference, and a plan from the conference, which Annex A does not list.
        var census = $"""
            <Message><Header><CollectionDetails><Collection>CIN</Collection><Year>2021</Year><ReferenceDate>2021-03-31</ReferenceDate></CollectionDetails></Header>
            <Children><Child><ChildIdentifiers><LAchildID>6537810</LAchildID><GenderCurrent>1</GenderCurrent></ChildIdentifiers>
            <ChildCharacteristics><Ethnicity>WBRI</Ethnicity></ChildCharacteristics>
            <CINdetails><CINreferralDate>2020-09-16</CINreferralDate><ReferralSource>8</ReferralSource>
            <Section47><S47ActualStartDate>2020-09-16</S47ActualStartDate><DateOfInitialCPC>2020-10-05</DateOfInitialCPC><ICPCnotRequired>0</ICPCnotRequired></Section47>
            <ReferralNFA>0</ReferralNFA>
            <ChildProtectionPlans><CPPstartDate>2020-10-05</CPPstartDate><InitialCategoryOfAbuse>NEG</InitialCategoryOfAbuse><LatestCategoryOfAbuse>NEG</LatestCategoryOfAbuse><NumberOfPreviousCPP>0</NumberOfPreviousCPP></ChildProtectionPlans>
            </CINdetails></Child></Children></Message>
            """;

        await Samples.ImportOkAsync(app.Client, "annex-a", Samples.Bytes(Samples.AnnexA));
        var answer = await Samples.ImportOkAsync(app.Client, "cin-census", Encoding.UTF8.GetBytes(census));

        answer["events"]!.GetValue<int>().ShouldBe(1, "only the plan is new");
        answer["duplicates"]!.GetValue<int>().ShouldBe(3, "the referral, the S47 and the conference, already imported from Annex A");
        Samples.Issues(answer, "rejected").ShouldBeEmpty();
        Samples.Issues(answer, "warnings").ShouldBeEmpty();
        var journey = await app.GetJsonAsync($"/api/children/{Samples.Subject("6537810")}/journey");
        journey["events"]!.AsArray().Count(e => e!["type"]!.GetValue<string>() == "referral").ShouldBe(1);
        journey["status"]!["onPlan"]!.GetValue<bool>().ShouldBeTrue();
    }
}
