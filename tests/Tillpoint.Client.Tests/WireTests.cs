using System.Net;
using System.Net.Sockets;
using System.Text;
using Tillpoint.Protocol.Signing;

namespace Tillpoint.Client.Tests;

/// <summary>Checks the bytes HttpClient really puts on the wire, through a loopback socket.</summary>
public sealed class WireTests
{
    [Fact]
    public async Task Request_on_the_wire_matches_what_was_signed()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        var server = ServeOnceAsync(listener, SampleJson.Charge);

        using var client = new AmazonPayClient(new AmazonPayClientOptions
        {
            Endpoint = new Uri($"http://127.0.0.1:{port}"),
            PublicKeyId = Harness.SandboxKeyId,
            PrivateKeyPem = TestKeys.PrivateKeyPem,
            Algorithm = SignatureAlgorithm.RsassaPss,
            TimeProvider = new FixedTimeProvider(Harness.Now),
        });

        var response = await client.CaptureChargeAsync("S01 1/2", SigningTests.NewCaptureRequest());
        var (requestLine, headers, body) = await server;

        Assert.Equal("POST /v2/charges/S01%201%2F2/capture HTTP/1.1", requestLine);
        Assert.Equal("application/json", headers["content-type"]);
        Assert.Equal($"127.0.0.1:{port}", headers["x-amz-pay-host"]);
        Assert.Equal(headers["host"], headers["x-amz-pay-host"]);
        Assert.Equal("""{"captureAmount":{"amount":"14.00","currencyCode":"USD"},"softDescriptor":"Tillpoint"}""",
            Encoding.UTF8.GetString(body));

        var captured = new CapturedRequest("POST", new Uri($"http://127.0.0.1:{port}/v2/charges/S01%201%2F2/capture"),
            headers, body);
        Assert.Equal("/v2/charges/S01%201%2F2/capture", captured.Path);
        Assert.Equal(SignatureCheckOutcome.Valid, TestKeys.Verify(captured).Outcome);

        Assert.Equal(200, response.StatusCode);
        Assert.Equal("wire-1", response.RequestId);
        Assert.Equal("S01-5105180-3221187-C056351", response.Value.ChargeId);
    }

    [Fact]
    public async Task Get_on_the_wire_sends_the_signed_content_type_with_an_empty_body()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        var server = ServeOnceAsync(listener, SampleJson.CheckoutSession);

        using var client = new AmazonPayClient(new AmazonPayClientOptions
        {
            Endpoint = new Uri($"http://127.0.0.1:{port}"),
            PublicKeyId = "AFVX7ULWSGBZ5535PCUQOY7B",
            PrivateKeyPem = TestKeys.PrivateKeyPem,
            Sandbox = false,
        });

        var response = await client.GetCheckoutSessionAsync("bd504926-f659-4ad7-a1a9-9a747aaf5275");
        var (requestLine, headers, body) = await server;

        Assert.Equal("GET /live/v2/checkoutSessions/bd504926-f659-4ad7-a1a9-9a747aaf5275 HTTP/1.1", requestLine);
        Assert.Equal("application/json", headers["content-type"]);
        Assert.Equal("0", headers["content-length"]);
        Assert.Empty(body);
        var captured = new CapturedRequest("GET",
            new Uri($"http://127.0.0.1:{port}/live/v2/checkoutSessions/bd504926-f659-4ad7-a1a9-9a747aaf5275"), headers, body);
        Assert.Equal(SignatureCheckOutcome.Valid, TestKeys.Verify(captured).Outcome);
        Assert.Equal("bd504926-f659-4ad7-a1a9-9a747aaf5275", response.Value.CheckoutSessionId);
    }

    [Fact]
    public async Task Delete_on_the_wire_carries_the_signed_json_body()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        var server = ServeOnceAsync(listener, SampleJson.Charge);

        using var client = new AmazonPayClient(new AmazonPayClientOptions
        {
            Endpoint = new Uri($"http://127.0.0.1:{port}"),
            PublicKeyId = Harness.SandboxKeyId,
            PrivateKeyPem = TestKeys.PrivateKeyPem,
            TimeProvider = new FixedTimeProvider(Harness.Now),
        });

        var response = await client.CancelChargeAsync("S01-5105180-3221187-C056351",
            new Tillpoint.Protocol.Json.CancelChargeRequest { CancellationReason = "Out of stock" });
        var (requestLine, headers, body) = await server;

        Assert.Equal("DELETE /v2/charges/S01-5105180-3221187-C056351/cancel HTTP/1.1", requestLine);
        Assert.Equal("application/json", headers["content-type"]);
        Assert.Equal("""{"cancellationReason":"Out of stock"}""", Encoding.UTF8.GetString(body));
        var captured = new CapturedRequest("DELETE",
            new Uri($"http://127.0.0.1:{port}/v2/charges/S01-5105180-3221187-C056351/cancel"), headers, body);
        Assert.Equal(SignatureCheckOutcome.Valid, TestKeys.Verify(captured).Outcome);
        Assert.Equal("S01-5105180-3221187-C056351", response.Value.ChargeId);
    }

    private static async Task<(string RequestLine, Dictionary<string, string> Headers, byte[] Body)> ServeOnceAsync(
        TcpListener listener, string responseJson)
    {
        using var socket = await listener.AcceptTcpClientAsync();
        var stream = socket.GetStream();
        var buffer = new List<byte>();
        var chunk = new byte[4096];
        int headerEnd;
        while ((headerEnd = IndexOfHeaderEnd(buffer)) < 0)
        {
            var read = await stream.ReadAsync(chunk);
            Assert.True(read > 0, "connection closed before the headers ended");
            buffer.AddRange(chunk.AsSpan(0, read));
        }

        var head = Encoding.ASCII.GetString([.. buffer.GetRange(0, headerEnd)]);
        var lines = head.Split("\r\n");
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var line in lines.Skip(1))
        {
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            headers.Add(line[..colon], line[(colon + 1)..].Trim());
        }

        var length = int.Parse(headers["content-length"], System.Globalization.CultureInfo.InvariantCulture);
        var bodyStart = headerEnd + 4;
        while (buffer.Count < bodyStart + length)
        {
            var read = await stream.ReadAsync(chunk);
            Assert.True(read > 0, "connection closed before the body ended");
            buffer.AddRange(chunk.AsSpan(0, read));
        }

        var body = buffer.GetRange(bodyStart, length).ToArray();
        var payload = Encoding.UTF8.GetBytes(responseJson);
        var responseHead = "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\nx-amz-pay-request-id: wire-1\r\n"
            + $"content-length: {payload.Length}\r\nconnection: close\r\n\r\n";
        await stream.WriteAsync(Encoding.ASCII.GetBytes(responseHead));
        await stream.WriteAsync(payload);
        await stream.FlushAsync();
        return (lines[0], headers, body);
    }

    private static int IndexOfHeaderEnd(List<byte> buffer)
    {
        for (var i = 0; i + 3 < buffer.Count; i++)
        {
            if (buffer[i] == '\r' && buffer[i + 1] == '\n' && buffer[i + 2] == '\r' && buffer[i + 3] == '\n')
            {
                return i;
            }
        }

        return -1;
    }
}
