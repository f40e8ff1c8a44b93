using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Lscb.CaseFlow.Events;

namespace Lscb.CaseFlow.Api.Tests.Infrastructure;

/// <summary>
/// One hostile request to <c>POST /api/events</c>. <paramref name="MayBeAccepted"/> is false when the contract refuses
/// it by construction; when true it may happen to be a valid batch (a mutation that left it valid, an id holding SQL
/// text, which is only an opaque string) and may be stored, but then only if acknowledged.
/// </summary>
public sealed record HostileBody(int Index, string Kind, byte[] Body, string? ContentType, bool MayBeAccepted)
{
    public override string ToString() => $"#{Index} {Kind} ({Body.Length} bytes, {ContentType ?? "no content type"})";
}

/// <summary>
/// Builds hostile bodies from a seed, each from its own index, so any one can be built again alone: byte mutations
/// and truncations of valid batches, wrong JSON types for every field, nulls, ≈1 MB strings, nesting far beyond 64
/// levels, control characters raw and escaped, invalid UTF-8, unpaired surrogates, SQL and script text, unknown
/// fields, wrong, missing and malformed content types, odd roots and odd batches. Every event is about a child whose
/// id starts with the run's prefix, and comes from <see cref="Source"/>.
/// </summary>
public sealed class HostileBodies(int seed, string subjectPrefix)
{
    public const string Source = "urn:lscb:fuzz:mash";
    public const string BatchType = "application/cloudevents-batch+json";

    public static readonly string[] Hostile =
    [
        "'; drop table caseflow.mt_events; --",
        "\"; delete from caseflow.event_keys; --",
        "1 OR 1=1",
        "' union select * from pg_shadow --",
        "<script>alert(1)</script>",
        "<img src=x onerror=alert(1)>",
        "javascript:alert(1)",
        "${jndi:ldap://x/a}",
        "{{7*7}}",
        "../../etc/passwd",
        "%00%0d%0a",
        "\u202etxt.exe",
        "😀👩‍👩‍👧",
        "ᚠᛇᚻ᛫ᛒᛦᚦ",
    ];

    private static readonly string[] WrongTypes =
        ["42", "-1e308", "1.5", "1e400", "true", "false", "[]", "[1,\"a\",null]", "{}", "{\"a\":{}}", "0", "-0"];

    private static readonly string[] WrongContentTypes =
    [
        "text/plain", "application/xml", "text/html; charset=utf-8", "multipart/form-data; boundary=xyz",
        "application/x-www-form-urlencoded", "image/png", "application/octet-stream", "application/cloudevents-batch+xml",
        "text/json", "application/javascript", "*/*",
    ];

    private static readonly string[] AcceptedContentTypes =
        [BatchType, "application/json", "application/cloudevents+json", "application/json; charset=utf-8", "APPLICATION/JSON"];

    public HostileBody Make(int index)
    {
        var random = new Random(unchecked((seed * 7919) + index));
        var roll = random.Next(1000);
        return roll switch
        {
            < 280 => ByteMutation(index, random),
            < 350 => Truncated(index, random),
            < 470 => WrongType(index, random),
            < 520 => Nulls(index, random),
            < 530 => Huge(index, random),
            < 570 => DeepNesting(index, random),
            < 650 => ControlCharacters(index, random),
            < 700 => InvalidUtf8(index, random),
            < 730 => UnpairedSurrogates(index, random),
            < 800 => SqlAndScript(index, random),
            < 850 => UnknownFields(index, random),
            < 900 => ContentTypes(index, random),
            < 940 => OddRoots(index, random),
            _ => OddBatches(index, random),
        };
    }

    /// <summary>What the fuzzing found getting through (a 500, or stored), and its near relatives: refused in every run.</summary>
    public IEnumerable<HostileBody> Regressions()
    {
        var random = new Random(seed);
        var cases = new (string Kind, Action<JsonObject> Break)[]
        {
            ("subject ending in a line break ('$' matched before it)", e => e["subject"] = e["subject"]!.GetValue<string>() + "\n"),
            ("time ending in a line break", e => e["time"] = "2024-05-01T10:00:00Z\n"),
            ("U+0000 in id (PostgreSQL cannot store it)", e => e["id"] = "a\u0000b"),
            ("U+0000 in source", e => e["source"] = Source + "\u0000"),
            ("U+0085 in a data id", e => e["data"]!["contactId"] = "CT\u0085"),
            ("a line break in id", e => e["id"] = "id\n"),
        };
        var index = -1;
        foreach (var (kind, breakIt) in cases)
        {
            var e = ValidEvent(random);
            e["type"] = "contact";
            e["data"] = new JsonObject { ["occurredOn"] = "2020-01-01", ["contactId"] = "CT-1", ["referralSource"] = "2A" };
            breakIt(e);
            yield return Refused(index--, kind, Utf8(new JsonArray(e).ToJsonString()));
        }

        var json = new JsonArray(ValidEvent(random)).ToJsonString();
        yield return Refused(index--, "unpaired surrogate in id", Utf8(json.Replace("\"fz-", "\"\\uD800fz-", StringComparison.Ordinal)));
        var at = json.IndexOf("fz-", StringComparison.Ordinal);
        yield return Refused(index--, "invalid UTF-8 in id", [.. Utf8(json[..at]), 0xC0, 0xAF, .. Utf8(json[at..])]);
        yield return Refused(index--, "application/json with a longer name", Utf8(json), "application/jsonx");
        yield return Refused(index--, "application/json with a non-ASCII tail", Utf8(json), "application/json\u00e9");
    }

    /// <summary>A valid event of a random type, with random optional fields, about one of the run's children.</summary>
    public JsonObject ValidEvent(Random random)
    {
        var types = EventTypes.All.Where(t => t.Name != "retraction").ToList();
        var type = types[random.Next(types.Count)];
        var data = new JsonObject { [EventTypes.OccurredOnField] = Date(random) };
        foreach (var field in type.Fields.Where(f => f.Required || random.Next(2) == 0))
        {
            data[field.Name] = field.Kind switch
            {
                FieldKind.Code => field.Codes!.ElementAt(random.Next(field.Codes!.Count)),
                FieldKind.CodeArray => new JsonArray(field.Codes!.Where(c => c != CodeLists.NoFactors).ElementAt(random.Next(field.Codes!.Count - 1))),
                FieldKind.Text => "recorded in error",
                _ => $"{field.Name[..2].ToUpperInvariant()}-{random.Next(100_000)}",
            };
        }

        var e = new JsonObject
        {
            ["specversion"] = "1.0",
            ["id"] = $"fz-{random.NextInt64():x}",
            ["source"] = Source,
            ["type"] = type.Name,
            ["subject"] = $"{subjectPrefix}{random.Next(10_000)}",
            ["data"] = data,
        };
        if (random.Next(4) == 0)
        {
            e["time"] = "2024-05-01T10:00:00Z";
        }

        return e;
    }

    private JsonArray ValidBatch(Random random, int max = 4) =>
        new(Enumerable.Range(0, random.Next(1, max + 1)).Select(_ => (JsonNode)ValidEvent(random)).ToArray());

    private static string Date(Random random) =>
        new DateOnly(1990, 1, 1).AddDays(random.Next(12_000)).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);

    private static HostileBody Refused(int index, string kind, byte[] body, string? contentType = BatchType) =>
        new(index, kind, body, contentType, MayBeAccepted: false);

    /// <summary>A random event of the batch and one of its fields, as (object holding it, name).</summary>
    private static (JsonObject Holder, string Name) AnyField(JsonArray batch, Random random, bool requiredOnly = false)
    {
        var e = batch[random.Next(batch.Count)]!.AsObject();
        var data = e["data"]!.AsObject();
        var type = EventTypes.Find(e["type"]!.GetValue<string>())!;
        var envelope = new[] { "specversion", "id", "source", "type", "subject", "data" }.Concat(requiredOnly ? [] : ["time"]).ToArray();
        var inData = type.Fields.Where(f => !requiredOnly || f.Required).Select(f => f.Name).Append(EventTypes.OccurredOnField).ToArray();
        return random.Next(2) == 0
            ? (e, envelope[random.Next(envelope.Length)])
            : (data, inData[random.Next(inData.Length)]);
    }

    /// <summary>A random string-valued field the event has: an id, the source, the subject, a data id or text.</summary>
    private static (JsonObject Holder, string Name, FieldKind Kind) AnyTextField(JsonArray batch, Random random)
    {
        var e = batch[random.Next(batch.Count)]!.AsObject();
        var data = e["data"]!.AsObject();
        var type = EventTypes.Find(e["type"]!.GetValue<string>())!;
        var candidates = new List<(JsonObject, string, FieldKind)> { (e, "id", FieldKind.EventId), (e, "source", FieldKind.EventId), (e, "subject", FieldKind.Id) };
        candidates.AddRange(type.Fields.Where(f => f.Kind is FieldKind.Id or FieldKind.Text or FieldKind.EventId && data.ContainsKey(f.Name)).Select(f => (data, f.Name, f.Kind)));
        return candidates[random.Next(candidates.Count)];
    }

    private HostileBody ByteMutation(int index, Random random)
    {
        var bytes = Utf8(ValidBatch(random).ToJsonString()).ToList();
        var edits = random.Next(1, 5);
        for (var i = 0; i < edits && bytes.Count > 0; i++)
        {
            var at = random.Next(bytes.Count);
            switch (random.Next(5))
            {
                case 0:
                    bytes[at] ^= (byte)(1 << random.Next(8));
                    break;
                case 1:
                    bytes[at] = (byte)random.Next(256);
                    break;
                case 2:
                    bytes.Insert(at, (byte)random.Next(256));
                    break;
                case 3:
                    bytes.RemoveAt(at);
                    break;
                default:
                    var length = Math.Min(random.Next(1, 40), bytes.Count - at);
                    bytes.InsertRange(at, bytes.GetRange(at, length));
                    break;
            }
        }

        return new(index, "byte mutation", [.. bytes], BatchType, MayBeAccepted: true);
    }

    private HostileBody Truncated(int index, Random random)
    {
        var json = Utf8(ValidBatch(random).ToJsonString());
        return Refused(index, "truncated", json[..random.Next(json.Length)]);
    }

    private HostileBody WrongType(int index, Random random)
    {
        var batch = ValidBatch(random);
        if (random.Next(10) == 0)
        {
            // The event itself is not an object.
            batch[random.Next(batch.Count)] = JsonNode.Parse(WrongTypes[random.Next(WrongTypes.Length)].Replace("{}", "\"event\"", StringComparison.Ordinal));
            return Refused(index, "wrong type: event", Utf8(batch.ToJsonString()));
        }

        var (holder, name) = AnyField(batch, random);
        var wrong = name == "data"
            ? new[] { "\"data\"", "42", "[]", "[{}]", "true" }[random.Next(5)]
            : WrongTypes[random.Next(WrongTypes.Length)];
        holder[name] = JsonNode.Parse(wrong);
        return Refused(index, $"wrong type: {name}", Utf8(batch.ToJsonString()));
    }

    private HostileBody Nulls(int index, Random random)
    {
        if (random.Next(5) == 0)
        {
            // Nulls everywhere: every field of every event, or events that are null.
            var everywhere = ValidBatch(random);
            foreach (var e in everywhere.Select(e => e!.AsObject()))
            {
                foreach (var field in e.Select(p => p.Key).ToList())
                {
                    e[field] = null;
                }
            }

            var body = random.Next(2) == 0 ? everywhere.ToJsonString() : "[null,null,{\"data\":null}]";
            return Refused(index, "nulls everywhere", Utf8(body));
        }

        var batch = ValidBatch(random);
        var (holder, name) = AnyField(batch, random, requiredOnly: true);
        holder[name] = null;
        return Refused(index, $"null: {name}", Utf8(batch.ToJsonString()));
    }

    private HostileBody Huge(int index, Random random)
    {
        var size = random.Next(900_000, 1_100_000);
        var huge = random.Next(3) switch
        {
            0 => new string('A', size),
            1 => string.Concat(Enumerable.Repeat("é😀<'", size / 8)),
            _ => new string('9', size),
        };
        var batch = ValidBatch(random, max: 2);
        var e = batch[0]!.AsObject();
        switch (random.Next(4))
        {
            case 0:
                var (holder, name) = AnyField(batch, random);
                holder[name] = huge;
                return Refused(index, $"huge string: {name}", Utf8(batch.ToJsonString()));
            case 1:
                e["data"]![huge] = "x";
                return Refused(index, "huge field name", Utf8(batch.ToJsonString()));
            case 2:
                e["huge"] = huge;
                return Refused(index, "huge unknown field", Utf8(batch.ToJsonString()));
            default:
                // A bare number a megabyte long where an id belongs.
                var json = batch.ToJsonString();
                var id = e["id"]!.GetValue<string>();
                return Refused(index, "huge number", Utf8(json.Replace($"\"{id}\"", new string('7', size), StringComparison.Ordinal)));
        }
    }

    private HostileBody DeepNesting(int index, Random random)
    {
        var depth = random.Next(10) == 0 ? random.Next(10_000, 200_000) : random.Next(65, 3_000);
        var (open, close) = random.Next(3) switch
        {
            0 => ("[", "]"),
            1 => ("{\"a\":", "}"),
            _ => ("[{\"data\":", "}]"),
        };
        var nested = new StringBuilder(depth * (open.Length + close.Length) + 4);
        for (var i = 0; i < depth; i++)
        {
            nested.Append(open);
        }

        nested.Append("1");
        for (var i = 0; i < depth; i++)
        {
            nested.Append(close);
        }

        if (random.Next(2) == 0)
        {
            return Refused(index, $"deep nesting: body ({depth})", Utf8(nested.ToString()));
        }

        // Nested where a value belongs: beyond 64 levels in all.
        var batch = ValidBatch(random, max: 2);
        var (holder, name) = AnyField(batch, random);
        const string marker = "\"__nested__\"";
        holder[name] = "__nested__";
        return Refused(index, $"deep nesting: {name} ({depth})",
            Utf8(batch.ToJsonString().Replace(marker, nested.ToString(), StringComparison.Ordinal)));
    }

    private HostileBody ControlCharacters(int index, Random random)
    {
        var batch = ValidBatch(random);
        var (holder, name, kind) = AnyTextField(batch, random);
        var text = holder[name]!.GetValue<string>();
        var at = random.Next(text.Length + 1);
        if (random.Next(2) == 0)
        {
            // Raw, inside the string: not JSON.
            const string marker = "__raw__";
            holder[name] = text[..at] + marker + text[at..];
            var raw = (char)random.Next(0, 0x20);
            return Refused(index, $"raw control character U+{(int)raw:X4} in {name}",
                Utf8(batch.ToJsonString().Replace(marker, raw.ToString(), StringComparison.Ordinal)));
        }

        // Escaped: valid JSON, but no id, source or text holds control characters (text may hold tab and line breaks).
        char[] controls = [.. Enumerable.Range(0, 0x20).Select(c => (char)c), '\u007f', '\u0085', '\u009b'];
        var control = controls[random.Next(controls.Length)];
        if (kind == FieldKind.Text && control is '\t' or '\n' or '\r')
        {
            control = '\u0000';
        }

        holder[name] = text[..at] + control + text[at..];
        return Refused(index, $"escaped control character U+{(int)control:X4} in {name}", Utf8(batch.ToJsonString()));
    }

    private HostileBody InvalidUtf8(int index, Random random)
    {
        byte[][] invalid = [[0xFF], [0xFE], [0xC0, 0xAF], [0xE0, 0x80, 0xAF], [0xED, 0xA0, 0x80], [0xF8, 0x88, 0x80, 0x80, 0x80], [0x80], [0xE2, 0x82], [0xF4, 0x90, 0x80, 0x80]];
        var batch = ValidBatch(random);
        var (holder, name, _) = AnyTextField(batch, random);
        const string marker = "__bad__";
        holder[name] = holder[name]!.GetValue<string>() + marker;
        var json = batch.ToJsonString();
        var cut = json.IndexOf(marker, StringComparison.Ordinal);
        var bad = invalid[random.Next(invalid.Length)];
        return Refused(index, $"invalid UTF-8 in {name}", [.. Utf8(json[..cut]), .. bad, .. Utf8(json[(cut + marker.Length)..])]);
    }

    private HostileBody UnpairedSurrogates(int index, Random random)
    {
        var batch = ValidBatch(random);
        string[] escapes = [@"\uD800", @"\uDFFF", @"\uDBFF\u0041", @"\uDC00\uD800", @"\uD83D"];
        var escape = escapes[random.Next(escapes.Length)];
        const string marker = "__surrogate__";
        if (random.Next(4) == 0)
        {
            // In a field's name.
            batch[0]!["data"]![marker] = "x";
            return Refused(index, "unpaired surrogate in a field name", Utf8(batch.ToJsonString().Replace(marker, escape, StringComparison.Ordinal)));
        }

        var (holder, name, _) = AnyTextField(batch, random);
        holder[name] = holder[name]!.GetValue<string>() + marker;
        return Refused(index, $"unpaired surrogate in {name}", Utf8(batch.ToJsonString().Replace(marker, escape, StringComparison.Ordinal)));
    }

    private HostileBody SqlAndScript(int index, Random random)
    {
        var batch = ValidBatch(random);
        var hostile = Hostile[random.Next(Hostile.Length)];
        var e = batch[random.Next(batch.Count)]!.AsObject();
        var data = e["data"]!.AsObject();
        switch (random.Next(6))
        {
            case 0:
                e["subject"] = hostile;
                return Refused(index, "hostile subject", Utf8(batch.ToJsonString()));
            case 1:
                e[random.Next(2) == 0 ? "type" : "specversion"] = hostile;
                return Refused(index, "hostile type or specversion", Utf8(batch.ToJsonString()));
            case 2:
                data[EventTypes.OccurredOnField] = hostile;
                return Refused(index, "hostile occurredOn", Utf8(batch.ToJsonString()));
            case 3:
                e["time"] = hostile;
                return Refused(index, "hostile time", Utf8(batch.ToJsonString()));
            default:
                // An id, a source or a data id is an opaque string: this may well be valid, and is then stored as it is.
                var (holder, name, _) = AnyTextField(batch, random);
                while (name == "subject")
                {
                    (holder, name, _) = AnyTextField(batch, random);
                }

                holder[name] = hostile + "-" + random.Next(1_000_000).ToString(CultureInfo.InvariantCulture);
                return new(index, $"hostile text in {name}", Utf8(batch.ToJsonString()), BatchType, MayBeAccepted: true);
        }
    }

    private HostileBody UnknownFields(int index, Random random)
    {
        var batch = ValidBatch(random);
        var e = batch[random.Next(batch.Count)]!.AsObject();
        string[] names = ["childName", "dateOfBirth", "nhsNumber", "address", "ce_extension", "partitionkey", "sequence", "traceparent ", "datacontenttypes", "__proto__", "constructor", "", " ", "id ", "Id", "DATA"];
        var name = random.Next(3) == 0 ? Hostile[random.Next(Hostile.Length)] : names[random.Next(names.Length)];
        JsonNode? value = random.Next(3) switch { 0 => "Naseem Khan", 1 => null, _ => new JsonObject { ["x"] = 1 } };
        if (random.Next(2) == 0)
        {
            e[name] = value;
        }
        else
        {
            e["data"]![name] = value;
        }

        return Refused(index, $"unknown field '{name}'", Utf8(batch.ToJsonString()));
    }

    private HostileBody ContentTypes(int index, Random random)
    {
        switch (random.Next(3))
        {
            case 0:
                return Refused(index, "wrong content type", Utf8(ValidBatch(random).ToJsonString()), WrongContentTypes[random.Next(WrongContentTypes.Length)]);
            case 1:
                // Malformed headers: never parsed as JSON media types.
                string[] malformed = [";;;", "application/", "/json", "application/json\u00e9x", new string('a', 5_000), "text/plain; charset=\"", "application/xml, application/json"];
                return Refused(index, "malformed content type", Utf8(ValidBatch(random).ToJsonString()), malformed[random.Next(malformed.Length)]);
            default:
                // No content type, or an accepted one, with a hostile body.
                HostileBody hostile;
                var other = index + 1_000_000 + random.Next(1_000_000);
                do
                {
                    hostile = Make(other++);
                }
                while (hostile.Kind.Contains("content type", StringComparison.Ordinal));

                var type = random.Next(2) == 0 ? null : AcceptedContentTypes[random.Next(AcceptedContentTypes.Length)];
                return hostile with { Index = index, Kind = $"{(type is null ? "no content type" : type)} with {hostile.Kind}", ContentType = type };
        }
    }

    private HostileBody OddRoots(int index, Random random)
    {
        string[] roots = ["", " ", "\n\t", "null", "true", "0", "-1", "\"\"", "\"[]\"", "[]", "[[]]", "[{}]", "{}", "[1,2,3]", "{\"0\":{}}", "\uFEFF[]", "[,]", "[{},]", "/* */[]", "[] []", "NaN", "Infinity"];
        return Refused(index, "odd root", Utf8(roots[random.Next(roots.Length)]));
    }

    private HostileBody OddBatches(int index, Random random)
    {
        switch (random.Next(5))
        {
            case 0:
                // Over the limit of 5,000 events.
                var many = "[" + string.Join(",", Enumerable.Repeat("{}", 5_001 + random.Next(2_000))) + "]";
                return Refused(index, "too many events", Utf8(many));
            case 1:
                // The same id twice with other content: a conflict.
                var first = ValidEvent(random);
                var second = ValidEvent(random);
                second["id"] = first["id"]!.GetValue<string>();
                second["subject"] = first["subject"]!.GetValue<string>() + "b";
                return Refused(index, "same id, other content", Utf8(new JsonArray(first, second).ToJsonString()));
            case 2:
                // A retraction naming nothing stored.
                var retraction = ValidEvent(random);
                retraction["type"] = "retraction";
                retraction["data"] = new JsonObject { ["occurredOn"] = "2020-01-01", ["retractedId"] = $"nothing-{random.Next()}", ["reason"] = "recorded in error" };
                return Refused(index, "retraction of nothing", Utf8(new JsonArray(retraction).ToJsonString()));
            case 3:
                // Valid events with one invalid among them.
                var batch = ValidBatch(random, max: 6);
                batch.Insert(random.Next(batch.Count + 1), new JsonObject { ["specversion"] = "1.0", ["id"] = "x" });
                return Refused(index, "one invalid among valid", Utf8(batch.ToJsonString()));
            default:
                // Over 10 MB (rarely: it is big).
                return random.Next(20) == 0
                    ? Refused(index, "over 10 MB", Utf8("[\"" + new string('x', 10 * 1024 * 1024 + 10) + "\"]"))
                    : Refused(index, "dates out of range", Utf8(new JsonArray(DateOutOfRange(random)).ToJsonString()));
        }
    }

    private JsonObject DateOutOfRange(Random random)
    {
        var e = ValidEvent(random);
        string[] dates = ["1989-12-31", "2999-01-01", "0001-01-01", "9999-12-31", "2020-02-30", "2020-13-01", "20-01-01", "2020-1-1", "２０２０-01-01", "2020-01-01T00:00:00Z", "-2020-01-01", "+2020-01-01"];
        e["data"]![EventTypes.OccurredOnField] = dates[random.Next(dates.Length)];
        return e;
    }
}
