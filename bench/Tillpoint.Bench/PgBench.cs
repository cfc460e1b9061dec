using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using Npgsql;

namespace Tillpoint.Bench;

/// <summary>One <c>pgbench</c> TPC-B run: transactions/s, and the PostgreSQL server's CPU per transaction when it could be read.</summary>
internal sealed record PgBenchResult(int Clients, int Scale, double TransactionsPerSecond, double? DatabaseCpuMicrosPerTransaction);

/// <summary>
/// PostgreSQL's own benchmark, TPC-B-like (<c>pgbench</c>), on a database of its own on the same server, as the measure of
/// what this machine's PostgreSQL commits per second; the scaling rows are read against it.
/// </summary>
internal static partial class PgBench
{
    public const int Clients = 8;

    // One branch per client, so that the clients do not all queue on one branch row (TPC-B updates its branch's balance).
    public const int Scale = 8;

    public static async Task<PgBenchResult> RunAsync(string server, TimeSpan duration, PostgresServerCpu? cpu)
    {
        var builder = new NpgsqlConnectionStringBuilder(server);
        var database = "tillpoint_pgbench_" + Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(6));
        await ScalingBenchmark.ExecuteAsync(server, $"CREATE DATABASE {database}");
        try
        {
            await RunPgBenchAsync(builder, database, ["-i", "-q", "-s", Scale.ToString(CultureInfo.InvariantCulture)]);
            var before = cpu?.Read();
            var output = await RunPgBenchAsync(
                builder, database,
                ["-c", Clients.ToString(CultureInfo.InvariantCulture), "-j", "2", "-T", ((int)duration.TotalSeconds).ToString(CultureInfo.InvariantCulture)]);
            var after = cpu?.Read();
            var match = TpsLine().Match(output);
            var tps = match.Success
                ? double.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture)
                : throw new InvalidOperationException($"pgbench printed no tps line:\n{output}");
            var transactions = TransactionsLine().Match(output) is { Success: true } t ? long.Parse(t.Groups[1].Value, CultureInfo.InvariantCulture) : 0;
            double? cpuPerTransaction = before is { } b && after is { } a && transactions > 0 ? (a - b).TotalMicroseconds / transactions : null;
            return new PgBenchResult(Clients, Scale, tps, cpuPerTransaction);
        }
        finally
        {
            await ScalingBenchmark.ExecuteAsync(server, $"DROP DATABASE IF EXISTS {database} WITH (FORCE)");
        }
    }

    /// <summary><c>pgbench</c> on PATH, else the newest under /usr/lib/postgresql (Debian's layout).</summary>
    public static string Locate()
    {
        var debian = Directory.Exists("/usr/lib/postgresql")
            ? Directory.GetDirectories("/usr/lib/postgresql")
                .Select(d => Path.Combine(d, "bin", "pgbench"))
                .Where(File.Exists)
                .OrderByDescending(p => int.TryParse(Path.GetFileName(Path.GetDirectoryName(Path.GetDirectoryName(p))), out var v) ? v : 0)
                .FirstOrDefault()
            : null;
        var onPath = (Environment.GetEnvironmentVariable("PATH") ?? string.Empty)
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(d => Path.Combine(d, "pgbench"))
            .FirstOrDefault(File.Exists);
        return onPath ?? debian ?? throw new InvalidOperationException("scaling needs pgbench (PostgreSQL's client tools) on PATH.");
    }

    private static async Task<string> RunPgBenchAsync(NpgsqlConnectionStringBuilder server, string database, string[] arguments)
    {
        var info = new ProcessStartInfo(Locate())
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        info.ArgumentList.Add(database);
        info.Environment["PGHOST"] = server.Host;
        info.Environment["PGPORT"] = server.Port.ToString(CultureInfo.InvariantCulture);
        info.Environment["PGUSER"] = server.Username ?? Environment.UserName;
        if (server.Password is { } password)
        {
            info.Environment["PGPASSWORD"] = password;
        }

        using var process = Process.Start(info) ?? throw new InvalidOperationException("pgbench did not start.");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"pgbench {string.Join(' ', arguments)} failed ({process.ExitCode}): {await stderr}");
        }

        return await stdout + await stderr;
    }

    [GeneratedRegex(@"tps = ([0-9.]+) \(without initial connection time\)")]
    private static partial Regex TpsLine();

    [GeneratedRegex(@"number of transactions actually processed: ([0-9]+)")]
    private static partial Regex TransactionsLine();
}

/// <summary>
/// The CPU time of a PostgreSQL server on this machine: its postmaster's, its live processes' and that of the ones that
/// exited (the postmaster's children's time), from /proc. Found through the server's data directory, so it needs the
/// server to be local and its postmaster.pid readable; null otherwise.
/// </summary>
internal sealed class PostgresServerCpu(int postmaster)
{
    private static readonly double TicksPerSecond = 100; // USER_HZ on Linux

    public static async Task<PostgresServerCpu?> FindAsync(string server)
    {
        try
        {
            await using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(server) { Pooling = false }.ConnectionString);
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand("SHOW data_directory", connection);
            var directory = (string)(await command.ExecuteScalarAsync())!;
            var pid = int.Parse((await File.ReadAllLinesAsync(Path.Combine(directory, "postmaster.pid")))[0], CultureInfo.InvariantCulture);
            var cpu = new PostgresServerCpu(pid);
            _ = cpu.Read();
            return cpu;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or NpgsqlException or FormatException or IndexOutOfRangeException)
        {
            return null;
        }
    }

    public TimeSpan Read()
    {
        var ticks = Fields(postmaster) is { } own ? own.User + own.System + own.ChildrenUser + own.ChildrenSystem : 0;
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (int.TryParse(Path.GetFileName(directory), out var pid) && pid != postmaster && Fields(pid) is { } child && child.Parent == postmaster)
            {
                ticks += child.User + child.System;
            }
        }

        return TimeSpan.FromSeconds(ticks / TicksPerSecond);
    }

    private static (int Parent, long User, long System, long ChildrenUser, long ChildrenSystem)? Fields(int pid)
    {
        string stat;
        try
        {
            stat = File.ReadAllText($"/proc/{pid}/stat");
        }
        catch (IOException)
        {
            return null;
        }

        // The command name is in parentheses and may hold spaces; the fields after it are space-separated.
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        long Field(int number) => long.Parse(fields[number - 3], CultureInfo.InvariantCulture);
        return ((int)Field(4), Field(14), Field(15), Field(16), Field(17));
    }
}
