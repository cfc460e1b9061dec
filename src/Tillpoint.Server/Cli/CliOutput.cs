using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Spectre.Console;

namespace Tillpoint.Server.Cli;

internal static partial class TillpointCli
{
    /// <summary>The output of the verb running now, for <see cref="Table"/>, whose signature cannot carry it.</summary>
    private static readonly AsyncLocal<CliOutput?> CurrentOutput = new();

    /// <summary>
    /// A table: boxed and coloured on an interactive terminal, plain columns separated by two spaces otherwise (when
    /// redirected, under <c>NO_COLOR</c>, in tests), which is what <c>grep</c>, <c>awk</c> and <c>cut</c> want.
    /// </summary>
    private static string Table(string[] header, IEnumerable<string[]> rows)
    {
        var all = rows.ToList();
        if (CurrentOutput.Value is { Rich: true })
        {
            return CliOutput.RenderRich(header, all);
        }

        all.Insert(0, header);
        var widths = header.Select((_, i) => all.Max(r => r[i].Length)).ToArray();
        return string.Join('\n', all.Select(r => string.Join("  ", r.Select((cell, i) => cell.PadRight(widths[i]))).TrimEnd()));
    }

    /// <summary>
    /// Where a verb writes, and the clock it stamps records with. Data goes to <see cref="Out"/> and nothing else does;
    /// errors, progress and notes go to <see cref="Error"/>.
    /// </summary>
    private sealed class CliOutput(TextWriter output, TextWriter error, TimeProvider clock)
    {
        public TimeProvider Clock => clock;

        public TextWriter Out => output;

        public TextWriter Error => error;

        /// <summary>Whether the command line asked for JSON: errors are then JSON too, <c>{"error":…,"code":…}</c>.</summary>
        public bool Json { get; set; }

        /// <summary>Colour and boxes on stdout: only on a real terminal, and never under NO_COLOR or TERM=dumb.</summary>
        public bool Rich => ReferenceEquals(output, Console.Out) && !Console.IsOutputRedirected && ColoursAllowed;

        /// <summary>Live progress on stderr: only when a person watches it.</summary>
        public bool Interactive => ReferenceEquals(error, Console.Error) && !Console.IsErrorRedirected
            && Environment.GetEnvironmentVariable("TERM") is not "dumb";

        private static bool ColoursAllowed =>
            Environment.GetEnvironmentVariable("NO_COLOR") is null or "" && Environment.GetEnvironmentVariable("TERM") is not "dumb";

        public void Print<T>(bool json, T value, JsonTypeInfo<T> typeInfo, string text) =>
            output.WriteLine(json ? ToJson(value, typeInfo) : text);

        /// <summary>
        /// JSON for a terminal or a script, not for a web page: quotes, apostrophes and non-ASCII text are written as
        /// themselves (<c>'</c>, not <c>\u0027</c>); only what JSON itself requires is escaped.
        /// </summary>
        public static string ToJson<T>(T value, JsonTypeInfo<T> typeInfo)
        {
            var buffer = new ArrayBufferWriter<byte>();
            using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
            {
                JsonSerializer.Serialize(writer, value, typeInfo);
            }

            return Encoding.UTF8.GetString(buffer.WrittenSpan);
        }

        public int Fail(DomainError failure) => Fail(failure.Message);

        /// <summary>A usage error: the command line or an input was wrong.</summary>
        public int Fail(string message) => Fail(ExitCodes.Usage, message);

        /// <summary>Says what went wrong on stderr, one line, and returns <paramref name="exitCode"/>.</summary>
        public int Fail(int exitCode, string message)
        {
            if (Json)
            {
                error.WriteLine(ToJson(new ErrorJson(message, exitCode), CliJsonContext.Default.ErrorJson));
            }
            else if (Interactive && ColoursAllowed)
            {
                error.WriteLine($"\u001b[31merror:\u001b[0m {message}");
            }
            else
            {
                error.WriteLine($"error: {message}");
            }

            return exitCode;
        }

        /// <summary>A console on stderr for live progress and spinners; null when nobody watches.</summary>
        public IAnsiConsole? ProgressConsole() => Interactive
            ? AnsiConsole.Create(new AnsiConsoleSettings
            {
                Out = new AnsiConsoleOutput(error),
                Ansi = AnsiSupport.Detect,
                ColorSystem = ColoursAllowed ? ColorSystemSupport.Detect : ColorSystemSupport.NoColors,
                Interactive = InteractionSupport.Yes,
            })
            : null;

        /// <summary>Runs <paramref name="work"/> under a spinner on stderr when someone watches, plainly otherwise.</summary>
        public async Task<T> StatusAsync<T>(string what, Func<Task<T>> work)
        {
            if (ProgressConsole() is not { } console)
            {
                return await work();
            }

            return await console.Status().StartAsync(Markup.Escape(what), _ => work());
        }

        public static string RenderRich(string[] header, IReadOnlyList<string[]> rows)
        {
            var table = new Spectre.Console.Table().Border(TableBorder.Rounded);
            foreach (var column in header)
            {
                table.AddColumn(new TableColumn($"[bold]{Markup.Escape(column)}[/]"));
            }

            foreach (var row in rows)
            {
                table.AddRow([.. row.Select(cell => new Text(cell))]);
            }

            using var text = new StringWriter();
            var console = AnsiConsole.Create(new AnsiConsoleSettings
            {
                Out = new AnsiConsoleOutput(text),
                Ansi = AnsiSupport.Yes,
                ColorSystem = ColorSystemSupport.Detect,
                Interactive = InteractionSupport.No,
            });
            console.Profile.Width = Console.WindowWidth > 0 ? Console.WindowWidth : 120;
            console.Write(table);
            return text.ToString().TrimEnd('\n', '\r');
        }
    }
}
