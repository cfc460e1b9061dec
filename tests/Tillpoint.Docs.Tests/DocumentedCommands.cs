using System.CommandLine;
using System.Text;
using System.Text.RegularExpressions;
using Tillpoint.Server.Cli;

namespace Tillpoint.Docs.Tests;

/// <summary>
/// A command as the documentation shows it. <see cref="Text"/> is the logical line as written (continuation lines
/// joined, so a shell runs it as the reader would), <see cref="Block"/> the number of the block it stands in (the
/// commands of a block run in order, in one shell); <see cref="Key"/> is the same without a trailing comment and with
/// white space folded, which is how the catalog names it. <see cref="DocumentedOutput"/> is the JSON the docs show as
/// its answer, when they show one.
/// </summary>
public sealed record DocumentedCommand(string Source, int Block, string Text, string? DocumentedOutput)
{
    public string Key { get; } = DocumentedCommands.KeyOf(Text);

    public override string ToString() => $"{Source}: {Key}";
}

/// <summary>Finds every command in the README, the docs and the CLI's help.</summary>
public static partial class DocumentedCommands
{
    private static readonly string[] Readmes = ["README.md", "samples/Shop/README.md"];

    /// <summary>The files whose shell blocks are commands a user runs.</summary>
    public static IEnumerable<string> Files(string repository) =>
        Readmes.Concat(Directory.EnumerateFiles(Path.Combine(repository, "docs"), "*.md").Select(f => "docs/" + Path.GetFileName(f)).Order(StringComparer.Ordinal));

    public static IReadOnlyList<DocumentedCommand> All(string repository) =>
        [.. Files(repository).SelectMany(f => InMarkdown(f, File.ReadAllText(Path.Combine(repository, f)))), .. InCliHelp()];

    /// <summary>
    /// Commands in a Markdown file: every line of a <c>sh</c>, <c>bash</c> or <c>shell</c> block that is not blank or a
    /// comment, and the <c>$ </c> lines of a <c>console</c> block (its other lines are output). Other blocks (<c>text</c>
    /// for synopses and output, code in other languages) hold no commands.
    /// </summary>
    public static IEnumerable<DocumentedCommand> InMarkdown(string source, string markdown)
    {
        var lines = markdown.Split('\n').Select(l => l.TrimEnd('\r')).ToArray();
        string? language = null;
        var block = 0;
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i];
            if (line.StartsWith("```", StringComparison.Ordinal))
            {
                language = language is null ? line[3..].Trim() : null;
                block += language is null ? 0 : 1;
                continue;
            }

            var command = language switch
            {
                "sh" or "bash" or "shell" when line.Trim().Length > 0 && !line.TrimStart().StartsWith('#') => line,
                "console" when line.StartsWith("$ ", StringComparison.Ordinal) => line[2..],
                _ => null,
            };
            if (command is null)
            {
                continue;
            }

            var text = new StringBuilder(command);
            while (text[^1] == '\\' && i + 1 < lines.Length)
            {
                text.Append('\n').Append(lines[++i]);
            }

            yield return new DocumentedCommand(source, block, text.ToString(), OutputAfter(lines, i + 1, language!));
        }
    }

    /// <summary>The examples under every verb's <c>--help</c>, as the help prints them.</summary>
    public static IEnumerable<DocumentedCommand> InCliHelp()
    {
        var root = TillpointCli.CreateRootCommand(TextWriter.Null, TextWriter.Null, TimeProvider.System);
        foreach (var path in Verbs(root, []))
        {
            using var output = new StringWriter();
            var exit = TillpointCli.RunAsync([.. path, "--help"], output, TextWriter.Null).GetAwaiter().GetResult();
            if (exit != 0)
            {
                throw new InvalidOperationException($"tillpoint {string.Join(' ', path)} --help exited with {exit}.");
            }

            var help = output.ToString().Split('\n');
            var source = string.Join(' ', ["tillpoint", .. path, "--help"]);
            var block = 0;
            foreach (var example in help.SkipWhile(l => l.TrimEnd() != "Examples:").Skip(1).TakeWhile(l => l.StartsWith("  ", StringComparison.Ordinal)))
            {
                // Each example stands alone.
                yield return new DocumentedCommand(source, ++block, example.Trim(), null);
            }
        }
    }

    /// <summary>A command line without its trailing comment, continuation breaks and repeated white space.</summary>
    public static string KeyOf(string text)
    {
        var joined = text.Replace("\\\n", " ", StringComparison.Ordinal);
        return WhiteSpace().Replace(StripComment(joined), " ").Trim();
    }

    private static string StripComment(string line)
    {
        char? quote = null;
        for (var i = 0; i < line.Length; i++)
        {
            var c = line[i];
            if (quote is { } open)
            {
                quote = c == open ? null : quote;
            }
            else if (c is '\'' or '"')
            {
                quote = c;
            }
            else if (c == '#' && (i == 0 || char.IsWhiteSpace(line[i - 1])))
            {
                return line[..i];
            }
        }

        return line;
    }

    /// <summary>The documented answer: a JSON line right after the command (in a shell block, as a comment).</summary>
    private static string? OutputAfter(string[] lines, int next, string language)
    {
        if (next >= lines.Length)
        {
            return null;
        }

        var line = language == "console" ? lines[next] : lines[next].TrimStart().StartsWith('#') ? lines[next].TrimStart()[1..] : "";
        line = line.Trim();
        return line.StartsWith('{') || line.StartsWith('[') ? line : null;
    }

    /// <summary>The verb paths below <paramref name="command"/> (the root is the empty path).</summary>
    private static IEnumerable<string[]> Verbs(Command command, string[] path) =>
        new[] { path }.Concat(command.Subcommands.SelectMany(c => Verbs(c, [.. path, c.Name])));

    [GeneratedRegex(@"\s+")]
    private static partial Regex WhiteSpace();
}
