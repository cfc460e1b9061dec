using System.CommandLine;

namespace Tillpoint.Server.Cli;

internal static partial class TillpointCli
{
    /// <summary>
    /// Applies the schema migrations this build ships, and says which: for upgrades run as a step of their own before
    /// the new version serves (every verb that opens the store migrates too).
    /// </summary>
    private static Command MigrateCommand(CliOutput io)
    {
        var storage = new StoreArguments();
        var json = JsonOption();
        var command = new Command("migrate", "Create the store or bring its schema up to date, and report the migrations applied.") { json };
        storage.AddTo(command);
        WithExamples(
            command,
            "tillpoint migrate --data-dir ./data",
            "tillpoint migrate --store postgres --connection-string \"Host=db;Database=tillpoint\" --json   # {\"store\":\"postgres\",\"schemaVersion\":2,\"applied\":[2]}");
        command.SetAction(async parse =>
        {
            var options = storage.Read(parse);
            using var store = await io.StatusAsync("Opening the store and applying migrations…", () => Task.Run(() => OpenStore(options, io)));
            if (store is null)
            {
                return ExitCodes.StoreUnavailable;
            }

            var schema = (IStoreSchema)store;
            var kind = options.Kind switch
            {
                StoreKind.Sqlite => "sqlite",
                StoreKind.Postgres => "postgres",
            };
            var applied = schema.MigrationsApplied;
            io.Print(
                parse.GetValue(json),
                new MigrateJson(kind, schema.SchemaVersion, [.. applied]),
                CliJsonContext.Default.MigrateJson,
                applied.Count == 0
                    ? $"The {kind} store is up to date at schema version {schema.SchemaVersion}."
                    : $"Applied migration{(applied.Count == 1 ? string.Empty : "s")} {string.Join(", ", applied)}: the {kind} store is at schema version {schema.SchemaVersion}.");
            return ExitCodes.Success;
        });
        return command;
    }
}
