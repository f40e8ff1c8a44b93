using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Lscb.CaseFlow.Benchmarks;

/// <summary>
/// Where the time goes: the sums of the timings that the API (or the rebuild command) logs at Debug, one JSON log
/// line per request, batch or projection step (their <c>…Ms</c> and count fields), per log category.
/// </summary>
internal sealed class Profile
{
    private readonly ConcurrentDictionary<string, ConcurrentDictionary<string, double>> _sums = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, int> _lines = new(StringComparer.Ordinal);

    /// <summary>Takes the line if it is one of the timing lines (JSON with a <c>State</c> naming <c>…Ms</c> fields).</summary>
    public bool TryAdd(string line)
    {
        if (!line.StartsWith('{') || !line.Contains(" timings: ", StringComparison.Ordinal))
        {
            return false;
        }

        try
        {
            using var json = JsonDocument.Parse(line);
            var category = json.RootElement.GetProperty("Category").GetString()!;
            var sums = _sums.GetOrAdd(category, _ => new ConcurrentDictionary<string, double>(StringComparer.Ordinal));
            foreach (var field in json.RootElement.GetProperty("State").EnumerateObject())
            {
                if (field.Name.StartsWith('{') || !TryNumber(field.Value, out var value))
                {
                    continue;
                }

                sums.AddOrUpdate(field.Name, value, (_, sum) => sum + value);
            }

            _lines.AddOrUpdate(category, 1, (_, n) => n + 1);
            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    public void Clear()
    {
        _sums.Clear();
        _lines.Clear();
    }

    /// <summary>One field's sum over every line of the category (0 when none).</summary>
    public double Sum(string category, string field) =>
        _sums.TryGetValue(category, out var sums) && sums.TryGetValue(field, out var sum) ? sum : 0;

    public int Lines(string category) => _lines.GetValueOrDefault(category);

    /// <summary>Every category's sums, with the number of lines: the raw figures behind a profile.</summary>
    public JsonObject Raw()
    {
        var raw = new JsonObject();
        foreach (var (category, sums) in _sums.OrderBy(c => c.Key, StringComparer.Ordinal))
        {
            var fields = new JsonObject { ["lines"] = Lines(category) };
            foreach (var (field, sum) in sums.OrderBy(f => f.Key, StringComparer.Ordinal))
            {
                fields[field] = Math.Round(sum, 1);
            }

            raw[category] = fields;
        }

        return raw;
    }

    private static bool TryNumber(JsonElement value, out double number)
    {
        number = 0;
        return value.ValueKind switch
        {
            JsonValueKind.Number => value.TryGetDouble(out number),
            JsonValueKind.String => double.TryParse(value.GetString(), NumberStyles.Float, CultureInfo.InvariantCulture, out number),
            _ => false,
        };
    }
}
