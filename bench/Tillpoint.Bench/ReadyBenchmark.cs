namespace Tillpoint.Bench;

internal sealed record ReadyResult(
    IReadOnlyList<double> BaselineMs,
    IReadOnlyList<double> FreshMs,
    IReadOnlyList<double> ExistingMs,
    IReadOnlyList<double> ExistingFromRepositoryMs,
    IReadOnlyList<double> BaselineFirstGetMs,
    IReadOnlyList<double> ExistingFirstSignedGetMs,
    int RepositoryFolders,
    double WarmupRunMs,
    ReadyComparison? Compared)
{
    public static double Median(IReadOnlyList<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length == 0 ? double.NaN
            : sorted.Length % 2 == 1 ? sorted[sorted.Length / 2]
            : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
    }
}

/// <summary>A second tillpoint binary (<c>--compare</c>) started in the same rounds as the first.</summary>
internal sealed record ReadyComparison(string Path, IReadOnlyList<double> FreshMs, IReadOnlyList<double> ExistingMs);

/// <summary>
/// Time from starting <c>tillpoint serve</c> to its first 200 from <c>/healthz</c> over HTTP, polled every 2 ms: on a
/// data folder that does not exist yet (database, migrations, certificate and data-protection key are created) and on
/// an existing one, both started in a small working directory; and, as a diagnostic, on the existing one started from
/// the repository root. The bare Kestrel baseline is started the same way in the same rounds, as the floor that .NET
/// and ASP.NET themselves set on this machine at this moment. Tillpoint's <c>/healthz</c> answers only once the store is
/// open and has answered a query. A second pair of starts polls a real API request instead: a signed Get Charge of a
/// seeded charge over HTTPS (signature checked, charge read), against the baseline's <c>GET /v2/charges/{id}</c> over
/// HTTPS, each poll a new TLS connection until one is answered.
/// </summary>
internal static class ReadyBenchmark
{
    public static async Task<ReadyResult> RunAsync(BenchOptions options, TillpointBinary tillpoint, string work)
    {
        Directory.CreateDirectory(work);
        using var poll = new HttpClient(new SocketsHttpHandler { ConnectTimeout = TimeSpan.FromSeconds(1) }) { Timeout = TimeSpan.FromSeconds(2) };
        var certificate = Path.Combine(work, "baseline.pfx");
        BaselineServer.WriteCertificate(certificate);

        // One untimed start first: the page cache then holds the binaries, as on any machine that ran tillpoint before.
        // Its data folder is the "existing" one afterwards.
        var existing = Path.Combine(work, "existing", "tillpoint-data");
        Directory.CreateDirectory(Path.GetDirectoryName(existing)!);
        // The existing folder holds a merchant, a sandbox key and one Authorized charge for the signed Get.
        var (merchantId, storeId) = await tillpoint.CreateMerchantAsync(existing);
        var (publicKeyId, privateKeyPem) = await tillpoint.CreateSandboxKeyAsync(existing, merchantId, Path.Combine(work, "private-key.pem"));
        string chargeId;
        using (var seeder = new Seeder(existing, merchantId, storeId))
        {
            chargeId = (await seeder.SeedAsync(1)).ChargeId(0);
        }

        using var signer = new SignedRequests(publicKeyId, privateKeyPem);
        var warmupRun = await MeasureAsync(poll, http => tillpoint.Serve(existing, ServerProcess.FreePort(), http));
        await MeasureAsync(poll, http => BaselineServer.Start(ServerProcess.FreePort(), http, certificate, work));
        Console.Error.WriteLine($"Ready: untimed first start {warmupRun:0} ms");

        var trusted = new TrustedCertificates();
        trusted.AddPfx(certificate);
        trusted.AddPem(Path.Combine(existing, "tillpoint-https.pem"));
        using var apiPoll = new HttpClient(new SocketsHttpHandler
        {
            ConnectTimeout = TimeSpan.FromSeconds(1),
            UseProxy = false,
            SslOptions = new System.Net.Security.SslClientAuthenticationOptions
            {
                RemoteCertificateValidationCallback = (_, presented, _, errors) =>
                    errors == System.Net.Security.SslPolicyErrors.None || trusted.Contains(presented as System.Security.Cryptography.X509Certificates.X509Certificate2),
            },
        })
        { Timeout = TimeSpan.FromSeconds(2) };

        var other = options.ComparePath is { } comparePath ? new TillpointBinary(comparePath, tillpoint.RepositoryRoot) : null;
        if (other is not null)
        {
            await MeasureAsync(poll, http => other.Serve(existing, ServerProcess.FreePort(), http));
        }

        List<double> baseline = [], fresh = [], existingRuns = [], fromRepository = [], baselineGet = [], signedGet = [], otherFresh = [], otherExisting = [];
        for (var i = 0; i < options.ReadyRuns; i++)
        {
            // The kinds alternate within each round, so a burst of noise hits all of them alike.
            baseline.Add(await MeasureAsync(poll, http => BaselineServer.Start(ServerProcess.FreePort(), http, certificate, work)));
            var freshFolder = Path.Combine(work, $"fresh-{i}", "tillpoint-data");
            Directory.CreateDirectory(Path.GetDirectoryName(freshFolder)!);
            fresh.Add(await MeasureAsync(poll, http => tillpoint.Serve(freshFolder, ServerProcess.FreePort(), http)));
            existingRuns.Add(await MeasureAsync(poll, http => tillpoint.Serve(existing, ServerProcess.FreePort(), http)));
            fromRepository.Add(await MeasureAsync(
                poll, http => tillpoint.Serve(existing, ServerProcess.FreePort(), http, tillpoint.RepositoryRoot)));

            // The same request signed for this start's port, before the clock starts: the client does no RSA work while timing.
            var https = ServerProcess.FreePort();
            var get = signer.GetCharge(new Uri($"https://127.0.0.1:{https}"), chargeId);
            baselineGet.Add(await MeasureApiAsync(
                apiPoll, SignedRequests.Unsigned(get, get.Uri), () => BaselineServer.Start(https, 0, certificate, work)));
            https = ServerProcess.FreePort();
            get = signer.GetCharge(new Uri($"https://127.0.0.1:{https}"), chargeId);
            signedGet.Add(await MeasureApiAsync(apiPoll, get, () => tillpoint.Serve(existing, https, ServerProcess.FreePort())));
            if (other is not null)
            {
                var otherFolder = Path.Combine(work, $"fresh-compared-{i}", "tillpoint-data");
                Directory.CreateDirectory(Path.GetDirectoryName(otherFolder)!);
                otherFresh.Add(await MeasureAsync(poll, http => other.Serve(otherFolder, ServerProcess.FreePort(), http)));
                otherExisting.Add(await MeasureAsync(poll, http => other.Serve(existing, ServerProcess.FreePort(), http)));
                Console.Error.WriteLine($"Ready: round {i + 1}/{options.ReadyRuns}: compared binary fresh {otherFresh[^1]:0} ms, existing {otherExisting[^1]:0} ms");
            }

            Console.Error.WriteLine(
                $"Ready: round {i + 1}/{options.ReadyRuns}: baseline {baseline[^1]:0} ms, fresh {fresh[^1]:0} ms, " +
                $"existing {existingRuns[^1]:0} ms, existing from the repository root {fromRepository[^1]:0} ms; " +
                $"first HTTPS answer: baseline {baselineGet[^1]:0} ms, signed Get {signedGet[^1]:0} ms");
        }

        var folders = Directory.EnumerateDirectories(tillpoint.RepositoryRoot, "*", SearchOption.AllDirectories).Count() + 1;
        return new ReadyResult(
            baseline, fresh, existingRuns, fromRepository, baselineGet, signedGet, folders, warmupRun,
            other is null ? null : new ReadyComparison(other.Path, otherFresh, otherExisting));
    }

    private static async Task<double> MeasureApiAsync(HttpClient client, RequestTemplate request, Func<ServerProcess> start)
    {
        await using var server = start();
        var ready = await server.WaitReadyAsync(client, request.Create, TimeSpan.FromSeconds(60));
        return ready.TotalMilliseconds;
    }

    private static async Task<double> MeasureAsync(HttpClient poll, Func<int, ServerProcess> start)
    {
        var http = ServerProcess.FreePort();
        await using var server = start(http);
        var ready = await server.WaitReadyAsync(poll, new Uri($"http://127.0.0.1:{http}/healthz"), TimeSpan.FromSeconds(60));
        return ready.TotalMilliseconds;
    }
}
