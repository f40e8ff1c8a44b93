using Lscb.CaseFlow.Api.Http;
using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using FluentValidation;
using Lscb.CaseFlow.Events;

namespace Lscb.CaseFlow.Api.Features.Ingesting;

public sealed record FieldError(string Field, string Message);

/// <summary>An event of a batch that was refused: its index in the batch, its id and what is wrong.</summary>
public sealed record InvalidEvent(int Index, string? Id, IReadOnlyList<FieldError> Errors);

/// <summary>
/// The rules of <c>events.md</c> for one event: one message per broken rule, naming the field.
/// A field the contract does not name is refused, so names, dates of birth or addresses cannot slip in.
/// </summary>
public sealed partial class IncomingEventValidator : AbstractValidator<IncomingEvent>
{
    public static readonly DateOnly EarliestDate = new(1990, 1, 1);

    public const int MaxDataSchemaLength = 2048;

    /// <summary>What W3C Trace Context asks a receiver to pass on at least.</summary>
    public const int MaxTraceStateLength = 512;

    /// <summary>The contract's rules for every event of a batch: one entry per refused event.</summary>
    public List<InvalidEvent> FindInvalid(IEnumerable<IncomingEvent> events) =>
        events.Select(e => (Event: e, Result: Validate(e)))
            .Where(x => !x.Result.IsValid)
            .Select(x => new InvalidEvent(x.Event.Index, x.Event.Id,
                x.Result.Errors.Select(f => new FieldError(f.PropertyName, f.ErrorMessage)).ToList()))
            .ToList();

    public IncomingEventValidator(TimeProvider clock)
    {
        RuleFor(e => e.IsObject).Equal(true).OverridePropertyName("event")
            .WithMessage("Each event must be a JSON object.");

        When(e => e.IsObject, () =>
        {
            RuleFor(e => e.Json).Custom((_, ctx) =>
            {
                foreach (var field in ctx.InstanceToValidate.UnknownEnvelopeFields)
                {
                    ctx.AddFailure(field, $"'{field}' is not a field of the contract: no CloudEvents extension is taken but traceparent and tracestate.");
                }
            });

            RuleFor(e => e.Member("specversion")).Must(v => v is { ValueKind: JsonValueKind.String } s && s.GetString() == "1.0")
                .OverridePropertyName("specversion").WithMessage("'specversion' must be \"1.0\".");
            RequiredText("id", 128);
            RequiredText("source", 256).DependentRules(() =>
                RuleFor(e => e.Source).Must(s => Uri.TryCreate(s, UriKind.RelativeOrAbsolute, out _))
                    .OverridePropertyName("source").WithMessage("'source' must be a URI-reference."));
            RuleFor(e => e.Member("type")).Must(v => v is { ValueKind: JsonValueKind.String } s && EventTypes.Find(s.GetString()) is not null)
                .OverridePropertyName("type")
                .WithMessage(e => e.Member("type") is null
                    ? "'type' is required."
                    : $"'type' must be one of: {string.Join(", ", EventTypes.All.Select(t => t.Name))}.");
            RuleFor(e => e.Member("subject")).Must(v => v is { ValueKind: JsonValueKind.String } s && SubjectPattern().IsMatch(s.GetString()!))
                .OverridePropertyName("subject")
                .WithMessage("'subject' is required: the child's pseudonymous id, 1–64 letters, digits, '_' or '-'.");
            RuleFor(e => e.Member("time")).Must(v => v is null || (v.Value.ValueKind == JsonValueKind.String && IsRfc3339(v.Value.GetString()!)))
                .OverridePropertyName("time").WithMessage("'time' must be an RFC 3339 timestamp.");
            RuleFor(e => e.Member("datacontenttype")).Must(v => v is null || (v.Value.ValueKind == JsonValueKind.String && Http.MediaTypes.IsJson(v.Value.GetString())))
                .OverridePropertyName("datacontenttype")
                .WithMessage("'datacontenttype' must be application/json (parameters such as a charset allowed): every event's data is JSON.");
            RuleFor(e => e.Member("dataschema")).Must(v => v is null || (v.Value.ValueKind == JsonValueKind.String && IsDataSchema(v.Value.GetString()!)))
                .OverridePropertyName("dataschema")
                .WithMessage($"'dataschema' must be an absolute URI of at most {MaxDataSchemaLength} characters.");
            RuleFor(e => e.Member("traceparent")).Must(v => v is null || (v.Value.ValueKind == JsonValueKind.String && IsTraceParent(v.Value.GetString()!)))
                .OverridePropertyName("traceparent")
                .WithMessage("'traceparent' must be a W3C Trace Context traceparent, such as 00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01.");
            RuleFor(e => e.Member("tracestate")).Must(v => v is null || (v.Value.ValueKind == JsonValueKind.String && v.Value.GetString()!.Length <= MaxTraceStateLength
                    && !HasControlCharacters(v.Value.GetString()!, allowLineBreaks: false)))
                .OverridePropertyName("tracestate")
                .WithMessage($"'tracestate' must be a W3C Trace Context tracestate of at most {MaxTraceStateLength} characters.");
            RuleFor(e => e.Data).Must(d => d is { ValueKind: JsonValueKind.Object })
                .OverridePropertyName("data").WithMessage("'data' is required and must be an object.");

            When(e => e.Data is { ValueKind: JsonValueKind.Object } && EventTypes.Find(e.Type) is not null, () =>
                RuleFor(e => e.Data!.Value).Custom((data, ctx) =>
                    ValidateData(EventTypes.Find(ctx.InstanceToValidate.Type)!, data, Today(clock), ctx)));
        });
    }

    private IRuleBuilderOptions<IncomingEvent, JsonElement?> RequiredText(string field, int maxLength) =>
        RuleFor(e => e.Member(field))
            .Must(v => v is { ValueKind: JsonValueKind.String } s && s.GetString()!.Length is > 0 and var n && n <= maxLength
                && !HasControlCharacters(s.GetString()!, allowLineBreaks: false))
            .OverridePropertyName(field)
            .WithMessage($"'{field}' is required: a string of 1–{maxLength} characters, none of them a control character.");

    private static void ValidateData(EventType type, JsonElement data, DateOnly today, ValidationContext<IncomingEvent> ctx)
    {
        foreach (var property in data.EnumerateObject())
        {
            if (property.Name != EventTypes.OccurredOnField && type.Field(property.Name) is null)
            {
                ctx.AddFailure($"data.{property.Name}", $"'data.{property.Name}' is not a field of '{type.Name}'.");
            }
        }

        ValidateOccurredOn(data, today, ctx);
        foreach (var spec in type.Fields)
        {
            ValidateField(spec, data, ctx);
        }
    }

    private static void ValidateOccurredOn(JsonElement data, DateOnly today, ValidationContext<IncomingEvent> ctx)
    {
        const string field = "data.occurredOn";
        if (!data.TryGetProperty(EventTypes.OccurredOnField, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            ctx.AddFailure(field, $"'{field}' is required: the date it happened, YYYY-MM-DD.");
        }
        else if (value.ValueKind != JsonValueKind.String || !IsoDates.TryParseDate(value.GetString()!, out var date))
        {
            ctx.AddFailure(field, $"'{field}' must be a real date written YYYY-MM-DD.");
        }
        else if (date < EarliestDate)
        {
            ctx.AddFailure(field, $"'{field}' must not be before {EarliestDate:yyyy-MM-dd}.");
        }
        else if (date > today)
        {
            ctx.AddFailure(field, $"'{field}' must not be after today ({today:yyyy-MM-dd}).");
        }
    }

    private static void ValidateField(FieldSpec spec, JsonElement data, ValidationContext<IncomingEvent> ctx)
    {
        var field = $"data.{spec.Name}";
        if (!data.TryGetProperty(spec.Name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            if (spec.Required)
            {
                ctx.AddFailure(field, $"'{field}' is required.");
            }

            return;
        }

        switch (spec.Kind)
        {
            case FieldKind.Id:
                CheckString(value, FieldSpec.MaxIdLength, false, field, "an id of 1–64 characters, none of them a control character", ctx);
                break;
            case FieldKind.EventId:
                CheckString(value, FieldSpec.MaxEventIdLength, false, field, "an event id of 1–128 characters, none of them a control character", ctx);
                break;
            case FieldKind.Text:
                CheckString(value, FieldSpec.MaxTextLength, true, field, "text of 1–500 characters, without control characters but for tabs and line breaks", ctx);
                break;
            case FieldKind.Code when value.ValueKind != JsonValueKind.String || !spec.Codes!.Contains(value.GetString()!):
                ctx.AddFailure(field, $"'{field}' must be one of: {string.Join(", ", spec.Codes!)}.");
                break;
            case FieldKind.CodeArray:
                CheckCodes(spec, value, field, ctx);
                break;
        }
    }

    private static void CheckString(
        JsonElement value, int maxLength, bool allowLineBreaks, string field, string what, ValidationContext<IncomingEvent> ctx)
    {
        if (value.ValueKind != JsonValueKind.String || value.GetString() is not { Length: > 0 } text || text.Length > maxLength
            || HasControlCharacters(text, allowLineBreaks))
        {
            ctx.AddFailure(field, $"'{field}' must be {what}.");
        }
    }

    /// <summary>
    /// Control characters (U+0000–U+001F, U+007F–U+009F) have no place in an id or a source, and PostgreSQL cannot
    /// store U+0000 at all; free text may hold tabs and line breaks.
    /// </summary>
    public static bool HasControlCharacters(string text, bool allowLineBreaks)
    {
        foreach (var ch in text)
        {
            if (char.IsControl(ch) && !(allowLineBreaks && ch is '\t' or '\n' or '\r'))
            {
                return true;
            }
        }

        return false;
    }

    private static void CheckCodes(FieldSpec spec, JsonElement value, string field, ValidationContext<IncomingEvent> ctx)
    {
        var codes = value.ValueKind == JsonValueKind.Array
            ? value.EnumerateArray().Select(c => c.ValueKind == JsonValueKind.String ? c.GetString() : null).ToList()
            : null;
        if (codes is null || codes.Count == 0 || codes.Any(c => c is null || !spec.Codes!.Contains(c)))
        {
            ctx.AddFailure(field, $"'{field}' must be a non-empty array of codes from: {string.Join(", ", spec.Codes!)}.");
        }
        else if (codes.Contains(CodeLists.NoFactors) && codes.Count > 1)
        {
            ctx.AddFailure(field, $"'{field}': code {CodeLists.NoFactors} (no factors) must stand alone.");
        }
        else if (codes.Distinct(StringComparer.Ordinal).Count() != codes.Count)
        {
            ctx.AddFailure(field, $"'{field}' must not repeat a code.");
        }
    }

    /// <summary>Whether <paramref name="text"/> is a child id as the contract writes one (<c>subject</c>: <c>^[A-Za-z0-9_-]{1,64}$</c>).</summary>
    public static bool IsSubject(string? text) => text is not null && SubjectPattern().IsMatch(text);

    /// <summary>Today in England, where the events happen; UTC when the zone is not known here.</summary>
    public static DateOnly Today(TimeProvider clock)
    {
        var now = clock.GetUtcNow();
        return DateOnly.FromDateTime(TimeZoneInfo.TryFindSystemTimeZoneById("Europe/London", out var london)
            ? TimeZoneInfo.ConvertTime(now, london).DateTime
            : now.UtcDateTime);
    }

    private static bool IsDataSchema(string text) =>
        text.Length is > 0 and <= MaxDataSchemaLength && !HasControlCharacters(text, allowLineBreaks: false)
        && Uri.TryCreate(text, UriKind.Absolute, out _);

    /// <summary>Version, trace id and parent id as W3C Trace Context writes them; all-zero ids are invalid there.</summary>
    public static bool IsTraceParent(string text) =>
        TraceParentPattern().IsMatch(text) && !text.StartsWith("ff", StringComparison.Ordinal)
        && text.AsSpan(3, 32).ContainsAnyExcept('0') && text.AsSpan(36, 16).ContainsAnyExcept('0');

    private static bool IsRfc3339(string text) =>
        Rfc3339Pattern().IsMatch(text) && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.None, out _);

    // \z, not $: in .NET '$' also matches before a final line break, which let "C1\n" through as a subject.
    [GeneratedRegex(@"^[A-Za-z0-9_-]{1,64}\z")]
    private static partial Regex SubjectPattern();

    [GeneratedRegex(@"^[0-9a-f]{2}-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}\z")]
    private static partial Regex TraceParentPattern();

    [GeneratedRegex(@"^[0-9]{4}-[0-9]{2}-[0-9]{2}[Tt][0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]+)?([Zz]|[+-][0-9]{2}:[0-9]{2})\z")]
    private static partial Regex Rfc3339Pattern();
}
