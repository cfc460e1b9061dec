using System.Security.Cryptography;
using Microsoft.AspNetCore.DataProtection;
using Tillpoint.Server.Commands;

namespace Tillpoint.Server.Api;

/// <summary>
/// The download of a report's document: Get Report Document answers a URL of this server that names the document and
/// its expiry, sealed with the server's data-protection keys, valid for <see cref="Lifetime"/> on the server's clock.
/// The URL is the credential, as Amazon's pre-signed URLs are: it is fetched with a plain GET, without signing.
/// </summary>
internal static class ReportDownloads
{
    /// <summary>How long a download URL works (spec §1.5).</summary>
    public static readonly TimeSpan Lifetime = TimeSpan.FromSeconds(30);

    private const string Route = "/report-downloads/{token}";
    private const string Purpose = "Tillpoint.ReportDownloads.v1";

    public static string Url(IDataProtectionProvider protection, TimeProvider clock, string publicBaseUrl, Owner owner, string reportDocumentId)
    {
        var expires = (clock.GetUtcNow() + Lifetime).ToUnixTimeMilliseconds();
        var token = protection.CreateProtector(Purpose).Protect(
            string.Join('\n', owner.MerchantId, owner.Environment, reportDocumentId, expires.ToString(CultureInfo.InvariantCulture)));
        return $"{publicBaseUrl}{Route.Replace("{token}", token, StringComparison.Ordinal)}";
    }

    public static void MapReportDownloads(this WebApplication app) => app.MapGet(Route, Download);

    /// <summary>The document as CSV; 404 for a URL this server did not make or a document no longer kept, 403 once expired.</summary>
    private static IResult Download(string token, IDataProtectionProvider protection, ITillpointStore store, ServerOptions options)
    {
        string[] parts;
        try
        {
            parts = protection.CreateProtector(Purpose).Unprotect(token).Split('\n');
        }
        catch (CryptographicException)
        {
            return Results.NotFound();
        }

        if (parts is not [var merchantId, var environmentName, var reportDocumentId, var expiresText]
            || !Enum.TryParse<ReleaseEnvironment>(environmentName, out var environment)
            || !long.TryParse(expiresText, NumberStyles.None, CultureInfo.InvariantCulture, out var expires))
        {
            return Results.NotFound();
        }

        if (options.Clock.GetUtcNow().ToUnixTimeMilliseconds() >= expires)
        {
            return Results.Text("This download link has expired: ask Get Report Document for a new one.", statusCode: StatusCodes.Status403Forbidden);
        }

        var document = store.Read(reader => reader.GetReportDocument(merchantId, environment, reportDocumentId));
        return document is null ? Results.NotFound() : Results.File(document, "text/csv; charset=utf-8", $"{reportDocumentId}.csv");
    }
}
