using System.Globalization;
using System.Net;
using System.Text;
using Lscb.CaseFlow.Kpis;
using Lscb.CaseFlow.Reporting;
using Lscb.CaseFlow.Api.Features.Kpis;

namespace Lscb.CaseFlow.Api.Features.Reports;

/// <summary>
/// The board's report, laid out like the seed's "The sums": the pathway's stages in order, each KPI with its
/// value, the same window a year earlier, England, statistical neighbours, the local target and a sentence
/// generated from the numbers; a chart beside each figure that has something to compare with.
/// </summary>
public sealed record BoardReport(ComparisonReport Comparison, ConsentHypothesis.Result Hypothesis)
{
    /// <summary>The pathway's stages (<see cref="KpiGroups"/>), and any measure no stage claims yet under "Other measures".</summary>
    public static readonly IReadOnlyList<(string Heading, string Question, string[] Keys)> Sections =
    [
        .. KpiGroups.All.Select(g => (g.Heading, g.Question, g.Kpis.Select(k => k.Key).ToArray())),
        .. KpiGroups.Ungrouped.Count == 0 ? [] : new[] { ("Other measures", "What else do the figures show?", KpiGroups.Ungrouped.Select(k => k.Key).ToArray()) },
    ];

    private ComparedKpi Compared(string key) => Comparison.Kpis.Single(k => k.Kpi.Key == key);

    private string Title => $"Child protection data analysis: {Comparison.Current.Window.From:d MMMM yyyy} to {Comparison.Current.Window.To:d MMMM yyyy}";

    public string ToMarkdown()
    {
        var md = new StringBuilder();
        md.AppendLine(CultureInfo.InvariantCulture, $"# {Title}").AppendLine();
        md.AppendLine(Preamble()).AppendLine();
        md.AppendLine("## The sums").AppendLine();
        foreach (var (heading, question, keys) in Sections)
        {
            md.AppendLine(CultureInfo.InvariantCulture, $"### {heading}").AppendLine().AppendLine(CultureInfo.InvariantCulture, $"*{question}*").AppendLine();
            md.AppendLine("| measure | this window | a year earlier | England | neighbours | target | status |");
            md.AppendLine("| --- | --- | --- | --- | --- | --- | --- |");
            foreach (var k in keys.Select(Compared))
            {
                md.AppendLine(CultureInfo.InvariantCulture,
                    $"| {k.Kpi.Title} | {Show(k.Kpi, k.Current)} | {Show(k.Kpi, k.PreviousYear)} | {N(k.Published?.England)} | {N(k.Published?.Neighbours?.Mean)} | {TargetText(k)} | {Status(k.Rag)} |");
            }

            md.AppendLine();
            foreach (var k in keys.Select(Compared).Where(k => k.Current.Value is not null))
            {
                md.AppendLine(string.Create(CultureInfo.InvariantCulture, $"- **{k.Kpi.Title}: {Show(k.Kpi, k.Current)}.** {k.Sentence} {(k.Target is null ? "" : k.Rag.Reason)}").TrimEnd());
            }

            if (heading == KpiGroups.EarlyHelp.Heading)
            {
                md.AppendLine(CultureInfo.InvariantCulture, $"- **The consent hypothesis.** {HypothesisSentence}");
            }

            md.AppendLine();
        }

        md.AppendLine(Sources());
        return md.ToString();
    }

    public string ToHtml()
    {
        var html = new StringBuilder();
        html.Append(CultureInfo.InvariantCulture, $"""
            <!doctype html>
            <html lang="en-GB">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>{E(Title)}</title>
            <style>{Css}</style>
            </head>
            <body>
            <main>
            <h1>{E(Title)}</h1>
            <p class="lede">{E(Preamble())}</p>
            <h2>The sums</h2>
            """);
        foreach (var (heading, question, keys) in Sections)
        {
            html.Append(CultureInfo.InvariantCulture, $"<section><h3>{E(heading)}</h3><p class=\"question\">{E(question)}</p>");
            foreach (var k in keys.Select(Compared))
            {
                html.Append(CultureInfo.InvariantCulture, $"""
                    <article class="kpi">
                    <h4>{E(k.Kpi.Title)}: {E(Show(k.Kpi, k.Current))}</h4>
                    <p>{E(k.Sentence)}{(k.Target is null ? "" : $" <span class=\"rag rag-{k.Rag.Status.ToString().ToLowerInvariant()}\">{E(Status(k.Rag))}</span> {E(k.Rag.Reason)}")}</p>
                    {Chart(k)}
                    </article>
                    """);
            }

            if (heading == KpiGroups.EarlyHelp.Heading)
            {
                html.Append(CultureInfo.InvariantCulture, $"<article class=\"kpi\"><h4>The consent hypothesis</h4><p>{E(HypothesisSentence)}</p>{HypothesisChart()}</article>");
            }

            html.Append(CultureInfo.InvariantCulture, $"""
                <table><caption>{E(heading)}: the figures</caption>
                <thead><tr><th scope="col">Measure</th><th scope="col">This window</th><th scope="col">A year earlier</th><th scope="col">England</th><th scope="col">Neighbours</th><th scope="col">Target</th><th scope="col">Status</th></tr></thead><tbody>
                {string.Concat(keys.Select(Compared).Select(k => $"<tr><th scope=\"row\">{E(k.Kpi.Title)}</th><td>{E(Show(k.Kpi, k.Current))}</td><td>{E(Show(k.Kpi, k.PreviousYear))}</td><td>{N(k.Published?.England)}</td><td>{N(k.Published?.Neighbours?.Mean)}</td><td>{E(TargetText(k))}</td><td>{E(Status(k.Rag))}</td></tr>"))}
                </tbody></table></section>
                """);
        }

        html.Append(CultureInfo.InvariantCulture, $"<footer><p>{E(Sources())}</p></footer></main></body></html>");
        return html.ToString();
    }

    private string Preamble()
    {
        var c = Comparison;
        var population = c.Current.Population is { } p ? $"{p:N0} children aged 0–17 (ONS mid-{c.Current.PopulationYear})" : "no population configured";
        return $"Computed from the events recorded up to now for {c.Authority?.Name ?? "this authority"}, "
            + $"for {c.Current.Window.From:yyyy-MM-dd} to {c.Current.Window.To:yyyy-MM-dd}, against {population}. "
            + $"'A year earlier' is {c.PreviousWindow.From:yyyy-MM-dd} to {c.PreviousWindow.To:yyyy-MM-dd}. "
            + (c.BenchmarkYear is { } y ? $"England and statistical neighbours are the DfE's published figures for the year ending 31 March {y}." : "No DfE figures apply.");
    }

    private static string Sources() =>
        "Sources: Lscb.CaseFlow, from the events of the MASH and the local authority's systems. England, region and statistical "
        + "neighbours: Department for Education, children's social care statistics (Open Government Licence v3.0). Published figures "
        + "are for whole years ending 31 March; rates for shorter windows are not annualised.";

    /// <summary>Bars for this window, a year earlier, England and neighbours; a table of the same numbers for screen readers.</summary>
    private string Chart(ComparedKpi k)
    {
        var bars = new List<(string Label, double Value)>();
        void Add(string label, double? value)
        {
            if (value is { } v)
            {
                bars.Add((label, v));
            }
        }

        bool Hidden(KpiValue v) => Figures.IsSuppressed(k.Kpi, v, Comparison.Publication);
        Add("This window", Hidden(k.Current) ? null : k.Current.Value);
        Add("A year earlier", Hidden(k.PreviousYear) ? null : k.PreviousYear.Value);
        if (k.Kpi is not Kpi.RatePer10k || k.Published?.Annual == false)
        {
            Add("England", k.Published?.England);
            Add("Neighbours", k.Published?.Neighbours?.Mean);
        }

        Add("Target", k.Target?.Value);
        return bars.Count < 2 ? "" : Bars(k.Kpi.Title, bars);
    }

    private string HypothesisChart() => HypothesisSentence == Comparisons.SuppressedText ? "" : Bars("Re-referral rate",
        [("After declined consent", Hypothesis.AfterConsentDeclined.Rate ?? 0), ("Otherwise", Hypothesis.Otherwise.Rate ?? 0)]);

    // Okabe–Ito: distinguishable with every common colour-vision deficiency.
    private static readonly string[] Palette = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00"];

    private static string Bars(string title, IReadOnlyList<(string Label, double Value)> bars)
    {
        const int width = 420, row = 22, labelWidth = 120;
        var max = Math.Max(bars.Max(b => b.Value), 1e-9);
        var svg = new StringBuilder();
        var summary = string.Join(", ", bars.Select(b => $"{b.Label} {b.Value.ToString("0.0", CultureInfo.InvariantCulture)}"));
        svg.Append(CultureInfo.InvariantCulture, $"<svg class=\"chart\" role=\"img\" aria-label=\"{E(title)}: {E(summary)}\" viewBox=\"0 0 {width} {bars.Count * row + 4}\" width=\"{width}\" height=\"{bars.Count * row + 4}\">");
        for (var i = 0; i < bars.Count; i++)
        {
            var (label, value) = bars[i];
            var length = (width - labelWidth - 60) * value / max;
            var y = i * row + 2;
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"0\" y=\"{y + 15}\">{E(label)}</text>");
            svg.Append(CultureInfo.InvariantCulture, $"<rect x=\"{labelWidth}\" y=\"{y + 3}\" width=\"{length:0.0}\" height=\"{row - 6}\" fill=\"{Palette[i % Palette.Length]}\"/>");
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{labelWidth + length + 4:0.0}\" y=\"{y + 15}\">{value.ToString("0.0", CultureInfo.InvariantCulture)}</text>");
        }

        return svg.Append("</svg>").ToString();
    }

    /// <summary>The figure as this report may show it: <c>c</c> where publication suppresses it.</summary>
    private string Show(Kpi kpi, KpiValue value) =>
        Figures.IsSuppressed(kpi, value, Comparison.Publication) ? Reporting.PublishedFigure.Suppressed : Figure(kpi, value);

    private string HypothesisSentence =>
        Comparison.Publication && new[] { Hypothesis.AfterConsentDeclined, Hypothesis.Otherwise }
            .Any(g => Reporting.Suppression.IsSmall(g.Referrals) || Reporting.Suppression.IsSmall(g.ReReferrals))
            ? Comparisons.SuppressedText
            : Hypothesis.Sentence;

    public static string Figure(Kpi kpi, KpiValue value) => kpi switch
    {
        Kpi.Count => value.Count?.ToString("N0", CultureInfo.InvariantCulture) ?? "n/a",
        Kpi.Percentage => value.Value is { } v ? $"{v.ToString("0.0", CultureInfo.InvariantCulture)} % ({value.Numerator} of {value.Denominator})" : "n/a",
        _ => value.Value is { } r ? $"{r.ToString("0.0", CultureInfo.InvariantCulture)} per 10,000" : "n/a (no population)",
    };

    private static string TargetText(ComparedKpi k) => k.Target is { } t
        ? $"{(t.Direction == Direction.Lower ? "≤" : "≥")} {Target.Format(t.Value, "")}{(t.Limit is { } l ? $" (limit {Target.Format(l, "")})" : "")}"
        : "";

    private static string Status(Rag rag) => rag.Status switch
    {
        RagStatus.Green => "On target",
        RagStatus.Amber => "Near target",
        RagStatus.Red => "Off target",
        _ => "",
    };

    private static string N(double? value) => value?.ToString("0.0", CultureInfo.InvariantCulture) ?? "";

    private static string E(string text) => WebUtility.HtmlEncode(text);

    private const string Css = """
        body { font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #1b1b1b; margin: 0; background: #fff; }
        main { max-width: 60rem; margin: 0 auto; padding: 1.5rem; }
        h1 { font-size: 1.6rem; } h2 { border-bottom: 2px solid #0b0c0c; } h3 { margin-top: 2rem; }
        .lede { color: #333; } .question { font-style: italic; }
        .kpi { break-inside: avoid; margin: 1rem 0; } .kpi h4 { margin: 0.2rem 0; }
        .chart text { font: 12px system-ui, sans-serif; fill: #1b1b1b; }
        .rag { font-weight: 600; padding: 0 0.3rem; border: 1px solid; border-radius: 3px; }
        .rag-green { color: #005a30; } .rag-amber { color: #594d00; } .rag-red { color: #942514; }
        table { border-collapse: collapse; width: 100%; margin: 1rem 0; font-size: 0.9rem; }
        caption { text-align: left; font-weight: 600; } th, td { border: 1px solid #b1b4b6; padding: 0.25rem 0.5rem; text-align: left; }
        footer { margin-top: 2rem; font-size: 0.85rem; color: #333; }
        @media print { main { padding: 0; } a { color: inherit; } section { break-before: auto; } }
        """;
}
