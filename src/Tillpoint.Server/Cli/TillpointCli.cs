using System.CommandLine;
using System.CommandLine.Help;
using System.CommandLine.Invocation;
using System.Runtime.CompilerServices;
using Tillpoint.Storage.Postgres;

namespace Tillpoint.Server.Cli;

/// <summary>
/// The <c>tillpoint</c> command line. Scripts rely on these verbs, options, exit codes and <c>--json</c> shapes: change
/// them only compatibly, and keep the README in step. Each group of verbs has a file of its own; this one holds the
/// root and what the verbs share.
/// </summary>
internal static partial class TillpointCli
{
    public const string DefaultDataDirectory = "tillpoint-data";

    /// <summary>Examples shown under a command's <c>--help</c>.</summary>
    private static readonly ConditionalWeakTable<Command, string[]> Examples = [];

    /// <summary>Runs an action that returns nothing inside a store write.</summary>
    private static Task WriteAsync(this ITillpointStore store, Action<IWriteSession> action, CancellationToken cancellationToken) =>
        store.WriteAsync(
            write =>
            {
                action(write);
                return true;
            },
            cancellationToken);

    public static async Task<int> RunAsync(string[] args, TextWriter? output = null, TextWriter? error = null, TimeProvider? clock = null)
    {
        var io = new CliOutput(output ?? Console.Out, error ?? Console.Error, clock ?? TimeProvider.System)
        {
            // Decided from the raw arguments so that even a command line that does not parse fails in JSON.
            Json = args.Contains("--json", StringComparer.Ordinal),
        };
        CurrentOutput.Value = io;
        var root = CreateRootCommand(io);
        var parse = root.Parse(args);
        if (parse.Errors.Count > 0 && parse.Action is ParseErrorAction)
        {
            return UsageErrors(parse, io);
        }

        try
        {
            // The web host handles SIGINT/SIGTERM itself (graceful shutdown: in-flight requests and queued writes
            // finish); System.CommandLine's own handler would end the process first.
            return await parse.InvokeAsync(new InvocationConfiguration { Output = io.Out, Error = io.Error, ProcessTerminationTimeout = null, EnableDefaultExceptionHandler = false });
        }
        catch (OperationCanceledException)
        {
            return io.Fail(ExitCodes.Failure, "canceled.");
        }
        catch (Exception e) when (e is System.Data.Common.DbException)
        {
            // The store was opened but failed under a verb: the database went away, or a statement timed out.
            return io.Fail(ExitCodes.StoreUnavailable, $"the store failed: {e.Message}");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return io.Fail(ExitCodes.Failure, e.Message);
        }
    }

    /// <summary>The whole command tree; the conventions tests walk it.</summary>
    internal static RootCommand CreateRootCommand(TextWriter output, TextWriter error, TimeProvider clock) =>
        CreateRootCommand(new CliOutput(output, error, clock));

    private static RootCommand CreateRootCommand(CliOutput io)
    {
        var root = new RootCommand("Tillpoint: a self-hosted server speaking the Amazon Pay Checkout API v2.")
        {
            ServeCommand(io),
            MigrateCommand(io),
            MerchantsCommand(io),
            KeysCommand(io),
            IpnCommand(io),
            DisputesCommand(io),
            ExportCommand(io),
            OperatorTokenCommand(io),
            FaultsCommand(io),
        };
        WithExamples(
            root,
            "tillpoint serve --data-dir ./data",
            "tillpoint merchants create --name \"My shop\" --json",
            "tillpoint keys create --merchant A1B2C3D4E5F6G7 --environment sandbox --out key.pem",
            "tillpoint export --merchant A1B2C3D4E5F6G7 --from 2026-11-01 --to 2026-12-01 --out november.csv",
            "tillpoint keys create --help   # every verb describes its options, with examples");
        foreach (var option in root.Options)
        {
            if (option is HelpOption { Action: HelpAction standard } help)
            {
                help.Action = new HelpWithExamples(standard, io);
            }
        }

        return root;
    }

    /// <summary>Adds examples to the end of the command's <c>--help</c>.</summary>
    private static T WithExamples<T>(T command, params string[] examples)
        where T : Command
    {
        Examples.AddOrUpdate(command, examples);
        return command;
    }

    /// <summary>
    /// A command line that does not parse: every problem on one line of its own, then where to look, and exit code 2.
    /// (System.CommandLine would answer 1, which scripts could not tell from a failure, and puts its suggestions on
    /// lines of their own.)
    /// </summary>
    private static int UsageErrors(ParseResult parse, CliOutput io)
    {
        foreach (var parseError in parse.Errors)
        {
            io.Fail(ExitCodes.Usage, string.Join(' ', parseError.Message.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)));
        }

        if (!io.Json)
        {
            io.Error.WriteLine($"See '{CommandPath(parse.CommandResult.Command)} --help'.");
        }

        return ExitCodes.Usage;
    }

    /// <summary>"tillpoint keys create": how a person types the command.</summary>
    private static string CommandPath(Command command)
    {
        var names = new List<string>();
        for (Symbol? symbol = command; symbol is Command current; symbol = current.Parents.FirstOrDefault())
        {
            names.Add(current is RootCommand ? "tillpoint" : current.Name);
        }

        names.Reverse();
        return string.Join(' ', names);
    }

    private sealed class HelpWithExamples(HelpAction standard, CliOutput io) : SynchronousCommandLineAction
    {
        public override int Invoke(ParseResult parseResult)
        {
            var exit = standard.Invoke(parseResult);
            if (Examples.TryGetValue(parseResult.CommandResult.Command, out var examples))
            {
                io.Out.WriteLine("Examples:");
                foreach (var example in examples)
                {
                    io.Out.WriteLine($"  {example}");
                }

                io.Out.WriteLine();
            }

            return exit;
        }
    }

    private static Option<string> DataDirOption() => new("--data-dir")
    {
        Description = "Folder holding the SQLite database, keys and the HTTPS certificate. Default: $TILLPOINT_DATA_DIR, else ./tillpoint-data.",
        DefaultValueFactory = _ => Environment.GetEnvironmentVariable("TILLPOINT_DATA_DIR") ?? DefaultDataDirectory,
    };

    /// <summary>
    /// Where the state is, for every verb that opens the store: <c>--data-dir</c>, <c>--store sqlite|postgres</c> and
    /// <c>--connection-string</c>, or <c>TILLPOINT_DATA_DIR</c>, <c>TILLPOINT_STORE</c> and
    /// <c>TILLPOINT_CONNECTION_STRING</c>. Documented in the README; keep these forms stable.
    /// </summary>
    private sealed class StoreArguments
    {
        public const string StoreVariable = "TILLPOINT_STORE";
        public const string ConnectionStringVariable = "TILLPOINT_CONNECTION_STRING";

        private readonly Option<string> _dataDir = DataDirOption();

        private readonly Option<StoreKind> _store = new("--store")
        {
            Description = $"sqlite (a file in --data-dir, one node) or postgres (--connection-string, any number of nodes). Default: ${StoreVariable}, else sqlite.",
            HelpName = "sqlite|postgres",
            DefaultValueFactory = result => ParseKind(Environment.GetEnvironmentVariable(StoreVariable), StoreVariable, result),
            CustomParser = result => ParseKind(result.Tokens.Count == 1 ? result.Tokens[0].Value : null, "--store", result),
        };

        private readonly Option<string?> _connectionString = new("--connection-string")
        {
            Description = $"The PostgreSQL connection string, \"Host=…;Database=…\", with --store postgres. Default: ${ConnectionStringVariable}.",
            DefaultValueFactory = _ => Environment.GetEnvironmentVariable(ConnectionStringVariable) is { Length: > 0 } value ? value : null,
        };

        public void AddTo(Command command)
        {
            command.Options.Add(_dataDir);
            command.Options.Add(_store);
            command.Options.Add(_connectionString);
            command.Validators.Add(result =>
            {
                StoreKind kind;
                try
                {
                    kind = result.GetValue(_store);
                }
                catch (InvalidOperationException)
                {
                    // The store's name was refused, and said so, by its parser; nothing below can be judged without it.
                    return;
                }

                var connectionString = result.GetValue(_connectionString);
                switch (kind)
                {
                    case StoreKind.Postgres when connectionString is null:
                        result.AddError($"--store postgres needs --connection-string \"Host=…;Database=…\" (or {ConnectionStringVariable}).");
                        break;
                    case StoreKind.Postgres when PostgresStore.ConnectionStringError(connectionString) is { } error:
                        result.AddError($"--connection-string is not a valid PostgreSQL connection string: {error}");
                        break;
                    case StoreKind.Sqlite when connectionString is not null:
                        // Silently keeping a local file while the operator meant a shared database would split the state.
                        result.AddError($"A connection string was given but the store is sqlite: add --store postgres (or {StoreVariable}=postgres).");
                        break;
                    case StoreKind.Sqlite:
                    case StoreKind.Postgres:
                        break;
                }
            });
        }

        public string DataDirectory(ParseResult parse) => Path.GetFullPath(parse.GetValue(_dataDir)!);

        public StoreOptions Read(ParseResult parse) => new()
        {
            Kind = parse.GetValue(_store),
            DataDirectory = DataDirectory(parse),
            ConnectionString = parse.GetValue(_connectionString),
        };

        public (StoreKind Kind, string? ConnectionString) ReadServer(ParseResult parse) => (parse.GetValue(_store), parse.GetValue(_connectionString));

        private static StoreKind ParseKind(string? value, string source, System.CommandLine.Parsing.ArgumentResult result)
        {
            switch (value?.Trim().ToLowerInvariant())
            {
                case null or "":
                case "sqlite":
                    return StoreKind.Sqlite;
                case "postgres":
                    return StoreKind.Postgres;
                default:
                    result.AddError($"{source} must be sqlite or postgres, not '{value}'.");
                    return StoreKind.Sqlite;
            }
        }
    }

    private static Option<bool> JsonOption() => new("--json")
    {
        Description = "Print machine-readable JSON on stdout (and errors as JSON on stderr).",
    };

    private static Option<string> MerchantOption() => new("--merchant") { Description = "The merchant id.", Required = true };

    /// <summary><c>--environment sandbox|live</c>, optional: what it means when left out is said in <paramref name="description"/>.</summary>
    private static Option<ReleaseEnvironment?> EnvironmentOption(string description) => new("--environment")
    {
        Description = description,
        HelpName = OptionValues.HelpName<ReleaseEnvironment>(),
        CustomParser = result => OptionValues.Name(result, ReleaseEnvironment.Sandbox),
    };

    private static string NoMerchant(string merchantId) => $"No merchant with id '{merchantId}'.";

    /// <summary>Opens the store (applying any new migrations), or says why it cannot be opened and returns null.</summary>
    private static ITillpointStore? OpenStore(StoreOptions options, CliOutput io)
    {
        try
        {
            return TillpointStores.Open(options);
        }
        catch (Exception e) when (e is System.Data.Common.DbException or IOException or UnauthorizedAccessException)
        {
            io.Fail(ExitCodes.StoreUnavailable, $"cannot open the {(options.Kind == StoreKind.Postgres ? "PostgreSQL" : "SQLite")} store: {e.Message}");
            return null;
        }
    }

    /// <summary>Runs <paramref name="use"/> on the store, open for it alone; when it cannot be opened, says why and returns exit code 5.</summary>
    private static int WithStore(StoreOptions options, CliOutput io, Func<ITillpointStore, int> use)
    {
        using var store = OpenStore(options, io);
        return store is null ? ExitCodes.StoreUnavailable : use(store);
    }

    /// <inheritdoc cref="WithStore"/>
    private static async Task<int> WithStoreAsync(StoreOptions options, CliOutput io, Func<ITillpointStore, Task<int>> use)
    {
        using var store = OpenStore(options, io);
        return store is null ? ExitCodes.StoreUnavailable : await use(store);
    }

    /// <summary>
    /// Opens the store and checks that <paramref name="merchantId"/> is one of its merchants. When either fails it says
    /// why and returns null, with the exit code in <paramref name="exitCode"/>.
    /// </summary>
    private static ITillpointStore? OpenStoreOfMerchant(StoreOptions options, string merchantId, CliOutput io, out int exitCode)
    {
        var store = OpenStore(options, io);
        if (store is null)
        {
            exitCode = ExitCodes.StoreUnavailable;
            return null;
        }

        if (store.Read(reader => reader.GetMerchant(merchantId)) is null)
        {
            store.Dispose();
            exitCode = io.Fail(ExitCodes.NotFound, NoMerchant(merchantId));
            return null;
        }

        exitCode = ExitCodes.Success;
        return store;
    }

    /// <summary>
    /// Runs <paramref name="use"/> on the store, open for it alone, once <paramref name="merchantId"/> is known to be one
    /// of its merchants; when either fails, says why and returns the exit code (5, or 3 for an unknown merchant).
    /// </summary>
    private static int WithMerchantStore(StoreOptions options, string merchantId, CliOutput io, Func<ITillpointStore, int> use)
    {
        using var store = OpenStoreOfMerchant(options, merchantId, io, out var exitCode);
        return store is null ? exitCode : use(store);
    }

    /// <inheritdoc cref="WithMerchantStore"/>
    private static async Task<int> WithMerchantStoreAsync(StoreOptions options, string merchantId, CliOutput io, Func<ITillpointStore, Task<int>> use)
    {
        using var store = OpenStoreOfMerchant(options, merchantId, io, out var exitCode);
        return store is null ? exitCode : await use(store);
    }
}
