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

    /// <summary>Every option of every verb that takes a value other than free text (a number, a URL, a name, a date).</summary>
    public static TheoryData<string, string> TypedOptions() => TypedOptionsOf(Commands(Root).Where(c => c.Action is not null && c != Root));

    /// <summary>The same, of the verbs that print JSON when asked (all but serve).</summary>
    public static TheoryData<string, string> TypedOptionsOfJsonVerbs() =>
        TypedOptionsOf(Commands(Root).Where(c => c.Action is not null && c != Root && c.Options.Any(o => o.Name == "--json")));

    private static TheoryData<string, string> TypedOptionsOf(IEnumerable<Command> commands)
    {
        var data = new TheoryData<string, string>();
        foreach (var command in commands)
        {
            foreach (var option in command.Options.Where(o => o.ValueType != typeof(string) && o.ValueType != typeof(string[]) && o.ValueType != typeof(bool)))
            {
                data.Add(PathOf(command)["tillpoint ".Length..], option.Name);
            }
        }

        return data;
    }

    [Fact]
    public void TypedOptions_AreFound()
    {
        var found = TypedOptions().Select(row => $"{row[0]} {row[1]}").ToList();

        Assert.Contains("serve --public-url", found);
        Assert.Contains("serve --ipn-certificate-url", found);
        Assert.Contains("serve --durability", found);
        Assert.Contains("ipn deliveries --before", found);
        Assert.Contains("export --from", found);
    }

    [Theory]
    [MemberData(nameof(TypedOptions))]
    public async Task EveryTypedOption_RefusesABadValue_WithOneUsageLine(string verb, string option)
    {
        string[] args = [.. verb.Split(' '), .. ValidRequiredArguments(verb, option), option, "nonsense"];
        // Parsed first: a value the parser took would run the verb (and serve would not return).
        Assert.NotEmpty(Root.Parse(args).Errors);
        using var output = new StringWriter();
        using var error = new StringWriter();

        var exit = await TillpointCli.RunAsync(args, output, error);

        Assert.Equal(ExitCodes.Usage, exit);
        Assert.Empty(output.ToString());
        var lines = error.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.Equal([$"See 'tillpoint {verb} --help'."], lines[1..]);
        Assert.StartsWith($"error: {option} must be ", lines[0], StringComparison.Ordinal);
        Assert.EndsWith(", not 'nonsense'.", lines[0], StringComparison.Ordinal);
        Assert.DoesNotMatch(@"System\.|Tillpoint\.|Int32|Int64|Nullable|expected type", lines[0]);
    }

    [Theory]
    [MemberData(nameof(TypedOptionsOfJsonVerbs))]
    public async Task EveryTypedOption_RefusesABadValue_InOneJsonLine_WhenJsonIsAsked(string verb, string option)
    {
        // export's --json describes the file it writes, so it takes --out.
        string[] output = verb == "export" ? ["--out", "november.csv"] : [];
        string[] args = [.. verb.Split(' '), .. ValidRequiredArguments(verb, option), .. output, option, "it's-nonsense", "--json"];
        Assert.NotEmpty(Root.Parse(args).Errors);
        using var error = new StringWriter();

        var exit = await TillpointCli.RunAsync(args, TextWriter.Null, error);

        Assert.Equal(ExitCodes.Usage, exit);
        var line = Assert.Single(error.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains($"{option} must be ", line, StringComparison.Ordinal);
        // Quotes as people write them, not \u0027.
        Assert.EndsWith(", not 'it's-nonsense'.\",\"code\":2}", line, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("serve", "--max-clock-skew", "99999999999")]
    [InlineData("serve", "--max-clock-skew", "1441")]
    [InlineData("serve", "--ipn-max-attempts", "0")]
    [InlineData("serve", "--ipn-timeout-seconds", "121")]
    [InlineData("serve", "--ipn-first-retry-seconds", "3601")]
    [InlineData("ipn deliveries", "--limit", "501")]
    [InlineData("ipn deliveries", "--before", "9223372036854775808")]
    [InlineData("export", "--page-size", "10001")]
    [InlineData("export", "--from", "2026-13-01")]
    [InlineData("serve", "--urls", "http://example.test:8080")]
    [InlineData("serve", "--urls", "https://127.0.0.1:8443;nonsense")]
    [InlineData("serve", "--public-url", "/relative")]
    [InlineData("serve", "--ipn-certificate-url", "ftp://127.0.0.1/cert.pem")]
    public async Task Numbers_PastTheirLimits_AndUrlsOfTheWrongKind_AreOneUsageLine(string verb, string option, string value)
    {
        string[] args = [.. verb.Split(' '), .. ValidRequiredArguments(verb, option), option, value];
        Assert.NotEmpty(Root.Parse(args).Errors);
        using var error = new StringWriter();

        var exit = await TillpointCli.RunAsync(args, TextWriter.Null, error);

        Assert.Equal(ExitCodes.Usage, exit);
        var lines = error.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.Equal(2, lines.Length);
        Assert.StartsWith($"error: {option} must be ", lines[0], StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("serve --public-url http://127.0.0.1:8080", "--public-url", "http://127.0.0.1:8080/")]
    [InlineData("serve --public-url https://pay.example.test:8443/", "--public-url", "https://pay.example.test:8443/")]
    [InlineData("serve --ipn-certificate-url https://pay.example.test/cert.pem", "--ipn-certificate-url", "https://pay.example.test/cert.pem")]
    [InlineData("serve --durability Normal", "--durability", "Normal")]
    [InlineData("serve --durability full", "--durability", "Full")]
    [InlineData("serve --metrics operator", "--metrics", "Operator")]
    [InlineData("serve --max-clock-skew 1", "--max-clock-skew", "1")]
    [InlineData("serve --max-clock-skew 1440", "--max-clock-skew", "1440")]
    [InlineData("serve --ipn-max-attempts 100", "--ipn-max-attempts", "100")]
    [InlineData("serve --ipn-timeout-seconds 1", "--ipn-timeout-seconds", "1")]
    [InlineData("serve --ipn-first-retry-seconds 3600", "--ipn-first-retry-seconds", "3600")]
    [InlineData("serve --urls https://0.0.0.0:8443;http://localhost:8080;http://[::1]:8081;http://*:8082", "--urls", "https://0.0.0.0:8443;http://localhost:8080;http://[::1]:8081;http://*:8082")]
    [InlineData("ipn deliveries --limit 500", "--limit", "500")]
    [InlineData("ipn deliveries --before 9223372036854775807", "--before", "9223372036854775807")]
    [InlineData("ipn deliveries --before 0", "--before", "0")]
    [InlineData("export --merchant M --from 2026-11-01 --to 2026-12-01T09:30:00+01:00 --page-size 10000", "--page-size", "10000")]
    [InlineData("export --merchant M --from 2026-11-01T09:30Z --to 2026-12-01", "--from", "11/01/2026 09:30:00 +00:00")]
    [InlineData("export --merchant M --from 2026-11-01 --to 2026-12-01 --kind Events", "--kind", "Events")]
    [InlineData("export --merchant M --from 2026-11-01 --to 2026-12-01 --format jsonl", "--format", "Jsonl")]
    public void ValidValues_AtTheirLimits_Parse(string commandLine, string option, string expected)
    {
        var parse = Root.Parse(commandLine);
        var value = parse.CommandResult.GetResult(option) is System.CommandLine.Parsing.OptionResult result ? result.GetValueOrDefault<object?>() : null;

        Assert.Empty(parse.Errors);
        Assert.Equal(expected, Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture));
    }

    /// <summary>A valid value for each option a verb requires, and its arguments, but for <paramref name="except"/>.</summary>
    private static IEnumerable<string> ValidRequiredArguments(string verb, string except)
    {
        var command = Commands(Root).Single(c => PathOf(c) == $"tillpoint {verb}");
        foreach (var option in command.Options.Where(o => o.Required && o.Name != except))
        {
            yield return option.Name;
            yield return option.Name switch
            {
                "--merchant" => "A1B2C3D4E5F6G7",
                "--from" => "2026-11-01",
                "--to" => "2026-12-01",
                "--environment" => "sandbox",
                "--url" => "https://shop.example.test/ipn",
                "--public-key" => "public-key.pem",
                "--role" => "psp",
                "--solution-provider" => "A7G6F5E4D3C2B1",
                "--charge" => "S01-1234567-1234567-C123456",
                "--dispute" => "S01-1234567-1234567-B123456",
                "--action" => "withdraw",
                "--flavour" => "create",
                "--rate" => "0.5",
                "--kind" => "internalservererror",
                _ => throw new InvalidOperationException($"No valid value known for the required {verb} {option.Name}: add one here."),
            };
        }

        foreach (var argument in command.Arguments)
        {
            yield return argument.Name.ToUpperInvariant();
        }
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
    [InlineData("")]
    [MemberData(nameof(Verbs))]
    public async Task Help_OfEveryVerb_EndsWithExamplesOfThatVerb(string verb)
    {
        using var output = new StringWriter();

        var exit = await TillpointCli.RunAsync([.. verb.Split(' ', StringSplitOptions.RemoveEmptyEntries), "--help"], output, TextWriter.Null);

        Assert.Equal(ExitCodes.Success, exit);
        var help = output.ToString();
        var start = help.IndexOf("\nExamples:\n", StringComparison.Ordinal);
        Assert.True(start > 0, $"tillpoint {verb} --help has no examples");
        var examples = help[(start + "\nExamples:\n".Length)..].Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.NotEmpty(examples);
        var path = $"  {$"tillpoint {verb}".TrimEnd()}";
        Assert.All(examples, example => Assert.True(example == path || example.StartsWith(path + " ", StringComparison.Ordinal), $"'{example}' is not a {path.Trim()} command"));
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
