using System.Globalization;
using System.Net.Http.Headers;
using System.Text.Json;

namespace Lscb.CaseFlow.Import;

/// <summary>
/// <c>caseflow-import cin-census|annex-a FILE [--api URL] [--key-file PATH] [--year YYYY] [--json]</c>: posts a file
/// of history to <c>/api/imports/…</c> and prints the answer. The key is read from <c>--key-file</c>, else the
/// environment variable <c>CASEFLOW_API_KEY</c> (or, discouraged as other users can see it, <c>--key</c>). The file
/// is sent as it is: pseudonymisation, checks and mapping all happen in the service.
/// Exit codes: 0 imported with nothing rejected; 1 imported, some records rejected; 2 not imported.
/// </summary>
public static class ImportCommand
{
    public const string DefaultApi = "http://127.0.0.1:5080";
    public const string KeyVariable = "CASEFLOW_API_KEY";

    private const string Usage = """
        Usage: caseflow-import cin-census|annex-a FILE [--api URL] [--key-file PATH | --key KEY] [--year YYYY] [--json]
          cin-census   a children-in-need census return (XML); --year names its collection year when the header does not
          annex-a      an Ofsted Annex A workbook (.xlsx)
          --api        the service (default http://127.0.0.1:5080)
          --key-file   a file holding an API key with the ingest role (else $CASEFLOW_API_KEY)
          --json       print the service's answer as JSON
        Exit codes: 0 imported, nothing rejected; 1 imported, some records rejected (listed); 2 nothing imported.
        """;

    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter errors, Func<string, string?> environment,
        Func<Uri, HttpClient>? clientFor = null, CancellationToken ct = default)
    {
        if (!TryParse(args, out var options, out var problem))
        {
            await errors.WriteLineAsync(problem);
            await errors.WriteLineAsync(Usage);
            return 2;
        }

        var key = options.KeyFile is { } keyFile
            ? (File.Exists(keyFile) ? (await File.ReadAllTextAsync(keyFile, ct)).Trim() : null)
            : options.Key ?? environment(KeyVariable);
        if (string.IsNullOrEmpty(key))
        {
            await errors.WriteLineAsync($"No API key: pass --key-file PATH or set {KeyVariable}.");
            return 2;
        }

        if (!File.Exists(options.File))
        {
            await errors.WriteLineAsync($"No such file: {options.File}");
            return 2;
        }

        using var client = clientFor?.Invoke(options.Api) ?? new HttpClient { BaseAddress = options.Api, Timeout = TimeSpan.FromMinutes(30) };
        var path = options.Format == "cin-census"
            ? "/api/imports/cin-census" + (options.Year is { } year ? $"?year={year.ToString(CultureInfo.InvariantCulture)}" : "")
            : "/api/imports/annex-a";
        await using var file = File.OpenRead(options.File);
        using var content = new StreamContent(file);
        content.Headers.ContentType = new MediaTypeHeaderValue(options.Format == "cin-census"
            ? "application/xml"
            : "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = content };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);

        HttpResponseMessage response;
        try
        {
            response = await client.SendAsync(request, ct);
        }
        catch (HttpRequestException ex)
        {
            await errors.WriteLineAsync($"The service at {options.Api} did not answer: {ex.Message}");
            return 2;
        }

        using (response)
        {
            var body = await response.Content.ReadAsStringAsync(ct);
            if (!response.IsSuccessStatusCode)
            {
                await errors.WriteLineAsync($"Not imported: {(int)response.StatusCode} {Describe(body)}");
                return 2;
            }

            using var answer = JsonDocument.Parse(body);
            var root = answer.RootElement;
            if (options.Json)
            {
                await output.WriteLineAsync(JsonSerializer.Serialize(root, Indented));
            }
            else
            {
                await PrintAsync(root, output);
            }

            return Total(root, "rejectedTotal", root.GetProperty("rejected")) > 0 ? 1 : 0;
        }
    }

    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    private static async Task PrintAsync(JsonElement answer, TextWriter output)
    {
        var rejected = answer.GetProperty("rejected");
        var warnings = answer.GetProperty("warnings");
        var rejectedTotal = Total(answer, "rejectedTotal", rejected);
        var warningsTotal = Total(answer, "warningsTotal", warnings);
        await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"{answer.GetProperty("events").GetInt32()} events stored, {answer.GetProperty("duplicates").GetInt32()} duplicates, {rejectedTotal} rejected, {warningsTotal} warnings."));
        foreach (var (title, list, total) in new[] { ("Rejected:", rejected, rejectedTotal), ("Warnings:", warnings, warningsTotal) })
        {
            if (list.GetArrayLength() == 0)
            {
                continue;
            }

            await output.WriteLineAsync(title);
            foreach (var issue in list.EnumerateArray())
            {
                await output.WriteLineAsync($"  {issue.GetProperty("where").GetString()}: {issue.GetProperty("reason").GetString()}");
            }

            if (total > list.GetArrayLength())
            {
                await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"  … and {total - list.GetArrayLength()} more, not listed."));
            }
        }
    }

    /// <summary>How many there were in all: the answer lists only the first of many.</summary>
    private static int Total(JsonElement answer, string name, JsonElement list) =>
        answer.TryGetProperty(name, out var total) && total.ValueKind == JsonValueKind.Number ? total.GetInt32() : list.GetArrayLength();

    private static string Describe(string problem)
    {
        try
        {
            using var json = JsonDocument.Parse(problem);
            var root = json.RootElement;
            return $"{(root.TryGetProperty("title", out var t) ? t.GetString() : "")}: {(root.TryGetProperty("detail", out var d) ? d.GetString() : "")}";
        }
        catch (JsonException)
        {
            return problem.Length > 300 ? problem[..300] : problem;
        }
    }

    private sealed record Options(string Format, string File, Uri Api, string? Key, string? KeyFile, int? Year, bool Json);

    private static bool TryParse(string[] args, out Options options, out string problem)
    {
        options = null!;
        problem = "";
        if (args.Length < 2 || args[0] is not ("cin-census" or "annex-a"))
        {
            problem = "Say what to import: cin-census or annex-a, then the file.";
            return false;
        }

        var api = new Uri(DefaultApi);
        string? key = null, keyFile = null;
        int? year = null;
        var json = false;
        for (var i = 2; i < args.Length; i++)
        {
            var value = i + 1 < args.Length ? args[i + 1] : null;
            switch (args[i])
            {
                case "--api" when value is not null && Uri.TryCreate(value, UriKind.Absolute, out var uri):
                    api = uri;
                    i++;
                    break;
                case "--key" when value is not null:
                    key = value;
                    i++;
                    break;
                case "--key-file" when value is not null:
                    keyFile = value;
                    i++;
                    break;
                case "--year" when int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var y) && args[0] == "cin-census":
                    year = y;
                    i++;
                    break;
                case "--json":
                    json = true;
                    break;
                default:
                    problem = $"Not understood: {args[i]}";
                    return false;
            }
        }

        options = new Options(args[0], args[1], api, key, keyFile, year, json);
        return true;
    }
}
