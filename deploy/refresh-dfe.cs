// Extracts the DfE reference data the analyst compares local KPIs with, from the DfE's published CSVs into the
// compact CSVs committed under src/Lscb.CaseFlow.Api/Features/Reference/dfe/. Run through deploy/refresh-dfe.sh:
//   dotnet run deploy/refresh-dfe.cs -- SOURCE_DIR OUTPUT_DIR
// Needs nothing but the .NET 10 SDK. Columns are found by name, so a newer release with extra columns or years
// works as long as the DfE keeps the names; anything unexpected stops the run rather than writing wrong data.
using System.Globalization;
using System.Security.Cryptography;
using System.Text;

if (args.Length != 2)
{
    Console.Error.WriteLine("usage: dotnet run deploy/refresh-dfe.cs -- SOURCE_DIR OUTPUT_DIR");
    return 2;
}

var source = Path.GetFullPath(args[0]);
var output = Path.GetFullPath(args[1]);
Directory.CreateDirectory(output);

var levels = new[] { "National", "Regional", "Local authority" };
var authorities = new Dictionary<string, (int Year, string NewCode, string Name, string RegionCode, string RegionName)>();
var used = new List<string>();

// Year-ending-31-March tables: one row per year × geography, only the columns the product needs.
Extract("c1_children_in_need_referrals_and_rereferrals_*.csv", "referrals.csv", null,
    ["referral_count", "rereferral_percent"]);
Extract("c4_children_in_need_section_47s_and_icpcs_*.csv", "s47-icpc.csv", null,
    ["Section47", "ICPC", "Duration_0-10_days", "Duration_11-15_days", "Duration_16-20_days", "Duration_21+_days"]);
Extract("d3_cpps_subsequent_plan_*.csv", "plans-subsequent.csv", null,
    ["CPP_subsequent_percent"]);
Extract("d5_cpps_at31march_by_duration_*.csv", "plans-at-31-march.csv", null,
    ["CPP_At31"]);
Extract("cla_number_and_rate_per_10k_children*.csv", "looked-after-at-31-march.csv",
    ("population_type", "Children looked after on 31 March each year"),
    ["children_count", "rate_per_10000"]);
// The ONS file's time_period is the mid-year (30 June); the DfE pairs mid-(Y-1) with the year ending 31 March Y.
Extract("ons_mid-year_population_estimates_*.csv", "population-0-17.csv",
    ("age_group", "Children aged 0 to 17 years"),
    ["population_estimate"], yearColumn: "mid_year");

WriteNeighbours("New_Statistical_Neighbour_Groupings_April_2021.csv", "neighbours-2021.csv");
WriteAuthorities("authorities.csv");
WriteReadme();
Console.WriteLine($"Wrote {output}");
return 0;

void Extract(string pattern, string target, (string Column, string Value)? only, string[] columns, string yearColumn = "year")
{
    var path = Find(pattern);
    var rows = ReadCsv(path);
    var header = rows[0];
    int Col(string name)
    {
        var i = Array.FindIndex(header, h => string.Equals(h.Trim(), name, StringComparison.OrdinalIgnoreCase));
        return i >= 0 ? i : throw new InvalidDataException($"{Path.GetFileName(path)} has no column '{name}'.");
    }

    int year = Col("time_period"), identifier = Col("time_identifier"), level = Col("geographic_level");
    int regionCode = Col("region_code"), regionName = Col("region_name");
    int laCode = Col("old_la_code"), newLaCode = Col("new_la_code"), laName = Col("la_name");
    var filter = only is { } f ? (Index: Col(f.Column), f.Value) : ((int Index, string Value)?)null;
    var wanted = columns.Select(Col).ToArray();

    var lines = new List<(int Year, int Level, string Code, string Line)>();
    var seen = new HashSet<(int, string)>();
    foreach (var row in rows.Skip(1))
    {
        if (row.All(string.IsNullOrWhiteSpace))
        {
            continue;
        }

        var lvl = Array.IndexOf(levels, row[level].Trim());
        if (lvl < 0 || (filter is { } fi && row[fi.Index].Trim() != fi.Value))
        {
            continue;
        }

        if (row[identifier].Trim() != "Reporting year")
        {
            throw new InvalidDataException($"{Path.GetFileName(path)}: unexpected time_identifier '{row[identifier]}'.");
        }

        var y = int.Parse(row[year].Trim(), CultureInfo.InvariantCulture);
        var code = lvl switch
        {
            0 => "E92000001",
            1 => row[regionCode].Trim(),
            _ => row[laCode].Trim(),
        };
        if (code.Length == 0 || !seen.Add((y, code)))
        {
            throw new InvalidDataException($"{Path.GetFileName(path)}: missing or repeated geography '{code}' in {y}.");
        }

        if (lvl == 2)
        {
            Remember(code, y, row[newLaCode].Trim(), row[laName].Trim(), row[regionCode].Trim(), row[regionName].Trim());
        }

        var values = wanted.Select(i => Normalise(row[i], path));
        lines.Add((y, lvl, code, string.Join(',', new[] { y.ToString(CultureInfo.InvariantCulture), code }.Concat(values))));
    }

    var ordered = lines.OrderByDescending(l => l.Year).ThenBy(l => l.Level).ThenBy(l => l.Code, StringComparer.Ordinal).Select(l => l.Line);
    var head = string.Join(',', new[] { yearColumn, "code" }.Concat(columns.Select(c => c.ToLowerInvariant())));
    File.WriteAllLines(Path.Combine(output, target), new[] { head }.Concat(ordered));
    Console.WriteLine($"{target}: {lines.Count} rows from {Path.GetFileName(path)}");
}

void WriteNeighbours(string name, string target)
{
    var path = Find(name);
    var rows = ReadCsv(path);
    var header = rows[0].Select(h => h.Trim()).ToArray();
    if (header[0] != "LA num" || header[5] != "SN1" || header[23] != "SN10")
    {
        throw new InvalidDataException($"{name}: unexpected header.");
    }

    var lines = new List<string>();
    var seen = new HashSet<string>();
    foreach (var row in rows.Skip(1))
    {
        // Blank separator rows and the "Old SNs:" caption; the old (pre-reorganisation) authorities that follow it
        // (Bournemouth, Poole, Dorset before 2019; Northamptonshire before 2021) are kept: older years hold them.
        var code = row[0].Trim();
        if (code.Length == 0)
        {
            continue;
        }

        if (!code.All(char.IsAsciiDigit) || !seen.Add(code))
        {
            throw new InvalidDataException($"{name}: unexpected or repeated LA code '{code}'.");
        }

        var neighbours = Enumerable.Range(0, 10).Select(i => row[5 + (2 * i)].Trim()).ToArray();
        if (neighbours.Any(n => n.Length == 0 || !n.All(char.IsAsciiDigit)))
        {
            throw new InvalidDataException($"{name}: LA {code} does not have ten neighbour codes.");
        }

        lines.Add(string.Join(',', new[] { code }.Concat(neighbours)));
        if (!authorities.ContainsKey(code))
        {
            // Known only to the groupings (not in any statistics file): name from the groupings, no region row.
            Remember(code, int.MinValue, "", row[1].Trim(), "", "");
        }
    }

    var head = "la_code," + string.Join(',', Enumerable.Range(1, 10).Select(i => $"sn{i}"));
    File.WriteAllLines(Path.Combine(output, target), new[] { head }.Concat(lines.OrderBy(l => l, StringComparer.Ordinal)));
    Console.WriteLine($"{target}: {lines.Count} authorities from {name}");
}

void WriteAuthorities(string target)
{
    var lines = authorities.OrderBy(a => a.Key, StringComparer.Ordinal)
        .Select(a => string.Join(',', a.Key, a.Value.NewCode, Quote(a.Value.Name), a.Value.RegionCode, Quote(a.Value.RegionName)));
    File.WriteAllLines(Path.Combine(output, target), new[] { "la_code,new_la_code,name,region_code,region_name" }.Concat(lines));
    Console.WriteLine($"{target}: {authorities.Count} authorities");
}

void WriteReadme()
{
    var sources = string.Join('\n', used.Distinct().Order(StringComparer.Ordinal).Select(p =>
        $"| `{Path.GetFileName(p)}` | `{Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(p)))}` |"));
    var readme = $$"""
        # DfE reference data (generated — do not edit by hand)

        Extracted on {{DateTime.UtcNow:yyyy-MM-dd}} by `deploy/refresh-dfe.sh` from the Department for Education's
        children's social care statistics (Explore Education Statistics, as kept in the DfE's outcomes dashboard
        github.com/dfe-analytical-services/CSC_outcomes_and_enablers, folder `data-raw`), the ONS mid-year population
        estimates the DfE publishes with them, and the DfE's statistical neighbour groupings of April 2021.

        Contains public sector information licensed under the Open Government Licence v3.0
        (https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/).

        ## Refresh

        ```bash
        deploy/refresh-dfe.sh              # from ../shared/data/dfe
        deploy/refresh-dfe.sh ~/Downloads/dfe-2026   # or a newer release downloaded by hand: the same file names,
                                                     # year ranges aside (c1_…_2013_to_2026.csv)
        ```

        then rebuild: the files are embedded in the API assembly and read by `Reference/DfeBenchmarks.cs`.

        ## Files

        Only the columns the product reads; every year; England, regional and local-authority rows. Years end
        31 March. `code` is E92000001 for England, the region code (E12…, or E13000001/E13000002 for Inner/Outer
        London) for a region, the old (three-digit) LA code for an authority. Values are as published (thousands
        separators removed): `c` suppressed, `z` not applicable, `x` not available, `k` rounds to zero, `u` low
        reliability, empty = no value. National counts are rounded to the nearest 10.

        | file | from | columns |
        | --- | --- | --- |
        | `referrals.csv` | c1 | referrals, re-referrals within 12 months as a % of referrals |
        | `s47-icpc.csv` | c4 | section 47 enquiries, initial child protection conferences, conferences by working days from the enquiry's start (0–10, 11–15, 16–20, 21+) |
        | `plans-subsequent.csv` | d3 | plans starting in the year that were a second or subsequent plan, % |
        | `plans-at-31-march.csv` | d5 | children on a plan at 31 March |
        | `looked-after-at-31-march.csv` | cla, rows "Children looked after on 31 March each year" | children, rate per 10,000 (whole number; per the ONS 0–17 population of mid-(Y−1)) |
        | `population-0-17.csv` | ONS | children aged 0–17 at 30 June of `mid_year`; the DfE pairs mid-(Y−1) with the year ending 31 March Y |
        | `neighbours-2021.csv` | SN groupings 2021 | each authority's ten statistical neighbours, closest first |
        | `authorities.csv` | all of the above | LA code → name and region as of the latest year the authority appears (London boroughs: Inner or Outer London, as the DfE's rows place them) |

        ## Sources

        | file | SHA-256 |
        | --- | --- |
        {{sources}}

        """;
    File.WriteAllText(Path.Combine(output, "README.md"), readme.Replace("\r\n", "\n", StringComparison.Ordinal));
}

void Remember(string code, int year, string newCode, string name, string regionCode, string regionName)
{
    if (!authorities.TryGetValue(code, out var known) || year > known.Year)
    {
        authorities[code] = (year, newCode, name, regionCode, regionName);
    }
}

string Find(string pattern)
{
    var matches = Directory.GetFiles(source, pattern).Order(StringComparer.Ordinal).ToArray();
    if (matches.Length != 1)
    {
        throw new FileNotFoundException($"Expected exactly one {pattern} in {source}, found {matches.Length}.");
    }

    used.Add(matches[0]);
    return matches[0];
}

static string Normalise(string raw, string path)
{
    var value = raw.Trim();
    if (value.Length == 0 || value is "c" or "z" or "x" or "k" or "u")
    {
        return value;
    }

    var digits = value.Replace(",", "", StringComparison.Ordinal);
    return decimal.TryParse(digits, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out _)
        ? digits
        : throw new InvalidDataException($"{Path.GetFileName(path)}: unexpected value '{raw}'.");
}

static string Quote(string value) =>
    value.Contains(',', StringComparison.Ordinal) || value.Contains('"', StringComparison.Ordinal)
        ? "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\""
        : value;

// RFC 4180: quoted fields may hold commas, doubled quotes and line breaks. A leading BOM is dropped.
static List<string[]> ReadCsv(string path)
{
    var text = File.ReadAllText(path, Encoding.UTF8).TrimStart('\uFEFF');
    var rows = new List<string[]>();
    var fields = new List<string>();
    var field = new StringBuilder();
    var quoted = false;
    for (var i = 0; i < text.Length; i++)
    {
        var ch = text[i];
        if (quoted)
        {
            if (ch != '"')
            {
                field.Append(ch);
            }
            else if (i + 1 < text.Length && text[i + 1] == '"')
            {
                field.Append('"');
                i++;
            }
            else
            {
                quoted = false;
            }
        }
        else if (ch == '"')
        {
            quoted = true;
        }
        else if (ch == ',')
        {
            fields.Add(field.ToString());
            field.Clear();
        }
        else if (ch is '\n' or '\r')
        {
            if (ch == '\r' && i + 1 < text.Length && text[i + 1] == '\n')
            {
                i++;
            }

            fields.Add(field.ToString());
            field.Clear();
            rows.Add([.. fields]);
            fields.Clear();
        }
        else
        {
            field.Append(ch);
        }
    }

    if (field.Length > 0 || fields.Count > 0)
    {
        fields.Add(field.ToString());
        rows.Add([.. fields]);
    }

    var width = rows[0].Length;
    return [.. rows.Select(r => r.Length >= width ? r : [.. r, .. Enumerable.Repeat("", width - r.Length)])];
}
