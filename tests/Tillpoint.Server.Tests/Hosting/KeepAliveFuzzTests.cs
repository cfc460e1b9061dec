using System.Diagnostics;
using System.Globalization;
using System.Text;
using Tillpoint.Protocol.Signing;
using Tillpoint.Server.Tests.Support;
using static Tillpoint.Server.Tests.Support.RawBytes;

namespace Tillpoint.Server.Tests.Hosting;

/// <summary>
/// Seeded fuzzing over kept-alive connections, as a client library that reuses its connections sees the server: random
/// methods, real routes and junk, bodies from none to above every limit, exact, chunked, stalled, overlong, with bad
/// headers, signed and unsigned. Every request must get an HTTP answer; the client opens a new connection only after an
/// answer that said <c>Connection: close</c>. Rerun a failure with its seed:
/// <c>TILLPOINT_FUZZ_SEED=… dotnet test --filter KeepAliveFuzzTests</c>.
/// </summary>
public sealed class KeepAliveFuzzTests(HostFixture fixture) : IClassFixture<HostFixture>
{
    private const int DefaultSeed = 20261207;
    private const int Requests = 20_000;
    private const int Connections = 8;
    private const int ApiLimit = 64 * 1024;
    private const int KestrelLimit = 1024 * 1024;

    /// <summary>Well under a minute on two busy cores; a run that passes it fails, with how far it got.</summary>
    private static readonly TimeSpan TimeLimit = TimeSpan.FromSeconds(50);

    private static readonly string[] Methods = ["GET", "GET", "GET", "POST", "POST", "POST", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS", "FOO"];

    private TillpointHost Host => fixture.Host;

    private enum Framing
    {
        /// <summary>Content-Length and exactly that many bytes.</summary>
        Exact,

        /// <summary>Transfer-Encoding: chunked, sometimes with a broken chunk.</summary>
        Chunked,

        /// <summary>Fewer bytes than declared, then nothing: the server answers when it stops waiting.</summary>
        Stalled,

        /// <summary>More bytes than declared: the excess is junk the server reads as the next request.</summary>
        Overlong,

        /// <summary>Expect: 100-continue; the body is sent only once the server asks for it.</summary>
        ExpectContinue,

        /// <summary>A request line or header Kestrel refuses.</summary>
        BadHeaders,
    }

    [Fact]
    public async Task EveryRequest_OverKeptAliveConnections_IsAnswered()
    {
        var seed = Environment.GetEnvironmentVariable("TILLPOINT_FUZZ_SEED") is { Length: > 0 } chosen
            ? int.Parse(chosen, CultureInfo.InvariantCulture)
            : DefaultSeed;
        var signed = SignedRequests(new Random(seed));
        using var deadline = new CancellationTokenSource(TimeLimit);
        var clock = Stopwatch.StartNew();

        var runs = await Task.WhenAll(Enumerable.Range(0, Connections).Select(worker =>
            Task.Run(() => RunAsync(new Random(seed * 31 + worker), Requests / Connections, signed, deadline.Token))));

        var sent = runs.Sum(r => r.Sent);
        var failures = runs.SelectMany(r => r.Failures).ToList();
        Assert.True(
            failures.Count == 0 && sent == Requests,
            $"seed {seed}: {failures.Count} of {sent} requests got no answer ({Requests} planned, {clock.Elapsed.TotalSeconds:0.0} s); " +
            $"first: {string.Join(" | ", failures.Take(5))}");
    }

    private sealed record Outcome(int Sent, List<string> Failures);

    private async Task<Outcome> RunAsync(Random random, int count, IReadOnlyList<byte[]> signed, CancellationToken cancellationToken)
    {
        var failures = new List<string>();
        var sent = 0;
        var current = "nothing yet";
        var connection = await RawHttpConnection.OpenAsync(Host.HttpBase, cancellationToken);
        try
        {
            while (sent < count && !cancellationToken.IsCancellationRequested)
            {
                var (description, framing, head, body, isHead) = Generate(random, signed);
                sent++;
                current = description;
                var (answer, reconnect, extra) = await ExchangeAsync(connection, framing, head, body, isHead, cancellationToken);
                if (answer is null)
                {
                    failures.Add($"#{sent} {description}: no answer");
                    reconnect = true;
                }
                else if (extra is { } second)
                {
                    // The overlong body's junk was a request of its own: it is answered too, unless the first answer closed.
                    sent++;
                    if (second.Answer is null)
                    {
                        failures.Add($"#{sent} junk after {description}: no answer");
                    }

                    reconnect = true;
                }

                if (reconnect)
                {
                    await connection.DisposeAsync();
                    connection = await RawHttpConnection.OpenAsync(Host.HttpBase, cancellationToken);
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            failures.Add($"time limit of {TimeLimit.TotalSeconds} s reached at request #{sent} on this connection, {current}");
        }
        finally
        {
            await connection.DisposeAsync();
        }

        return new Outcome(sent, failures);
    }

    private sealed record Extra(RawResponse? Answer);

    /// <summary>Sends one request as the framing says and reads its answer; whether the client must reconnect after it.</summary>
    private static async Task<(RawResponse? Answer, bool Reconnect, Extra? Extra)> ExchangeAsync(
        RawHttpConnection connection, Framing framing, byte[] head, byte[] body, bool isHead, CancellationToken cancellationToken)
    {
        switch (framing)
        {
            case Framing.ExpectContinue when body.Length > 0:
            {
                if (!await connection.SendAsync(head, cancellationToken))
                {
                    return (null, true, null);
                }

                var first = await connection.ReadResponseAsync(isHead, interim: true, cancellationToken);
                if (first is not { StatusCode: 100 })
                {
                    // Answered without asking for the body: the client never sends it, so the server must close.
                    return first is { Closes: false } ? (null, true, null) : (first, true, null);
                }

                var sending = connection.SendAsync(body, cancellationToken);
                var final = await connection.ReadResponseAsync(isHead, cancellationToken: cancellationToken);
                await sending;
                return (final, final?.Closes ?? true, null);
            }

            case Framing.Overlong:
            {
                var sending = connection.SendAsync(Concat(head, body), cancellationToken);
                var answer = await connection.ReadResponseAsync(isHead, cancellationToken: cancellationToken);
                await sending;
                if (answer is null || answer.Closes)
                {
                    return (answer, true, null);
                }

                return (answer, true, new Extra(await connection.ReadResponseAsync(cancellationToken: cancellationToken)));
            }

            case Framing.Exact:
            case Framing.Chunked:
            case Framing.Stalled:
            case Framing.BadHeaders:
            case Framing.ExpectContinue:
            default:
            {
                // Sent while the answer is read, as client libraries do: the server may answer before it reads the body.
                var sending = connection.SendAsync(Concat(head, body), cancellationToken);
                var answer = await connection.ReadResponseAsync(isHead, cancellationToken: cancellationToken);
                // A write the server refused (it closed) after an answer that kept the connection: the next request finds out.
                await sending;
                return (answer, answer?.Closes ?? true, null);
            }
        }
    }

    private static (string Description, Framing Framing, byte[] Head, byte[] Body, bool IsHead) Generate(Random random, IReadOnlyList<byte[]> signed)
    {
        var framing = PickFraming(random);
        if (framing == Framing.Exact && random.Next(10) < 3)
        {
            var request = signed[random.Next(signed.Count)];
            return ("signed request", Framing.Exact, request, [], false);
        }

        var method = Methods[random.Next(Methods.Length)];
        var path = PickPath(random);
        // A stalled body's head start is small: Kestrel gives up on a body once it arrives slower than 240 bytes a second on
        // average after a 5 s grace, so every byte sent before the stall buys the client more time before its answer.
        var size = framing == Framing.Stalled ? random.Next(1024)
            : method is "GET" or "HEAD" or "OPTIONS" && random.Next(4) > 0 ? 0
            : PickSize(random);
        var body = new byte[size];
        random.NextBytes(body);
        var headers = new List<string> { "Host: 127.0.0.1" };
        if (random.Next(2) == 0)
        {
            headers.Add("Content-Type: application/json");
        }

        var description = $"{framing} {method} {path} ({size} bytes)";
        switch (framing)
        {
            case Framing.Exact:
                headers.Add($"Content-Length: {size}");
                break;
            case Framing.Chunked:
                headers.Add("Transfer-Encoding: chunked");
                body = Chunked(random, body);
                break;
            case Framing.Stalled:
                headers.Add($"Content-Length: {size + 1 + random.Next(1000)}");
                break;
            case Framing.Overlong:
                var declared = random.Next(size + 1);
                headers.Add($"Content-Length: {declared}");
                body = Concat(body.AsSpan(0, declared).ToArray(), Ascii($"{Junk(random)}\r\n\r\n"));
                break;
            case Framing.ExpectContinue:
                headers.Add($"Content-Length: {size}");
                headers.Add("Expect: 100-continue");
                break;
            case Framing.BadHeaders:
                headers.Add($"Content-Length: {size}");
                var (what, requestLine, header) = BadHeader(random, method, path);
                description = $"{framing} ({what}) {method} {path} ({size} bytes)";
                return (description, framing, Ascii($"{requestLine}\r\n{string.Join("\r\n", headers)}\r\n{header}\r\n\r\n"), body, method == "HEAD");
        }

        return (description, framing, Ascii($"{method} {path} HTTP/1.1\r\n{string.Join("\r\n", headers)}\r\n\r\n"), body, method == "HEAD");
    }

    /// <summary>
    /// Stalled bodies are few: each holds its connection until the server stops waiting (seconds). A body cut short by a
    /// client that then ends its side of the connection is not among them: Kestrel takes the end of the stream for a
    /// client that went away, and answers nobody.
    /// </summary>
    private static Framing PickFraming(Random random) => random.Next(10_000) switch
    {
        < 7_700 => Framing.Exact,
        < 8_900 => Framing.Chunked,
        < 8_905 => Framing.Stalled,
        < 9_200 => Framing.Overlong,
        < 9_500 => Framing.ExpectContinue,
        _ => Framing.BadHeaders,
    };

    /// <summary>Mostly small, some near the API's limit, a few near and above Kestrel's.</summary>
    private static int PickSize(Random random) => random.Next(1000) switch
    {
        < 550 => random.Next(1024),
        < 850 => random.Next(16 * 1024),
        < 970 => random.Next(16 * 1024, ApiLimit + 16 * 1024),
        < 995 => random.Next(ApiLimit, KestrelLimit),
        _ => random.Next(KestrelLimit - 1024, KestrelLimit + 512 * 1024),
    };

    private static string PickPath(Random random)
    {
        var id = random.Next(4) == 0 ? Guid.NewGuid().ToString() : "S01-" + random.Next(1_000_000).ToString(CultureInfo.InvariantCulture);
        string[] prefixes = ["/v2", "/sandbox/v2", "/live/v2"];
        var prefix = prefixes[random.Next(prefixes.Length)];
        return random.Next(22) switch
        {
            0 => $"{prefix}/checkoutSessions",
            1 => $"{prefix}/checkoutSessions/{id}",
            2 => $"{prefix}/checkoutSessions/{id}/complete",
            3 => $"{prefix}/charges",
            4 => $"{prefix}/charges/{id}/capture",
            5 => $"{prefix}/charges/{id}/cancel",
            6 => $"{prefix}/chargePermissions/{id}",
            7 => $"{prefix}/refunds",
            8 => $"{prefix}/buyers/{id}",
            9 => $"{prefix}/no/such/operation",
            10 => "/healthz",
            11 => "/readyz",
            12 => "/checkout.js",
            13 => $"/checkout/{id}",
            14 => "/checkout/processing?amazonCheckoutSessionId=" + id,
            15 => "/signin",
            16 => "/dashboard/login",
            17 => "/operator/clock/advance",
            18 => "/ipn/signing-certificate.pem",
            19 => "/favicon.ico",
            20 => "/%ff%fe/..%2f" + id,
            _ => "/" + new string('a', random.Next(1, 4000)),
        };
    }

    private static string Junk(Random random)
    {
        var junk = new StringBuilder();
        var length = random.Next(1, 200);
        for (var i = 0; i < length; i++)
        {
            junk.Append((char)random.Next(0x21, 0x7f));
        }

        return junk.ToString();
    }

    private static (string What, string RequestLine, string Header) BadHeader(Random random, string method, string path) => random.Next(10) switch
    {
        0 => ("space in a header name", $"{method} {path} HTTP/1.1", "Bad Header: 1"),
        1 => ("header without a colon", $"{method} {path} HTTP/1.1", "NoColonHere"),
        2 => ("control character in a value", $"{method} {path} HTTP/1.1", "X-Value: a\u0001b"),
        3 => ("headers over 32 KiB", $"{method} {path} HTTP/1.1", "X-Big: " + new string('b', 40 * 1024)),
        4 => ("two different lengths", $"{method} {path} HTTP/1.1", "Content-Length: 7"),
        5 => ("a final coding other than chunked", $"{method} {path} HTTP/1.1", "Transfer-Encoding: gzip"),
        6 => ("a length that is not a number", $"{method} {path} HTTP/1.1", "Content-Length: abc"),
        7 => ("junk after the version", $"{method} {path} HTTP/1.1 junk", "X-Ok: 1"),
        8 => ("an unknown protocol version", $"{method} {path} HTTP/7.3", "X-Ok: 1"),
        _ => ("bytes above ASCII in the path", $"{method} /caf\u00e9{path} HTTP/1.1", "X-Ok: 1"),
    };

    /// <summary>A body in chunks of random sizes; one in ten has a broken chunk somewhere.</summary>
    private static byte[] Chunked(Random random, byte[] body)
    {
        using var chunked = new MemoryStream();
        var broken = random.Next(10) == 0 ? random.Next(3) : -1;
        for (var offset = 0; offset < body.Length;)
        {
            var length = Math.Min(body.Length - offset, random.Next(1, 32 * 1024));
            chunked.Write(Ascii(broken == 0 ? "zz\r\n" : $"{length:x}\r\n"));
            chunked.Write(body, offset, length);
            chunked.Write(Ascii(broken == 1 ? "XX" : "\r\n"));
            offset += length;
        }

        chunked.Write(Ascii(broken == 2 ? "0\r\nX-Trailer no colon\r\n\r\n" : "0\r\n\r\n"));
        return chunked.ToArray();
    }

    /// <summary>
    /// Signed requests, made once (signing costs milliseconds): reads of objects that do not exist, a create that
    /// succeeds and then replays, bodies over the limit, and a body changed after signing.
    /// </summary>
    private List<byte[]> SignedRequests(Random random)
    {
        var merchant = fixture.Merchant;
        using var key = RsaSigningKey.FromPem(merchant.PrivateKeyPem);
        var signer = new RequestSigner(merchant.SandboxKeyId, key);
        var create = Ascii("{\"storeId\":\"" + merchant.StoreId + "\",\"webCheckoutDetails\":{\"checkoutReviewReturnUrl\":\"https://merchant.example/review\"}}");
        var requests = new List<byte[]>();
        for (var i = 0; i < 24; i++)
        {
            var (method, path, body, tampered) = (i % 6) switch
            {
                0 => ("GET", $"/v2/checkoutSessions/{Guid.NewGuid()}", Array.Empty<byte>(), false),
                1 => ("POST", "/v2/checkoutSessions", create, false),
                2 => ("POST", $"/v2/charges/S01-{i}/capture", Ascii("{\"captureAmount\":{\"amount\":\"1.00\",\"currencyCode\":\"USD\"}}"), false),
                3 => ("POST", "/v2/checkoutSessions", new byte[ApiLimit + random.Next(1, 8 * 1024)], false),
                4 => ("POST", "/v2/checkoutSessions", create, true),
                _ => ("DELETE", $"/v2/charges/S01-{i}/cancel", Array.Empty<byte>(), false),
            };
            var headers = new Dictionary<string, string>
            {
                ["accept"] = "application/json",
                ["content-type"] = "application/json",
                ["x-amz-pay-date"] = RequestSigner.FormatDate(Host.SignatureClock.GetUtcNow()),
                ["x-amz-pay-host"] = "127.0.0.1",
                ["x-amz-pay-idempotency-key"] = $"fuzz-{i}",
                ["x-amz-pay-region"] = "na",
            };
            var authorization = signer.Sign(method, path, null, headers, body);
            var sent = tampered ? Concat(body, Ascii(" ")) : body;
            requests.Add(Concat(
                Ascii($"{method} {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n"),
                Ascii(string.Concat(headers.Select(h => $"{h.Key}: {h.Value}\r\n"))),
                Ascii($"authorization: {authorization}\r\nContent-Length: {sent.Length}\r\n\r\n"),
                sent));
        }

        return requests;
    }
}
