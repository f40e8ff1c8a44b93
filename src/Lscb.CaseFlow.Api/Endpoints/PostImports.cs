using System.Globalization;
using System.Security.Claims;
using Lscb.CaseFlow.Api.Imports;
using Lscb.CaseFlow.Api.Security;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http.Features;
using Wolverine.Http;

namespace Lscb.CaseFlow.Api.Endpoints;

/// <summary>
/// <c>POST /api/imports/cin-census[?year=YYYY]</c> (the census XML as the body) and <c>POST /api/imports/annex-a</c>
/// (the .xlsx as the body): a file of history, pseudonymised at the door, becomes the events of the contract.
/// Answers <c>{ "events", "duplicates", "rejected": [{ "where", "reason" }], "warnings": [...] }</c>. The file is
/// never stored or logged. See docs/imports.md.
/// </summary>
public static class PostImports
{
    public const int MaxBytes = 64 * 1024 * 1024;

    private static readonly string[] XmlMediaTypes = ["application/xml", "text/xml"];

    private static readonly string[] WorkbookMediaTypes =
        ["application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "application/octet-stream"];

    [Authorize(Roles = Roles.Ingest)]
    [WolverinePost("/api/imports/cin-census")]
    public static Task<IResult> PostCinCensus(ClaimsPrincipal user, HttpRequest request, string? year, Pseudonymiser pseudonymiser, HistoryImporter importer, CancellationToken ct)
    {
        int? collectionYear = null;
        if (year is not null)
        {
            if (!int.TryParse(year, NumberStyles.None, CultureInfo.InvariantCulture, out var y) || y is < 2000 or > 2100)
            {
                return Task.FromResult(Problems.BadRequest("Malformed parameter", "'year' must be a collection year such as 2024 (the census as at 31 March 2024)."));
            }

            collectionYear = y;
        }

        return ImportAsync(user, request, XmlMediaTypes, "the census as XML (application/xml)", pseudonymiser, importer,
            (body, subjectOf) => CinCensusReader.Read(body, collectionYear, subjectOf), ct);
    }

    [Authorize(Roles = Roles.Ingest)]
    [WolverinePost("/api/imports/annex-a")]
    public static Task<IResult> PostAnnexA(ClaimsPrincipal user, HttpRequest request, Pseudonymiser pseudonymiser, HistoryImporter importer, CancellationToken ct) =>
        ImportAsync(user, request, WorkbookMediaTypes, "the workbook as application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", pseudonymiser, importer,
            AnnexAReader.Read, ct);

    private static async Task<IResult> ImportAsync(
        ClaimsPrincipal user, HttpRequest request, string[] mediaTypes, string expected, Pseudonymiser pseudonymiser, HistoryImporter importer,
        Func<Stream, Func<string, string>, ImportBatch> read, CancellationToken ct)
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

        if (request.ContentType is { } contentType && !mediaTypes.Any(t => contentType.StartsWith(t, StringComparison.OrdinalIgnoreCase)))
        {
            return Problems.Problem(StatusCodes.Status415UnsupportedMediaType, "Unsupported media type", $"Send {expected}.");
        }

        if (request.ContentLength > MaxBytes)
        {
            return TooLarge();
        }

        if (request.HttpContext.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            limit.MaxRequestBodySize = MaxBytes + 1;
        }

        var body = new MemoryStream();
        var chunk = new byte[81920];
        int n;
        while ((n = await request.Body.ReadAsync(chunk, ct)) > 0)
        {
            if (body.Length + n > MaxBytes)
            {
                return TooLarge();
            }

            body.Write(chunk, 0, n);
        }

        if (body.Length == 0)
        {
            return Problems.BadRequest("Empty body", $"Send {expected}.");
        }

        body.Position = 0;
        ImportBatch batch;
        try
        {
            batch = read(body, subjectOf);
        }
        catch (ImportRefusedException refused)
        {
            return Problems.BadRequest(refused.Title, $"{refused.Message} Nothing was stored.");
        }

        return Results.Ok(await importer.StoreAsync(batch, user.TenantId(), ct));
    }

    private static IResult TooLarge() =>
        Problems.Problem(StatusCodes.Status413PayloadTooLarge, "File too large", $"An import is at most {MaxBytes / 1024 / 1024} MB.");
}
