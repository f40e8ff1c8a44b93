using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace Lscb.CaseFlow.Api.Tests.Infrastructure;

/// <summary>Naseem's family and the ONS populations of naseem.expected.json, loaded once into an app's database.</summary>
public static class NaseemFamily
{
    /// <summary>naseem.expected.json.</summary>
    public static JsonNode Expected { get; } = JsonNode.Parse(File.ReadAllText(Ce.SharedFile("fixtures/naseem.expected.json")))!;

    /// <summary>Loads the family and the populations unless they are there already.</summary>
    public static async Task LoadAsync(CaseFlowApp app)
    {
        if (await app.StoredEventCountAsync("NASEEM01") > 0)
        {
            return;
        }

        await app.IngestAsync(Ce.Naseem());
        foreach (var (year, children) in Expected["population"]!.AsObject())
        {
            using var response = await app.Client.PutAsJsonAsync($"/api/reference/population/{year}", new { children = children!.GetValue<int>() });
            response.StatusCode.ShouldBe(HttpStatusCode.NoContent);
        }
    }

    /// <summary>The expected KPIs of one window of naseem.expected.json, keyed as in <c>/api/kpis</c>.</summary>
    public static JsonNode KpisOf(string from, string to) =>
        Expected["windows"]!.AsArray().Single(w => w!["from"]!.GetValue<string>() == from && w["to"]!.GetValue<string>() == to)!["kpis"]!;
}
