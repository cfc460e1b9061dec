using System.CommandLine;
using Tillpoint.Server.Dashboard;

namespace Tillpoint.Server.Cli;

internal static partial class TillpointCli
{
    private static Command OperatorTokenCommand(CliOutput io)
    {
        var command = new Command("operator-token", "Manage the operator token of the dashboard, /operator/… and /metrics.") { OperatorTokenRotateCommand(io) };
        WithExamples(command, "tillpoint operator-token rotate --data-dir ./data");
        return command;
    }

    /// <summary>
    /// A new token where the server keeps it, and every dashboard session ended: on a running server and on every node
    /// sharing the store, at their next request. A server started with <c>--operator-token</c> keeps that token (only a
    /// restart with another changes it); its sessions end all the same.
    /// </summary>
    private static Command OperatorTokenRotateCommand(CliOutput io)
    {
        var storage = new StoreArguments();
        var json = JsonOption();
        var command = new Command(
            "rotate",
            "Replace the kept operator token (the file operator-token in the data folder, owner-only; with PostgreSQL the settings table) and sign every dashboard session out. Running servers take the new token at once; one started with --operator-token keeps that token.")
        {
            json,
        };
        storage.AddTo(command);
        WithExamples(
            command,
            "tillpoint operator-token rotate --data-dir ./data",
            "tillpoint operator-token rotate --store postgres --connection-string \"Host=db;Database=tillpoint\" --json");
        command.SetAction(async (parse, cancellationToken) =>
        {
            var options = storage.Read(parse);
            using var store = OpenStore(options, io);
            if (store is null)
            {
                return ExitCodes.StoreUnavailable;
            }

            var where = await OperatorToken.RotateAsync(options.Kind, options.DataDirectory, store, cancellationToken);
            var (file, read) = options.Kind switch
            {
                StoreKind.Sqlite => ((string?)where, $"cat {where}"),
                StoreKind.Postgres => (null, where),
            };
            io.Print(
                parse.GetValue(json),
                new OperatorTokenJson(file, read),
                CliJsonContext.Default.OperatorTokenJson,
                $"A new operator token is kept {(file is null ? "in the settings table" : $"in {file} (readable by its owner only)")}; read it with: {read}\n"
                + "Every dashboard session has ended; the old token no longer works.");
            return ExitCodes.Success;
        });
        return command;
    }
}
