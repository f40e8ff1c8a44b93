using System.Text.Json.Nodes;

namespace Lscb.CaseFlow.Api.Tests.Infrastructure;

public static class KpiAssert
{
    private static double Number(JsonNode node) =>
        double.Parse(node.ToJsonString(), System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Every key of <paramref name="expected"/> has the same numerator, denominator and value (to 1e-9).</summary>
    public static void Matches(JsonNode actual, JsonNode expected, string because)
    {
        foreach (var (key, want) in expected.AsObject())
        {
            var got = actual[key];
            got.ShouldNotBeNull($"{because}: {key} is missing");
            foreach (var part in new[] { "numerator", "denominator", "value" })
            {
                var w = want![part];
                var g = got[part];
                if (w is null && want.AsObject().ContainsKey(part))
                {
                    g.ShouldBeNull($"{because}: {key}.{part}");
                }
                else if (w is not null)
                {
                    g.ShouldNotBeNull($"{because}: {key}.{part}");
                    Number(g).ShouldBe(Number(w), 1e-9, $"{because}: {key}.{part}");
                }
            }
        }
    }
}
