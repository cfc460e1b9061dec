using Tillpoint.Protocol.Signing;

namespace Tillpoint.Server.Tests.Support;

/// <summary>Signed requests built by hand, for what a well-behaved client library would never send.</summary>
public static class RawRequests
{
    /// <summary>An HTTP client that trusts exactly the host's generated certificate.</summary>
    public static HttpClient Http(TillpointHost host) => new(new SocketsHttpHandler
    {
        SslOptions = { RemoteCertificateValidationCallback = (_, certificate, _, _) => certificate?.GetCertHashString() == host.CertificateThumbprint },
    });

    public static async Task<(int StatusCode, string Body, string? RequestId)> SendAsync(
        TillpointHost host,
        TestMerchant merchant,
        string keyId,
        HttpMethod method,
        string path,
        byte[]? body = null,
        IReadOnlyDictionary<string, string>? extraHeaders = null,
        string? payHost = null,
        IReadOnlyDictionary<string, string>? unsignedHeaders = null)
    {
        using var http = Http(host);
        using var response = await SendAsync(http, host, merchant, keyId, method, path, body, extraHeaders, payHost, unsignedHeaders);
        return (
            (int)response.StatusCode,
            await response.Content.ReadAsStringAsync(),
            response.Headers.TryGetValues("x-amz-pay-request-id", out var ids) ? ids.Single() : null);
    }

    /// <summary>As the other <c>SendAsync</c>, on <paramref name="http"/>, for a test that reads the whole response (its headers).</summary>
    public static async Task<HttpResponseMessage> SendAsync(
        HttpClient http,
        TillpointHost host,
        TestMerchant merchant,
        string keyId,
        HttpMethod method,
        string path,
        byte[]? body = null,
        IReadOnlyDictionary<string, string>? extraHeaders = null,
        string? payHost = null,
        IReadOnlyDictionary<string, string>? unsignedHeaders = null)
    {
        body ??= [];
        var headers = new Dictionary<string, string>
        {
            ["accept"] = "application/json",
            ["content-type"] = "application/json",
            ["x-amz-pay-date"] = RequestSigner.FormatDate(host.SignatureClock.GetUtcNow()),
            ["x-amz-pay-host"] = payHost ?? host.HttpsBase.Authority,
            ["x-amz-pay-region"] = "na",
        };
        foreach (var (name, value) in extraHeaders ?? new Dictionary<string, string>())
        {
            headers[name] = value;
        }

        using var key = RsaSigningKey.FromPem(merchant.PrivateKeyPem);
        var authorization = new RequestSigner(keyId, key).Sign(method.Method, path, null, headers, body);
        using var request = new HttpRequestMessage(method, new Uri(host.HttpsBase, path)) { Content = new ByteArrayContent(body) };
        request.Content.Headers.TryAddWithoutValidation("Content-Type", "application/json");
        foreach (var (name, value) in headers.Where(h => h.Key != "content-type"))
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        // Sent but left out of SignedHeaders, as a client that signs only some of its headers would.
        foreach (var (name, value) in unsignedHeaders ?? new Dictionary<string, string>())
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        request.Headers.TryAddWithoutValidation("authorization", authorization);
        return await http.SendAsync(request);
    }
}
