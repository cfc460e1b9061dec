using System.CommandLine;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Serialization;
using Tillpoint.Domain;
using Tillpoint.Protocol.Signing;
using Tillpoint.Server.Hosting;
using Tillpoint.Storage;
using Tillpoint.Storage.Postgres;

namespace Tillpoint.Server.Cli;

/// <summary>
/// The <c>tillpoint</c> command line. Scripts rely on these verbs, options and <c>--json</c> shapes: change them only
/// compatibly, and keep the README in step.
/// </summary>
internal static class TillpointCli
{
    public const string DefaultDataDirectory = "tillpoint-data";

    /// <summary>Runs an action that returns nothing inside a store write.</summary>
    private static Task WriteAsync(this ITillpointStore store, Action<IWriteSession> action, CancellationToken cancellationToken) =>
        store.WriteAsync(
            write =>
            {
                action(write);
                return true;
            },
            cancellationToken);

    public static Task<int> RunAsync(string[] args, TextWriter? output = null, TextWriter? error = null, TimeProvider? clock = null)
    {
        var io = new CliOutput(output ?? Console.Out, error ?? Console.Error, clock ?? TimeProvider.System);
        var root = new RootCommand("Tillpoint: a self-hosted server speaking the Amazon Pay Checkout API v2.")
        {
            ServeCommand(),
            MerchantsCommand(io),
            KeysCommand(io),
        };
        // The web host handles SIGINT/SIGTERM itself (graceful shutdown: in-flight requests and queued writes finish);
        // System.CommandLine's own handler would end the process first.
        return root.Parse(args).InvokeAsync(new InvocationConfiguration { Output = io.Out, Error = io.Error, ProcessTerminationTimeout = null });
    }

    private static Option<string> DataDirOption() => new("--data-dir")
    {
        Description = "Folder holding the SQLite database, keys and the HTTPS certificate.",
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

    private static Option<bool> JsonOption() => new("--json") { Description = "Print machine-readable JSON." };

    private static Command ServeCommand()
    {
        var storage = new StoreArguments();
        var urls = new Option<string>("--urls")
        {
            Description = "Semicolon-separated listen URLs (HTTPS and HTTP).",
            DefaultValueFactory = _ => "https://127.0.0.1:8443;http://127.0.0.1:8080",
        };
        var publicUrl = new Option<Uri?>("--public-url") { Description = "Address buyers' browsers use to reach the hosted pages." };
        var certificate = new Option<string?>("--certificate") { Description = "PFX file to serve HTTPS with (default: generated)." };
        var certificatePassword = new Option<string?>("--certificate-password") { Description = "Password of the PFX file." };
        var durability = new Option<SqliteDurability>("--durability")
        {
            Description = "SQLite only. Full: every acknowledged write survives power loss. Normal: faster, may lose the last writes on power loss.",
            DefaultValueFactory = _ => SqliteDurability.Full,
        };
        var maxClockSkew = new Option<int>("--max-clock-skew")
        {
            Description = "How many minutes old a request's x-amz-pay-date may be.",
            DefaultValueFactory = _ => 15,
        };
        maxClockSkew.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<int>() is < 1 or > 24 * 60)
            {
                result.AddError("--max-clock-skew must be between 1 and 1440 minutes.");
            }
        });
        var operatorToken = new Option<string?>("--operator-token")
        {
            Description = "Bearer token for the operator endpoints (/operator/clock); unset disables them. Default: $TILLPOINT_OPERATOR_TOKEN.",
            DefaultValueFactory = _ => Environment.GetEnvironmentVariable("TILLPOINT_OPERATOR_TOKEN") is { Length: > 0 } token ? token : null,
        };
        operatorToken.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<string?>() is { Length: < 16 })
            {
                result.AddError("--operator-token must be at least 16 characters.");
            }
        });
        var metrics = new Option<MetricsAccess>("--metrics")
        {
            Description = "Who may read the Prometheus metrics at /metrics: Open (whoever reaches the server), Operator (Bearer operator token) or Off. Default: $TILLPOINT_METRICS, else Off.",
            DefaultValueFactory = _ => Enum.TryParse<MetricsAccess>(Environment.GetEnvironmentVariable("TILLPOINT_METRICS"), ignoreCase: true, out var access)
                ? access
                : MetricsAccess.Off,
        };
        var command = new Command("serve", "Run the API server, the hosted checkout pages and background work.")
        {
            urls, publicUrl, certificate, certificatePassword, durability, maxClockSkew, operatorToken, metrics,
        };
        storage.AddTo(command);
        command.SetAction(async (parse, cancellationToken) =>
        {
            var (store, connectionString) = storage.ReadServer(parse);
            var options = new ServerOptions
            {
                DataDirectory = storage.DataDirectory(parse),
                Store = store,
                ConnectionString = connectionString,
                Urls = parse.GetValue(urls)!.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries),
                PublicUrl = parse.GetValue(publicUrl),
                CertificatePath = parse.GetValue(certificate),
                CertificatePassword = parse.GetValue(certificatePassword),
                Durability = parse.GetValue(durability),
                SignatureMaxAge = TimeSpan.FromMinutes(parse.GetValue(maxClockSkew)),
                OperatorToken = parse.GetValue(operatorToken),
                MetricsAccess = parse.GetValue(metrics),
            };
            await using var app = TillpointApp.Build(options);
            try
            {
                await TillpointApp.StartAsync(app, cancellationToken);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or CryptographicException or System.Data.Common.DbException)
            {
                await Console.Error.WriteLineAsync($"error: tillpoint could not start: {e.Message}");
                return 2;
            }

            await app.WaitForShutdownAsync(cancellationToken);
            return 0;
        });
        return command;
    }

    private static Command MerchantsCommand(CliOutput io)
    {
        var storage = new StoreArguments();
        var json = JsonOption();
        var name = new Option<string>("--name") { Description = "A name for people.", DefaultValueFactory = _ => "Sandbox merchant" };
        var create = new Command("create", "Create a merchant with a merchant id and a store id.") { name, json };
        storage.AddTo(create);
        create.SetAction(async (parse, cancellationToken) =>
        {
            using var store = OpenStore(storage.Read(parse), io);
            if (store is null)
            {
                return 2;
            }

            var merchant = new Merchant(NewMerchantId(), NewStoreId(), parse.GetValue(name)!, io.Clock.GetUtcNow());
            await store.WriteAsync(write => write.AddMerchant(merchant), cancellationToken);
            io.Print(
                parse.GetValue(json),
                new MerchantJson(merchant.MerchantId, merchant.StoreId),
                CliJsonContext.Default.MerchantJson,
                $"Merchant {merchant.MerchantId}\nStore id {merchant.StoreId}");
            return 0;
        });

        var listStorage = new StoreArguments();
        var listJson = JsonOption();
        var list = new Command("list", "List merchants.") { listJson };
        listStorage.AddTo(list);
        list.SetAction(parse =>
        {
            using var store = OpenStore(listStorage.Read(parse), io);
            if (store is null)
            {
                return 2;
            }

            var merchants = store.Read(reader => reader.ListMerchants());
            io.Print(
                parse.GetValue(listJson),
                [.. merchants.Select(m => new MerchantJson(m.MerchantId, m.StoreId))],
                CliJsonContext.Default.ListMerchantJson,
                Table(["MERCHANT ID", "STORE ID", "NAME"], merchants.Select(m => new[] { m.MerchantId, m.StoreId, m.Name })));
            return 0;
        });

        return new Command("merchants", "Manage merchants.") { create, list };
    }

    private static Command KeysCommand(CliOutput io)
    {
        return new Command("keys", "Manage merchants' signing keys.")
        {
            KeysCreate(io), KeysImport(io), KeysList(io), KeysRevoke(io),
        };
    }

    private static Option<string> MerchantOption() => new("--merchant") { Description = "The merchant id.", Required = true };

    private static Option<string?> EnvironmentOption() => new("--environment")
    {
        Description = "sandbox or live: the key id then starts SANDBOX- or LIVE- and works only there. Without it the key works in both.",
    };

    private static Command KeysCreate(CliOutput io)
    {
        var storage = new StoreArguments();
        var merchant = MerchantOption();
        var environment = EnvironmentOption();
        var json = JsonOption();
        var output = new Option<string>("--out")
        {
            Description = "Where to write the private key (PEM).",
            DefaultValueFactory = _ => "private-key.pem",
        };
        var command = new Command("create", "Generate an RSA-2048 key pair, keep the public key and write the private key to a file.")
        {
            merchant, environment, output, json,
        };
        storage.AddTo(command);
        command.SetAction(async (parse, cancellationToken) =>
        {
            var env = ParseEnvironment(parse.GetValue(environment));
            if (env.Error is not null)
            {
                return io.Fail(env.Error);
            }

            using var store = OpenStore(storage.Read(parse), io);
            if (store is null)
            {
                return 2;
            }

            var merchantId = parse.GetValue(merchant)!;
            if (store.Read(reader => reader.GetMerchant(merchantId)) is null)
            {
                return io.Fail(NoMerchant(merchantId));
            }

            using var key = RsaSigningKey.Generate();
            var path = Path.GetFullPath(parse.GetValue(output)!);
            await WritePrivateKeyAsync(path, key.ExportPrivateKeyPem(), cancellationToken);
            var record = await AddKeyAsync(store, merchantId, env.Value, key.ExportPublicKeyPem(), io.Clock.GetUtcNow(), cancellationToken);
            io.Print(
                parse.GetValue(json),
                new KeyJson(record.PublicKeyId, path),
                CliJsonContext.Default.KeyJson,
                $"Public key id {record.PublicKeyId}\nPrivate key written to {path}");
            return 0;
        });
        return command;
    }

    private static Command KeysImport(CliOutput io)
    {
        var storage = new StoreArguments();
        var merchant = MerchantOption();
        var environment = EnvironmentOption();
        var json = JsonOption();
        var publicKey = new Option<string>("--public-key") { Description = "PEM file with the public key.", Required = true };
        var command = new Command("import", "Register a public key the merchant generated elsewhere.")
        {
            merchant, environment, publicKey, json,
        };
        storage.AddTo(command);
        command.SetAction(async (parse, cancellationToken) =>
        {
            var env = ParseEnvironment(parse.GetValue(environment));
            if (env.Error is not null)
            {
                return io.Fail(env.Error);
            }

            string pem;
            try
            {
                pem = await File.ReadAllTextAsync(parse.GetValue(publicKey)!, cancellationToken);
                using var parsed = RsaVerificationKey.FromPem(pem);
                pem = parsed.PublicKeyPem;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or CryptographicException)
            {
                return io.Fail($"Cannot read an RSA public key (2048 bits or more) from '{parse.GetValue(publicKey)}': {e.Message}");
            }

            using var store = OpenStore(storage.Read(parse), io);
            if (store is null)
            {
                return 2;
            }

            var merchantId = parse.GetValue(merchant)!;
            if (store.Read(reader => reader.GetMerchant(merchantId)) is null)
            {
                return io.Fail(NoMerchant(merchantId));
            }

            var record = await AddKeyAsync(store, merchantId, env.Value, pem, io.Clock.GetUtcNow(), cancellationToken);
            io.Print(parse.GetValue(json), new KeyJson(record.PublicKeyId, null), CliJsonContext.Default.KeyJson, $"Public key id {record.PublicKeyId}");
            return 0;
        });
        return command;
    }

    private static Command KeysList(CliOutput io)
    {
        var storage = new StoreArguments();
        var merchant = new Option<string?>("--merchant") { Description = "Only this merchant's keys." };
        var json = JsonOption();
        var command = new Command("list", "List public keys.") { merchant, json };
        storage.AddTo(command);
        command.SetAction(parse =>
        {
            using var store = OpenStore(storage.Read(parse), io);
            if (store is null)
            {
                return 2;
            }

            var keys = store.Read(reader => reader.ListPublicKeys(parse.GetValue(merchant)));
            io.Print(
                parse.GetValue(json),
                [.. keys.Select(k => new KeyListJson(k.PublicKeyId, k.MerchantId, k.Environment?.ToString(), k.RevokedAt is not null))],
                CliJsonContext.Default.ListKeyListJson,
                Table(
                    ["PUBLIC KEY ID", "MERCHANT", "ENVIRONMENT", "STATUS"],
                    keys.Select(k => new[] { k.PublicKeyId, k.MerchantId, k.Environment?.ToString() ?? "both", k.RevokedAt is null ? "active" : "revoked" })));
            return 0;
        });
        return command;
    }

    private static Command KeysRevoke(CliOutput io)
    {
        var storage = new StoreArguments();
        var json = JsonOption();
        var keyId = new Argument<string>("public-key-id") { Description = "The key to revoke." };
        var command = new Command("revoke", "Revoke a public key: requests signed with it are refused from then on.") { keyId, json };
        storage.AddTo(command);
        command.SetAction(async (parse, cancellationToken) =>
        {
            using var store = OpenStore(storage.Read(parse), io);
            if (store is null)
            {
                return 2;
            }

            var id = parse.GetValue(keyId)!;
            var revoked = await store.WriteAsync(write => write.RevokePublicKey(id, io.Clock.GetUtcNow()), cancellationToken);
            if (!revoked)
            {
                return io.Fail($"No active public key with id '{id}'.");
            }

            io.Print(parse.GetValue(json), new KeyJson(id, null), CliJsonContext.Default.KeyJson, $"Revoked {id}");
            return 0;
        });
        return command;
    }

    private static string NoMerchant(string merchantId) => $"No merchant with id '{merchantId}'.";

    private static async Task<PublicKeyRecord> AddKeyAsync(
        ITillpointStore store, string merchantId, ReleaseEnvironment? environment, string publicKeyPem, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var record = new PublicKeyRecord(NewPublicKeyId(environment), merchantId, environment, publicKeyPem, now, null);
        await store.WriteAsync(write => write.AddPublicKey(record), cancellationToken);
        return record;
    }

    /// <summary>Opens the store, or says why it cannot be opened and returns null.</summary>
    private static ITillpointStore? OpenStore(StoreOptions options, CliOutput io)
    {
        try
        {
            return TillpointStores.Open(options);
        }
        catch (Exception e) when (e is System.Data.Common.DbException or IOException or UnauthorizedAccessException)
        {
            io.Fail($"cannot open the {(options.Kind == StoreKind.Postgres ? "PostgreSQL" : "SQLite")} store: {e.Message}");
            return null;
        }
    }

    private static Result<ReleaseEnvironment?> ParseEnvironment(string? value) => value?.ToLowerInvariant() switch
    {
        null => (ReleaseEnvironment?)null,
        "sandbox" => (ReleaseEnvironment?)ReleaseEnvironment.Sandbox,
        "live" => (ReleaseEnvironment?)ReleaseEnvironment.Live,
        _ => new DomainError(ErrorCode.InvalidParameterValue, $"--environment must be sandbox or live, not '{value}'."),
    };

    private static async Task WritePrivateKeyAsync(string path, string pem, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        await File.WriteAllTextAsync(path, pem, cancellationToken);
        if (!OperatingSystem.IsWindows())
        {
            // A private key is readable by its owner only.
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
    }

    private const string Alphanumerics = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";

    private static string NewMerchantId() => "A" + RandomNumberGenerator.GetString(Alphanumerics, 13);

    private static string NewStoreId() =>
        "amzn1.application-oa2-client." + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));

    private static string NewPublicKeyId(ReleaseEnvironment? environment) => environment switch
    {
        ReleaseEnvironment.Sandbox => "SANDBOX-",
        ReleaseEnvironment.Live => "LIVE-",
        null => string.Empty,
    } + RandomNumberGenerator.GetString(Alphanumerics, 24);

    private static string Table(string[] header, IEnumerable<string[]> rows)
    {
        var all = new List<string[]> { header };
        all.AddRange(rows);
        var widths = header.Select((_, i) => all.Max(r => r[i].Length)).ToArray();
        return string.Join('\n', all.Select(r => string.Join("  ", r.Select((cell, i) => cell.PadRight(widths[i]))).TrimEnd()));
    }

    /// <summary>Where a verb writes, and the clock it stamps records with.</summary>
    private sealed class CliOutput(TextWriter output, TextWriter error, TimeProvider clock)
    {
        public TimeProvider Clock => clock;

        public TextWriter Out => output;

        public TextWriter Error => error;

        public void Print<T>(bool json, T value, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> typeInfo, string text) =>
            output.WriteLine(json ? JsonSerializer.Serialize(value, typeInfo) : text);

        public int Fail(DomainError failure) => Fail(failure.Message);

        public int Fail(string message)
        {
            error.WriteLine($"error: {message}");
            return 2;
        }
    }
}

internal sealed record MerchantJson(string MerchantId, string StoreId);

internal sealed record KeyJson(string PublicKeyId, string? PrivateKeyPath);

internal sealed record KeyListJson(string PublicKeyId, string MerchantId, string? Environment, bool Revoked);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(MerchantJson))]
[JsonSerializable(typeof(List<MerchantJson>))]
[JsonSerializable(typeof(KeyJson))]
[JsonSerializable(typeof(List<KeyListJson>))]
internal sealed partial class CliJsonContext : JsonSerializerContext;
