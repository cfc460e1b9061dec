using System.Diagnostics;
using Tillpoint.Client;

namespace Tillpoint.Bench;

/// <summary>One store size: the signed Gets and durable Captures measured over it.</summary>
internal sealed record GrowthStep(int StoredCharges, double SeedSeconds, long DatabaseBytes, PhaseResult Get, PhaseResult Capture);

internal sealed record GrowthResult(IReadOnlyList<GrowthStep> Steps, int Connections, int WarmupSeconds, int DurationSeconds)
{
    /// <summary>Issue target: p50 and p99 of the largest store within this factor of the smallest's.</summary>
    public const double TargetRatio = 1.2;

    public long Failures => Steps.Sum(s => s.Get.Failures + s.Capture.Failures);
}

/// <summary>
/// Whether a read or a capture costs more as the store grows: one data folder grown to 10 k, 100 k and 1 M charges
/// (seeded through the storage layer, as the memory benchmark does), and at each size a fresh server measured with signed
/// Gets of random stored charges and durable Captures of random charges not yet captured, in one run.
/// </summary>
internal static class GrowthBenchmark
{
    /// <summary>Distinct pre-signed Gets cycled through at each size: enough that the pages read are spread over the store.</summary>
    internal const int DistinctGets = 4000;

    public static async Task<GrowthResult> RunAsync(BenchOptions options, TillpointBinary tillpoint, string work)
    {
        Directory.CreateDirectory(work);
        var dataDirectory = Path.Combine(work, "tillpoint-data");
        Console.Error.WriteLine("Growth: creating a merchant and a sandbox key with the tillpoint CLI...");
        var (merchantId, storeId) = await tillpoint.CreateMerchantAsync(dataDirectory);
        var (publicKeyId, privateKeyPem) = await tillpoint.CreateSandboxKeyAsync(dataDirectory, merchantId, Path.Combine(work, "private-key.pem"));
        using var signer = new SignedRequests(publicKeyId, privateKeyPem);
        var stored = new StoredCharges(options.Seed);
        using var seeder = new Seeder(dataDirectory, merchantId, storeId);
        var steps = new List<GrowthStep>();
        var trusted = new TrustedCertificates();
        using var load = new LoadGenerator(options.Connections, trusted.Contains);
        using var poll = new HttpClient(new SocketsHttpHandler { ConnectTimeout = TimeSpan.FromSeconds(1) }) { Timeout = TimeSpan.FromSeconds(2) };
        using var self = Process.GetCurrentProcess();

        foreach (var size in options.GrowthSizes)
        {
            var seedStarted = Stopwatch.GetTimestamp();
            Console.Error.WriteLine($"Growth: seeding up to {size:N0} charges...");
            stored.Add((await seeder.SeedWithProgressAsync(size - stored.Count, "charges")).Ids);

            var seedSeconds = Stopwatch.GetElapsedTime(seedStarted).TotalSeconds;
            var databaseBytes = new DirectoryInfo(dataDirectory).GetFiles("tillpoint.db*").Sum(f => f.Length);
            var https = ServerProcess.FreePort();
            var http = ServerProcess.FreePort();
            await using var server = tillpoint.Serve(dataDirectory, https, http);
            await server.WaitReadyAsync(poll, new Uri($"http://127.0.0.1:{http}/healthz"), TimeSpan.FromSeconds(120));
            trusted.AddPem(Path.Combine(dataDirectory, "tillpoint-https.pem"));
            var endpoint = new Uri($"https://127.0.0.1:{https}");
            ResourceUse Cpu() => new(server.CpuTime, ServerProcess.CpuTimeOf(self), server.FileBytesWritten);

            Console.Error.WriteLine($"Growth: {stored.Count:N0} charges: signing {DistinctGets:N0} Gets of random charges...");
            // The charges are drawn first: the requests are signed in parallel.
            var read = Enumerable.Range(0, DistinctGets).Select(_ => stored.AnyCharge()).ToArray();
            var gets = new CycleSource(SignedRequests.SignMany(read.Length, i => signer.GetCharge(endpoint, read[i])));
            var get = await load.RunAsync(
                $"Signed Get Charge, {stored.Count:N0} stored", gets, TimeSpan.FromSeconds(options.WarmupSeconds), TimeSpan.FromSeconds(options.DurationSeconds), Cpu);
            Report.PrintPhase(get);

            // Enough captures for the timed window at the Get's rate (a capture is slower), each of its own charge.
            var captureCount = (int)Math.Clamp(get.RequestsPerSecond * (options.DurationSeconds + 1), 2000, stored.Uncaptured);
            Console.Error.WriteLine($"Growth: signing {captureCount:N0} captures of random uncaptured charges...");
            var taken = Enumerable.Range(0, captureCount).Select(_ => stored.TakeUncaptured()).ToArray();
            var captures = new PoolSource(SignedRequests.SignMany(
                taken.Length, i => signer.CaptureCharge(endpoint, taken[i], AmazonPayClient.NewIdempotencyKey())));
            var capture = await load.RunAsync(
                $"Signed durable Capture Charge, {stored.Count:N0} stored", captures, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(options.DurationSeconds), Cpu);
            Report.PrintPhase(capture);
            steps.Add(new GrowthStep(stored.Count, seedSeconds, databaseBytes, get, capture));
        }

        return new GrowthResult(steps, options.Connections, options.WarmupSeconds, options.DurationSeconds);
    }

    /// <summary>The seeded series, and which of their charges a capture has taken.</summary>
    private sealed class StoredCharges(int seed)
    {
        private readonly List<ChargeIds> _series = [];
        private readonly HashSet<(int Series, int Index)> _captured = [];
        private readonly Random _random = new(seed);

        public int Count { get; private set; }

        public int Uncaptured => Count - _captured.Count;

        public void Add(ChargeIds ids)
        {
            _series.Add(ids);
            Count += ids.Count;
        }

        public string AnyCharge()
        {
            var (series, index) = Pick();
            return series.ChargeId(index);
        }

        public string TakeUncaptured()
        {
            while (true)
            {
                var (series, index) = Pick();
                if (_captured.Add((series.Series, index)))
                {
                    return series.ChargeId(index);
                }
            }
        }

        /// <summary>A charge drawn uniformly over every stored one.</summary>
        private (ChargeIds Series, int Index) Pick()
        {
            var n = _random.Next(Count);
            foreach (var series in _series)
            {
                if (n < series.Count)
                {
                    return (series, n);
                }

                n -= series.Count;
            }

            throw new InvalidOperationException("No charges stored.");
        }
    }
}
