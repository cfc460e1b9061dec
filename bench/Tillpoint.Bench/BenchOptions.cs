using System.Globalization;

namespace Tillpoint.Bench;

/// <summary>The command line of the bench. Every number has a default that finishes <c>all</c> in a few minutes.</summary>
internal sealed record BenchOptions
{
    public const string Usage = """
        Usage: tillpoint-bench [all|throughput|ready|memory|scaling|growth] [options]

          all          throughput, then ready, then memory (the default)
          scaling      signed Get and durable Capture on SQLite (one node) and PostgreSQL (one node, two nodes), one run
          throughput   baseline, signed Get Charge, signed durable Capture Charge, baseline again; ratios to the baseline;
                       then open loop (Poisson arrivals) at half the Get's and the Capture's peak: p50/p99/p99.9
          ready        ms from `tillpoint serve` start to the first 200 from /healthz (fresh and existing data folder)
          memory       RSS of `tillpoint serve` over a store of --charges charges after --memory-gets signed Gets
          growth       signed Gets of random charges and durable Captures as one store grows to each of --sizes charges

        Options:
          --duration SECONDS     timed part of each throughput phase (default 10)
          --warmup SECONDS       untimed load before each throughput phase (default 15: tiered JIT needs ~15 s here)
          --connections N        concurrent connections and request loops (default 32)
          --open-duration SECONDS
                                 timed part of each open-loop phase, after 2 s of warm-up (default 10; 0: none)
          --seed N               seed of the open-loop arrival times (default 1)
          --charges N            charges stored for the memory benchmark (default 1000000)
          --memory-gets N        signed Gets over random charges before reading RSS (default 5000)
          --ready-runs N         timed starts per data-folder kind; the median is reported (default 5)
          --sizes N,N,...        growth: the store sizes, ascending (default 10000,100000,1000000)
          --tillpoint PATH       a prebuilt tillpoint binary; otherwise src/Tillpoint.Server is published as shipped
                                 (Release, ReadyToRun, for this machine's runtime identifier)
          --no-build             use src/Tillpoint.Server/bin/Release/net10.0/RID/publish/tillpoint as it is
          --compare PATH         ready: also start this other tillpoint binary (an earlier build, say) in the same
                                 rounds, on the same data folders, for a before/after side by side
          --markdown FILE        also write the results (Markdown) to FILE
          --keep                 keep the temporary data folders
          --postgres CONNECTION  scaling: a PostgreSQL server where the bench may create (and drop) a database
                                 (default: $TILLPOINT_BENCH_POSTGRES)
        """;

    public string Verb { get; init; } = "all";

    public int DurationSeconds { get; init; } = 10;

    public int WarmupSeconds { get; init; } = 15;

    public int Connections { get; init; } = 32;

    public int OpenDurationSeconds { get; init; } = 10;

    public int Seed { get; init; } = 1;

    public int Charges { get; init; } = 1_000_000;

    public int MemoryGets { get; init; } = 5000;

    public int ReadyRuns { get; init; } = 5;

    /// <summary>growth only: the store sizes measured, ascending.</summary>
    public IReadOnlyList<int> GrowthSizes { get; init; } = [10_000, 100_000, 1_000_000];

    public string? TillpointPath { get; init; }

    public bool NoBuild { get; init; }

    /// <summary>ready only: a second tillpoint binary started in the same rounds.</summary>
    public string? ComparePath { get; init; }

    public string? MarkdownPath { get; init; }

    public bool Keep { get; init; }

    /// <summary>scaling only: the PostgreSQL server to create the bench database on.</summary>
    public string? PostgresConnectionString { get; init; } =
        Environment.GetEnvironmentVariable("TILLPOINT_BENCH_POSTGRES") is { Length: > 0 } value ? value : null;

    /// <summary>baseline-server only: the HTTPS port to listen on.</summary>
    public int Port { get; init; }

    /// <summary>baseline-server only: a plain-HTTP port for /healthz (0: none).</summary>
    public int HttpPort { get; init; }

    /// <summary>baseline-server only: the PFX to serve HTTPS with.</summary>
    public string? CertificatePath { get; init; }

    public bool RunsThroughput => Verb is "all" or "throughput";

    public bool RunsReady => Verb is "all" or "ready";

    public bool RunsMemory => Verb is "all" or "memory";

    public bool RunsScaling => Verb is "scaling";

    public bool RunsGrowth => Verb is "growth";

    /// <summary>Parses the arguments; throws <see cref="ArgumentException"/> with a message for people.</summary>
    public static BenchOptions Parse(IReadOnlyList<string> args)
    {
        var options = new BenchOptions();
        var i = 0;
        if (args.Count > 0 && !args[0].StartsWith("--", StringComparison.Ordinal))
        {
            options = options with { Verb = args[0] };
            i = 1;
        }

        if (options.Verb is not ("all" or "throughput" or "ready" or "memory" or "scaling" or "growth" or "baseline-server"))
        {
            throw new ArgumentException($"Unknown benchmark '{options.Verb}'.");
        }

        for (; i < args.Count; i++)
        {
            var name = args[i];
            options = name switch
            {
                "--duration" => options with { DurationSeconds = Positive(name, Value(args, ref i)) },
                "--warmup" => options with { WarmupSeconds = NonNegative(name, Value(args, ref i)) },
                "--connections" => options with { Connections = Positive(name, Value(args, ref i)) },
                "--open-duration" => options with { OpenDurationSeconds = NonNegative(name, Value(args, ref i)) },
                "--seed" => options with { Seed = NonNegative(name, Value(args, ref i)) },
                "--charges" => options with { Charges = Positive(name, Value(args, ref i)) },
                "--memory-gets" => options with { MemoryGets = Positive(name, Value(args, ref i)) },
                "--ready-runs" => options with { ReadyRuns = Positive(name, Value(args, ref i)) },
                "--sizes" => options with { GrowthSizes = Sizes(name, Value(args, ref i)) },
                "--tillpoint" => options with { TillpointPath = Value(args, ref i) },
                "--no-build" => options with { NoBuild = true },
                "--compare" => options with { ComparePath = Path.GetFullPath(Value(args, ref i)) },
                "--markdown" => options with { MarkdownPath = Value(args, ref i) },
                "--keep" => options with { Keep = true },
                "--postgres" => options with { PostgresConnectionString = Value(args, ref i) },
                "--port" => options with { Port = Positive(name, Value(args, ref i)) },
                "--http-port" => options with { HttpPort = NonNegative(name, Value(args, ref i)) },
                "--certificate" => options with { CertificatePath = Value(args, ref i) },
                _ => throw new ArgumentException($"Unknown option '{name}'."),
            };
        }

        return options;
    }

    private static string Value(IReadOnlyList<string> args, ref int i)
    {
        if (i + 1 >= args.Count)
        {
            throw new ArgumentException($"Option '{args[i]}' needs a value.");
        }

        i++;
        return args[i];
    }

    private static int[] Sizes(string name, string text)
    {
        var sizes = text.Split(',', StringSplitOptions.TrimEntries).Select(size => Positive(name, size)).ToArray();
        return sizes.Zip(sizes.Skip(1)).All(pair => pair.First < pair.Second)
            ? sizes
            : throw new ArgumentException($"{name} takes ascending sizes, such as 10000,100000,1000000.");
    }

    private static int Positive(string name, string text)
    {
        var value = NonNegative(name, text);
        return value > 0 ? value : throw new ArgumentException($"{name} must be positive.");
    }

    private static int NonNegative(string name, string text) =>
        int.TryParse(text.Replace("_", string.Empty, StringComparison.Ordinal), NumberStyles.None, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw new ArgumentException($"{name} takes a whole number, not '{text}'.");
}
