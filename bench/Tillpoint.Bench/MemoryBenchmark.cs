using System.Diagnostics;

namespace Tillpoint.Bench;

internal sealed record MemoryResult(
    int Charges,
    double SeedSeconds,
    long DatabaseBytes,
    double ReadyMs,
    long RssAfterReady,
    long RssAfterGets,
    long PeakRss,
    int SqliteConnections,
    int Loops,
    PhaseResult Gets)
{
    public const double TargetMiB = 150;

    public static double MiB(long bytes) => bytes / 1024.0 / 1024.0;
}

/// <summary>
/// Resident memory of <c>tillpoint serve</c> over a store of many charges: seeded through the storage layer, then
/// served, then read with signed Gets of random charges, then VmRSS from /proc.
/// </summary>
internal static class MemoryBenchmark
{
    public static async Task<MemoryResult> RunAsync(BenchOptions options, TillpointBinary tillpoint, string work)
    {
        Directory.CreateDirectory(work);
        var dataDirectory = Path.Combine(work, "tillpoint-data");
        Console.Error.WriteLine("Memory: creating a merchant and a sandbox key with the tillpoint CLI...");
        var (merchantId, storeId) = await tillpoint.CreateMerchantAsync(dataDirectory);
        var (publicKeyId, privateKeyPem) = await tillpoint.CreateSandboxKeyAsync(dataDirectory, merchantId, Path.Combine(work, "private-key.pem"));

        Console.Error.WriteLine($"Memory: seeding {options.Charges:N0} authorized charges (each with its charge permission)...");
        var seedStarted = Stopwatch.GetTimestamp();
        ChargeIds ids;
        using (var seeder = new Seeder(dataDirectory, merchantId, storeId))
        {
            (ids, _) = await seeder.SeedWithProgressAsync(options.Charges, "charges");
        }

        var seedSeconds = Stopwatch.GetElapsedTime(seedStarted).TotalSeconds;
        var databaseBytes = new DirectoryInfo(dataDirectory).GetFiles("tillpoint.db*").Sum(f => f.Length);
        Console.Error.WriteLine($"Memory: seeded in {seedSeconds:0.0} s; database {MemoryResult.MiB(databaseBytes):N0} MiB");

        var trusted = new TrustedCertificates();
        var https = ServerProcess.FreePort();
        var http = ServerProcess.FreePort();
        using var poll = new HttpClient(new SocketsHttpHandler { ConnectTimeout = TimeSpan.FromSeconds(1) }) { Timeout = TimeSpan.FromSeconds(2) };
        await using var server = tillpoint.Serve(dataDirectory, https, http);
        var ready = await server.WaitReadyAsync(poll, new Uri($"http://127.0.0.1:{http}/healthz"), TimeSpan.FromSeconds(120));
        trusted.AddPem(Path.Combine(dataDirectory, "tillpoint-https.pem"));
        await Task.Delay(500);
        var (rssReady, _) = server.ReadMemory();

        Console.Error.WriteLine($"Memory: signing {options.MemoryGets:N0} Gets of random charges...");
        using var signer = new SignedRequests(publicKeyId, privateKeyPem);
        var endpoint = new Uri($"https://127.0.0.1:{https}");
        var random = new Random(20250101);
        var picks = Enumerable.Range(0, options.MemoryGets).Select(_ => random.Next(ids.Count)).ToArray();
        var gets = new PoolSource(SignedRequests.SignMany(options.MemoryGets, i => signer.GetCharge(endpoint, ids.ChargeId(picks[i]))));

        using var load = new LoadGenerator(options.Connections, trusted.Contains);
        using var self = Process.GetCurrentProcess();
        var result = await load.RunAsync(
            "Signed Get Charge, random charges", gets, TimeSpan.Zero, TimeSpan.FromMinutes(10),
            () => new ResourceUse(server.CpuTime, ServerProcess.CpuTimeOf(self)));
        Report.PrintPhase(result);
        await Task.Delay(1000);
        var (rss, peak) = server.ReadMemory();
        var connections = server.CountOpenFiles("tillpoint.db");
        Console.Error.WriteLine($"Memory: RSS {MemoryResult.MiB(rss):0.0} MiB (peak {MemoryResult.MiB(peak):0.0} MiB), {connections} SQLite connections open");
        return new MemoryResult(
            options.Charges, seedSeconds, databaseBytes, ready.TotalMilliseconds, rssReady, rss, peak, connections, options.Connections, result);
    }
}
