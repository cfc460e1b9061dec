using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Tillpoint.Bench;

/// <summary>
/// A server child process (tillpoint or the baseline) with its output drained into a short ring buffer for error
/// messages. Disposing stops it: SIGTERM, then SIGKILL if it has not exited within a few seconds.
/// </summary>
internal sealed class ServerProcess : IAsyncDisposable
{
    private const int KeptOutputLines = 40;

    // Servers still running when the bench exits (Ctrl+C, a crash) are killed rather than left behind.
    private static readonly ConcurrentDictionary<int, Process> Running = new();

    private readonly Process _process;
    private readonly ConcurrentQueue<string> _output = new();

    static ServerProcess()
    {
        AppDomain.CurrentDomain.ProcessExit += (_, _) => KillAll();
    }

    private ServerProcess(Process process, long startedAt)
    {
        _process = process;
        StartedAt = startedAt;
    }

    /// <summary>The <see cref="Stopwatch"/> timestamp taken just before the process was started.</summary>
    public long StartedAt { get; }

    public int Id => _process.Id;

    public bool HasExited => _process.HasExited;

    /// <summary>User plus system CPU time the process has used so far.</summary>
    public TimeSpan CpuTime => CpuTimeOf(_process);

    public static TimeSpan CpuTimeOf(Process process)
    {
        process.Refresh();
        return process.TotalProcessorTime;
    }

    /// <summary>
    /// Bytes the process has passed to write and pwrite so far (<c>wchar</c> in <c>/proc/PID/io</c>): its database, WAL,
    /// journals and logs. Socket sends do not count, so the bare baseline stays near zero. 0 where /proc is missing.
    /// </summary>
    public long FileBytesWritten
    {
        get
        {
            try
            {
                foreach (var line in File.ReadLines($"/proc/{_process.Id}/io"))
                {
                    if (line.StartsWith("wchar:", StringComparison.Ordinal))
                    {
                        return long.Parse(line.AsSpan("wchar:".Length).Trim(), System.Globalization.CultureInfo.InvariantCulture);
                    }
                }
            }
            catch (IOException)
            {
            }
            catch (UnauthorizedAccessException)
            {
            }

            return 0;
        }
    }

    /// <summary>
    /// Starts a server in <paramref name="workingDirectory"/>. It matters: ASP.NET's default content root is the working
    /// directory, and its configuration reload watches that whole tree (one inotify watch per folder on Linux).
    /// </summary>
    public static ServerProcess Start(string fileName, IEnumerable<string> arguments, string workingDirectory)
    {
        var info = new ProcessStartInfo(fileName)
        {
            WorkingDirectory = workingDirectory,
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = false,
        };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        var process = new Process { StartInfo = info };
        var startedAt = Stopwatch.GetTimestamp();
        if (!process.Start())
        {
            process.Dispose();
            throw new InvalidOperationException($"Could not start {fileName}.");
        }

        Running[process.Id] = process;
        var server = new ServerProcess(process, startedAt);
        process.OutputDataReceived += (_, e) => server.Keep(e.Data);
        process.ErrorDataReceived += (_, e) => server.Keep(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return server;
    }

    /// <summary>Polls <paramref name="url"/> every 2 ms until it answers 200; returns the time since the process started.</summary>
    public Task<TimeSpan> WaitReadyAsync(HttpClient client, Uri url, TimeSpan timeout) =>
        WaitReadyAsync(client, () => new HttpRequestMessage(HttpMethod.Get, url), timeout);

    /// <summary>
    /// Sends the request <paramref name="request"/> makes every 2 ms until one is answered with 200; returns the time since
    /// the process started.
    /// </summary>
    public async Task<TimeSpan> WaitReadyAsync(HttpClient client, Func<HttpRequestMessage> request, TimeSpan timeout)
    {
        while (true)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException(
                    $"The server exited with code {_process.ExitCode} before it was ready. Its last output:\n{RecentOutput()}");
            }

            try
            {
                using var message = request();
                using var response = await client.SendAsync(message);
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return Stopwatch.GetElapsedTime(StartedAt);
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            catch (TaskCanceledException)
            {
                // The poll timed out; try again.
            }

            if (Stopwatch.GetElapsedTime(StartedAt) > timeout)
            {
                throw new TimeoutException($"The server was not ready after {timeout.TotalSeconds:0} s. Its last output:\n{RecentOutput()}");
            }

            await Task.Delay(2);
        }
    }

    /// <summary>VmRSS and VmHWM of the process in bytes, from /proc.</summary>
    public (long Rss, long PeakRss) ReadMemory()
    {
        long rss = 0, peak = 0;
        foreach (var line in File.ReadLines($"/proc/{_process.Id}/status"))
        {
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
            {
                rss = KilobytesOf(line) * 1024;
            }
            else if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
            {
                peak = KilobytesOf(line) * 1024;
            }
        }

        return (rss, peak);
    }

    /// <summary>How many open file descriptors of the process point at <paramref name="fileName"/> (e.g. SQLite connections).</summary>
    public int CountOpenFiles(string fileName)
    {
        var count = 0;
        foreach (var fd in Directory.EnumerateFileSystemEntries($"/proc/{_process.Id}/fd"))
        {
            try
            {
                if (new FileInfo(fd).LinkTarget is { } target && Path.GetFileName(target) == fileName)
                {
                    count++;
                }
            }
            catch (IOException)
            {
                // Closed while we looked.
            }
        }

        return count;
    }

    public string RecentOutput() => string.Join('\n', _output);

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited)
            {
                using (var term = Process.Start("kill", ["-TERM", _process.Id.ToString(CultureInfo.InvariantCulture)]))
                {
                    await term.WaitForExitAsync();
                }

                using var graceful = new CancellationTokenSource(TimeSpan.FromSeconds(5));
                try
                {
                    await _process.WaitForExitAsync(graceful.Token);
                }
                catch (OperationCanceledException)
                {
                    _process.Kill();
                    await _process.WaitForExitAsync();
                }
            }
        }
        finally
        {
            Running.TryRemove(_process.Id, out _);
            _process.Dispose();
        }
    }

    /// <summary>A TCP port on 127.0.0.1 that was free a moment ago.</summary>
    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    /// <summary>Kills every server this bench started that is still running, and waits briefly for them to go.</summary>
    public static void KillAll()
    {
        foreach (var process in Running.Values)
        {
            try
            {
                process.Kill();
                process.WaitForExit(2000);
            }
            catch (InvalidOperationException)
            {
                // Already gone.
            }
        }
    }

    private static long KilobytesOf(string line) =>
        long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture);

    private void Keep(string? line)
    {
        if (line is null)
        {
            return;
        }

        _output.Enqueue(line);
        while (_output.Count > KeptOutputLines && _output.TryDequeue(out _))
        {
        }
    }
}
