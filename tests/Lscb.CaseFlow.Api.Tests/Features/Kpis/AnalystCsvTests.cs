using System.Globalization;
using System.Net;
using Lscb.CaseFlow.Api.Tests.Infrastructure;

namespace Lscb.CaseFlow.Api.Tests.Features.Kpis;

/// <summary><c>format=csv</c> on the comparison, the series and the pathway, for Naseem's family.</summary>
public sealed class AnalystCsvTests(CaseFlowApp app) : IClassFixture<CaseFlowApp>, IAsyncLifetime
{
    public Task InitializeAsync() => NaseemFamily.LoadAsync(app);

    public Task DisposeAsync() => Task.CompletedTask;

    private async Task<(string Text, IReadOnlyList<string[]> Rows)> CsvAsync(string url, string fileName)
    {
        using var response = await app.Client.GetAsync(url);
        var text = await response.Content.ReadAsStringAsync();
        response.StatusCode.ShouldBe(HttpStatusCode.OK, text);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("text/csv");
        response.Content.Headers.ContentDisposition!.FileName.ShouldBe(fileName);
        var rows = CsvText.Parse(text);
        rows.ShouldNotBeEmpty();
        text.ShouldEndWith("\r\n", customMessage: "RFC 4180 ends records with CRLF");
        text.Replace("\r\n", "", StringComparison.Ordinal).ShouldNotContain('\n');
        rows.ShouldAllBe(r => r.Length == rows[0].Length, "every row has a cell for every column");
        return (text, rows);
    }

    private static string Cell(IReadOnlyList<string[]> rows, string[] row, string column) => row[Array.IndexOf(rows[0], column)];

    private static void ShouldBeANumberOrEmpty(string cell)
    {
        if (cell.Length > 0)
        {
            double.TryParse(cell, NumberStyles.Float, CultureInfo.InvariantCulture, out _).ShouldBeTrue($"'{cell}' is a number");
        }
    }

    [Fact]
    public async Task the_comparison_is_a_row_per_kpi_under_a_header()
    {
        var (text, rows) = await CsvAsync("/api/kpis/comparison?from=2016-04-01&to=2016-06-30&format=csv", "kpis-2016-04-01-2016-06-30.csv");
        var json = await app.GetJsonAsync("/api/kpis/comparison?from=2016-04-01&to=2016-06-30");

        rows[0].ShouldBe(
        [
            "kpi", "title", "value", "numerator", "denominator", "previousYear", "england", "region", "authorityPublished",
            "neighboursMedian", "neighboursMean", "benchmarkYear", "target", "limit", "rag", "sentence",
        ]);
        rows.Skip(1).Select(r => r[0]).ShouldBe(json["kpis"]!.AsArray().Select(k => k!["key"]!.GetValue<string>()));
        foreach (var row in rows.Skip(1))
        {
            var kpi = json["kpis"]!.AsArray().Single(k => k!["key"]!.GetValue<string>() == row[0])!;
            Cell(rows, row, "title").ShouldBe(kpi["title"]!.GetValue<string>());
            Cell(rows, row, "sentence").ShouldBe(kpi["sentence"]!.GetValue<string>());
            Cell(rows, row, "rag").ShouldBe(kpi["rag"]!["status"]!.GetValue<string>());
            foreach (var column in new[] { "value", "numerator", "denominator", "previousYear", "england", "neighboursMean" })
            {
                ShouldBeANumberOrEmpty(Cell(rows, row, column));
            }
        }

        var rate = rows.Single(r => r[0] == "referralRatePer10k");
        text.ShouldContain("\"Referral rate per 10,000 children\"", Case.Sensitive, "a value with a comma is quoted");
        double.Parse(Cell(rows, rate, "value"), CultureInfo.InvariantCulture).ShouldBe(0.4418912947414936, 1e-12);
        Cell(rows, rate, "denominator").ShouldBe("45260");
        Cell(rows, rate, "benchmarkYear").ShouldBe("2017");
        Cell(rows, rows.Single(r => r[0] == "contacts"), "value").ShouldBe("2");
        Cell(rows, rows.Single(r => r[0] == "contacts"), "england").ShouldBe("");
    }

    [Fact]
    public async Task the_series_is_a_row_per_kpi_and_period_with_its_dates()
    {
        var (_, rows) = await CsvAsync(
            "/api/kpis/series?keys=contacts,reReferralRate&from=2015-04-01&to=2016-03-31&by=quarter&format=csv",
            "series-2015-04-01-2016-03-31.csv");

        rows[0].ShouldBe(["kpi", "period", "from", "to", "value", "numerator", "denominator"]);
        rows.Skip(1).Select(r => (r[0], r[1], r[2], r[3])).ShouldBe(
        [
            ("contacts", "Q1 2015-16", "2015-04-01", "2015-06-30"),
            ("contacts", "Q2 2015-16", "2015-07-01", "2015-09-30"),
            ("contacts", "Q3 2015-16", "2015-10-01", "2015-12-31"),
            ("contacts", "Q4 2015-16", "2016-01-01", "2016-03-31"),
            ("reReferralRate", "Q1 2015-16", "2015-04-01", "2015-06-30"),
            ("reReferralRate", "Q2 2015-16", "2015-07-01", "2015-09-30"),
            ("reReferralRate", "Q3 2015-16", "2015-10-01", "2015-12-31"),
            ("reReferralRate", "Q4 2015-16", "2016-01-01", "2016-03-31"),
        ]);
        rows.Where(r => r[0] == "contacts").Select(r => r[4]).ShouldBe(["1", "0", "1", "0"]);
        rows.Single(r => r[0] == "reReferralRate" && r[1] == "Q3 2015-16")[4..].ShouldBe(["0", "0", "1"]);
        rows.Single(r => r[0] == "reReferralRate" && r[1] == "Q1 2015-16")[4..].ShouldBe(["", "0", "0"], "no referrals, no rate");
    }

    [Fact]
    public async Task the_kpis_are_a_row_per_kpi()
    {
        var (_, rows) = await CsvAsync("/api/kpis?from=2016-04-01&to=2016-06-30&format=csv", "kpis-2016-04-01-2016-06-30.csv");

        rows.Count.ShouldBe(Lscb.CaseFlow.Kpis.KpiDefinitions.All.Count + 1, "a header and a row per KPI");
        Cell(rows, rows.Single(r => r[0] == "reReferralRate"), "numerator").ShouldBe("1");
    }

    [Fact]
    public async Task the_pathway_is_a_row_per_node()
    {
        var (_, rows) = await CsvAsync("/api/pathway?from=2016-04-01&to=2016-06-30&format=csv", "pathway-2016-04-01-2016-06-30.csv");
        var json = await app.GetJsonAsync("/api/pathway?from=2016-04-01&to=2016-06-30");

        rows[0].ShouldBe(["node", "label", "value"]);
        rows.Skip(1).Select(r => (r[0], r[1], long.Parse(r[2], CultureInfo.InvariantCulture))).ShouldBe(
            json["nodes"]!.AsArray().Select(n => (n!["id"]!.GetValue<string>(), n["label"]!.GetValue<string>(), n["value"]!.GetValue<long>())));
        rows.Single(r => r[0] == "contacts")[2].ShouldBe("2");
    }

    [Fact]
    public async Task csv_is_asked_for_whatever_the_case()
    {
        var (_, rows) = await CsvAsync("/api/pathway?from=2016-04-01&to=2016-06-30&format=CSV", "pathway-2016-04-01-2016-06-30.csv");

        rows.Count.ShouldBe(16);
    }
}
