using System.Globalization;
using System.Text;

namespace Lscb.CaseFlow.Api.Features.Reference;

/// <summary>
/// The DfE's published figures the analyst compares local KPIs with: England, the authority's region, the
/// authority and its ten statistical neighbours (2021 groupings), by DfE reporting year (ending 31 March).
/// Read from the compact CSVs under <c>Reference/dfe/</c> (embedded; see their README for source and refresh).
/// </summary>
/// <remarks>
/// Where the DfE publishes a percentage or rate (re-referrals, second or subsequent plans, looked-after rate) the
/// published figure is used as is. Where it does not, the figure is derived from the published counts and rounded
/// as the DfE rounds (half away from zero; one decimal place): rates per 10,000 divide by the ONS 0–17 estimate of
/// mid-(Y−1) for the year ending 31 March Y, for flows and for the at-31-March counts alike — the population the
/// DfE's own looked-after file uses for its at-31-March rate (its population_estimate is the ONS mid-(Y−1) figure
/// for every row). Suppressed and unavailable values (<c>c</c>, <c>z</c>, <c>x</c>, <c>k</c>, <c>u</c>, empty) are
/// null, and so is anything derived from them.
/// </remarks>
public sealed class DfeBenchmarks
{
    private const string EnglandCode = "E92000001";
    private const string ResourcePrefix = "Lscb.CaseFlow.Api.Reference.dfe.";

    private readonly Dictionary<string, KnownAuthority> _authorities;
    private readonly Dictionary<string, string> _oldCodeByNewCode;
    private readonly Dictionary<string, string[]> _neighbours;
    private readonly Dictionary<string, Definition> _definitions;

    private DfeBenchmarks(
        Dictionary<string, KnownAuthority> authorities,
        Dictionary<string, string[]> neighbours,
        Dictionary<string, Definition> definitions)
    {
        _authorities = authorities;
        _oldCodeByNewCode = authorities.Values.Where(a => a.NewCode.Length > 0)
            .ToDictionary(a => a.NewCode, a => a.Info.LaCode, StringComparer.OrdinalIgnoreCase);
        _neighbours = neighbours;
        _definitions = definitions;
        Years = [.. definitions.Values.SelectMany(d => d.Years).Distinct().Order()];
    }

    /// <summary>
    /// Measures the DfE publishes in tables not held here, with what to say instead of a figure: never a substitute.
    /// </summary>
    public static readonly IReadOnlyDictionary<string, string> NotHeld = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["assessmentsWithin45WorkingDaysRate"] =
            "The DfE publishes assessment timeliness in table C2, which is not in the data held here, so no England or neighbours' figure is shown.",
    };

    /// <summary>Every DfE reporting year (ending 31 March) some measure is published for, ascending.</summary>
    public IReadOnlyList<int> Years { get; }

    /// <summary>The KPI keys (of kpis.md) the DfE publishes a comparable measure for.</summary>
    public IReadOnlyCollection<string> Keys => _definitions.Keys;

    /// <summary>Reads the reference files embedded in this assembly.</summary>
    public static DfeBenchmarks Load()
    {
        var assembly = typeof(DfeBenchmarks).Assembly;
        return Load(name => new StreamReader(
            assembly.GetManifestResourceStream(ResourcePrefix + name)
                ?? throw new InvalidOperationException($"The DfE reference file {name} is not embedded in {assembly.GetName().Name}."),
            Encoding.UTF8));
    }

    /// <summary>Reads the reference files through <paramref name="open"/> (given a file name such as <c>referrals.csv</c>).</summary>
    internal static DfeBenchmarks Load(Func<string, TextReader> open)
    {
        Table Read(string name, string yearColumn = "year") => Table.Read(name, open, yearColumn);

        var authorities = new Dictionary<string, KnownAuthority>(StringComparer.Ordinal);
        foreach (var row in ReadRows("authorities.csv", open).Skip(1))
        {
            var regionName = row[4].Length == 0 ? null : row[4];
            authorities[row[0]] = new KnownAuthority(new AuthorityInfo(row[0], row[2], regionName), row[1], row[3]);
        }

        var neighbours = ReadRows("neighbours-2021.csv", open).Skip(1)
            .ToDictionary(row => row[0], row => row[1..11], StringComparer.Ordinal);

        var referrals = Read("referrals.csv");
        var s47 = Read("s47-icpc.csv");
        var subsequent = Read("plans-subsequent.csv");
        var onPlan = Read("plans-at-31-march.csv");
        var lookedAfter = Read("looked-after-at-31-march.csv");
        var population = Read("population-0-17.csv", "mid_year");

        // Per 10,000 of the ONS 0–17 estimate at 30 June of the year before the year ending 31 March.
        Func<int, string, decimal?> PerTenThousand(Table table, string column) =>
            (year, code) => Rounded(table.Value(year, code, column), population.Value(year - 1, code, "population_estimate"), 10_000m);

        const string PerPopulation = "per 10,000 children aged 0–17 (ONS mid-year estimate of the June before)";
        var definitions = new Dictionary<string, Definition>(StringComparer.Ordinal)
        {
            ["referralRatePer10k"] = new(
                $"Referrals per 10,000 children (year ending 31 March; derived: referrals {PerPopulation})",
                true, referrals, PerTenThousand(referrals, "referral_count")),
            ["reReferralRate"] = new(
                "Re-referrals within 12 months of a previous referral, % of referrals (year ending 31 March)",
                true, referrals, (y, c) => referrals.Value(y, c, "rereferral_percent")),
            ["s47RatePer10k"] = new(
                $"Section 47 enquiries per 10,000 children (year ending 31 March; derived: enquiries {PerPopulation})",
                true, s47, PerTenThousand(s47, "section47")),
            ["icpcRatePer10k"] = new(
                $"Initial child protection conferences per 10,000 children (year ending 31 March; derived: conferences {PerPopulation})",
                true, s47, PerTenThousand(s47, "icpc")),
            ["s47ToIcpcRate"] = new(
                "Initial child protection conferences as a % of section 47 enquiries (year ending 31 March; derived: " +
                "ICPC ÷ Section47 × 100 — the DfE does not publish this ratio, and its conferences of the year are not " +
                "all of the year's enquiries)",
                true, s47, (y, c) => Rounded(s47.Value(y, c, "icpc"), s47.Value(y, c, "section47"), 100m)),
            ["icpcWithin15WorkingDaysRate"] = new(
                "Initial child protection conferences held within 15 working days of the start of the section 47 enquiry, % " +
                "(year ending 31 March; derived from table C4's duration bands: 0–10 and 11–15 working days over all four bands)",
                true, s47, (y, c) => Rounded(
                    Sum(s47.Value(y, c, "duration_0-10_days"), s47.Value(y, c, "duration_11-15_days")),
                    Sum(s47.Value(y, c, "duration_0-10_days"), s47.Value(y, c, "duration_11-15_days"),
                        s47.Value(y, c, "duration_16-20_days"), s47.Value(y, c, "duration_21+_days")),
                    100m)),
            // assessmentsWithin45WorkingDaysRate: table C2 (assessment durations) is not in the DfE data held here,
            // so nothing is published beside it rather than a substitute.
            ["childrenOnPlan"] = new(
                "Children on a child protection plan at 31 March",
                false, onPlan, (y, c) => onPlan.Value(y, c, "cpp_at31")),
            ["childrenOnPlanRatePer10k"] = new(
                $"Children on a child protection plan at 31 March per 10,000 children (derived: children on a plan {PerPopulation})",
                false, onPlan, PerTenThousand(onPlan, "cpp_at31")),
            ["repeatPlansRate"] = new(
                "Plans starting in the year that were a second or subsequent plan, % (year ending 31 March)",
                true, subsequent, (y, c) => subsequent.Value(y, c, "cpp_subsequent_percent")),
            ["childrenLookedAfter"] = new(
                "Children looked after at 31 March",
                false, lookedAfter, (y, c) => lookedAfter.Value(y, c, "children_count")),
            ["childrenLookedAfterRatePer10k"] = new(
                "Children looked after at 31 March per 10,000 children (as published, whole numbers; ONS mid-year estimate of the June before)",
                false, lookedAfter, (y, c) => lookedAfter.Value(y, c, "rate_per_10000")),
            // Not here, so null: plansCeasedLasting2YearsRate — the files hold no durations of ceased plans (d5's
            // bands are of the plans open at 31 March, a different measure), and every KPI the DfE does not publish.
        };

        return new DfeBenchmarks(authorities, neighbours, definitions);
    }

    /// <summary>The authority with this old (three-digit, e.g. "334") or new (E08000029) LA code; null if unknown.</summary>
    public AuthorityInfo? Authority(string laCode)
    {
        ArgumentNullException.ThrowIfNull(laCode);
        return Resolve(laCode) is { } code ? _authorities[code].Info : null;
    }

    /// <summary>
    /// The published comparison for one of our KPI keys in the DfE year <paramref name="reportingYear"/> (ending
    /// 31 March): the latest year the DfE publishes the measure for that is on or before it. Null when the DfE
    /// publishes no such measure, or none that early. An unknown authority still gets England.
    /// </summary>
    public PublishedComparison? For(string kpiKey, string laCode, int reportingYear)
    {
        ArgumentNullException.ThrowIfNull(kpiKey);
        ArgumentNullException.ThrowIfNull(laCode);
        if (!_definitions.TryGetValue(kpiKey, out var definition))
        {
            return null;
        }

        var published = definition.Years.Where(y => y <= reportingYear).ToList();
        if (published.Count == 0)
        {
            return null;
        }

        var year = published.Max();
        var la = Resolve(laCode);
        var regionCode = la is null ? "" : _authorities[la].RegionCode;
        NeighbourStats? neighbours = null;
        if (la is not null && _neighbours.TryGetValue(la, out var group))
        {
            neighbours = Stats([.. group.Select(n => definition.Value(year, n)).OfType<decimal>()]);
        }

        return new PublishedComparison(
            year,
            definition.Measure,
            definition.Annual,
            ToDouble(definition.Value(year, EnglandCode)),
            regionCode.Length == 0 ? null : ToDouble(definition.Value(year, regionCode)),
            la is null ? null : ToDouble(definition.Value(year, la)),
            neighbours);
    }

    private string? Resolve(string laCode)
    {
        var code = laCode.Trim();
        return _authorities.ContainsKey(code) ? code : _oldCodeByNewCode.GetValueOrDefault(code);
    }

    /// <summary>Median and mean of the neighbours that have a value, rounded to one decimal place.</summary>
    private static NeighbourStats Stats(List<decimal> values)
    {
        if (values.Count == 0)
        {
            return new NeighbourStats(null, null, 0);
        }

        values.Sort();
        var middle = values.Count / 2;
        var median = values.Count % 2 == 1 ? values[middle] : (values[middle - 1] + values[middle]) / 2;
        var mean = values.Sum() / values.Count;
        return new NeighbourStats(ToDouble(Round(median, 1)), ToDouble(Round(mean, 1)), values.Count);
    }

    /// <summary><c>scale × numerator / denominator</c> to one decimal place as the DfE rounds; null without both or for 0.</summary>
    private static decimal? Rounded(decimal? numerator, decimal? denominator, decimal scale) =>
        numerator is { } n && denominator is { } d && d != 0 ? Round(scale * n / d, 1) : null;

    /// <summary>Half away from zero, in decimal so that a true midpoint (22.45) is never a binary 22.4499….</summary>
    internal static decimal Round(decimal value, int decimals) => Math.Round(value, decimals, MidpointRounding.AwayFromZero);

    private static double? ToDouble(decimal? value) => value is { } v ? (double)v : null;

    /// <summary>A DfE cell: null for the DfE's codes (c, z, x, k, u) and empty; thousands separators allowed.</summary>
    internal static decimal? ParseValue(string raw)
    {
        var value = raw.Trim();
        if (value.Length == 0 || value is "c" or "z" or "x" or "k" or "u" or "C" or "Z" or "X" or "K" or "U")
        {
            return null;
        }

        return decimal.TryParse(value, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint | NumberStyles.AllowThousands,
            CultureInfo.InvariantCulture, out var number)
            ? number
            : throw new FormatException($"'{raw}' is neither a number nor one of the DfE's codes (c, z, x, k, u).");
    }

    private static List<string[]> ReadRows(string name, Func<string, TextReader> open)
    {
        using var reader = open(name);
        var rows = new List<string[]>();
        while (reader.ReadLine() is { } line)
        {
            if (line.Length > 0)
            {
                rows.Add(SplitCsvLine(line.TrimStart('\uFEFF')));
            }
        }

        return rows;
    }

    /// <summary>One CSV line: fields may be quoted (holding commas and doubled quotes), never span lines.</summary>
    internal static string[] SplitCsvLine(string line)
    {
        var fields = new List<string>();
        var field = new StringBuilder();
        var quoted = false;
        for (var i = 0; i < line.Length; i++)
        {
            var ch = line[i];
            if (quoted && ch == '"' && i + 1 < line.Length && line[i + 1] == '"')
            {
                field.Append('"');
                i++;
            }
            else if (ch == '"')
            {
                quoted = !quoted;
            }
            else if (ch == ',' && !quoted)
            {
                fields.Add(field.ToString());
                field.Clear();
            }
            else
            {
                field.Append(ch);
            }
        }

        fields.Add(field.ToString());
        return [.. fields];
    }

    /// <summary>The sum of published values, or null when any is missing or suppressed (a partial sum would mislead).</summary>
    private static decimal? Sum(params decimal?[] values) => values.Any(v => v is null) ? null : values.Sum();

    private sealed record KnownAuthority(AuthorityInfo Info, string NewCode, string RegionCode);

    private sealed record Definition(string Measure, bool Annual, Table Source, Func<int, string, decimal?> Value)
    {
        /// <summary>The years the measure is published for: those with an England row.</summary>
        public IReadOnlyList<int> Years { get; } = Source.YearsWith(EnglandCode);
    }

    /// <summary>One compact file: <c>year,code,columns…</c>, a row per year × geography.</summary>
    private sealed class Table
    {
        private readonly Dictionary<string, int> _columns;
        private readonly Dictionary<(int Year, string Code), decimal?[]> _rows;

        private Table(Dictionary<string, int> columns, Dictionary<(int Year, string Code), decimal?[]> rows)
        {
            _columns = columns;
            _rows = rows;
        }

        public static Table Read(string name, Func<string, TextReader> open, string yearColumn)
        {
            var rows = ReadRows(name, open);
            var header = rows[0];
            if (header.Length < 3 || header[0] != yearColumn || header[1] != "code")
            {
                throw new InvalidDataException($"{name} does not start with {yearColumn},code.");
            }

            var columns = header.Skip(2).Select((c, i) => (c, i)).ToDictionary(x => x.c, x => x.i, StringComparer.Ordinal);
            var data = new Dictionary<(int, string), decimal?[]>();
            foreach (var row in rows.Skip(1))
            {
                var year = int.Parse(row[0], CultureInfo.InvariantCulture);
                data.Add((year, row[1]), [.. row.Skip(2).Select(ParseValue)]);
            }

            return new Table(columns, data);
        }

        public decimal? Value(int year, string code, string column) =>
            _rows.TryGetValue((year, code), out var row) ? row[_columns[column]] : null;

        public IReadOnlyList<int> YearsWith(string code) =>
            [.. _rows.Keys.Where(k => k.Code == code).Select(k => k.Year).Order()];
    }
}

/// <summary>An English local authority as the DfE names it, with the region its statistics place it in.</summary>
public sealed record AuthorityInfo(string LaCode, string Name, string? RegionName);

/// <summary>
/// The DfE's figures for one KPI in one reporting year. <paramref name="Annual"/>: the figure covers a whole year
/// (ending 31 March), so a shorter window's rate is not comparable 1:1; false for counts and rates at 31 March.
/// </summary>
public sealed record PublishedComparison(
    int Year, string Measure, bool Annual, double? England, double? Region, double? Authority, NeighbourStats? Neighbours);

/// <summary>Over the statistical neighbours that have a value (<paramref name="Count"/> of the ten).</summary>
public sealed record NeighbourStats(double? Median, double? Mean, int Count);
