using System.Net;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using Lscb.CaseFlow.Api.Features.Reports;
using Lscb.CaseFlow.Api.Tests.Infrastructure;
using Lscb.CaseFlow.Kpis;

namespace Lscb.CaseFlow.Api.Tests.Features.Reports;

/// <summary><c>GET /api/reports/board</c>: the board's report for Naseem's family, as printable HTML and as Markdown.</summary>
public sealed partial class AnalystReportTests(CaseFlowApp app) : IClassFixture<CaseFlowApp>, IAsyncLifetime
{
    private const string Q1 = "from=2016-04-01&to=2016-06-30";

    private const string HypothesisSentence =
        "Referrals of children who declined consent in the previous 12 months were re-referrals 100.0 % of the time (1 of 1), "
        + "against 0.0 % for other referrals (0 of 1).";

    private static readonly string[] Tags =
    [
        "html", "head", "meta", "title", "style", "body", "main", "h1", "h2", "h3", "h4", "p", "section", "article", "span",
        "svg", "text", "rect", "table", "caption", "thead", "tbody", "tr", "th", "td", "footer",
    ];

    public async Task InitializeAsync()
    {
        await NaseemFamily.LoadAsync(app);
        using var response = await app.Client.PutAsJsonAsync("/api/targets/s47ToIcpcRate", new { target = 60, direction = "higher" });
        response.StatusCode.ShouldBe(HttpStatusCode.NoContent);
    }

    public Task DisposeAsync() => Task.CompletedTask;

    private static IEnumerable<Kpi> SectionKpis(string[] keys) => keys.Select(key => KpiDefinitions.All.Single(k => k.Key == key));

    private async Task<(string MediaType, string Body)> GetAsync(string url)
    {
        using var response = await app.Client.GetAsync(url);
        var body = await response.Content.ReadAsStringAsync();
        response.StatusCode.ShouldBe(HttpStatusCode.OK, body);
        response.Content.Headers.ContentType!.CharSet.ShouldBe("utf-8");
        return (response.Content.Headers.ContentType.MediaType!, body);
    }

    [Fact]
    public async Task timeliness_has_sections_after_the_front_door_and_after_s47_with_the_dfe_figure_only_where_it_is_held()
    {
        var (_, markdown) = await GetAsync($"/api/reports/board?{Q1}&format=markdown");

        var headings = Regex.Matches(markdown, "^### (.+)$", RegexOptions.Multiline).Select(m => m.Groups[1].Value).ToList();
        headings.IndexOf("Assessments on time").ShouldBe(headings.IndexOf("The front door") + 1);
        headings.IndexOf("Conferences on time").ShouldBe(headings.IndexOf("Assessment and section 47") + 1);
        markdown.ShouldContain("| Conferences within 15 working days of the S47 |");

        // Naseem's assessment was completed in December 2015: a figure, and no DfE one beside it.
        var (_, december) = await GetAsync("/api/reports/board?from=2015-10-01&to=2015-12-31&format=markdown");
        december.ShouldContain("table C2, which is not in the data held here");
    }

    [Fact]
    public void every_kpi_is_in_one_section_of_the_report()
    {
        BoardReport.Sections.SelectMany(s => s.Keys).ShouldBe(KpiDefinitions.All.Select(k => k.Key), ignoreOrder: true);
    }

    [Fact]
    public async Task the_html_report_has_every_section_and_kpi_with_charts_tables_and_the_consent_hypothesis()
    {
        var (mediaType, html) = await GetAsync($"/api/reports/board?{Q1}");

        mediaType.ShouldBe("text/html");
        html.ShouldStartWith("<!doctype html>");
        html.ShouldContain("<h1>Child protection data analysis: 1 April 2016 to 30 June 2016</h1>");
        html.ShouldContain("<h2>The sums</h2>");
        foreach (var (heading, question, keys) in BoardReport.Sections)
        {
            html.ShouldContain($"<h3>{WebUtility.HtmlEncode(heading)}</h3>");
            html.ShouldContain(WebUtility.HtmlEncode(question));
            foreach (var kpi in SectionKpis(keys))
            {
                html.ShouldContain($"<th scope=\"row\">{WebUtility.HtmlEncode(kpi.Title)}</th>");
            }
        }

        Regex.Count(html, "<table>").ShouldBe(BoardReport.Sections.Count);
        html.ShouldContain("<svg class=\"chart\" role=\"img\" aria-label=\"");
        html.ShouldContain($"<p>{WebUtility.HtmlEncode(HypothesisSentence)}</p>");
        html.ShouldContain("45,260 children aged 0–17 (ONS mid-2016)");
        html.ShouldContain("Solihull");
    }

    [Fact]
    public async Task the_html_report_shows_the_targets_status()
    {
        var (_, html) = await GetAsync($"/api/reports/board?{Q1}&format=html");

        html.ShouldContain("<span class=\"rag rag-green\">On target</span> 100 % meets the target of 60 %.");
        html.ShouldContain("<td>≥ 60</td><td>On target</td>");
    }

    [Fact]
    public async Task the_html_report_writes_only_its_own_tags_and_encodes_its_text()
    {
        var (_, html) = await GetAsync($"/api/reports/board?{Q1}");

        TagName().Matches(html).Select(m => m.Groups[1].Value.ToLowerInvariant()).Distinct()
            .Where(tag => tag != "!doctype").ShouldBeSubsetOf(Tags);
        BareAmpersand().IsMatch(html).ShouldBeFalse("every & begins an entity");
        html.ShouldContain("&#39;A year earlier&#39; is 2015-04-01 to 2015-06-30");
        html.ShouldNotContain("'A year earlier'");
        // Outside the style sheet, no text between tags holds a quote or a closing bracket: text is encoded.
        foreach (var text in TextBetweenTags().Matches(html[html.IndexOf("</style>", StringComparison.Ordinal)..]).Select(m => m.Groups[1].Value))
        {
            text.ShouldNotContain('"');
            text.ShouldNotContain('>');
        }
    }

    [Fact]
    public async Task the_markdown_report_has_the_sums_with_a_table_per_section()
    {
        var (mediaType, markdown) = await GetAsync($"/api/reports/board?{Q1}&format=markdown");

        mediaType.ShouldBe("text/markdown");
        markdown.ShouldStartWith("# Child protection data analysis: 1 April 2016 to 30 June 2016");
        markdown.ShouldContain("\n## The sums\n");
        Regex.Count(markdown, @"\| measure \| this window \| a year earlier \| England \| neighbours \| target \| status \|\n\| --- \| --- \| --- \| --- \| --- \| --- \| --- \|")
            .ShouldBe(BoardReport.Sections.Count);
        foreach (var (heading, _, keys) in BoardReport.Sections)
        {
            markdown.ShouldContain($"\n### {heading}\n");
            foreach (var kpi in SectionKpis(keys))
            {
                markdown.ShouldContain($"\n| {kpi.Title} | ");
            }
        }

        markdown.ShouldContain("\n| Contacts | 2 | 1 |  |  |  |  |\n");
        markdown.ShouldContain("| S47 enquiries leading to an ICPC | 100.0 % (2 of 2) | n/a | ");
        markdown.ShouldContain("| ≥ 60 | On target |");
        markdown.ShouldContain($"- **The consent hypothesis.** {HypothesisSentence}");
    }

    [Theory]
    [InlineData("format=pdf")]
    [InlineData("format=csv")]
    [InlineData("format=")]
    public async Task a_format_other_than_html_or_markdown_is_refused(string format)
    {
        using var response = await app.Client.GetAsync($"/api/reports/board?{Q1}&{format}");

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await CaseFlowApp.ProblemOf(response))["detail"]!.GetValue<string>().ShouldContain("format");
    }

    [Theory]
    [InlineData("from=2016-04-01")]
    [InlineData("from=2016-07-01&to=2016-06-30")]
    [InlineData("from=0001-01-01&to=0001-03-31")]
    public async Task a_window_it_cannot_report_is_refused(string query)
    {
        using var response = await app.Client.GetAsync($"/api/reports/board?{query}");

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
    }

    [GeneratedRegex(@"<\s*/?\s*([!a-zA-Z][a-zA-Z0-9]*)")]
    private static partial Regex TagName();

    [GeneratedRegex(@"&(?![a-zA-Z]+;|#[0-9]+;|#x[0-9a-fA-F]+;)")]
    private static partial Regex BareAmpersand();

    [GeneratedRegex(@">([^<]*)<")]
    private static partial Regex TextBetweenTags();
}
