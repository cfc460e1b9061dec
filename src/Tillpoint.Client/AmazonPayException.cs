using System.Text;
using Tillpoint.Protocol.Json;

namespace Tillpoint.Client;

/// <summary>
/// An error answer of the API (or of Tillpoint's operator endpoints, see <see cref="TillpointOperatorClient"/>): thrown
/// for every non-2xx response (with the server's <c>reasonCode</c> and <c>message</c>, spec §8.1), and for a 2xx
/// response whose body is not the expected JSON object.
/// </summary>
/// <remarks>
/// When the body is not an Amazon Pay error object, <see cref="ReasonCode"/> is <see cref="InvalidResponseReasonCode"/>
/// and <see cref="Exception.Message"/> describes what came back. Transport failures are not wrapped: they surface as
/// <see cref="HttpRequestException"/> or, on timeout and cancellation, <see cref="OperationCanceledException"/>.
/// </remarks>
public sealed class AmazonPayException : Exception
{
    /// <summary>The <see cref="ReasonCode"/> used when the response body is not what the API sends.</summary>
    public const string InvalidResponseReasonCode = "InvalidResponse";

    private const int MaxBodyExcerptBytes = 256;

    /// <summary>Creates an exception for an API error.</summary>
    /// <param name="statusCode">The HTTP status code.</param>
    /// <param name="reasonCode">The machine-readable <c>reasonCode</c>.</param>
    /// <param name="message">The server's <c>message</c>.</param>
    /// <param name="requestId">The <c>x-amz-pay-request-id</c> response header, or <see langword="null"/>.</param>
    public AmazonPayException(int statusCode, string reasonCode, string message, string? requestId)
        : base(message)
    {
        ArgumentNullException.ThrowIfNull(reasonCode);
        StatusCode = statusCode;
        ReasonCode = reasonCode;
        RequestId = requestId;
    }

    /// <summary>The HTTP status code of the response.</summary>
    public int StatusCode { get; }

    /// <summary>The <c>reasonCode</c> of the error body (e.g. <c>InvalidParameterValue</c>), or <see cref="InvalidResponseReasonCode"/>.</summary>
    public string ReasonCode { get; }

    /// <summary>The <c>x-amz-pay-request-id</c> response header, or <see langword="null"/> when the server sent none.</summary>
    public string? RequestId { get; }

    // Non-2xx: the {reasonCode, message} body, or a description of whatever else came back.
    internal static AmazonPayException FromErrorResponse(int statusCode, byte[] body, string? requestId)
    {
        if (AmazonPayRawResponse.TryRead(body, ApiJsonContext.Default.ErrorResponse) is { ReasonCode: { Length: > 0 } reasonCode } error)
        {
            return new AmazonPayException(statusCode, reasonCode, error.Message ?? reasonCode, requestId);
        }

        return InvalidResponse(statusCode, body, requestId, "is not an Amazon Pay error object");
    }

    // 2xx whose body could not be read as the operation's object.
    internal static AmazonPayException InvalidResponse(int statusCode, byte[] body, string? requestId, string problem) =>
        new(statusCode, InvalidResponseReasonCode, Describe(statusCode, body, problem), requestId);

    private static string Describe(int statusCode, byte[] body, string problem)
    {
        if (body.Length == 0)
        {
            return $"The server answered HTTP {statusCode} with an empty body.";
        }

        var excerptLength = Math.Min(body.Length, MaxBodyExcerptBytes);
        var excerpt = new StringBuilder(Encoding.UTF8.GetString(body, 0, excerptLength));
        for (var i = 0; i < excerpt.Length; i++)
        {
            if (char.IsControl(excerpt[i]))
            {
                excerpt[i] = ' ';
            }
        }

        var ellipsis = body.Length > excerptLength ? "…" : string.Empty;
        return $"The server answered HTTP {statusCode} with a {body.Length}-byte body that {problem}: {excerpt}{ellipsis}";
    }
}
