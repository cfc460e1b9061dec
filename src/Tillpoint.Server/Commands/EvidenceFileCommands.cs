namespace Tillpoint.Server.Commands;

/// <summary>
/// Upload File (spec §2.7) in its two steps: the signed request records the file and answers with a one-time upload
/// address; the unsigned PUT to that address, before it expires, stores the bytes. Amazon documents neither the lifetime
/// nor the size limit; Tillpoint's are <see cref="UrlLifetime"/> and <see cref="MaxBytes"/>.
/// </summary>
internal static class EvidenceFileCommands
{
    public const string Purpose = "disputeEvidence";

    /// <summary>Where the bytes are PUT; the token is the credential, so the address is unguessable.</summary>
    public const string UploadPath = "/files/uploads";

    /// <summary>The docs' sample shows ten minutes between upload and expiry.</summary>
    public static readonly TimeSpan UrlLifetime = TimeSpan.FromMinutes(10);

    /// <summary>The web server's own body limit: a larger file could not be received at all.</summary>
    public const int MaxBytes = 1024 * 1024;

    /// <summary>The types Amazon accepts, with the content type each is sent as.</summary>
    public static readonly IReadOnlyDictionary<string, string> ContentTypes = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["csv"] = "text/csv",
        ["pdf"] = "application/pdf",
        ["xls"] = "application/vnd.ms-excel",
        ["xlsx"] = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        ["doc"] = "application/msword",
        ["docx"] = "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ["ods"] = "application/vnd.oasis.opendocument.spreadsheet",
        ["jpg"] = "image/jpeg",
        ["png"] = "image/png",
    };

    /// <summary>The first step: a file with no bytes yet, whose upload address expires after <see cref="UrlLifetime"/>.</summary>
    public static Result<EvidenceFile> Create(IWriteSession session, in CommandContext context, string? type, string? purpose)
    {
        if (type is null)
        {
            return DomainError.Missing("type");
        }

        if (!ContentTypes.ContainsKey(type))
        {
            return DomainError.InvalidValue("type", $"'{type}' is not one of {string.Join(", ", ContentTypes.Keys)}.");
        }

        if (purpose is null)
        {
            return DomainError.Missing("purpose");
        }

        if (purpose != Purpose)
        {
            return DomainError.InvalidValue("purpose", $"'{purpose}' is not one of {Purpose}.");
        }

        var file = new EvidenceFile(
            context.Owner.MerchantId,
            context.Owner.Environment,
            $"amzn1.file.{Convert.ToHexStringLower(context.Ids.Random.GetBytes(16))}",
            type,
            purpose,
            Base64Url(context.Ids.Random.GetSecretBytes(context.Owner.Environment, 32)),
            context.Now,
            context.Now + UrlLifetime,
            null,
            0);
        session.AddEvidenceFile(file);
        return file;
    }

    /// <summary>
    /// The second step: the bytes for the file whose address carries <paramref name="token"/>, once, before the address
    /// expires (on the file's environment's business clock, <paramref name="nowIn"/>).
    /// </summary>
    public static Result<EvidenceFile> Upload(IWriteSession session, string token, byte[] content, Func<ReleaseEnvironment, DateTimeOffset> nowIn)
    {
        var file = session.FindEvidenceFileByUploadToken(token);
        if (file is null)
        {
            return new DomainError(ErrorCode.ResourceNotFound, "No file is waiting for an upload at this address.");
        }

        var now = nowIn(file.Environment);
        if (now >= file.UrlExpiresAt)
        {
            return new DomainError(ErrorCode.InvalidRequest, $"This upload address expired at {file.UrlExpiresAt:yyyy-MM-ddTHH:mm:ssZ}; create the file again.");
        }

        if (content.Length == 0)
        {
            return new DomainError(ErrorCode.InvalidRequest, "The upload has no content.");
        }

        return session.PutEvidenceFileContent(file.MerchantId, file.FileId, content, now)
            ? file with { UploadedAt = now, Size = content.Length }
            : new DomainError(ErrorCode.InvalidRequest, "This file has been uploaded already; create a new one.");
    }

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
