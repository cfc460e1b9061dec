using System.Net;
using System.Net.Sockets;
using Tillpoint.Protocol.Signing;
using Tillpoint.Server.Tests.Support;
using static Tillpoint.Server.Tests.Support.RawBytes;

namespace Tillpoint.Server.Tests.Hosting;

/// <summary>
/// A client that keeps its connection alive gets an answer to its next request after any refusal: the server either
/// reads the rest of the refused body, or says <c>Connection: close</c> so the client opens a new connection.
/// </summary>
public sealed class KeepAliveTests(HostFixture fixture) : IClassFixture<HostFixture>
{
    private const int ApiLimit = 64 * 1024;
    private const int KestrelLimit = 1024 * 1024;

    private TillpointHost Host => fixture.Host;

    /// <summary>Refusals whose body the server reads and discards: the same connection carries the next request.</summary>
    public static TheoryData<string, string, int> Drained() => new()
    {
        { "API body over the API's limit (1 MB, refused before it is read)", "api-over-limit", 400 },
        { "chunked API body over the API's limit (refused while it is read)", "api-chunked-over-limit", 400 },
        { "unsigned API request with a body", "api-unsigned", 400 },
        { "signature refused", "api-bad-signature", 403 },
        { "POST without a length (no body)", "no-length", 400 },
        { "unknown route with a body", "unknown-route", 404 },
        { "known path, wrong method, with a body", "wrong-method", 405 },
        { "operator endpoint without its token", "operator-unauthorized", 401 },
        { "dashboard sign-in without its form token", "dashboard-login", 400 },
    };

    /// <summary>Refusals after which the server closes, and says so before the answer starts.</summary>
    public static TheoryData<string, string, int> Closed() => new()
    {
        { "body over Kestrel's limit (2 MiB)", "over-kestrel-limit", 400 },
        { "broken chunk framing", "bad-chunks", 400 },
        { "a header Kestrel refuses", "bad-header", 400 },
        { "Expect: 100-continue never answered with 100", "expect-continue", 404 },
        { "a body that stops arriving", "stalled-body", 404 },
    };

    [Theory]
    [MemberData(nameof(Drained))]
    public async Task Refusal_WithABody_LeavesTheConnectionUsable(string why, string kind, int status)
    {
        await using var connection = await RawHttpConnection.OpenAsync(Host.HttpBase);

        var refused = await SendAsync(connection, kind);

        Assert.True(refused is not null, $"{why}: no answer");
        Assert.Equal(status, refused.StatusCode);
        Assert.False(refused.Closes, $"{why}: the body could be read, yet the connection was closed");
        var next = await HealthAsync(connection);
        Assert.True(next is { StatusCode: 200 }, $"{why}: the next request on the same connection got no answer");
    }

    [Theory]
    [MemberData(nameof(Closed))]
    public async Task Refusal_ThatCannotReadTheBody_SaysConnectionClose(string why, string kind, int status)
    {
        await using (var connection = await RawHttpConnection.OpenAsync(Host.HttpBase))
        {
            var refused = await SendAsync(connection, kind);

            Assert.True(refused is not null, $"{why}: no answer");
            Assert.Equal(status, refused.StatusCode);
            Assert.True(refused.Closes, $"{why}: the server closes without saying so, and the client's next request would be lost");
        }

        // The client does what the answer said: a new connection, which is answered.
        await using var fresh = await RawHttpConnection.OpenAsync(Host.HttpBase);
        Assert.Equal(200, (await HealthAsync(fresh))?.StatusCode);
    }

    [Theory]
    [InlineData(500 * 1024)]
    [InlineData(2 * KestrelLimit)]
    public async Task Http2_RefusedLargeBody_LeavesTheConnectionUsable(int bodyBytes)
    {
        var connections = 0;
        using var http = new HttpClient(new SocketsHttpHandler
        {
            SslOptions = { RemoteCertificateValidationCallback = (_, certificate, _, _) => certificate?.GetCertHashString() == Host.CertificateThumbprint },
            ConnectCallback = async (context, cancellationToken) =>
            {
                Interlocked.Increment(ref connections);
                var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                await socket.ConnectAsync(context.DnsEndPoint, cancellationToken);
                return new NetworkStream(socket, ownsSocket: true);
            },
        });

        using var refusal = new HttpRequestMessage(HttpMethod.Post, new Uri(Host.HttpsBase, "/v2/checkoutSessions"))
        {
            Version = HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
            Content = new ByteArrayContent(new byte[bodyBytes]),
        };
        using var refused = await http.SendAsync(refusal);
        using var health = new HttpRequestMessage(HttpMethod.Get, new Uri(Host.HttpsBase, "/healthz"))
        {
            Version = HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
        };
        using var next = await http.SendAsync(health);

        Assert.Equal(HttpVersion.Version20, refused.Version);
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Equal(HttpStatusCode.OK, next.StatusCode);
        Assert.Equal(1, connections);
    }

    private static byte[] Head(string method, string path, params string[] headers) =>
        Ascii($"{method} {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n{string.Concat(headers.Select(h => h + "\r\n"))}\r\n");

    private static async Task<RawResponse?> HealthAsync(RawHttpConnection connection)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        return await connection.SendAsync(Head("GET", "/healthz"), timeout.Token)
            ? await connection.ReadResponseAsync(cancellationToken: timeout.Token)
            : null;
    }

    private async Task<RawResponse?> SendAsync(RawHttpConnection connection, string kind)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        var request = kind switch
        {
            "api-over-limit" => Concat(Head("POST", "/v2/checkoutSessions", "Content-Length: 1000000"), new byte[1_000_000]),
            "api-chunked-over-limit" => Concat(
                Head("POST", "/v2/checkoutSessions", "Transfer-Encoding: chunked"),
                Concat([.. Enumerable.Repeat(Concat(Ascii("2000\r\n"), new byte[0x2000], Ascii("\r\n")), 4 * ApiLimit / 0x2000)]),
                Ascii("0\r\n\r\n")),
            "api-unsigned" => Concat(Head("POST", "/v2/checkoutSessions", "Content-Length: 2", "Content-Type: application/json"), Ascii("{}")),
            "api-bad-signature" => BadlySigned(),
            "unknown-route" => Concat(Head("POST", "/no-such-page", "Content-Length: 50000"), new byte[50_000]),
            "wrong-method" => Concat(Head("PUT", "/healthz", "Content-Length: 10000"), new byte[10_000]),
            "operator-unauthorized" => Concat(Head("POST", "/operator/clock/advance", "Content-Length: 15", "Content-Type: application/json"), Ascii("{\"seconds\":600}")),
            "dashboard-login" => Concat(
                Head("POST", "/dashboard/login", "Content-Length: 20000", "Content-Type: application/x-www-form-urlencoded"),
                Ascii("token=" + new string('x', 20_000 - 6))),
            "over-kestrel-limit" => Concat(Head("POST", "/v2/checkoutSessions", $"Content-Length: {2 * KestrelLimit}"), new byte[2 * KestrelLimit]),
            "bad-chunks" => Concat(Head("POST", "/v2/checkoutSessions", "Transfer-Encoding: chunked"), Ascii("zz\r\nabc\r\n0\r\n\r\n")),
            "bad-header" => Concat(Head("POST", "/v2/checkoutSessions", "Content-Length: 2", "Bad Header: 1"), Ascii("{}")),
            "no-length" => Head("POST", "/v2/checkoutSessions"),
            // The client waits for 100 Continue before sending the body; the server never asks for it.
            "expect-continue" => Head("POST", "/no-such-page", "Content-Length: 10000", "Expect: 100-continue"),
            // Half the body, then nothing: the answer comes when the server stops waiting for the rest.
            "stalled-body" => Concat(Head("POST", "/no-such-page", "Content-Length: 1000"), new byte[500]),
            _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
        };
        // Sent while the answer is read, as a client library does: the server may answer before it has read the body.
        var sending = connection.SendAsync(request, timeout.Token);
        var response = await connection.ReadResponseAsync(cancellationToken: timeout.Token);
        await sending;
        return response;
    }

    private byte[] BadlySigned()
    {
        var merchant = fixture.Merchant;
        var body = Ascii("{\"storeId\":\"" + merchant.StoreId + "\"}");
        var headers = new Dictionary<string, string>
        {
            ["accept"] = "application/json",
            ["content-type"] = "application/json",
            ["x-amz-pay-date"] = RequestSigner.FormatDate(Host.SignatureClock.GetUtcNow()),
            ["x-amz-pay-host"] = "127.0.0.1",
            ["x-amz-pay-region"] = "na",
        };
        using var key = RsaSigningKey.FromPem(merchant.PrivateKeyPem);
        var authorization = new RequestSigner(merchant.SandboxKeyId, key).Sign("POST", "/v2/checkoutSessions", null, headers, Ascii("{}"));
        return Concat(
            Head("POST", "/v2/checkoutSessions", [.. headers.Select(h => $"{h.Key}: {h.Value}"), $"authorization: {authorization}", $"Content-Length: {body.Length}"]),
            body);
    }
}
