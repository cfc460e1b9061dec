using System.CommandLine;
using System.CommandLine.Parsing;
using Spectre.Console;
using Tillpoint.Server.Exports;
using Tillpoint.Server.Hosting;

namespace Tillpoint.Server.Cli;

internal static partial class TillpointCli
{
    /// <summary>Events read per store query: one page is all an export holds in memory.</summary>
    private const int DefaultEventsPerPage = 1000;

    private const int MaxEventsPerPage = 10_000;

    private const string StandardOutput = "-";

    private static readonly string[] DateFormats = BuildDateFormats();

    private static Command ExportCommand(CliOutput io)
    {
        var storage = new StoreArguments();
        var merchant = MerchantOption();
        var environment = EnvironmentOption("sandbox or live: only that environment's events. Default: both (the environment column tells them apart).");
        var from = new Option<DateTimeOffset>("--from")
        {
            Description = "Start of the range, inclusive, in UTC: a date (2026-11-01) or a date and time (2026-11-01T09:30:00Z, or with an offset).",
            Required = true,
            CustomParser = ParseDate,
        };
        var to = new Option<DateTimeOffset>("--to")
        {
            Description = "End of the range, exclusive, in the same forms: --from 2026-11-01 --to 2026-12-01 is the whole of November.",
            Required = true,
            CustomParser = ParseDate,
        };
        var kind = new Option<ExportKind>("--kind")
        {
            HelpName = "settlement|charges|refunds|events",
            CustomParser = result => OptionValues.Name(result, ExportKind.Settlement),
            Description = "settlement: one row per money movement (authorization, capture, refund); charges or refunds: only those rows; events: every stored state change.",
            DefaultValueFactory = _ => ExportKind.Settlement,
        };
        var format = new Option<ExportFormat?>("--format")
        {
            HelpName = "csv|json|jsonl",
            CustomParser = result => OptionValues.Name(result, ExportFormat.Csv),
            Description = "csv (RFC 4180, with a header row), json (one array) or jsonl (one object per line). Default: from --out's extension, else csv.",
        };
        var output = new Option<string>("--out", "-o")
        {
            Description = "The file to write, or - for stdout. A file is written whole or not at all, with progress on stderr.",
            DefaultValueFactory = _ => StandardOutput,
        };
        var force = new Option<bool>("--force") { Description = "Replace --out if it exists (otherwise that is exit code 4)." };
        var pageSize = new Option<int>("--page-size")
        {
            Description = $"Events read per store query (1–{MaxEventsPerPage}); memory use follows it, not the size of the export.",
            DefaultValueFactory = _ => DefaultEventsPerPage,
            CustomParser = OptionValues.WholeNumber(1, MaxEventsPerPage),
        };
        var json = new Option<bool>("--json")
        {
            Description = "With --out FILE: print a JSON summary (path, rows, events) on stdout. Not with --out -, where the export itself is stdout.",
        };
        var command = new Command(
            "export",
            "Export a merchant's money movements (a settlement report) or raw events for a time range, as CSV or JSON.")
        {
            merchant, environment, from, to, kind, format, output, force, pageSize, json,
        };
        storage.AddTo(command);
        command.Validators.Add(result =>
        {
            if (result.GetResult(from) is not null && result.GetResult(to) is not null)
            {
                try
                {
                    if (result.GetValue(to) <= result.GetValue(from))
                    {
                        result.AddError("--to must be after --from (the range is from inclusive, to exclusive).");
                    }
                }
                catch (InvalidOperationException)
                {
                    // A date was refused, and said so, by its parser; the range cannot be judged without it.
                }
            }

            // In a validator an option left out reads as null rather than as its default.
            if (result.GetValue(json) && result.GetValue(output) is null or "" or StandardOutput)
            {
                result.AddError("--json describes the file written: give --out FILE, or use --format json to get the export itself as JSON.");
            }
        });
        WithExamples(
            command,
            "tillpoint export --merchant A1B2C3D4E5F6G7 --from 2026-11-01 --to 2026-12-01 --out november.csv",
            "tillpoint export --merchant A1B2C3D4E5F6G7 --environment live --from 2026-11-01 --to 2026-11-02 --format jsonl | jq .amount",
            "tillpoint export --merchant A1B2C3D4E5F6G7 --kind events --from 2026-11-01T00:00:00Z --to 2026-11-01T12:00:00Z --out events.json --json");
        command.SetAction(async (parse, cancellationToken) =>
        {
            var path = parse.GetValue(output)!;
            var toFile = path != StandardOutput;
            var fullPath = toFile ? Path.GetFullPath(path) : null;
            if (fullPath is not null && OwnerOnly.Exists(fullPath) && !parse.GetValue(force))
            {
                return io.Fail(ExitCodes.Conflict, OutExists(fullPath));
            }

            var chosenFormat = parse.GetValue(format) ?? FormatOf(path);
            var merchantId = parse.GetValue(merchant)!;
            return await WithMerchantStoreAsync(storage.Read(parse), merchantId, io, async store =>
            {
                var range = new EventRange(merchantId, parse.GetValue(environment), parse.GetValue(from), parse.GetValue(to));
                var export = new LedgerExport(store, range, parse.GetValue(kind), parse.GetValue(pageSize));
                if (fullPath is null)
                {
                    export.Write(ExportSink.Create(chosenFormat, io.Out, ExportRows.Columns(export.Kind)), progress: null, cancellationToken);
                    return ExitCodes.Success;
                }

                // Ctrl+C stops the export between pages, and the partial file is removed, rather than the process ending mid-write.
                using var interrupted = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                ConsoleCancelEventHandler onInterrupt = (_, args) =>
                {
                    args.Cancel = true;
                    interrupted.Cancel();
                };
                Console.CancelKeyPress += onInterrupt;
                try
                {
                    await WriteFileAsync(fullPath, chosenFormat, export, io, interrupted.Token);
                }
                finally
                {
                    Console.CancelKeyPress -= onInterrupt;
                }

                io.Print(
                    parse.GetValue(json),
                    new ExportJson(
                        fullPath, export.Kind.ToString().ToLowerInvariant(), chosenFormat.ToString().ToLowerInvariant(),
                        ExportRows.Time(range.From), ExportRows.Time(range.To), export.RowsWritten, export.EventsRead),
                    CliJsonContext.Default.ExportJson,
                    $"Wrote {export.RowsWritten} {export.Kind.ToString().ToLowerInvariant()} row{(export.RowsWritten == 1 ? string.Empty : "s")} ({export.EventsRead} event{(export.EventsRead == 1 ? string.Empty : "s")}) to {fullPath}");
                return ExitCodes.Success;
            });
        });
        return command;
    }

    /// <summary>
    /// Writes the export next to its destination and moves it there at the end, so a failed or canceled export never
    /// leaves half a report where a whole one is expected.
    /// </summary>
    private static async Task WriteFileAsync(string path, ExportFormat format, LedgerExport export, CliOutput io, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var partial = $"{path}.{Guid.NewGuid():N}.partial";
        try
        {
            // An export holds buyers' data: owner-only from the start, and the rename below replaces a symbolic link at
            // the destination rather than writing into the file it points to.
            await using (var writer = new StreamWriter(OwnerOnly.CreateNew(partial), new UTF8Encoding(false)))
            {
                var sink = ExportSink.Create(format, writer, ExportRows.Columns(export.Kind));
                if (io.ProgressConsole() is { } console)
                {
                    var total = export.Count();
                    console.Progress()
                        .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn())
                        .Start(context =>
                        {
                            var task = context.AddTask($"Exporting {total} events", maxValue: Math.Max(total, 1));
                            export.Write(sink, read => task.Increment(read), cancellationToken);
                            task.Value = task.MaxValue;
                        });
                }
                else
                {
                    export.Write(sink, progress: null, cancellationToken);
                }
            }

            File.Move(partial, path, overwrite: true);
        }
        finally
        {
            File.Delete(partial);
        }
    }

    private static ExportFormat FormatOf(string path) => Path.GetExtension(path).ToLowerInvariant() switch
    {
        ".json" => ExportFormat.Json,
        ".jsonl" or ".ndjson" => ExportFormat.Jsonl,
        _ => ExportFormat.Csv,
    };

    /// <summary>A date is midnight UTC; a date and time without an offset is UTC; one with an offset is converted.</summary>
    private static DateTimeOffset ParseDate(ArgumentResult result)
    {
        var text = result.Tokens.Count == 1 ? result.Tokens[0].Value : string.Empty;
        if (DateTimeOffset.TryParseExact(
                text, DateFormats, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var value))
        {
            return value;
        }

        var name = result.Parent is OptionResult option ? option.Option.Name : "the date";
        result.AddError($"{name} must be a date (2026-11-01) or a date and time (2026-11-01T09:30:00Z), not '{text}'.");
        return default;
    }

    private static string[] BuildDateFormats()
    {
        string[] times = ["", "'T'HH:mm", "'T'HH:mm:ss", "'T'HH:mm:ss.FFFFFFF"];
        string[] zones = ["", "'Z'", "zzz"];
        return [.. times.SelectMany(time => (time.Length == 0 ? [""] : zones).Select(zone => "yyyy-MM-dd" + time + zone))];
    }
}
