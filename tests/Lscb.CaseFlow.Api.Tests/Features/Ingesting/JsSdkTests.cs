using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Lscb.CaseFlow.Api.Tests.Infrastructure;

namespace Lscb.CaseFlow.Api.Tests.Features.Ingesting;

/// <summary>
/// The JavaScript CloudEvents SDK (cloudevents, pinned in JsSdk/package.json) as the producer: its events are stored in
/// every mode, with the attributes it writes (<c>time</c>, <c>datacontenttype</c>, <c>dataschema</c>, <c>traceparent</c>).
/// Node.js is on every machine of this project's kind; the SDK is installed with <c>npm ci</c> when it is missing.
/// </summary>
public sealed class JsSdkTests(CaseFlowApp app) : IClassFixture<CaseFlowApp>
{
    private static readonly SemaphoreSlim Install = new(1, 1);

    [Theory]
    [InlineData("binary")]
    [InlineData("structured")]
    [InlineData("batched")]
    public async Task events_from_the_javascript_sdk_are_stored_in_every_mode(string mode)
    {
        var child = Ce.Subject();
        var contact = Ce.Contact(child, "2016-04-12", "CT-1");
        contact["datacontenttype"] = "application/json";
        contact["dataschema"] = "https://schemas.council.test/caseflow/contact/v1";
        contact["traceparent"] = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";
        contact.Remove("specversion");
        var events = mode == "batched" ? new[] { contact, Ce.Referral(child, "2016-04-13", "R-1") } : [contact];

        using var first = await app.Client.PostAsync("/api/events", await ProduceAsync(mode, events));
        using var again = await app.Client.PostAsync("/api/events", await ProduceAsync(mode, events));

        var body = await first.Content.ReadAsStringAsync();
        first.StatusCode.ShouldBe(HttpStatusCode.OK, body);
        JsonNode.Parse(body)!["accepted"]!.GetValue<int>().ShouldBe(events.Length);
        JsonNode.Parse(await again.Content.ReadAsStringAsync())!["duplicates"]!.GetValue<int>().ShouldBe(events.Length);
        (await app.StoredEventCountAsync(child)).ShouldBe(events.Length);
    }

    [Fact]
    public async Task an_extension_from_the_javascript_sdk_is_refused_naming_it()
    {
        var child = Ce.Subject();
        var contact = Ce.Contact(child, "2016-04-12", "CT-1");
        contact["childname"] = "Naseem";

        using var response = await app.Client.PostAsync("/api/events", await ProduceAsync("binary", [contact]));

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await CaseFlowApp.ProblemOf(response))["events"]![0]!["errors"]!.AsArray()
            .ShouldContain(e => e!["field"]!.GetValue<string>() == "childname");
        (await app.StoredEventCountAsync(child)).ShouldBe(0);
    }

    /// <summary>The request the SDK makes for these events in this mode (JsSdk/producer.mjs).</summary>
    private static async Task<HttpContent> ProduceAsync(string mode, JsonObject[] events)
    {
        var dir = await InstalledAsync();
        var input = new JsonObject { ["mode"] = mode, ["events"] = new JsonArray(events.Select(e => e.DeepClone()).ToArray()) };
        var (code, output, error) = await RunAsync("node", ["producer.mjs"], dir, input.ToJsonString());
        code.ShouldBe(0, error);

        var message = JsonNode.Parse(output)!;
        var content = new StringContent(message["body"]!.GetValue<string>(), Encoding.UTF8);
        content.Headers.Remove("Content-Type");
        foreach (var (name, value) in message["headers"]!.AsObject())
        {
            content.Headers.TryAddWithoutValidation(name, value!.GetValue<string>()).ShouldBeTrue(name);
        }

        return content;
    }

    private static async Task<string> InstalledAsync()
    {
        var dir = Path.GetDirectoryName(FindUp(Path.Combine("tests", "Lscb.CaseFlow.Api.Tests", "JsSdk", "package.json")))!;
        await Install.WaitAsync();
        try
        {
            if (!Directory.Exists(Path.Combine(dir, "node_modules", "cloudevents")))
            {
                var (code, _, error) = await RunAsync("npm", ["ci", "--no-audit", "--no-fund"], dir, null);
                code.ShouldBe(0, $"npm ci in {dir}: {error}");
            }
        }
        finally
        {
            Install.Release();
        }

        return dir;
    }

    private static string FindUp(string relative)
    {
        for (var d = new DirectoryInfo(AppContext.BaseDirectory); d is not null; d = d.Parent)
        {
            if (File.Exists(Path.Combine(d.FullName, relative)))
            {
                return Path.Combine(d.FullName, relative);
            }
        }

        throw new FileNotFoundException($"{relative} was not found above the test's directory.");
    }

    private static async Task<(int Code, string Output, string Error)> RunAsync(string file, string[] args, string dir, string? stdin)
    {
        var start = new ProcessStartInfo(file) { WorkingDirectory = dir, RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        if (stdin is not null)
        {
            await process.StandardInput.WriteAsync(stdin);
        }

        process.StandardInput.Close();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await output, await error);
    }
}
