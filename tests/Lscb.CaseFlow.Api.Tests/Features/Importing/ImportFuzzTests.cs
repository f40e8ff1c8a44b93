using System.Collections.Concurrent;
using System.Globalization;
using System.IO.Compression;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Lscb.CaseFlow.Api.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Lscb.CaseFlow.Api.Tests.Features.Importing;

/// <summary>
/// Hostile files to both import endpoints, built from a seed (<c>CASEFLOW_FUZZ_SEED</c> replays a run) out of the real
/// samples: cut short, bytes flipped, elements nested far past any census, values of pages, entities, a zip whose
/// parts are swapped, missing, replaced by hostile XML or many, and media types that lie. Never a 5xx, every refusal a
/// problem, nothing stored but what an answer counted, and the service healthy afterwards.
/// </summary>
public sealed class ImportFuzzTests(CaseFlowApp app, ITestOutputHelper output) : IClassFixture<CaseFlowApp>
{
    private const int Files = 300;

    private sealed record HostileImport(int Index, string Kind, string Format, byte[] Body, string ContentType)
    {
        public override string ToString() => $"#{Index} {Format} {Kind} ({Body.Length} bytes, {ContentType})";
    }

    private sealed record Outcome(HostileImport File, int Status, string? MediaType, int Stored, string Answer)
    {
        public override string ToString() => $"{File} → {Status} {MediaType}: {(Answer.Length > 300 ? Answer[..300] : Answer)}";
    }

    [Fact]
    public async Task hostile_files_to_both_imports_never_get_a_5xx_and_store_only_what_they_answer()
    {
        var seed = int.TryParse(Environment.GetEnvironmentVariable("CASEFLOW_FUZZ_SEED"), NumberStyles.Integer, CultureInfo.InvariantCulture, out var s)
            ? s
            : Random.Shared.Next();
        output.WriteLine($"seed {seed} (CASEFLOW_FUZZ_SEED={seed} replays it)");
        var census = Samples.Bytes(Samples.Census2024);
        var workbook = Samples.Bytes(Samples.AnnexA);
        var storedBefore = await app.StoredEventCountAsync();

        var outcomes = new ConcurrentBag<Outcome>();
        // Two at a time: what a node reads at once (ImportLimits.MaxConcurrent), so that none is turned away busy.
        await Parallel.ForEachAsync(Enumerable.Range(0, Files), new ParallelOptions { MaxDegreeOfParallelism = 2 },
            async (i, ct) => outcomes.Add(await PostAsync(Make(seed, i, census, workbook), ct)));

        foreach (var kind in outcomes.GroupBy(o => $"{o.File.Format} {o.File.Kind}").OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            output.WriteLine($"  {kind.Count(),4}× {kind.Key}: {string.Join(", ", kind.GroupBy(o => o.Status).OrderBy(g => g.Key).Select(g => $"{g.Count()}× {g.Key}"))}");
        }

        outcomes.Where(o => o.Status is < 200 or >= 500 or (>= 300 and < 400)).Take(20).ShouldBeEmpty();
        outcomes.Where(o => o.Status >= 400 && o.MediaType != "application/problem+json").Take(20).ShouldBeEmpty();
        outcomes.Where(o => o.Status == 500).ShouldBeEmpty();
        (await app.StoredEventCountAsync() - storedBefore).ShouldBe(outcomes.Sum(o => o.Stored), "stored, yet not counted by an answer");

        using var health = await app.Client.GetAsync("/health");
        health.IsSuccessStatusCode.ShouldBeTrue();
        (await Samples.ImportOkAsync(app.Client, "annex-a", workbook))["events"].ShouldNotBeNull();
    }

    private async Task<Outcome> PostAsync(HostileImport file, CancellationToken ct)
    {
        using var content = new ByteArrayContent(file.Body);
        content.Headers.TryAddWithoutValidation("Content-Type", file.ContentType);
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
            timeout.CancelAfter(TimeSpan.FromSeconds(60));
            using var response = await app.Client.PostAsync($"/api/imports/{file.Format}", content, timeout.Token);
            var answer = await response.Content.ReadAsStringAsync(timeout.Token);
            var stored = (int)response.StatusCode == 200 ? JsonNode.Parse(answer)!["events"]!.GetValue<int>() : 0;
            return new Outcome(file, (int)response.StatusCode, response.Content.Headers.ContentType?.MediaType, stored, answer);
        }
        catch (Exception e) when (e is HttpRequestException or OperationCanceledException or IOException)
        {
            return new Outcome(file, 0, null, 0, $"{e.GetType().Name}: {e.Message}");
        }
    }

    private static HostileImport Make(int seed, int index, byte[] census, byte[] workbook)
    {
        var random = new Random(unchecked((seed * 7919) + index));
        var (kind, format, body) = random.Next(2) == 0 ? Census(random, census) : Workbook(random, workbook);
        var contentType = random.Next(12) switch
        {
            0 => "text/plain",
            1 => format == "cin-census" ? "application/octet-stream" : "application/xml",
            2 => format == "cin-census" ? "text/xml; charset=utf-16" : "application/octet-stream; x=y",
            _ => format == "cin-census" ? "application/xml" : "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        };
        return new HostileImport(index, kind, format, body, contentType);
    }

    private static (string Kind, string Format, byte[] Body) Census(Random random, byte[] census)
    {
        var text = Encoding.UTF8.GetString(census);
        var at = random.Next(text.Length);
        var element = text.IndexOf('<', at) is var i and >= 0 ? i : text.Length;
        byte[] Utf8(string s) => Encoding.UTF8.GetBytes(s);
        return random.Next(10) switch
        {
            0 => ("cut short", "cin-census", census[..random.Next(census.Length)]),
            1 => ("bytes flipped", "cin-census", Flipped(random, census)),
            2 => ("nested deep", "cin-census", Utf8(text[..element] + string.Concat(Enumerable.Repeat("<x>", random.Next(33, 50_000))) + text[element..])),
            3 => ("a value of pages", "cin-census", Utf8(text.Replace("<LAchildID>", "<LAchildID>" + new string('9', random.Next(4_097, 300_000)), StringComparison.Ordinal))),
            4 => ("entities", "cin-census", HostileFiles.EntityExpansionCensus()),
            5 => ("many children", "cin-census", HostileFiles.Census(Enumerable.Range(0, random.Next(1, 400)).Select(n => HostileFiles.Child($"F{random.Next()}", n)).ToArray())),
            6 => ("a wide child", "cin-census", HostileFiles.WideCensus(random.Next(5_000, 30_000))),
            7 => ("utf-16", "cin-census", Encoding.Unicode.GetPreamble().Concat(Encoding.Unicode.GetBytes(text.Replace("UTF-8", "UTF-16", StringComparison.Ordinal))).ToArray()),
            8 => ("tags broken", "cin-census", Utf8(text.Replace("</", "<", StringComparison.Ordinal))),
            _ => ("garbage", "cin-census", Garbage(random)),
        };
    }

    private static (string Kind, string Format, byte[] Body) Workbook(Random random, byte[] workbook)
    {
        var parts = Parts(workbook);
        var names = parts.Keys.ToList();
        var victim = names[random.Next(names.Count)];
        string[] hostile =
        [
            string.Concat(Enumerable.Repeat("<a>", 5_000)),
            "<!DOCTYPE x [<!ENTITY a \"b\">]><worksheet/>",
            "<sst><si><t>unclosed</si>",
            "not xml at all",
            "<worksheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\"><sheetData><row r=\"-5\"><c r=\"ZZZZZZ1\" t=\"s\"><v>99999999999</v></c><c t=\"b\"><v/></c></row></sheetData></worksheet>",
            "<sst xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\"><si><t>" + new string('x', 40_000) + "</t></si></sst>",
            "",
        ];
        return random.Next(8) switch
        {
            0 => ("cut short", "annex-a", workbook[..random.Next(workbook.Length)]),
            1 => ("bytes flipped", "annex-a", Flipped(random, workbook)),
            2 => ($"{victim} hostile", "annex-a", Zip(parts, victim, Encoding.UTF8.GetBytes(hostile[random.Next(hostile.Length)]))),
            3 => ($"{victim} missing", "annex-a", Zip(parts, victim, null)),
            4 => ("parts swapped", "annex-a", Zip(parts, victim, parts[names[random.Next(names.Count)]])),
            5 => ("deep cell", "annex-a", HostileFiles.DeepCellAnnexA(random.Next(33, 50_000))),
            6 => ("expanding strings", "annex-a", HostileFiles.ExpandingSharedStringsAnnexA(random.Next(17, 40) * 1_000_000L)),
            _ => ("garbage", "annex-a", Garbage(random)),
        };
    }

    private static byte[] Flipped(Random random, byte[] file)
    {
        var copy = (byte[])file.Clone();
        for (var n = random.Next(1, 20); n > 0; n--)
        {
            copy[random.Next(copy.Length)] = (byte)random.Next(256);
        }

        return copy;
    }

    private static byte[] Garbage(Random random)
    {
        var bytes = new byte[random.Next(0, 5_000)];
        random.NextBytes(bytes);
        if (bytes.Length > 4 && random.Next(2) == 0)
        {
            // Start as a zip or as XML would, so that the readers get past their first look.
            (random.Next(2) == 0 ? "PK\u0003\u0004"u8 : "<?xml"u8).CopyTo(bytes);
        }

        return bytes;
    }

    private static Dictionary<string, byte[]> Parts(byte[] workbook)
    {
        using var zip = new ZipArchive(new MemoryStream(workbook), ZipArchiveMode.Read);
        return zip.Entries.ToDictionary(e => e.FullName, e =>
        {
            using var entry = e.Open();
            using var copy = new MemoryStream();
            entry.CopyTo(copy);
            return copy.ToArray();
        });
    }

    private static byte[] Zip(Dictionary<string, byte[]> parts, string replaced, byte[]? with)
    {
        using var zipped = new MemoryStream();
        using (var zip = new ZipArchive(zipped, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var (name, content) in parts)
            {
                var body = name == replaced ? with : content;
                if (body is null)
                {
                    continue;
                }

                using var entry = zip.CreateEntry(name).Open();
                entry.Write(body);
            }
        }

        return zipped.ToArray();
    }
}
