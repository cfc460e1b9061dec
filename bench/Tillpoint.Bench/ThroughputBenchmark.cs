using System.Diagnostics;
using Tillpoint.Client;

namespace Tillpoint.Bench;

internal sealed record ThroughputResult(
    PhaseResult Baseline1,
    PhaseResult Get,
    PhaseResult Capture,
    PhaseResult Baseline2,
    CaptureWarmup CaptureWarmup,
    int CapturePool,
    int Connections,
    int WarmupSeconds,
    int DurationSeconds,
    long BaselineRss,
    long TillpointRss,
    OpenLoopResults? OpenLoop)
{
    public double BaselineMean => (Baseline1.RequestsPerSecond + Baseline2.RequestsPerSecond) / 2;

    public double BaselineServerCpuMean => (Baseline1.ServerCpuMicrosPerRequest + Baseline2.ServerCpuMicrosPerRequest) / 2;

    public double GetRatio => Get.RequestsPerSecond / BaselineMean;

    public double CaptureRatio => Capture.RequestsPerSecond / BaselineMean;

    public IEnumerable<PhaseResult> Phases => [Baseline1, Get, Capture, Baseline2];

    public long Failures => Phases.Sum(p => p.Failures) + CaptureWarmup.Failures + (OpenLoop?.Failures ?? 0);
}

/// <summary>The open-loop phases, at half the closed-loop peaks of the same run.</summary>
internal sealed record OpenLoopResults(OpenLoopResult Baseline, OpenLoopResult Get, OpenLoopResult Capture, int WarmupSeconds, int DurationSeconds, int Seed)
{
    public IEnumerable<OpenLoopResult> Phases => [Baseline, Get, Capture];

    public long Failures => Phases.Sum(p => p.Failures);
}

/// <summary>The capture warm-up: its rounds' totals and the last round, whose rate sized the timed pool.</summary>
internal sealed record CaptureWarmup(PhaseResult LastRound, long Captures, long Failures, int Rounds, IReadOnlyList<string> FailureSamples)
{
}

/// <summary>
/// Baseline, signed Get Charge, signed durable Capture Charge, baseline again: the two servers run side by side and the
/// phases alternate, so the machine's noise falls on both and the ratios mean something where the absolute numbers do not.
/// </summary>
internal static class ThroughputBenchmark
{
    public static async Task<ThroughputResult> RunAsync(BenchOptions options, TillpointBinary tillpoint, string work)
    {
        var warmup = TimeSpan.FromSeconds(options.WarmupSeconds);
        var duration = TimeSpan.FromSeconds(options.DurationSeconds);
        var dataDirectory = Path.Combine(work, "tillpoint-data");
        Directory.CreateDirectory(work);

        Console.Error.WriteLine("Throughput: creating a merchant and a sandbox key with the tillpoint CLI...");
        var (merchantId, storeId) = await tillpoint.CreateMerchantAsync(dataDirectory);
        var (publicKeyId, privateKeyPem) = await tillpoint.CreateSandboxKeyAsync(dataDirectory, merchantId, Path.Combine(work, "private-key.pem"));
        using var signer = new SignedRequests(publicKeyId, privateKeyPem);
        using var seeder = new Seeder(dataDirectory, merchantId, storeId);
        var getCharge = (await seeder.SeedAsync(1)).ChargeId(0);
        // Enough captures for the capture-only code to reach tier-1 JIT (the code it shares with Get is warm by then).
        var probeCount = Math.Max(3000, 100 * options.Connections);
        var probeIds = await seeder.SeedAsync(probeCount);

        var trusted = new TrustedCertificates();
        var baselineCertificate = Path.Combine(work, "baseline.pfx");
        BaselineServer.WriteCertificate(baselineCertificate);
        trusted.AddPfx(baselineCertificate);

        var tillpointHttps = ServerProcess.FreePort();
        var tillpointHttp = ServerProcess.FreePort();
        var baselinePort = ServerProcess.FreePort();
        using var poll = new HttpClient(new SocketsHttpHandler { ConnectTimeout = TimeSpan.FromSeconds(1) }) { Timeout = TimeSpan.FromSeconds(2) };
        using var load = new LoadGenerator(options.Connections, trusted.Contains);

        await using var server = tillpoint.Serve(dataDirectory, tillpointHttps, tillpointHttp);
        await server.WaitReadyAsync(poll, new Uri($"http://127.0.0.1:{tillpointHttp}/healthz"), TimeSpan.FromSeconds(60));
        trusted.AddPem(Path.Combine(dataDirectory, "tillpoint-https.pem"));
        await using var baseline = BaselineServer.Start(baselinePort, ServerProcess.FreePort(), baselineCertificate, work);
        await baseline.WaitReadyAsync(load.Client, new Uri($"https://127.0.0.1:{baselinePort}/healthz"), TimeSpan.FromSeconds(60));

        var tillpointUri = new Uri($"https://127.0.0.1:{tillpointHttps}");
        var baselineUri = new Uri($"https://127.0.0.1:{baselinePort}");
        await CheckWithClientAsync(load.Client, tillpointUri, publicKeyId, privateKeyPem, getCharge);

        using var self = Process.GetCurrentProcess();
        ResourceUse BaselineCpu() => new(baseline.CpuTime, ServerProcess.CpuTimeOf(self), baseline.FileBytesWritten);
        ResourceUse TillpointCpu() => new(server.CpuTime, ServerProcess.CpuTimeOf(self), server.FileBytesWritten);

        var signedGet = signer.GetCharge(tillpointUri, getCharge);
        var baselineGet = SignedRequests.Unsigned(signedGet, baselineUri);

        Console.Error.WriteLine($"Throughput: baseline (1/2), {options.WarmupSeconds} s warm-up + {options.DurationSeconds} s...");
        var baseline1 = await load.RunAsync("Bare Kestrel GET (1)", new ReplaySource(baselineGet), warmup, duration, BaselineCpu);
        Report.PrintPhase(baseline1);

        Console.Error.WriteLine($"Throughput: signed Get Charge, {options.WarmupSeconds} s warm-up + {options.DurationSeconds} s...");
        signedGet = signer.GetCharge(tillpointUri, getCharge);
        var get = await load.RunAsync("Signed Get Charge", new ReplaySource(signedGet), warmup, duration, TillpointCpu);
        Report.PrintPhase(get);

        // Capture: each capture needs a charge of its own and a request signed in advance (the client does no RSA work
        // while timing), so the warm-up runs in rounds: sign a pool, run it until it runs dry or the warm-up time is up,
        // and size the next pool from the rate just seen. The last rate sizes the timed pool.
        var captureWarmup = await WarmUpCapturesAsync(options, load, seeder, signer, tillpointUri, probeIds, TillpointCpu);
        var timedWarmup = TimeSpan.FromSeconds(Math.Min(1, options.WarmupSeconds));
        var poolSize = PoolSize(captureWarmup.LastRound.RequestsPerSecond, duration + timedWarmup, options.Connections);
        Console.Error.WriteLine($"Throughput: seeding and signing {poolSize:N0} captures for the timed part...");
        var poolIds = await seeder.SeedAsync(poolSize);
        var signing = Stopwatch.GetTimestamp();
        var pool = new PoolSource(SignedRequests.SignMany(
            poolSize, i => signer.CaptureCharge(tillpointUri, poolIds.ChargeId(i), AmazonPayClient.NewIdempotencyKey())));
        Console.Error.WriteLine($"  signed {poolSize:N0} captures in {Stopwatch.GetElapsedTime(signing).TotalSeconds:0.0} s");
        Console.Error.WriteLine($"Throughput: signed durable Capture Charge, {timedWarmup.TotalSeconds:0} s warm-up + {options.DurationSeconds} s...");
        var capture = await load.RunAsync("Signed durable Capture Charge", pool, timedWarmup, duration, TillpointCpu);
        Report.PrintPhase(capture);

        Console.Error.WriteLine($"Throughput: baseline (2/2), {options.WarmupSeconds} s warm-up + {options.DurationSeconds} s...");
        var baseline2 = await load.RunAsync("Bare Kestrel GET (2)", new ReplaySource(baselineGet), warmup, duration, BaselineCpu);
        Report.PrintPhase(baseline2);
        var baselineRss = baseline.ReadMemory().Rss;
        var tillpointRss = server.ReadMemory().Rss;

        var openLoop = options.OpenDurationSeconds == 0 ? null : await RunOpenLoopAsync(
            options, load.Client, seeder, signer, tillpointUri, signedGet, baselineGet, get.RequestsPerSecond / 2, capture.RequestsPerSecond / 2, BaselineCpu, TillpointCpu);

        return new ThroughputResult(
            baseline1, get, capture, baseline2, captureWarmup, poolSize, options.Connections, options.WarmupSeconds, options.DurationSeconds,
            baselineRss, tillpointRss, openLoop);
    }

    /// <summary>
    /// Open loop at half the closed-loop peaks just measured: the bare baseline at the signed Get's rate (what .NET and
    /// this machine give at that load), then the signed Get, then the durable Capture, each with Poisson arrivals.
    /// </summary>
    private static async Task<OpenLoopResults> RunOpenLoopAsync(
        BenchOptions options, HttpClient client, Seeder seeder, SignedRequests signer, Uri tillpoint, RequestTemplate signedGet, RequestTemplate baselineGet,
        double getRate, double captureRate, Func<ResourceUse> baselineCpu, Func<ResourceUse> tillpointCpu)
    {
        var warmup = TimeSpan.FromSeconds(Math.Min(2, options.WarmupSeconds));
        var duration = TimeSpan.FromSeconds(options.OpenDurationSeconds);
        var phase = $"{warmup.TotalSeconds:0} s warm-up + {duration.TotalSeconds:0} s";
        Console.Error.WriteLine($"Open loop: {OpenLoop.SenderClock}.");

        Console.Error.WriteLine($"Open loop: bare Kestrel GET at {getRate:N0}/s (the signed Get's half-peak rate), {phase}...");
        var baseline = await OpenLoop.RunAsync(
            "Bare Kestrel GET (at the signed Get's rate)", client, new ReplaySource(baselineGet), getRate, warmup, duration, options.Seed, baselineCpu);
        Report.PrintOpenLoop(baseline);

        Console.Error.WriteLine($"Open loop: signed Get Charge at {getRate:N0}/s, {phase}...");
        var get = await OpenLoop.RunAsync(
            "Signed Get Charge", client, new ReplaySource(signedGet), getRate, warmup, duration, options.Seed, tillpointCpu);
        Report.PrintOpenLoop(get);

        // One pre-signed capture of its own charge for every arrival the seeded schedule holds.
        var count = OpenLoop.CountOf(captureRate, warmup + duration, options.Seed);
        Console.Error.WriteLine($"Open loop: seeding and signing {count:N0} captures...");
        var ids = await seeder.SeedAsync(count);
        var captures = new PoolSource(SignedRequests.SignMany(
            count, i => signer.CaptureCharge(tillpoint, ids.ChargeId(i), AmazonPayClient.NewIdempotencyKey())));
        Console.Error.WriteLine($"Open loop: signed durable Capture Charge at {captureRate:N0}/s, {phase}...");
        var capture = await OpenLoop.RunAsync(
            "Signed durable Capture Charge", client, captures, captureRate, warmup, duration, options.Seed, tillpointCpu);
        Report.PrintOpenLoop(capture);

        return new OpenLoopResults(baseline, get, capture, (int)warmup.TotalSeconds, options.OpenDurationSeconds, options.Seed);
    }

    /// <summary>
    /// Warm-up rounds of captures until --warmup seconds of capturing have passed; returns the last round (whose rate is
    /// the warmest) with the totals of all rounds.
    /// </summary>
    private static async Task<CaptureWarmup> WarmUpCapturesAsync(
        BenchOptions options, LoadGenerator load, Seeder seeder, SignedRequests signer, Uri server, ChargeIds firstIds, Func<ResourceUse> cpu)
    {
        var left = TimeSpan.FromSeconds(options.WarmupSeconds);
        var ids = firstIds;
        long total = 0, failures = 0;
        var samples = new List<string>();
        for (var round = 1; ; round++)
        {
            var batch = ids;
            Console.Error.WriteLine($"Throughput: capture warm-up round {round}, {batch.Count:N0} captures...");
            var probe = new PoolSource(SignedRequests.SignMany(
                batch.Count, i => signer.CaptureCharge(server, batch.ChargeId(i), AmazonPayClient.NewIdempotencyKey())));
            var result = await load.RunAsync($"Capture warm-up round {round}", probe, TimeSpan.Zero, left, cpu);
            Report.PrintPhase(result);
            total += result.Successes;
            failures += result.Failures;
            samples.AddRange(result.FailureSamples);
            left -= TimeSpan.FromSeconds(result.Seconds);
            if (!result.Exhausted || left < TimeSpan.FromSeconds(1) || round == 5)
            {
                return new CaptureWarmup(result, total, failures, round, [.. samples.Distinct().Take(5)]);
            }

            ids = await seeder.SeedAsync(PoolSize(result.RequestsPerSecond, left, options.Connections));
        }
    }

    /// <summary>Enough charges for <paramref name="time"/> at 1.5 times <paramref name="rate"/>, and never a tiny pool.</summary>
    internal static int PoolSize(double rate, TimeSpan time, int connections) =>
        (int)Math.Min(500_000, Math.Ceiling(rate * time.TotalSeconds * 1.5)) + Math.Max(1000, 8 * connections);

    /// <summary>A Get through the real client first: the seeded charge is there and Authorized, and signing works.</summary>
    private static async Task CheckWithClientAsync(HttpClient http, Uri endpoint, string publicKeyId, string privateKeyPem, string chargeId)
    {
        using var client = new AmazonPayClient(http, new AmazonPayClientOptions
        {
            Endpoint = endpoint,
            PublicKeyId = publicKeyId,
            PrivateKeyPem = privateKeyPem,
        });
        var charge = await client.GetChargeAsync(chargeId);
        if (charge.Value.StatusDetails?.State != "Authorized")
        {
            throw new InvalidOperationException($"The seeded charge {chargeId} is {charge.Value.StatusDetails?.State}, not Authorized.");
        }
    }
}
