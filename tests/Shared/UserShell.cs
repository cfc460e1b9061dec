using System.Diagnostics;
using System.Globalization;

namespace Tillpoint.Testing;

/// <summary>What one command did: its exit code and what it printed.</summary>
internal sealed record CommandResult(string Command, int ExitCode, string Output, string Error)
{
    public override string ToString() => $"`{Command}` exited with {ExitCode}\n--- stdout\n{Tail(Output)}\n--- stderr\n{Tail(Error)}";

    private static string Tail(string text) => text.Length <= 4000 ? text : "…" + text[^4000..];
}

/// <summary>
/// A command left running in the background: a server the reader starts and leaves running. Its process leads a
/// session of its own, so its id is the process group of everything it started.
/// </summary>
internal sealed record BackgroundCommand(string Command, Process Process, string OutputPath, string ErrorPath);

/// <summary>
/// One bash, as a user's terminal: the commands of a documentation block are typed into it one after another, so
/// variables and <c>export</c>s carry from one to the next exactly as they would for the reader. Each command's output
/// and exit code go to files of their own. A command the reader leaves running (a server) runs in a session of its own,
/// so that stopping it stops everything it started.
/// </summary>
internal sealed class UserShell : IAsyncDisposable
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(50);

    private readonly Process _bash;
    private readonly string _scratch;
    private readonly List<BackgroundCommand> _background = [];
    private int _count;
    private bool _disposed;

    public UserShell(string workingDirectory, IReadOnlyDictionary<string, string> environment)
    {
        WorkingDirectory = workingDirectory;
        _scratch = Directory.CreateTempSubdirectory("tillpoint-shell-").FullName;
        var start = new ProcessStartInfo("bash")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        UserEnvironment.Apply(start.Environment, environment);
        _bash = Process.Start(start) ?? throw new InvalidOperationException("bash did not start.");
        _bash.StandardInput.AutoFlush = true;
        _bash.OutputDataReceived += (_, _) => { };
        _bash.ErrorDataReceived += (_, _) => { };
        _bash.BeginOutputReadLine();
        _bash.BeginErrorReadLine();
    }

    public string WorkingDirectory { get; }

    /// <summary>Types <paramref name="command"/> and waits for it to finish.</summary>
    public async Task<CommandResult> RunAsync(string command, TimeSpan timeout)
    {
        var n = ++_count;
        var (output, error, exit) = Paths(n);
        var script = Path.Combine(_scratch, $"{n}.sh");
        await File.WriteAllTextAsync(script, command + "\n");
        // Sourced, not run: a command may set variables or export them for the next one, as in a terminal.
        await _bash.StandardInput.WriteLineAsync($"source {Quote(script)} </dev/null >{Quote(output)} 2>{Quote(error)}; echo $? >{Quote(exit)}.tmp; mv {Quote(exit)}.tmp {Quote(exit)}");
        var code = await WaitForExitCodeAsync(exit, timeout, command);
        return new CommandResult(command, code, await File.ReadAllTextAsync(output), await File.ReadAllTextAsync(error));
    }

    /// <summary>
    /// Runs <paramref name="command"/> in the background with this shell's exported variables and current directory, as
    /// a reader starts a server in a second terminal. It runs in a session of its own (setsid), so that stopping it stops
    /// all it started (<c>dotnet run</c> and its child); it is started from here rather than with <c>&amp;</c>, which
    /// would make it ignore Ctrl+C.
    /// </summary>
    public async Task<BackgroundCommand> StartAsync(string command)
    {
        var n = ++_count;
        var (output, error, _) = Paths(n);
        var environment = Path.Combine(_scratch, $"{n}.env");
        var directory = Path.Combine(_scratch, $"{n}.pwd");
        var saved = await RunAsync($"export -p >{Quote(environment)}; pwd >{Quote(directory)}", TimeSpan.FromSeconds(30));
        Assert.True(saved.ExitCode == 0, saved.ToString());
        var script = Path.Combine(_scratch, $"{n}.sh");
        // The trap defers the shell's own end to the command's, so the exit code reported is the command's.
        await File.WriteAllTextAsync(
            script,
            $"source {Quote(environment)}\ncd {Quote((await File.ReadAllTextAsync(directory)).TrimEnd('\n'))}\nexec </dev/null >{Quote(output)} 2>{Quote(error)}\ntrap : TERM INT\n{command}\n");
        var process = Process.Start(new ProcessStartInfo("setsid", ["bash", script]) { UseShellExecute = false })
            ?? throw new InvalidOperationException($"`{command}` did not start.");
        var started = new BackgroundCommand(command, process, output, error);
        _background.Add(started);
        return started;
    }

    /// <summary>The background command's exit code, or null while it runs.</summary>
    public static int? ExitCodeOf(BackgroundCommand command) => command.Process.HasExited ? command.Process.ExitCode : null;

    /// <summary>
    /// Stops the command as a service manager stops a main process, with SIGTERM to the command alone (not its whole
    /// group), and waits for it to end. Under <c>dotnet run</c> the program then gets the signal once, forwarded; sent to
    /// the group it got it twice, and a second one landing after the program's handler was gone ended it with 143. Ctrl+C
    /// is no way either: a shell without job control starts its commands with SIGINT ignored, for good.
    /// </summary>
    public async Task<CommandResult> StopAsync(BackgroundCommand command, TimeSpan timeout)
    {
        _background.Remove(command);
        if (!command.Process.HasExited)
        {
            foreach (var child in ChildrenOf(command.Process.Id))
            {
                Signal(child.ToString(CultureInfo.InvariantCulture), "TERM");
            }
        }

        using var wait = new CancellationTokenSource(timeout);
        try
        {
            await command.Process.WaitForExitAsync(wait.Token);
        }
        catch (OperationCanceledException)
        {
            Signal("-" + command.Process.Id.ToString(CultureInfo.InvariantCulture), "KILL");
            throw new TimeoutException($"`{command.Command}` did not stop within {timeout.TotalSeconds:0} s of the signal.");
        }

        var result = await OutputSoFarAsync(command);
        command.Process.Dispose();
        return result;
    }

    /// <summary>
    /// Waits until <paramref name="url"/> answers with a success status while the command runs, and, when
    /// <paramref name="isItsOwn"/> is given, until its output shows the answer came from it rather than from something
    /// else on the port.
    /// </summary>
    public static async Task WaitUntilAnswersAsync(BackgroundCommand command, Uri url, TimeSpan timeout, Func<string, bool>? isItsOwn = null)
    {
        using var http = new HttpClient(new SocketsHttpHandler
        {
            // A first start generates a self-signed certificate; the reader's curl -k does the same. Only this
            // readiness check is asked.
#pragma warning disable CA5359
            SslOptions = { RemoteCertificateValidationCallback = (_, _, _, _) => true },
#pragma warning restore CA5359
        })
        {
            Timeout = TimeSpan.FromSeconds(5),
        };
        var waited = Stopwatch.StartNew();
        while (true)
        {
            if (ExitCodeOf(command) is not null)
            {
                Assert.Fail($"It ended before {url} answered: {await OutputSoFarAsync(command)}");
            }

            try
            {
                using var response = await http.GetAsync(url);
                if (response.IsSuccessStatusCode && (isItsOwn is null || isItsOwn((await OutputSoFarAsync(command)).Output)))
                {
                    return;
                }
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                // Not listening, or not answering, yet.
            }

            if (waited.Elapsed > timeout)
            {
                Assert.Fail($"No answer from {url} after {timeout.TotalSeconds:0} s: {await OutputSoFarAsync(command)}");
            }

            await Task.Delay(TimeSpan.FromMilliseconds(100));
        }
    }

    public static async Task<CommandResult> OutputSoFarAsync(BackgroundCommand command) =>
        new(command.Command, ExitCodeOf(command) ?? -1, await File.ReadAllTextAsync(command.OutputPath), await File.ReadAllTextAsync(command.ErrorPath));

    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        foreach (var left in _background)
        {
            Signal("-" + left.Process.Id.ToString(CultureInfo.InvariantCulture), "KILL");
            left.Process.Dispose();
        }

        _bash.StandardInput.Close();
        if (!_bash.WaitForExit(TimeSpan.FromSeconds(10)))
        {
            _bash.Kill(entireProcessTree: true);
        }

        _bash.Dispose();
        try
        {
            Directory.Delete(_scratch, recursive: true);
        }
        catch (IOException)
        {
            // A temp folder; a file still open is no reason to fail the test.
        }

        await Task.CompletedTask;
    }

    /// <summary>The processes the script's shell started: the command (the shell waits on it, so it never replaces itself).</summary>
    private static IEnumerable<int> ChildrenOf(int pid)
    {
        var path = $"/proc/{pid}/task/{pid}/children";
        return File.Exists(path)
            ? File.ReadAllText(path).Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(id => int.Parse(id, CultureInfo.InvariantCulture))
            : [];
    }

    /// <summary>Sends <paramref name="signal"/> to a process, or to a process group when <paramref name="target"/> is "-" and its id.</summary>
    private static void Signal(string target, string signal)
    {
        using var kill = Process.Start(new ProcessStartInfo("kill", ["-" + signal, "--", target])
        {
            RedirectStandardError = true,
            UseShellExecute = false,
        });
        kill?.WaitForExit();
    }

    private async Task<int> WaitForExitCodeAsync(string exitPath, TimeSpan timeout, string command)
    {
        var elapsed = Stopwatch.StartNew();
        while (!File.Exists(exitPath))
        {
            if (elapsed.Elapsed > timeout || _bash.HasExited)
            {
                throw new TimeoutException($"`{command}` did not finish within {timeout.TotalSeconds:0} s.");
            }

            await Task.Delay(PollInterval);
        }

        return int.Parse((await File.ReadAllTextAsync(exitPath)).Trim(), CultureInfo.InvariantCulture);
    }

    private (string Output, string Error, string Exit) Paths(int n) =>
        (Path.Combine(_scratch, $"{n}.out"), Path.Combine(_scratch, $"{n}.err"), Path.Combine(_scratch, $"{n}.exit"));

    private static string Quote(string path) => "'" + path.Replace("'", "'\\''", StringComparison.Ordinal) + "'";
}

/// <summary><c>tillpoint</c> on a user's PATH.</summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
internal static class TillpointOnThePath
{
    /// <summary>
    /// Makes <paramref name="folder"/> hold a <c>tillpoint</c> that runs <paramref name="program"/> (this build's server,
    /// the same program the .NET tool installs) and returns its full path.
    /// </summary>
    public static string Create(string folder, string program)
    {
        var bin = Directory.CreateDirectory(folder).FullName;
        var tool = Path.Combine(bin, "tillpoint");
        File.WriteAllText(tool, $"#!/bin/sh\nexec {program} \"$@\"\n");
        File.SetUnixFileMode(tool, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        return bin;
    }
}

/// <summary>The environment a user's shell starts with: the test runner's, less what would steer a command elsewhere.</summary>
internal static class UserEnvironment
{
    public static void Apply(IDictionary<string, string?> target, IReadOnlyDictionary<string, string> overrides)
    {
        foreach (var name in target.Keys.ToList())
        {
            // The test host's MSBuild settings would steer a nested `dotnet build`; a developer's own Tillpoint, shop
            // and ASP.NET settings would steer the commands away from the documented defaults (the test-only ones stay).
            if (name.StartsWith("MSBUILD", StringComparison.OrdinalIgnoreCase)
                || name.StartsWith("VSTEST", StringComparison.OrdinalIgnoreCase)
                || name.StartsWith("SHOP_", StringComparison.Ordinal)
                || name.StartsWith("ASPNETCORE_", StringComparison.Ordinal)
                || (name.StartsWith("TILLPOINT_", StringComparison.Ordinal) && !name.StartsWith("TILLPOINT_TEST_", StringComparison.Ordinal)))
            {
                target.Remove(name);
            }
        }

        foreach (var (name, value) in overrides)
        {
            target[name] = value;
        }
    }
}
