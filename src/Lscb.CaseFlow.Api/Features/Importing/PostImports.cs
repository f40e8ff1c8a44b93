using Lscb.CaseFlow.Api.Host.OpenApi;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Http.HttpResults;
using System.Globalization;
using System.Security.Claims;
using Lscb.CaseFlow.Api.Features.Importing;
using Lscb.CaseFlow.Api.Host.Security;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http.Features;
using Wolverine.Http;
using Lscb.CaseFlow.Api.Http;

namespace Lscb.CaseFlow.Api.Features.Importing;

/// <summary>
/// <c>POST /api/imports/cin-census[?year=YYYY]</c> (the census XML as the body) and <c>POST /api/imports/annex-a</c>
/// (the .xlsx as the body): a file of history, pseudonymised at the door, becomes the events of the contract.
/// Answers <c>{ "events", "duplicates", "rejected": [{ "where", "reason" }], "warnings": [...], "rejectedTotal", "warningsTotal" }</c>.
/// The file is never stored or logged; it is read within <see cref="ImportLimits"/>. See docs/imports.md.
/// </summary>
public static class PostImports
{
    private static readonly string[] XmlMediaTypes = ["application/xml", "text/xml"];

    private static readonly string[] WorkbookMediaTypes =
        ["application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "application/octet-stream"];

    [Authorize(Roles = Roles.Ingest)]
    [WolverinePost("/api/imports/cin-census")]
    [EndpointSummary("Import a CIN census file (XML) as events, pseudonymised at the door")]
    [RequestBody(null, "application/xml", "text/xml")]
    [ProducesResponseType(StatusCodes.Status409Conflict)]
    [ProducesResponseType(StatusCodes.Status413PayloadTooLarge)]
    [ProducesResponseType(StatusCodes.Status415UnsupportedMediaType)]
    public static Task<Results<Ok<ImportAnswer>, ProblemHttpResult>> PostCinCensus(
        ClaimsPrincipal user, HttpRequest request, string? year, Pseudonymiser pseudonymiser, HistoryImporter importer, ImportGate gate, ILogger<ImportGate> logger, CancellationToken ct)
    {
        int? collectionYear = null;
        if (year is not null)
        {
            if (!int.TryParse(year, NumberStyles.None, CultureInfo.InvariantCulture, out var y) || y is < 2000 or > 2100)
            {
                return Task.FromResult<Results<Ok<ImportAnswer>, ProblemHttpResult>>(Problems.BadRequest("Malformed parameter", "'year' must be a collection year such as 2024 (the census as at 31 March 2024)."));
            }

            collectionYear = y;
        }

        return ImportAsync(user, request, XmlMediaTypes, "the census as XML (application/xml)", pseudonymiser, importer, gate, logger,
            (body, subjectOf, limits) => CinCensusReader.Read(body, collectionYear, subjectOf, limits), ct);
    }

    [Authorize(Roles = Roles.Ingest)]
    [WolverinePost("/api/imports/annex-a")]
    [EndpointSummary("Import an Annex A workbook (.xlsx) as events, pseudonymised at the door")]
    [RequestBody(null, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "application/octet-stream")]
    [ProducesResponseType(StatusCodes.Status409Conflict)]
    [ProducesResponseType(StatusCodes.Status413PayloadTooLarge)]
    [ProducesResponseType(StatusCodes.Status415UnsupportedMediaType)]
    public static Task<Results<Ok<ImportAnswer>, ProblemHttpResult>> PostAnnexA(
        ClaimsPrincipal user, HttpRequest request, Pseudonymiser pseudonymiser, HistoryImporter importer, ImportGate gate, ILogger<ImportGate> logger, CancellationToken ct) =>
        ImportAsync(user, request, WorkbookMediaTypes, "the workbook as application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", pseudonymiser, importer,
            gate, logger, AnnexAReader.Read, ct);

    private static async Task<Results<Ok<ImportAnswer>, ProblemHttpResult>> ImportAsync(
        ClaimsPrincipal user, HttpRequest request, string[] mediaTypes, string expected, Pseudonymiser pseudonymiser, HistoryImporter importer,
        ImportGate gate, ILogger logger, Func<Stream, Func<string, string>, ImportLimits, ImportBatch> read, CancellationToken ct)
    {
        if (!user.MaySend(HistoryImporter.Source))
        {
            return Problems.Problem(StatusCodes.Status403Forbidden, "Source not allowed",
                $"Imported history is stored from '{HistoryImporter.Source}', which this key may not send.");
        }

        if (pseudonymiser.For(user.TenantId()) is not { } subjectOf)
        {
            return Problems.Problem(StatusCodes.Status409Conflict, "Imports are not set up for this authority",
                $"No pseudonymisation secret is configured for this authority: set {Pseudonymiser.Section}:{Pseudonymiser.SecretKeyOf(user.TenantId())} "
                + $"(at least {Pseudonymiser.MinimumSecretLength} characters). Nothing was read or stored.");
        }

        if (request.ContentType is { } contentType && !MediaTypes.IsOneOf(contentType, mediaTypes))
        {
            return Problems.Problem(StatusCodes.Status415UnsupportedMediaType, "Unsupported media type", $"Send {expected}.");
        }

        var limits = gate.Limits;
        if (request.ContentLength > limits.MaxBytes)
        {
            return TooLarge(limits);
        }

        // Memory per import is bounded, so the imports of one node are too: the next waits for one to end.
        using var slot = gate.TryEnter();
        if (slot is null)
        {
            request.HttpContext.Response.Headers.RetryAfter = ImportGate.RetryAfterSeconds.ToString(CultureInfo.InvariantCulture);
            return Problems.Problem(StatusCodes.Status429TooManyRequests, "Imports busy",
                $"This node is reading {limits.MaxConcurrent} imports already, the most it reads at once; send the file again in a minute. Nothing was read or stored.");
        }

        if (request.HttpContext.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } bodyLimit)
        {
            bodyLimit.MaxRequestBodySize = limits.MaxBytes + 1;
        }

        using var body = await ReadBodyAsync(request, limits, ct);
        if (body is null)
        {
            return TooLarge(limits);
        }

        if (body.Length == 0)
        {
            return Problems.BadRequest("Empty body", $"Send {expected}.");
        }

        ImportBatch batch;
        try
        {
            batch = read(body, subjectOf, limits);
        }
        catch (ImportLimitException limit)
        {
            // Hostile or too large: said once at Warning, by its limit; never the file.
            logger.LogWarning("Import refused at its limit {Limit} ({Status}).", limit.Limit, limit.Status);
            return Problems.Problem(limit.Status, limit.Title, $"{limit.Message} Nothing was stored.",
                new Dictionary<string, object?> { ["limit"] = new ImportLimitReached(limit.Limit, limit.Value) });
        }
        catch (ImportRefusedException refused)
        {
            logger.LogWarning("Import refused: {Title}.", refused.Title);
            return Problems.BadRequest(refused.Title, $"{refused.Message} Nothing was stored.");
        }

        return TypedResults.Ok(await importer.StoreAsync(batch, user.TenantId(), ct));
    }

    /// <summary>Which limit of <c>CaseFlow:Imports</c> refused a file, and its value.</summary>
    public sealed record ImportLimitReached(string Name, long Value);

    /// <summary>
    /// The body in memory (it is read more than once: a workbook is a zip), or null past the limit, read no further. Its
    /// buffer is sized from Content-Length when sent, and otherwise grows by doubling only up to the limit.
    /// </summary>
    private static async Task<MemoryStream?> ReadBodyAsync(HttpRequest request, ImportLimits limits, CancellationToken ct)
    {
        var body = new MemoryStream((int)Math.Min(request.ContentLength ?? 1024 * 1024, limits.MaxBytes));
        var chunk = new byte[81920];
        int n;
        while ((n = await request.Body.ReadAsync(chunk, ct)) > 0)
        {
            if (body.Length + n > limits.MaxBytes)
            {
                await body.DisposeAsync();
                return null;
            }

            if (body.Length + n > body.Capacity)
            {
                body.Capacity = (int)Math.Min(limits.MaxBytes, Math.Max(body.Capacity * 2L, body.Length + n));
            }

            body.Write(chunk, 0, n);
        }

        body.Position = 0;
        return body;
    }

    private static ProblemHttpResult TooLarge(ImportLimits limits) =>
        Problems.Problem(StatusCodes.Status413PayloadTooLarge, "File too large", $"An import is at most {limits.MaxBytes / 1024 / 1024} MB.",
            new Dictionary<string, object?> { ["limit"] = new ImportLimitReached($"{ImportLimits.Section}:{nameof(ImportLimits.MaxBytes)}", limits.MaxBytes) });
}

/// <summary>
/// The imports one node reads at once (<see cref="ImportLimits.MaxConcurrent"/>) and the limits they are read under:
/// each import's memory is bounded, so the node's is too.
/// </summary>
public sealed class ImportGate(ImportLimits limits)
{
    public const int RetryAfterSeconds = 60;

    private readonly SemaphoreSlim _slots = new(limits.MaxConcurrent, limits.MaxConcurrent);

    public ImportLimits Limits => limits;

    /// <summary>A slot, released when disposed; null when every slot is taken.</summary>
    public IDisposable? TryEnter() => _slots.Wait(0) ? new Slot(_slots) : null;

    private sealed class Slot(SemaphoreSlim slots) : IDisposable
    {
        private int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
            {
                slots.Release();
            }
        }
    }
}
