using System.Text.Json;
using System.Text.RegularExpressions;
using Tillpoint.Docs.Tests.Support;

namespace Tillpoint.Docs.Tests;

[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class DocumentedCommandsCollection : ICollectionFixture<Workbench>
{
    public const string Name = "documented commands";
}

/// <summary>
/// Every command the README, <c>samples/Shop/README.md</c>, <c>docs/*.md</c> and the CLI's <c>Examples:</c> show, run
/// the way a reader types it: the commands of one block in order in one bash, in a fresh current directory of their own
/// (or, for those that build from the source, in a copy of the repository), with the placeholders filled in.
/// </summary>
[Collection(DocumentedCommandsCollection.Name)]
public sealed partial class DocumentedCommandsTests(Workbench workbench)
{
    private static readonly TimeSpan CommandTimeout = TimeSpan.FromMinutes(10);
    private static readonly TimeSpan ReadyTimeout = TimeSpan.FromMinutes(5);
    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(30);

    private static readonly Lazy<IReadOnlyList<DocumentedCommand>> Documented = new(() => DocumentedCommands.All(Repository.Root));

    public static TheoryData<string, int> Blocks()
    {
        var data = new TheoryData<string, int>();
        foreach (var block in Documented.Value.GroupBy(c => (c.Source, c.Block)))
        {
            data.Add(block.Key.Source, block.Key.Block);
        }

        return data;
    }

    [Fact]
    public void EveryDocumentedCommand_IsInTheCatalog()
    {
        var missing = Documented.Value.Where(c => !Catalog.Entries.ContainsKey((c.Source, c.Key))).Select(c => c.ToString()).Distinct().ToList();

        Assert.True(missing.Count == 0, "Documented but not in the catalog (say what each must do):\n" + string.Join('\n', missing));
    }

    [Fact]
    public void EveryCatalogEntry_StandsInTheDocs()
    {
        var documented = Documented.Value.Select(c => (c.Source, c.Key)).ToHashSet();

        var stale = Catalog.Entries.Keys.Where(k => !documented.Contains(k)).Select(k => $"{k.Source}: {k.Key}").ToList();

        Assert.True(stale.Count == 0, "In the catalog but no longer in the docs:\n" + string.Join('\n', stale));
    }

    [Fact]
    public void EveryCommandNotRun_SaysWhy()
    {
        Assert.All(Catalog.Entries.Values.OfType<NotRun>(), n => Assert.False(string.IsNullOrWhiteSpace(n.Reason)));
    }

    [SkippableTheory]
    [MemberData(nameof(Blocks))]
    public async Task DocumentedBlock_RunsAsDocumented(string source, int block)
    {
        var commands = Documented.Value.Where(c => c.Source == source && c.Block == block).ToList();
        var expectations = commands.Select(c => Catalog.Entries.TryGetValue((c.Source, c.Key), out var e) ? e : null).ToList();
        Assert.All(expectations, Assert.NotNull);
        if (expectations.All(e => e is NotRun))
        {
            return;
        }

        using var ports = commands.Any(ListensOnFixedPorts) ? await FixedPorts.AcquireAsync() : null;
        using var database = commands.Any(c => Catalog.PostgresPlaceholders.Any(p => c.Text.Contains(p, StringComparison.Ordinal)))
            ? TestPostgres.CreateDatabase()
            : null;
        var directory = BuildsFromSource(commands) ? workbench.RepositoryDirectory() : workbench.NewUserDirectory();
        // A file the block itself writes with --out is not there yet, as for a reader who starts with this block.
        foreach (var output in commands.SelectMany(c => OutFile().Matches(c.Text)).Select(m => m.Groups[1].Value))
        {
            File.Delete(Path.Combine(directory, output));
        }

        await using var shell = new UserShell(directory, workbench.Environment(directory));
        var servers = new List<BackgroundCommand>();
        // Ids the reader copies from an answer the docs show into the commands after it.
        var copied = new Dictionary<string, string>();
        try
        {
            if (NeedsARunningServer(commands, expectations))
            {
                var server = await shell.StartAsync("tillpoint serve");
                await UserShell.WaitUntilAnswersAsync(server, new Uri(Catalog.DefaultHealth), ReadyTimeout);
                servers.Add(server);
            }

            foreach (var (command, expectation) in commands.Zip(expectations))
            {
                var text = workbench.Fill(Copy(command.Text, copied), database?.ConnectionString);
                switch (expectation)
                {
                    case NotRun:
                        break;
                    case Exits exits:
                        if (exits.Given is { } given)
                        {
                            var before = await shell.RunAsync(workbench.Fill(given, null), CommandTimeout);
                            Assert.True(before.ExitCode == 0, $"{source}, given: {before}");
                        }

                        var result = await shell.RunAsync(text, CommandTimeout);
                        Assert.True(result.ExitCode == exits.Code, $"{source}: {result}");
                        CheckOutput(command, result, copied);
                        break;
                    case Serves serves:
                        var started = await shell.StartAsync(text);
                        servers.Add(started);
                        await UserShell.WaitUntilAnswersAsync(started, new Uri(serves.Url), ReadyTimeout);
                        break;
                    default:
                        throw new InvalidOperationException($"No way to run {expectation}.");
                }
            }
        }
        finally
        {
            // Newest first: the shop before the server it talks to.
            foreach (var server in Enumerable.Reverse(servers))
            {
                var stopped = await shell.StopAsync(server, StopTimeout);
                Assert.True(stopped.ExitCode == 0, $"{source}: after SIGTERM, {stopped}");
            }
        }
    }

    /// <summary>
    /// With <c>--json</c>, one JSON document; where the docs show the answer, the same properties, and each value the docs
    /// show as a placeholder is what the reader copies into the commands that follow.
    /// </summary>
    private void CheckOutput(DocumentedCommand command, CommandResult result, Dictionary<string, string> copied)
    {
        if (!command.Key.Contains("--json", StringComparison.Ordinal) && command.DocumentedOutput is null)
        {
            return;
        }

        using var actual = ParseJson(result);
        if (command.DocumentedOutput is not { } documented)
        {
            return;
        }

        using var expected = JsonDocument.Parse(documented);
        Assert.Equal(PropertyNames(expected.RootElement), PropertyNames(actual.RootElement));
        if (expected.RootElement.ValueKind != JsonValueKind.Object)
        {
            return;
        }

        foreach (var property in expected.RootElement.EnumerateObject())
        {
            if (property.Value.ValueKind == JsonValueKind.String
                && workbench.Placeholders.Any(p => p.Key == property.Value.GetString())
                && actual.RootElement.GetProperty(property.Name).GetString() is { } value)
            {
                copied[property.Value.GetString()!] = value;
            }
        }
    }

    private static string Copy(string command, Dictionary<string, string> copied) =>
        copied.Aggregate(command, (text, id) => text.Replace(id.Key, id.Value, StringComparison.Ordinal));

    private static JsonDocument ParseJson(CommandResult result)
    {
        try
        {
            return JsonDocument.Parse(result.Output);
        }
        catch (JsonException e)
        {
            throw new Xunit.Sdk.XunitException($"Not one JSON document ({e.Message}): {result}");
        }
    }

    private static string[] PropertyNames(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.Object => [.. element.EnumerateObject().Select(p => p.Name)],
        JsonValueKind.Array when element.GetArrayLength() > 0 => PropertyNames(element[0]),
        _ => [],
    };

    [GeneratedRegex(@"--out ([\w.-]+)")]
    private static partial Regex OutFile();

    private static bool ListensOnFixedPorts(DocumentedCommand command) =>
        Catalog.Entries.TryGetValue((command.Source, command.Key), out var expectation) && expectation is Serves
        || command.Text.Contains("127.0.0.1:8", StringComparison.Ordinal);

    /// <summary>Commands that build or read the source run at the root of a copy of the repository, as the docs say.</summary>
    private static bool BuildsFromSource(IEnumerable<DocumentedCommand> commands) =>
        commands.Any(c => c.Text.Contains("--project ", StringComparison.Ordinal)
            || c.Text.StartsWith("samples/", StringComparison.Ordinal)
            || c.Text.StartsWith("dotnet publish src/", StringComparison.Ordinal)
            || c.Text.StartsWith("dotnet pack src/", StringComparison.Ordinal));

    /// <summary>A block that talks to a server it does not start itself: the reader has one running, as the docs assume.</summary>
    private static bool NeedsARunningServer(IReadOnlyList<DocumentedCommand> commands, IReadOnlyList<Expectation?> expectations) =>
        !expectations.Any(e => e is Serves)
        && commands.Zip(expectations).Any(p => p.Second is Exits && p.First.Text.Contains("http://127.0.0.1:8080", StringComparison.Ordinal));
}
