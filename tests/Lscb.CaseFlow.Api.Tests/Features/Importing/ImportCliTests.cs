using Lscb.CaseFlow.Api.Tests.Infrastructure;
using Lscb.CaseFlow.Import;

namespace Lscb.CaseFlow.Api.Tests.Features.Importing;

/// <summary><c>caseflow-import</c> against the API: the same answers as the endpoints, printed, with exit codes.</summary>
public sealed class ImportCliTests(CaseFlowApp app) : IClassFixture<CaseFlowApp>, IDisposable
{
    private readonly string _keyFile = Path.GetTempFileName();

    public void Dispose() => File.Delete(_keyFile);

    private async Task<(int Exit, string Output, string Errors)> RunAsync(string? key, params string[] args)
    {
        var output = new StringWriter();
        var errors = new StringWriter();
        var exit = await ImportCommand.RunAsync(args, output, errors,
            name => name == ImportCommand.KeyVariable ? key : null,
            _ => app.Host.Server.CreateClient());
        return (exit, output.ToString(), errors.ToString());
    }

    [Fact]
    public async Task an_annex_a_workbook_on_disk_is_imported_once()
    {
        var workbook = Ce.SharedFile(Samples.AnnexA);
        await File.WriteAllTextAsync(_keyFile, CaseFlowApp.Keys["ingest"].Key + "\n");

        var first = await RunAsync(null, "annex-a", workbook, "--key-file", _keyFile);
        var second = await RunAsync(null, "annex-a", workbook, "--key-file", _keyFile);

        first.Exit.ShouldBe(0, first.Errors);
        first.Output.ShouldStartWith("57 events stored, 0 duplicates, 0 rejected, 10 warnings.");
        first.Output.ShouldContain("  List 11: 5 rows of adopters");
        second.Output.ShouldStartWith("0 events stored, 57 duplicates, 0 rejected");
    }

    [Fact]
    public async Task a_census_with_rejected_records_lists_them_and_exits_1()
    {
        var (exit, output, _) = await RunAsync(CaseFlowApp.Keys["all"].Key, "cin-census", Ce.SharedFile(Samples.Census2024), "--year", "2024");

        exit.ShouldBe(1);
        output.ShouldContain("Rejected:\n  Child 1 (line 18), CINdetails 1 (line 34), Assessments 1 (line 41): not valid under the 2024 schema");
    }

    [Fact]
    public async Task the_answer_can_be_printed_as_json()
    {
        var (exit, output, _) = await RunAsync(CaseFlowApp.Keys["all"].Key, "cin-census", Ce.SharedFile(Samples.OneChild), "--json");

        exit.ShouldBe(1);
        System.Text.Json.Nodes.JsonNode.Parse(output)!["rejected"]!.AsArray().Count.ShouldBe(12);
    }

    [Theory]
    [InlineData("annex-b", "file.xlsx")]
    [InlineData("cin-census")]
    [InlineData("cin-census", "file.xml", "--colour")]
    [InlineData("annex-a", "file.xlsx", "--year", "2024")]
    public async Task a_command_it_does_not_understand_prints_the_usage_and_exits_2(params string[] args)
    {
        var (exit, _, errors) = await RunAsync(CaseFlowApp.Keys["all"].Key, args);

        exit.ShouldBe(2);
        errors.ShouldContain("Usage: caseflow-import");
    }

    [Fact]
    public async Task no_key_a_missing_file_or_a_refusal_exits_2_and_says_why()
    {
        var annexA = Ce.SharedFile(Samples.AnnexA);

        (await RunAsync(null, "annex-a", annexA)).Errors.ShouldContain("No API key");
        (await RunAsync("k", "annex-a", "/no/such/file.xlsx")).Errors.ShouldContain("No such file");
        var refused = await RunAsync(CaseFlowApp.Keys["analyst"].Key, "annex-a", annexA);
        refused.Exit.ShouldBe(2);
        refused.Errors.ShouldContain("Not imported: 403");
        var wrongFormat = await RunAsync(CaseFlowApp.Keys["all"].Key, "annex-a", Ce.SharedFile(Samples.OneChild));
        wrongFormat.Errors.ShouldContain("Not imported: 400 Not a workbook");
    }
}
