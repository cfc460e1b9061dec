using System.Text.Json;
using Tillpoint.Protocol.Json;
using Tillpoint.Protocol.Signing;

namespace Tillpoint.Bench;

/// <summary>
/// Pre-signed requests, made exactly as AmazonPayClient makes them (same headers, all signed, RSASSA-PSS V2), so that
/// the timed phases send them without any RSA work in the client.
/// </summary>
internal sealed class SignedRequests : IDisposable
{
    public const string UserAgent = "Tillpoint.Bench/1.0";

    private readonly RsaSigningKey _key;
    private readonly RequestSigner _signer;

    public SignedRequests(string publicKeyId, string privateKeyPem)
    {
        _key = RsaSigningKey.FromPem(privateKeyPem);
        _signer = new RequestSigner(publicKeyId, _key);
    }

    /// <summary>The capture body every capture sends: the whole authorized amount.</summary>
    public static byte[] CaptureBody { get; } = JsonSerializer.SerializeToUtf8Bytes(
        new CaptureChargeRequest { CaptureAmount = new Price { Amount = "10.00", CurrencyCode = "USD" }, SoftDescriptor = Seeder.SoftDescriptor },
        ApiRequestJsonContext.Default.CaptureChargeRequest);

    public RequestTemplate GetCharge(Uri server, string chargeId) =>
        Sign(HttpMethod.Get, server, "/v2/charges/" + Uri.EscapeDataString(chargeId), [], null);

    public RequestTemplate CaptureCharge(Uri server, string chargeId, string idempotencyKey) =>
        Sign(HttpMethod.Post, server, "/v2/charges/" + Uri.EscapeDataString(chargeId) + "/capture", CaptureBody, idempotencyKey);

    /// <summary>Signs many requests on every core (before a timed phase).</summary>
    public static RequestTemplate[] SignMany(int count, Func<int, RequestTemplate> sign)
    {
        var templates = new RequestTemplate[count];
        Parallel.For(0, count, i => templates[i] = sign(i));
        return templates;
    }

    /// <summary>
    /// The baseline's request: the same method, path shape and headers as a signed Get, with an authorization header of
    /// the same length that nobody checks, so both servers parse the same bytes.
    /// </summary>
    public static RequestTemplate Unsigned(RequestTemplate signedGet, Uri server)
    {
        var uri = new Uri(server, signedGet.Uri.PathAndQuery);
        var headers = signedGet.Headers
            .Select(h => h.Key switch
            {
                "x-amz-pay-host" => new KeyValuePair<string, string>(h.Key, uri.Authority),
                "authorization" => new KeyValuePair<string, string>(h.Key, new string('x', h.Value.Length)),
                _ => h,
            })
            .ToList();
        return new RequestTemplate(HttpMethod.Get, uri, headers, []);
    }

    public void Dispose() => _key.Dispose();

    private RequestTemplate Sign(HttpMethod method, Uri server, string path, byte[] body, string? idempotencyKey)
    {
        var uri = new Uri(server, path);
        var signed = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["accept"] = "application/json",
            ["content-type"] = "application/json",
            ["x-amz-pay-date"] = RequestSigner.FormatDate(TimeProvider.System.GetUtcNow()),
            ["x-amz-pay-host"] = uri.Authority,
            ["x-amz-pay-region"] = "na",
        };
        if (idempotencyKey is not null)
        {
            signed["x-amz-pay-idempotency-key"] = idempotencyKey;
        }

        var authorization = _signer.Sign(method.Method, uri.AbsolutePath, null, signed, body);
        var headers = signed.ToList();
        headers.Add(new("authorization", authorization));
        headers.Add(new("user-agent", UserAgent));
        return new RequestTemplate(method, uri, headers, body);
    }
}
