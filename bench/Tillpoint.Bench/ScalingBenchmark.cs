using System.Diagnostics;
using System.Security.Cryptography;
using Npgsql;
using Tillpoint.Client;
using Tillpoint.Storage;

namespace Tillpoint.Bench;

/// <summary>One store and node count: its signed Get and durable Capture phases.</summary>
internal sealed record ScalingRow(string Store, int Nodes, PhaseResult Get, PhaseResult Capture, int CapturePool);

internal sealed record ScalingResult(
    IReadOnlyList<ScalingRow> Rows, IReadOnlyList<PgBenchResult> PgBench, bool DatabaseCpu, int Connections, int WarmupSeconds, int DurationSeconds, string PostgresVersion)
{
    public double PgBenchMean => PgBench.Average(p => p.TransactionsPerSecond);

    public long Failures => Rows.Sum(r => r.Get.Failures + r.Capture.Failures);
}

/// <summary>
/// The same two workloads as the throughput benchmark (a replayed signed Get Charge; signed durable captures of distinct
/// charges) against SQLite with one node, PostgreSQL with one node and PostgreSQL with two nodes sharing the database,
/// in one run on one machine, so the three can be compared. With two nodes the load generator sends every other request
/// to each. The PostgreSQL server, the nodes and the load generator all share the machine's cores.
/// </summary>
internal static class ScalingBenchmark
{
    public static async Task<ScalingResult> RunAsync(BenchOptions options, TillpointBinary tillpoint, string work)
    {
        var server = options.PostgresConnectionString
            ?? throw new ArgumentException("scaling needs a PostgreSQL server: --postgres \"Host=…;Username=…\" or TILLPOINT_BENCH_POSTGRES.");
        var databaseCpu = await PostgresServerCpu.FindAsync(server);
        var duration = TimeSpan.FromSeconds(options.DurationSeconds);
        var pgbench = new List<PgBenchResult>();
        Console.Error.WriteLine($"Scaling: pgbench (TPC-B, -c {PgBench.Clients}, scale {PgBench.Scale}) (1/2), {options.DurationSeconds} s...");
        pgbench.Add(await PgBench.RunAsync(server, duration, databaseCpu));
        Console.Error.WriteLine($"  {pgbench[^1].TransactionsPerSecond:N0} transactions/s");
        var rows = new List<ScalingRow>
        {
            await RunOneAsync(options, tillpoint, Path.Combine(work, "sqlite"), nodes: 1, connectionString: null, databaseCpu),
        };
        foreach (var nodes in new[] { 1, 2 })
        {
            var database = await CreateDatabaseAsync(server);
            try
            {
                rows.Add(await RunOneAsync(options, tillpoint, Path.Combine(work, $"postgres-{nodes}"), nodes, database, databaseCpu));
            }
            finally
            {
                if (options.Keep)
                {
                    Console.Error.WriteLine($"Kept the database {new NpgsqlConnectionStringBuilder(database).Database}");
                }
                else
                {
                    await DropDatabaseAsync(server, database);
                }
            }
        }

        Console.Error.WriteLine($"Scaling: pgbench (2/2), {options.DurationSeconds} s...");
        pgbench.Add(await PgBench.RunAsync(server, duration, databaseCpu));
        Console.Error.WriteLine($"  {pgbench[^1].TransactionsPerSecond:N0} transactions/s");
        return new ScalingResult(rows, pgbench, databaseCpu is not null, options.Connections, options.WarmupSeconds, options.DurationSeconds, await ServerVersionAsync(server));
    }

    private static async Task<ScalingRow> RunOneAsync(
        BenchOptions options, TillpointBinary tillpoint, string work, int nodes, string? connectionString, PostgresServerCpu? databaseCpu)
    {
        var label = connectionString is null ? "SQLite" : "PostgreSQL";
        string[] store = connectionString is null ? [] : ["--store", "postgres", "--connection-string", connectionString];
        var folders = Enumerable.Range(1, nodes).Select(i => Path.Combine(work, $"node-{i}")).ToArray();
        Directory.CreateDirectory(work);
        Console.Error.WriteLine($"Scaling: {label}, {nodes} node(s): a merchant, a key and seeded charges...");
        var (merchantId, storeId) = await tillpoint.CreateMerchantAsync(folders[0], store);
        var (publicKeyId, privateKeyPem) = await tillpoint.CreateSandboxKeyAsync(folders[0], merchantId, Path.Combine(work, "private-key.pem"), store);
        using var signer = new SignedRequests(publicKeyId, privateKeyPem);
        using var seeder = new Seeder(
            connectionString is null
                ? new StoreOptions { DataDirectory = folders[0] }
                : new StoreOptions { Kind = StoreKind.Postgres, ConnectionString = connectionString },
            merchantId,
            storeId);
        var getCharge = (await seeder.SeedAsync(1)).ChargeId(0);

        var trusted = new TrustedCertificates();
        using var poll = new HttpClient(new SocketsHttpHandler { ConnectTimeout = TimeSpan.FromSeconds(1) }) { Timeout = TimeSpan.FromSeconds(2) };
        using var load = new LoadGenerator(options.Connections, trusted.Contains);
        var servers = new List<ServerProcess>();
        try
        {
            var endpoints = new List<Uri>();
            foreach (var folder in folders)
            {
                var (https, http) = (ServerProcess.FreePort(), ServerProcess.FreePort());
                var node = tillpoint.Serve(folder, https, http, store: store);
                servers.Add(node);
                await node.WaitReadyAsync(poll, new Uri($"http://127.0.0.1:{http}/healthz"), TimeSpan.FromSeconds(60));
                trusted.AddPem(Path.Combine(folder, "tillpoint-https.pem"));
                endpoints.Add(new Uri($"https://127.0.0.1:{https}"));
            }

            using var self = Process.GetCurrentProcess();
            var database = connectionString is null ? null : databaseCpu;
            ResourceUse Cpu() => new(
                servers.Aggregate(TimeSpan.Zero, (sum, node) => sum + node.CpuTime), ServerProcess.CpuTimeOf(self), 0, database?.Read() ?? default);
            var warmup = TimeSpan.FromSeconds(options.WarmupSeconds);
            var duration = TimeSpan.FromSeconds(options.DurationSeconds);
            var name = $"{label}, {nodes} node{(nodes > 1 ? "s" : string.Empty)}";

            Console.Error.WriteLine($"Scaling: {name}: signed Get Charge, {options.WarmupSeconds} s warm-up + {options.DurationSeconds} s...");
            var get = await load.RunAsync($"{name}: signed Get Charge", new CycleSource([.. endpoints.Select(e => signer.GetCharge(e, getCharge))]), warmup, duration, Cpu);
            Report.PrintPhase(get);

            Console.Error.WriteLine($"Scaling: {name}: capture warm-up...");
            var warm = await load.RunAsync($"{name}: capture warm-up", Captures(await seeder.SeedAsync(Math.Max(3000, 100 * options.Connections))), TimeSpan.Zero, warmup, Cpu);
            Report.PrintPhase(warm);
            var timedWarmup = TimeSpan.FromSeconds(Math.Min(1, options.WarmupSeconds));
            var poolSize = ThroughputBenchmark.PoolSize(warm.RequestsPerSecond, duration + timedWarmup, options.Connections);
            Console.Error.WriteLine($"Scaling: {name}: seeding and signing {poolSize:N0} captures...");
            var pool = Captures(await seeder.SeedAsync(poolSize));
            var capture = await load.RunAsync($"{name}: signed durable Capture Charge", pool, timedWarmup, duration, Cpu);
            Report.PrintPhase(capture);
            return new ScalingRow(label, nodes, get, capture, poolSize);

            PoolSource Captures(ChargeIds ids) => new(SignedRequests.SignMany(
                ids.Count, i => signer.CaptureCharge(endpoints[i % endpoints.Count], ids.ChargeId(i), AmazonPayClient.NewIdempotencyKey())));
        }
        finally
        {
            foreach (var node in servers)
            {
                await node.DisposeAsync();
            }
        }
    }

    private static async Task<string> CreateDatabaseAsync(string server)
    {
        var name = "tillpoint_bench_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6));
        await ExecuteAsync(server, $"CREATE DATABASE {name}");
        return new NpgsqlConnectionStringBuilder(server) { Database = name }.ConnectionString;
    }

    private static Task DropDatabaseAsync(string server, string database) =>
        ExecuteAsync(server, $"DROP DATABASE IF EXISTS {new NpgsqlConnectionStringBuilder(database).Database} WITH (FORCE)");

    private static async Task<string> ServerVersionAsync(string server)
    {
        await using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(server) { Pooling = false }.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SHOW server_version", connection);
        return (string)(await command.ExecuteScalarAsync())!;
    }

    internal static async Task ExecuteAsync(string server, string sql)
    {
        await using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(server) { Pooling = false }.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
