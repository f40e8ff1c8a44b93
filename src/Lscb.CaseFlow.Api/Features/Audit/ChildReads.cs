using Microsoft.AspNetCore.Http.HttpResults;
using Lscb.CaseFlow.Api.Features.Ingesting;
using Lscb.CaseFlow.Api.Http;

namespace Lscb.CaseFlow.Api.Features.Audit;

/// <summary>
/// The inputs of every read that names a child (a journey, data-quality findings), checked before anything is logged
/// or queried: what reaches the access log is a child id as the contract writes one and a reason of plain text, never
/// 8,000 characters or a line break that would forge a line of an exported log.
/// </summary>
public static class ChildReads
{
    public const string ReasonHeader = "X-Access-Reason";

    /// <summary>A 400 unless <paramref name="childId"/> is a subject of the contract (<c>^[A-Za-z0-9_-]{1,64}$</c>, events.md).</summary>
    public static ProblemHttpResult? CheckChildId(string? childId) =>
        IncomingEventValidator.IsSubject(childId)
            ? null
            : Problems.BadRequest("Malformed child id", "A child id is 1–64 letters, digits, '_' or '-', as the events' subject.");

    /// <summary>
    /// The reason the caller gives (<c>?reason=</c>, else the <c>X-Access-Reason</c> header), null when none; a 400 when it
    /// is over <see cref="AccessLog.MaxReasonLength"/> characters or is not plain text (a control character, line breaks
    /// and tabs included, or half a surrogate pair).
    /// </summary>
    public static ProblemHttpResult? ReadReason(HttpRequest request, string? query, out string? reason)
    {
        reason = query ?? request.Headers[ReasonHeader].FirstOrDefault();
        if (string.IsNullOrWhiteSpace(reason))
        {
            reason = null;
            return null;
        }

        if (reason.Length > AccessLog.MaxReasonLength)
        {
            return Problems.BadRequest("Reason too long", $"A reason is at most {AccessLog.MaxReasonLength} characters.");
        }

        return IsPlainText(reason)
            ? null
            : Problems.BadRequest("Malformed reason", "A reason is one line of text: no control characters, line breaks or tabs.");
    }

    /// <summary>No control character (U+0000–U+001F, U+007F–U+009F) and no unpaired surrogate.</summary>
    public static bool IsPlainText(string text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (char.IsControl(c)
                || (char.IsHighSurrogate(c) && (i + 1 == text.Length || !char.IsLowSurrogate(text[++i])))
                || char.IsLowSurrogate(c))
            {
                return false;
            }
        }

        return true;
    }
}
