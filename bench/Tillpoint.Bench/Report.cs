using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;

namespace Tillpoint.Bench;

/// <summary>Facts about the machine and the build, printed with every result.</summary>
internal sealed record MachineFacts(
    string Date, int Processors, string Cpu, string Memory, string Os, string DotnetSdk, string Runtime, string Commit)
{
    /// <summary>The commit is that of the checkout the tillpoint binary was built in (it may be a clone elsewhere).</summary>
    public static async Task<MachineFacts> CollectAsync(string repositoryRoot, string tillpointPath)
    {
        var binaryDirectory = Path.GetDirectoryName(tillpointPath) ?? repositoryRoot;
        var cpu = ReadProc("/proc/cpuinfo", "model name") ?? RuntimeInformation.ProcessArchitecture.ToString();
        var memory = ReadProc("/proc/meminfo", "MemTotal") is { } total
            ? $"{long.Parse(total.Split(' ', StringSplitOptions.RemoveEmptyEntries)[0], CultureInfo.InvariantCulture) / 1024.0 / 1024.0:0.0} GiB"
            : "?";
        var sdk = await TryAsync("dotnet", ["--version"]);
        var commit = await TryAsync("git", ["-C", binaryDirectory, "rev-parse", "--short", "HEAD"]);
        var dirty = await TryAsync("git", ["-C", binaryDirectory, "status", "--porcelain", "--", ":/src"]);
        return new MachineFacts(
            TimeProvider.System.GetUtcNow().ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture),
            Environment.ProcessorCount,
            cpu,
            memory,
            RuntimeInformation.OSDescription,
            sdk,
            $".NET {Environment.Version}",
            dirty.Length > 0 && dirty != "?" ? $"{commit} (with uncommitted changes in src/)" : commit);
    }

    private static string? ReadProc(string path, string key)
    {
        if (!File.Exists(path))
        {
            return null;
        }

        var line = File.ReadLines(path).FirstOrDefault(l => l.StartsWith(key, StringComparison.Ordinal));
        var colon = line?.IndexOf(':', StringComparison.Ordinal) ?? -1;
        return colon < 0 ? null : line![(colon + 1)..].Trim();
    }

    private static async Task<string> TryAsync(string fileName, string[] arguments)
    {
        try
        {
            return (await TillpointBinary.RunAsync(fileName, arguments, TimeSpan.FromSeconds(30))).Trim();
        }
        catch (Exception e) when (e is InvalidOperationException or System.ComponentModel.Win32Exception or TimeoutException)
        {
            return "?";
        }
    }
}

/// <summary>Everything a run measured, as Markdown to paste into docs/benchmarks.md.</summary>
internal sealed class Report(BenchOptions options, MachineFacts machine)
{
    public const double GetTarget = 0.5;
    public const double CaptureTarget = 0.2;
    public const double ReadyTargetMs = 500;
    public const double ReadyTargetRatio = 1.1;
    public const double OpenLoopP99TargetMs = 5;

    public ThroughputResult? Throughput { get; set; }

    public ReadyResult? Ready { get; set; }

    public MemoryResult? Memory { get; set; }

    public ScalingResult? Scaling { get; set; }

    public GrowthResult? Growth { get; set; }

    public bool HasFailures =>
        Throughput?.Failures > 0 || Memory?.Gets.Failures > 0 || Scaling?.Failures > 0 || Growth?.Failures > 0;

    public static void PrintPhase(PhaseResult phase) => Console.Error.WriteLine(
        $"  {phase.Name}: {phase.RequestsPerSecond:N0} req/s over {phase.Seconds:0.0} s, p50 {phase.P50Ms:0.00} ms, p99 {phase.P99Ms:0.00} ms, " +
        $"server CPU {phase.ServerCpuMicrosPerRequest:0} µs/req, file writes {phase.ServerFileBytesPerRequest / 1024:0.0} KB/req, failures {phase.Failures}{(phase.Exhausted ? ", pool exhausted" : string.Empty)}" +
        string.Concat(phase.FailureSamples.Select(s => "\n    failure: " + s)));

    public static void PrintOpenLoop(OpenLoopResult phase) => Console.Error.WriteLine(
        $"  {phase.Name}: {phase.AchievedRate:N0} req/s (target {phase.TargetRate:N0}/s), p50 {phase.P50Ms:0.00} ms, p99 {phase.P99Ms:0.00} ms, " +
        $"p99.9 {phase.P999Ms:0.00} ms, max {phase.MaxMs:0.0} ms, sender lag p99 {phase.SendLagP99Ms:0.00} ms, at most {phase.MostInFlight} in flight, " +
        $"server CPU {phase.ServerCpuMicrosPerRequest:0} µs/req, failures {phase.Failures}" +
        string.Concat(phase.FailureSamples.Select(s => "\n    failure: " + s)));

    public string ToMarkdown()
    {
        var md = new StringBuilder();
        var command = "dotnet run -c Release --project bench/Tillpoint.Bench -- " + options.Verb
            + $" --duration {options.DurationSeconds} --warmup {options.WarmupSeconds} --connections {options.Connections}"
            + (options.RunsThroughput ? $" --open-duration {options.OpenDurationSeconds} --seed {options.Seed}" : string.Empty)
            + (options.RunsMemory ? $" --charges {options.Charges}" : string.Empty)
            + (options.TillpointPath is { } binary ? $" --tillpoint {binary}" : string.Empty)
            + (options.RunsReady && options.ComparePath is not null ? " --compare …" : string.Empty)
            + (options.RunsScaling ? " --postgres \"Host=…\"" : string.Empty)
            + (options.RunsGrowth ? $" --sizes {string.Join(',', options.GrowthSizes)}" : string.Empty);
        md.AppendLine("### Machine").AppendLine()
            .AppendLine("| | |").AppendLine("| --- | --- |")
            .AppendLine($"| Date | {machine.Date} |")
            .AppendLine($"| Cores (nproc) | {machine.Processors} |")
            .AppendLine($"| CPU | {machine.Cpu} |")
            .AppendLine($"| Memory | {machine.Memory} |")
            .AppendLine($"| OS | {machine.Os} |")
            .AppendLine($"| dotnet SDK | {machine.DotnetSdk} ({machine.Runtime}) |")
            .AppendLine($"| Commit | {machine.Commit} |")
            .AppendLine($"| Command | `{command}` |")
            .AppendLine();

        if (Throughput is { } t)
        {
            md.AppendLine($"### Throughput (HTTPS, HTTP/1.1, {t.Connections} connections, closed loop; {t.WarmupSeconds} s warm-up + {t.DurationSeconds} s timed per phase)")
                .AppendLine()
                .AppendLine("| Phase (in run order) | Requests | Failures | Requests/s | vs baseline mean | Target | p50 ms | p99 ms | Server CPU µs/req | Client CPU µs/req | Server file writes KB/req | Body bytes |")
                .AppendLine("| --- | ---: | ---: | ---: | ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: |");
            Row(md, t.Baseline1, t.Baseline1.RequestsPerSecond / t.BaselineMean, null);
            Row(md, t.Get, t.GetRatio, GetTarget);
            Row(md, t.Capture, t.CaptureRatio, CaptureTarget);
            Row(md, t.Baseline2, t.Baseline2.RequestsPerSecond / t.BaselineMean, null);
            md.AppendLine()
                .AppendLine($"Baseline mean: {t.BaselineMean:N0} requests/s (the two baseline runs differ by {Spread(t.Baseline1.RequestsPerSecond, t.Baseline2.RequestsPerSecond):0.0} %, a measure of this run's noise). " +
                    $"Server CPU per request relative to the baseline's: Get {t.Get.ServerCpuMicrosPerRequest / t.BaselineServerCpuMean:0.00}×, Capture {t.Capture.ServerCpuMicrosPerRequest / t.BaselineServerCpuMean:0.00}×. " +
                    $"Capture used a pool of {t.CapturePool:N0} pre-signed captures (distinct seeded charges, 32-character idempotency keys), sized from the last of " +
                    $"{t.CaptureWarmup.Rounds} warm-up round(s) ({t.CaptureWarmup.Captures:N0} captures in all, last round {t.CaptureWarmup.LastRound.RequestsPerSecond:N0}/s, " +
                    $"{t.CaptureWarmup.Failures} failures){(t.Capture.Exhausted ? "; the pool ran dry, so the rate is over the time it lasted" : string.Empty)}. " +
                    $"Resident memory after these phases: baseline {MemoryResult.MiB(t.BaselineRss):0} MiB, tillpoint {MemoryResult.MiB(t.TillpointRss):0} MiB.")
                .AppendLine();
            foreach (var (name, count, samples) in t.Phases.Select(p => (p.Name, p.Failures, p.FailureSamples))
                .Append(("Capture warm-up", t.CaptureWarmup.Failures, t.CaptureWarmup.FailureSamples))
                .Concat(t.OpenLoop?.Phases.Select(p => ("open loop: " + p.Name, p.Failures, p.FailureSamples)) ?? [])
                .Where(p => p.Item2 > 0))
            {
                md.AppendLine($"**FAILURES in {name}: {count}.** First: `{string.Join(" | ", samples).Replace('`', '\'')}`").AppendLine();
            }

            if (t.OpenLoop is { } open)
            {
                md.AppendLine($"### Open loop at half the closed-loop peak (HTTPS, HTTP/1.1, Poisson arrivals, seed {open.Seed}; {open.WarmupSeconds} s warm-up + {open.DurationSeconds} s timed per phase)")
                    .AppendLine()
                    .AppendLine("| Phase (in run order) | Target rate/s | Achieved/s | Requests | Failures | p50 ms | p99 ms | p99.9 ms | Max ms | Target | Sender lag p99 ms | Most in flight | Server CPU µs/req |")
                    .AppendLine("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- | ---: | ---: | ---: |");
                OpenRow(md, open.Baseline, null);
                OpenRow(md, open.Get, OpenLoopP99TargetMs);
                OpenRow(md, open.Capture, OpenLoopP99TargetMs);
                md.AppendLine()
                    .AppendLine($"Rates are half of this run's closed-loop Get ({t.Get.RequestsPerSecond:N0}/s) and Capture ({t.Capture.RequestsPerSecond:N0}/s); the baseline runs at the Get's rate. " +
                        "Latency runs from each request's scheduled send time (coordinated omission avoided); the sender lag is how late the bench itself sent, and is included. " +
                        $"Requests beyond {t.Connections} in flight wait for a connection in the client, and that wait counts too.")
                    .AppendLine();
            }
        }

        if (Ready is { } r)
        {
            var reference = ReadyResult.Median(r.BaselineMs);
            var fresh = ReadyResult.Median(r.FreshMs);
            var existing = ReadyResult.Median(r.ExistingMs);
            var apiReference = ReadyResult.Median(r.BaselineFirstGetMs);
            var signedGet = ReadyResult.Median(r.ExistingFirstSignedGetMs);
            md.AppendLine("### Ready time (process start to first 200, polled every 2 ms)")
                .AppendLine()
                .AppendLine("| Server and data folder (rounds alternate kinds) | Runs (ms) | Median | vs baseline | Target |")
                .AppendLine("| --- | --- | ---: | ---: | --- |")
                .AppendLine($"| Bare Kestrel baseline, `/healthz` over HTTP (reference) | {Runs(r.BaselineMs)} | {reference:0} ms | 1.00× | reference |")
                .AppendLine($"| `tillpoint serve`, fresh data folder, `/healthz` | {Runs(r.FreshMs)} | **{fresh:0} ms** | **{fresh / reference:0.00}×** | {ReadyTarget(fresh, reference)} |")
                .AppendLine($"| `tillpoint serve`, existing data folder, `/healthz` | {Runs(r.ExistingMs)} | **{existing:0} ms** | **{existing / reference:0.00}×** | {ReadyTarget(existing, reference)} |")
                .AppendLine($"| `tillpoint serve`, existing, started from the repository root ({r.RepositoryFolders:N0} folders) | {Runs(r.ExistingFromRepositoryMs)} | {ReadyResult.Median(r.ExistingFromRepositoryMs):0} ms | {ReadyResult.Median(r.ExistingFromRepositoryMs) / reference:0.00}× | diagnostic |");
            if (r.Compared is { } compared)
            {
                md.AppendLine($"| Compared binary (`--compare`), fresh data folder, `/healthz` | {Runs(compared.FreshMs)} | {ReadyResult.Median(compared.FreshMs):0} ms | {ReadyResult.Median(compared.FreshMs) / reference:0.00}× | compared |")
                    .AppendLine($"| Compared binary, existing data folder, `/healthz` | {Runs(compared.ExistingMs)} | {ReadyResult.Median(compared.ExistingMs):0} ms | {ReadyResult.Median(compared.ExistingMs) / reference:0.00}× | compared |");
            }

            md.AppendLine($"| Bare Kestrel baseline, first `GET /v2/charges/…` over HTTPS (reference) | {Runs(r.BaselineFirstGetMs)} | {apiReference:0} ms | 1.00× | reference |")
                .AppendLine($"| `tillpoint serve`, existing, first signed Get Charge over HTTPS | {Runs(r.ExistingFirstSignedGetMs)} | {signedGet:0} ms | {signedGet / apiReference:0.00}× | diagnostic |")
                .AppendLine()
                .AppendLine($"An untimed first start ({r.WarmupRunMs:0} ms) ran before these, so the binaries are in the page cache. " +
                    "Except in the repository-root row, each server starts in a small temporary working directory. " +
                    "Tillpoint's `/healthz` answers once the store is open and has answered a query. The last two rows poll a real API request over HTTPS instead " +
                    "(a new TLS connection per attempt): the signed Get of a seeded charge, its signature checked, against the baseline's Get of the same path " +
                    "and headers; each is compared with the baseline row above it.")
                .AppendLine();
        }

        if (Memory is { } m)
        {
            md.AppendLine("### Memory (`tillpoint serve` resident set over a store of seeded charges)")
                .AppendLine()
                .AppendLine("| Stored charges | Database | Seeding | RSS after ready | RSS after Gets | Peak RSS (VmHWM) | Target |")
                .AppendLine("| ---: | ---: | ---: | ---: | ---: | ---: | --- |")
                .AppendLine($"| {m.Charges:N0} | {MemoryResult.MiB(m.DatabaseBytes):N0} MiB | {m.SeedSeconds:0} s ({m.Charges / m.SeedSeconds:N0}/s) | " +
                    $"{MemoryResult.MiB(m.RssAfterReady):0.0} MiB | **{MemoryResult.MiB(m.RssAfterGets):0.0} MiB** | {MemoryResult.MiB(m.PeakRss):0.0} MiB | " +
                    $"< {MemoryResult.TargetMiB:0} MiB {Mark(MemoryResult.MiB(m.RssAfterGets) < MemoryResult.TargetMiB)} |")
                .AppendLine()
                .AppendLine($"Gets: {m.Gets.Successes:N0} signed Get Charge requests of random stored charges over {m.Loops} connections ({m.Gets.Failures} failures, " +
                    $"{m.Gets.RequestsPerSecond:N0}/s, p99 {m.Gets.P99Ms:0.0} ms); ready after {m.ReadyMs:0} ms on this data folder; " +
                    $"{m.SqliteConnections} SQLite connections open to tillpoint.db afterwards.")
                .AppendLine();
        }

        if (Scaling is { } scaling)
        {
            md.AppendLine($"### Scaling (HTTPS, HTTP/1.1, {scaling.Connections} connections, closed loop; {scaling.WarmupSeconds} s warm-up + {scaling.DurationSeconds} s timed per phase; PostgreSQL {scaling.PostgresVersion})")
                .AppendLine()
                .AppendLine("| Store | Nodes | Signed Get Charge req/s | p50 ms | p99 ms | Durable Capture Charge req/s | vs pgbench | p50 ms | p99 ms | Nodes' CPU µs/capture | Database CPU µs/capture | Failures |")
                .AppendLine("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
            foreach (var row in scaling.Rows)
            {
                var database = row.Store == "SQLite" || !scaling.DatabaseCpu ? "–" : $"{row.Capture.DatabaseCpuMicrosPerRequest:N0}";
                md.AppendLine(
                    $"| {row.Store} | {row.Nodes} | **{row.Get.RequestsPerSecond:N0}** | {row.Get.P50Ms:0.00} | {row.Get.P99Ms:0.00} | " +
                    $"**{row.Capture.RequestsPerSecond:N0}** | **{row.Capture.RequestsPerSecond / scaling.PgBenchMean:0.00}×** | {row.Capture.P50Ms:0.00} | {row.Capture.P99Ms:0.00} | " +
                    $"{row.Capture.ServerCpuMicrosPerRequest:N0} | {database} | {row.Get.Failures + row.Capture.Failures} |");
            }

            md.AppendLine()
                .AppendLine($"`pgbench` (TPC-B, {PgBench.Clients} clients, 2 threads, scale {PgBench.Scale}, {scaling.DurationSeconds} s, a database of its own on the same server), before the rows and after them: " +
                    string.Join(" and ", scaling.PgBench.Select(p => $"{p.TransactionsPerSecond:N0} transactions/s" +
                        (p.DatabaseCpuMicrosPerTransaction is { } cpu ? $" ({cpu:N0} µs of database CPU each)" : string.Empty))) +
                    $"; \"vs pgbench\" is the capture rate over their mean, {scaling.PgBenchMean:N0}/s.");

            md.AppendLine()
                .AppendLine("Each row is a fresh store: SQLite in a temporary folder, PostgreSQL a database created for the row and dropped after it. " +
                    "With two nodes every other request goes to each. Captures are of distinct seeded charges with fresh idempotency keys, " +
                    "each acknowledged only once durable. The nodes, PostgreSQL and the load generator share this machine's cores.")
                .AppendLine();
            foreach (var phase in scaling.Rows.SelectMany(r => new[] { r.Get, r.Capture }).Where(p => p.Failures > 0))
            {
                md.AppendLine($"**FAILURES in {phase.Name}: {phase.Failures}.** First: `{string.Join(" | ", phase.FailureSamples).Replace('`', '\'')}`").AppendLine();
            }
        }

        if (Growth is { } growth)
        {
            AppendGrowth(md, growth);
        }

        return md.ToString();
    }

    private static void AppendGrowth(StringBuilder md, GrowthResult growth)
    {
        md.AppendLine($"### Growth (one store grown step by step; HTTPS, HTTP/1.1, {growth.Connections} connections, closed loop; Gets {growth.WarmupSeconds} s warm-up + {growth.DurationSeconds} s, Captures 1 s + {growth.DurationSeconds} s)")
            .AppendLine()
            .AppendLine("| Stored charges | Database | Get req/s | Get p50 ms | Get p99 ms | Server µs/Get | Capture req/s | Capture p50 ms | Capture p99 ms | Server µs/capture | Failures |")
            .AppendLine("| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
        foreach (var step in growth.Steps)
        {
            md.AppendLine(
                $"| {step.StoredCharges:N0} | {MemoryResult.MiB(step.DatabaseBytes):N0} MiB | {step.Get.RequestsPerSecond:N0} | {step.Get.P50Ms:0.00} | {step.Get.P99Ms:0.00} | " +
                $"{step.Get.ServerCpuMicrosPerRequest:N0} | {step.Capture.RequestsPerSecond:N0} | {step.Capture.P50Ms:0.00} | {step.Capture.P99Ms:0.00} | " +
                $"{step.Capture.ServerCpuMicrosPerRequest:N0} | {step.Get.Failures + step.Capture.Failures} |");
        }

        var (first, last) = (growth.Steps[0], growth.Steps[^1]);
        md.AppendLine()
            .AppendLine($"Largest store against smallest: Get p50 {Ratio(last.Get.P50Ms / first.Get.P50Ms)}×, p99 {Ratio(last.Get.P99Ms / first.Get.P99Ms)}× " +
                $"(target ≤ {GrowthResult.TargetRatio:0.0}× {Mark(last.Get.P50Ms <= first.Get.P50Ms * GrowthResult.TargetRatio && last.Get.P99Ms <= first.Get.P99Ms * GrowthResult.TargetRatio)}); " +
                $"Capture p50 {Ratio(last.Capture.P50Ms / first.Capture.P50Ms)}×, p99 {Ratio(last.Capture.P99Ms / first.Capture.P99Ms)}×. " +
                $"Gets cycle through {GrowthBenchmark.DistinctGets:N0} pre-signed requests of charges drawn uniformly over the whole store; each capture takes a charge " +
                "not captured before, drawn the same way. A fresh server is started at each size, on the same data folder.")
            .AppendLine();
    }

    private static void Row(StringBuilder md, PhaseResult p, double ratio, double? target)
    {
        var targetText = target is { } goal ? $"≥ {goal:0.0}× {Mark(ratio >= goal)}" : "baseline";
        md.AppendLine(
            $"| {p.Name}{(p.Failures > 0 ? " ⚠ failures" : string.Empty)} | {p.Successes:N0} | {p.Failures} | {p.RequestsPerSecond:N0} | **{Ratio(ratio)}×** | {targetText} | " +
            $"{p.P50Ms:0.00} | {p.P99Ms:0.00} | {p.ServerCpuMicrosPerRequest:N0} | {p.ClientCpuMicrosPerRequest:N0} | {p.ServerFileBytesPerRequest / 1024:0.0} | {p.MeanBodyBytes:N0} |");
    }

    private static void OpenRow(StringBuilder md, OpenLoopResult p, double? p99Target)
    {
        var targetText = p99Target is { } goal ? $"p99 ≤ {goal:0} ms {Mark(p.P99Ms <= goal)}" : "reference";
        md.AppendLine(
            $"| {p.Name}{(p.Failures > 0 ? " ⚠ failures" : string.Empty)} | {p.TargetRate:N0} | {p.AchievedRate:N0} | {p.Scheduled:N0} | {p.Failures} | " +
            $"{p.P50Ms:0.00} | **{p.P99Ms:0.00}** | {p.P999Ms:0.00} | {p.MaxMs:0.0} | {targetText} | {p.SendLagP99Ms:0.00} | {p.MostInFlight} | {p.ServerCpuMicrosPerRequest:N0} |");
    }

    /// <summary>Two decimals, or three below 0.1 so that a far-off ratio does not round to 0.01.</summary>
    private static string Ratio(double ratio) => ratio.ToString(ratio < 0.1 ? "0.000" : "0.00", CultureInfo.InvariantCulture);

    private static string ReadyTarget(double median, double reference) =>
        $"≤ {ReadyTargetRatio:0.0}× {Mark(median <= reference * ReadyTargetRatio)}; < {ReadyTargetMs:0} ms {Mark(median < ReadyTargetMs)}";

    private static string Mark(bool met) => met ? "met" : "**missed**";

    private static string Runs(IEnumerable<double> values) => string.Join(", ", values.Select(v => v.ToString("0", CultureInfo.InvariantCulture)));

    private static double Spread(double a, double b) => Math.Abs(a - b) / ((a + b) / 2) * 100;
}
