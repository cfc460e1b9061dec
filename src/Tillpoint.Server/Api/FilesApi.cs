using Tillpoint.Protocol.Json;
using Tillpoint.Server.Commands;
using Tillpoint.Server.Errors;

namespace Tillpoint.Server.Api;

/// <summary>Upload File (spec §2.7): the signed first step, and the unsigned address the bytes are PUT to.</summary>
internal static class FilesApi
{
    public static Task<ApiResult> UploadFileAsync(ApiRequest request, UploadFileRequest body)
    {
        var baseUrl = request.PublicBaseUrl;
        return request.WriteAsync(session => ApiResult.Json(
            StatusCodes.Status200OK,
            EvidenceFileCommands.Create(session, request.Command, body.Type, body.Purpose),
            file => ToDto(file, baseUrl),
            ApiJsonContext.Default.FileDto));
    }

    public static FileDto ToDto(EvidenceFile file, string baseUrl) => new()
    {
        Id = file.FileId,
        Type = file.Type,
        Purpose = file.Purpose,
        Url = $"{baseUrl}{EvidenceFileCommands.UploadPath}/{file.UploadToken}",
        Size = file.Size,
        UploadTimestamp = ApiTimestamp.ToText(file.UploadedAt),
        UrlExpirationTimestamp = ApiTimestamp.ToText(file.UrlExpiresAt),
    };

    /// <summary>
    /// The upload address: a PUT of the file's bytes, unsigned like a pre-signed storage URL (the token in the path is
    /// the credential). 200 with no body on success; errors in the API's format.
    /// </summary>
    public static void MapEvidenceFileUploads(this IEndpointRouteBuilder app) =>
        app.MapPut($"{EvidenceFileCommands.UploadPath}/{{token}}", UploadAsync);

    private static async Task UploadAsync(HttpContext context, string token, ApiServices services)
    {
        if (context.Request.ContentLength > EvidenceFileCommands.MaxBytes)
        {
            await ApiErrors.WriteAsync(context, TooLarge());
            return;
        }

        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await context.Request.Body.ReadAsync(chunk, context.RequestAborted)) > 0)
        {
            if (buffer.Length + read > EvidenceFileCommands.MaxBytes)
            {
                await ApiErrors.WriteAsync(context, TooLarge());
                return;
            }

            buffer.Write(chunk, 0, read);
        }

        var content = buffer.ToArray();
        var uploaded = await services.Store.WriteAsync(
            session => EvidenceFileCommands.Upload(session, token, content, services.Clocks.Now), context.RequestAborted);
        if (!uploaded.IsSuccess)
        {
            await ApiErrors.WriteAsync(context, uploaded.Error);
            return;
        }

        context.Response.StatusCode = StatusCodes.Status200OK;
    }

    private static DomainError TooLarge() =>
        new(ErrorCode.InvalidRequest, $"A file may have at most {EvidenceFileCommands.MaxBytes} bytes.");
}
