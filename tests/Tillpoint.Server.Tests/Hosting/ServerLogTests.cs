using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Tillpoint.Server.Cli;
using Tillpoint.Server.Hosting;

namespace Tillpoint.Server.Tests.Hosting;

/// <summary>
/// <c>tillpoint serve</c> as a real process, its output redirected as a log collector or a test sees it: a start that
/// fails says why in one line with the documented exit code, and the log is valid JSON or readable text as asked.
/// </summary>
public sealed partial class ServerLogTests
{
    private static readonly TimeSpan ProcessTimeout = TimeSpan.FromSeconds(30);

    public static TheoryData<string, string[], int, string> FailedStarts() => new()
    {
        { "port in use", ["--urls", "http://127.0.0.1:{port}"], ExitCodes.Failure, "tillpoint could not start: Failed to bind to address http://127.0.0.1:{port}: address already in use." },
        { "port in use, text log", ["--urls", "http://127.0.0.1:{port}", "--log-format", "text"], ExitCodes.Failure, "tillpoint could not start: Failed to bind to address http://127.0.0.1:{port}: address already in use." },
        { "unreachable database", ["--urls", "http://127.0.0.1:0", "--store", "postgres", "--connection-string", "Host=127.0.0.1;Port={closed};Username=tillpoint;Database=tillpoint"], ExitCodes.StoreUnavailable, "tillpoint could not start: Failed to connect to 127.0.0.1:{closed}" },
        { "missing certificate file", ["--urls", "https://127.0.0.1:0", "--certificate", "{data}/missing.pfx"], ExitCodes.Failure, "tillpoint could not start: The certificate file {data}/missing.pfx does not exist." },
    };

    [Theory]
    [MemberData(nameof(FailedStarts))]
    public async Task Serve_ThatCannotStart_SaysWhyInOneLine_WithoutStackTraceOrCritical(string why, string[] args, int exitCode, string message)
    {
        // A port in use (a listening socket nobody answers on), and one nobody listens on (no database there).
        using var occupied = new TcpListener(IPAddress.Loopback, 0);
        occupied.Start();
        var port = ((IPEndPoint)occupied.LocalEndpoint).Port.ToString(CultureInfo.InvariantCulture);
        var free = new TcpListener(IPAddress.Loopback, 0);
        free.Start();
        var closed = ((IPEndPoint)free.LocalEndpoint).Port.ToString(CultureInfo.InvariantCulture);
        free.Stop();
        var data = Directory.CreateTempSubdirectory("tillpoint-log-").FullName;
        try
        {
            string Fill(string text) => text.Replace("{port}", port, StringComparison.Ordinal)
                .Replace("{closed}", closed, StringComparison.Ordinal).Replace("{data}", data, StringComparison.Ordinal);

            var (exit, output, error) = await RunToExitAsync(["serve", "--data-dir", data, .. args.Select(Fill)]);

            var all = output + error;
            Assert.True(exit == exitCode, $"{why}: exit code {exit}, expected {exitCode}; output: {all}");
            Assert.Equal([$"error: {Fill(message)}"], error.Split('\n', StringSplitOptions.RemoveEmptyEntries).Where(l => l.Contains("could not start", StringComparison.Ordinal)));
            Assert.DoesNotMatch(StackFrame(), all);
            Assert.DoesNotContain("Critical", all, StringComparison.Ordinal);
            Assert.DoesNotContain("crit ", all, StringComparison.Ordinal);
            Assert.DoesNotContain("Exception", all, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(data, recursive: true);
        }
    }

    [Fact]
    public async Task Serve_WithOutputRedirected_LogsJson_WithIsoTimestamps()
    {
        var line = await FirstLogLineAsync([]);

        using var json = JsonDocument.Parse(line);
        var timestamp = json.RootElement.GetProperty("Timestamp").GetString()!;
        Assert.True(
            DateTimeOffset.TryParseExact(timestamp, "yyyy-MM-dd'T'HH:mm:ss.fffK", CultureInfo.InvariantCulture, DateTimeStyles.None, out var parsed),
            $"'{timestamp}' is not an ISO 8601 time");
        Assert.Equal(TimeSpan.Zero, parsed.Offset);
        Assert.Equal("Information", json.RootElement.GetProperty("LogLevel").GetString());
        Assert.StartsWith("Now listening on: http://127.0.0.1:", json.RootElement.GetProperty("Message").GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("option")]
    [InlineData("environment")]
    public async Task Serve_AskedForText_LogsOneReadableLinePerEvent(string how)
    {
        var line = how == "option"
            ? await FirstLogLineAsync(["--log-format", "text"])
            : await FirstLogLineAsync([], environmentFormat: "text");

        Assert.Matches(TextLine(), line);
        Assert.Contains(" info Lifetime: Now listening on: http://127.0.0.1:", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Serve_WithAnUnknownLogFormat_IsAUsageError()
    {
        using var output = new StringWriter();
        using var error = new StringWriter();

        var exit = await TillpointCli.RunAsync(["serve", "--log-format", "xml"], output, error);

        Assert.Equal(ExitCodes.Usage, exit);
        Assert.Equal("error: --log-format (or TILLPOINT_LOG_FORMAT) must be text or json.", error.ToString().Trim());
    }

    [Fact]
    public void TextLog_OfAnError_IsOneLine_NamingTheExceptions_WithoutTheStackTrace()
    {
        Exception thrown;
        try
        {
            throw new InvalidOperationException("outer", new IOException("disk\nfull"));
        }
        catch (InvalidOperationException e)
        {
            thrown = e;
        }

        using var text = new StringWriter();
        new TextLogFormatter { Colours = false }.Write(
            new LogEntry<string>(LogLevel.Error, "Tillpoint.Server.Ipn.IpnDispatcher", new EventId(1), "Dispatch failed", thrown, (state, _) => state),
            scopeProvider: null,
            text);

        var line = text.ToString();
        Assert.Single(line.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Matches(TextLine(), line.TrimEnd('\n'));
        Assert.EndsWith(" fail IpnDispatcher: Dispatch failed (InvalidOperationException: outer <- IOException: disk full)\n", line, StringComparison.Ordinal);
    }

    /// <summary>"   at Namespace.Type.Method(…)": a line of a .NET stack trace.</summary>
    [GeneratedRegex(@"^\s+at \S+\(", RegexOptions.Multiline)]
    private static partial Regex StackFrame();

    /// <summary>"12:03:51.670 info Lifetime: …": time, level, short category, message.</summary>
    [GeneratedRegex(@"^\d\d:\d\d:\d\d\.\d{3} (trce|dbug|info|warn|fail|crit) [A-Za-z0-9_]+: \S.*$")]
    private static partial Regex TextLine();

    private static ProcessStartInfo Serve(IEnumerable<string> args, string? environmentFormat = null)
    {
        var start = new ProcessStartInfo("dotnet", [Path.Combine(AppContext.BaseDirectory, "tillpoint.dll"), .. args])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        // Only what the test says: the suite's own store settings must not leak into these processes.
        foreach (var name in start.Environment.Keys.Where(k => k.StartsWith("TILLPOINT_", StringComparison.Ordinal)).ToList())
        {
            start.Environment.Remove(name);
        }

        if (environmentFormat is not null)
        {
            start.Environment["TILLPOINT_LOG_FORMAT"] = environmentFormat;
        }

        return start;
    }

    private static async Task<(int ExitCode, string Output, string Error)> RunToExitAsync(IEnumerable<string> args)
    {
        using var process = Process.Start(Serve(args)) ?? throw new InvalidOperationException("dotnet could not be started.");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(ProcessTimeout);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        return (process.ExitCode, await output, await error);
    }

    /// <summary>Starts a server on a free port and returns the first line it logs ("Now listening on …"), then stops it.</summary>
    private static async Task<string> FirstLogLineAsync(string[] args, string? environmentFormat = null)
    {
        var data = Directory.CreateTempSubdirectory("tillpoint-log-").FullName;
        var first = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        var errors = new System.Text.StringBuilder();
        using var process = Process.Start(Serve(["serve", "--data-dir", data, "--urls", "http://127.0.0.1:0", .. args], environmentFormat))
            ?? throw new InvalidOperationException("dotnet could not be started.");
        process.OutputDataReceived += (_, line) => first.TrySetResult(line.Data ?? "(end of output)");
        process.ErrorDataReceived += (_, line) =>
        {
            lock (errors)
            {
                errors.AppendLine(line.Data);
            }
        };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            return await first.Task.WaitAsync(ProcessTimeout);
        }
        catch (TimeoutException)
        {
            lock (errors)
            {
                throw new TimeoutException($"serve logged nothing within {ProcessTimeout}; stderr: {errors}");
            }
        }
        finally
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
            Directory.Delete(data, recursive: true);
        }
    }
}
