using System.Net;
using System.Text;
using Tillpoint.Protocol.Signing;

namespace Tillpoint.Client.Tests;

/// <summary>A clock that stands still at a chosen instant.</summary>
internal sealed class FixedTimeProvider(DateTimeOffset now) : TimeProvider
{
    public override DateTimeOffset GetUtcNow() => now;
}

/// <summary>A request as the handler saw it, with raw header values.</summary>
internal sealed record CapturedRequest(
    string Method,
    Uri Uri,
    IReadOnlyDictionary<string, string> Headers,
    byte[] Body)
{
    public string Path => Uri.AbsolutePath;

    public string? RawQuery => Uri.Query.Length > 1 ? Uri.Query[1..] : null;

    public string? Header(string name) => Headers.TryGetValue(name, out var value) ? value : null;
}

/// <summary>Captures every request and answers with a canned response.</summary>
internal sealed class CapturingHandler : HttpMessageHandler
{
    private readonly Func<CapturedRequest, HttpResponseMessage> _respond;

    public CapturingHandler(Func<CapturedRequest, HttpResponseMessage> respond) => _respond = respond;

    public CapturingHandler(HttpStatusCode status, string body, string? requestId = "req-1", string contentType = "application/json")
        : this(_ => Response(status, body, requestId, contentType))
    {
    }

    public List<CapturedRequest> Requests { get; } = [];

    public CapturedRequest Single => Assert.Single(Requests);

    public static HttpResponseMessage Response(HttpStatusCode status, string body, string? requestId = "req-1",
        string contentType = "application/json")
    {
        var response = new HttpResponseMessage(status) { Content = new ByteArrayContent(Encoding.UTF8.GetBytes(body)) };
        response.Content.Headers.TryAddWithoutValidation("content-type", contentType);
        if (requestId is not null)
        {
            response.Headers.TryAddWithoutValidation("x-amz-pay-request-id", requestId);
        }

        return response;
    }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (name, values) in request.Headers.NonValidated)
        {
            headers[name] = values.ToString();
        }

        var body = Array.Empty<byte>();
        if (request.Content is not null)
        {
            foreach (var (name, values) in request.Content.Headers.NonValidated)
            {
                headers[name] = values.ToString();
            }

            body = await request.Content.ReadAsByteArrayAsync(cancellationToken);
        }

        var captured = new CapturedRequest(request.Method.Method, request.RequestUri!, headers, body);
        Requests.Add(captured);
        return _respond(captured);
    }
}

/// <summary>One RSA key pair for the whole test run (generation is slow).</summary>
internal static class TestKeys
{
    private static readonly Lazy<(string PrivatePem, string PublicPem)> Pair = new(() =>
    {
        using var key = RsaSigningKey.Generate();
        return (key.ExportPrivateKeyPem(), key.ExportPublicKeyPem());
    });

    public static string PrivateKeyPem => Pair.Value.PrivatePem;

    public static string PublicKeyPem => Pair.Value.PublicPem;

    public static SignatureCheck Verify(CapturedRequest request)
    {
        Assert.Equal(AuthorizationHeaderParseError.None, AuthorizationHeader.TryParse(request.Header("authorization"), out var header));
        using var key = RsaVerificationKey.FromPem(PublicKeyPem);
        return RequestSignatureVerifier.Verify(header!, key, request.Method, request.Path, request.RawQuery, request.Header,
            request.Body);
    }

    public static AuthorizationHeader Authorization(CapturedRequest request)
    {
        Assert.Equal(AuthorizationHeaderParseError.None, AuthorizationHeader.TryParse(request.Header("authorization"), out var header));
        return header!;
    }
}
