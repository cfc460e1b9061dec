using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace Tillpoint.Client;

/// <summary>A successful (2xx) response of a typed <see cref="AmazonPayClient"/> operation.</summary>
/// <typeparam name="T">The response object type.</typeparam>
public sealed class AmazonPayResponse<T>
{
    /// <summary>Creates a response.</summary>
    /// <param name="statusCode">The HTTP status code.</param>
    /// <param name="value">The deserialized body.</param>
    /// <param name="requestId">The <c>x-amz-pay-request-id</c> response header, or <see langword="null"/>.</param>
    public AmazonPayResponse(int statusCode, T value, string? requestId)
    {
        ArgumentNullException.ThrowIfNull(value);
        StatusCode = statusCode;
        Value = value;
        RequestId = requestId;
    }

    /// <summary>The HTTP status code, e.g. 201 for a created checkout session or 202 for a pending completion.</summary>
    public int StatusCode { get; }

    /// <summary>The deserialized response body.</summary>
    public T Value { get; }

    /// <summary>The <c>x-amz-pay-request-id</c> response header, or <see langword="null"/> when the server sent none.</summary>
    public string? RequestId { get; }
}

/// <summary>The undecoded response of <see cref="AmazonPayClient.SendAsync"/>, whatever its status.</summary>
public sealed class AmazonPayRawResponse
{
    /// <summary>Creates a response.</summary>
    /// <param name="statusCode">The HTTP status code.</param>
    /// <param name="body">The body bytes (empty when there is none).</param>
    /// <param name="requestId">The <c>x-amz-pay-request-id</c> response header, or <see langword="null"/>.</param>
    public AmazonPayRawResponse(int statusCode, byte[] body, string? requestId)
    {
        ArgumentNullException.ThrowIfNull(body);
        StatusCode = statusCode;
        Body = body;
        RequestId = requestId;
    }

    /// <summary>The HTTP status code.</summary>
    public int StatusCode { get; }

    /// <summary>The body bytes, normally UTF-8 JSON; empty when the server sent no body.</summary>
    public byte[] Body { get; }

    /// <summary>The <c>x-amz-pay-request-id</c> response header, or <see langword="null"/> when the server sent none.</summary>
    public string? RequestId { get; }

    /// <summary>Whether <see cref="StatusCode"/> is in the 2xx range.</summary>
    public bool IsSuccess => StatusCode is >= 200 and <= 299;

    /// <summary>Throws the <see cref="AmazonPayException"/> the typed operations throw when the status is not 2xx.</summary>
    /// <returns>This response, when <see cref="IsSuccess"/>.</returns>
    /// <exception cref="AmazonPayException">The status is not 2xx.</exception>
    public AmazonPayRawResponse EnsureSuccess() =>
        IsSuccess ? this : throw AmazonPayException.FromErrorResponse(StatusCode, Body, RequestId);

    internal static async Task<AmazonPayRawResponse> ReadAsync(HttpResponseMessage response, CancellationToken ct)
    {
        var body = await response.Content.ReadAsByteArrayAsync(ct).ConfigureAwait(false);
        string? requestId = null;
        if (response.Headers.TryGetValues("x-amz-pay-request-id", out var values))
        {
            requestId = values.FirstOrDefault();
        }

        return new AmazonPayRawResponse((int)response.StatusCode, body, requestId);
    }

    // A 2xx body read as the operation's object; anything else is the server's fault, reported as InvalidResponse.
    internal AmazonPayResponse<T> Decode<T>(JsonTypeInfo<T> responseType)
        where T : class =>
        TryRead(Body, responseType) is { } value
            ? new AmazonPayResponse<T>(StatusCode, value, RequestId)
            : throw AmazonPayException.InvalidResponse(StatusCode, Body, RequestId, $"is not a JSON {typeof(T).Name}");

    // The body as T, or null when it is empty or not that JSON: the callers describe what came back instead.
    internal static T? TryRead<T>(byte[] body, JsonTypeInfo<T> type)
        where T : class
    {
        if (body.Length == 0)
        {
            return null;
        }

        try
        {
            return JsonSerializer.Deserialize(body, type);
        }
        catch (JsonException)
        {
            return null; // not JSON, or not of T's shape: described by the caller
        }
    }
}
