using System.CommandLine;
using Tillpoint.Server.Cli;

namespace Tillpoint.Server.Tests.Cli;

/// <summary>Conventions of the whole command tree: every verb and option explains itself.</summary>
public sealed class CliConventionsTests
{
    private static readonly RootCommand Root = TillpointCli.CreateRootCommand(TextWriter.Null, TextWriter.Null, TimeProvider.System);

    private static IEnumerable<Command> Commands(Command command) => [command, .. command.Subcommands.SelectMany(Commands)];

    private static string PathOf(Command command) =>
        command.Parents.OfType<Command>().FirstOrDefault() is { } parent ? $"{PathOf(parent)} {command.Name}" : "tillpoint";

    public static TheoryData<string> Verbs()
    {
        var data = new TheoryData<string>();
        foreach (var command in Commands(Root).Where(c => c != Root))
        {
            data.Add(PathOf(command)["tillpoint ".Length..]);
        }

        return data;
    }

    [Fact]
    public void EveryCommandOptionAndArgument_HasADescription()
    {
        var missing = Commands(Root)
            .SelectMany(command => new[] { (PathOf(command), command.Description) }
                .Concat(command.Options.Select(o => ($"{PathOf(command)} {o.Name}", o.Description)))
                .Concat(command.Arguments.Select(a => ($"{PathOf(command)} <{a.Name}>", a.Description))))
            .Where(symbol => string.IsNullOrWhiteSpace(symbol.Description))
            .Select(symbol => symbol.Item1)
            .ToList();

        Assert.Empty(missing);
        Assert.True(Commands(Root).Count() >= 10, "the walk found the tree");
    }

    [Fact]
    public void EveryVerbThatPrintsData_HasJson()
    {
        var leaves = Commands(Root).Where(c => c.Subcommands.Count == 0 && c.Name != "serve");

        Assert.All(leaves, verb => Assert.Contains(verb.Options, o => o.Name == "--json"));
    }

    [Theory]
    [MemberData(nameof(Verbs))]
    public async Task Help_OfEveryVerb_DescribesIt_AndSucceeds(string verb)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();

        var exit = await TillpointCli.RunAsync([.. verb.Split(' '), "--help"], output, error);

        Assert.Equal(ExitCodes.Success, exit);
        Assert.Empty(error.ToString());
        Assert.Contains("Usage:", output.ToString(), StringComparison.Ordinal);
        Assert.Contains($" {verb} ", output.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("", "tillpoint export --merchant")]
    [InlineData("export", "--from 2026-11-01 --to 2026-12-01 --out november.csv")]
    [InlineData("migrate", "tillpoint migrate --data-dir ./data")]
    public async Task Help_ShowsExamples(string verb, string example)
    {
        using var output = new StringWriter();

        var exit = await TillpointCli.RunAsync([.. verb.Split(' ', StringSplitOptions.RemoveEmptyEntries), "--help"], output, TextWriter.Null);

        Assert.Equal(ExitCodes.Success, exit);
        var help = output.ToString();
        Assert.Contains("Examples:", help, StringComparison.Ordinal);
        Assert.Contains(example, help, StringComparison.Ordinal);
    }
}
