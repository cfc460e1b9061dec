using System.Diagnostics;
using System.Globalization;

namespace Tillpoint.Docs.Tests.Support;

/// <summary>What one command did: its exit code and what it printed.</summary>
public sealed record CommandResult(string Command, int ExitCode, string Output, string Error)
{
    public override string ToString() => $"`{Command}` exited with {ExitCode}\n--- stdout\n{Tail(Output)}\n--- stderr\n{Tail(Error)}";

    private static string Tail(string text) => text.Length <= 4000 ? text : "…" + text[^4000..];
}

/// <summary>
/// A command left running in the background: a server the reader starts and leaves running. Its process leads a
/// session of its own, so its id is the process group of everything it started.
/// </summary>
public sealed record BackgroundCommand(string Command, Process Process, string OutputPath, string ErrorPath);

/// <summary>
/// One bash, as a user's terminal: the commands of a documentation block are typed into it one after another, so
/// variables and <c>export</c>s carry from one to the next exactly as they would for the reader. Each command's output
/// and exit code go to files of their own. A command the reader leaves running (a server) runs in a session of its own,
/// so that stopping it stops everything it started.
/// </summary>
public sealed class UserShell : IAsyncDisposable
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(50);

    private readonly Process _bash;
    private readonly string _scratch;
    private readonly List<BackgroundCommand> _background = [];
    private int _count;

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
    /// Stops the command as a service manager does, with SIGTERM to its whole session (<c>dotnet run</c> passes it on to
    /// the program), and waits for it to end.
    /// </summary>
    public async Task<CommandResult> StopAsync(BackgroundCommand command, TimeSpan timeout)
    {
        _background.Remove(command);
        if (!command.Process.HasExited)
        {
            Signal(command.Process.Id, "TERM");
        }

        using var wait = new CancellationTokenSource(timeout);
        try
        {
            await command.Process.WaitForExitAsync(wait.Token);
        }
        catch (OperationCanceledException)
        {
            Signal(command.Process.Id, "KILL");
            throw new TimeoutException($"`{command.Command}` did not stop within {timeout.TotalSeconds:0} s of the signal.");
        }

        var result = await OutputSoFarAsync(command);
        command.Process.Dispose();
        return result;
    }

    public static async Task<CommandResult> OutputSoFarAsync(BackgroundCommand command) =>
        new(command.Command, ExitCodeOf(command) ?? -1, await File.ReadAllTextAsync(command.OutputPath), await File.ReadAllTextAsync(command.ErrorPath));

    public async ValueTask DisposeAsync()
    {
        foreach (var left in _background)
        {
            Signal(left.Process.Id, "KILL");
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

    private static void Signal(int processGroup, string signal)
    {
        using var kill = Process.Start(new ProcessStartInfo("kill", ["-" + signal, "--", "-" + processGroup.ToString(CultureInfo.InvariantCulture)])
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
