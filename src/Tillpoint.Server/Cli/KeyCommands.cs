using System.CommandLine;
using System.Security.Cryptography;
using Tillpoint.Protocol.Signing;
using Tillpoint.Server.Hosting;
using Tillpoint.Server.Signing;

namespace Tillpoint.Server.Cli;

internal static partial class TillpointCli
{
    private const string KeyEnvironment = "sandbox or live: the key id then starts SANDBOX- or LIVE- and works only there. Without it the key works in both.";

    private static Command KeysCommand(CliOutput io)
    {
        var command = new Command("keys", "Manage merchants' signing keys.")
        {
            KeysCreate(io), KeysImport(io), KeysList(io), KeysRevoke(io),
        };
        WithExamples(
            command,
            "tillpoint keys create --merchant A1B2C3D4E5F6G7 --environment sandbox --out private-key.pem",
            "tillpoint keys import --merchant A1B2C3D4E5F6G7 --public-key public-key.pem",
            "tillpoint keys list --merchant A1B2C3D4E5F6G7",
            "tillpoint keys revoke SANDBOX-ABCDEFGHIJKLMNOPQRSTUVWX");
        return command;
    }

    private static Command KeysCreate(CliOutput io)
    {
        var storage = new StoreArguments();
        var merchant = MerchantOption();
        var environment = EnvironmentOption(KeyEnvironment);
        var json = JsonOption();
        var output = new Option<string>("--out")
        {
            Description = "Where to write the private key (PEM), readable by its owner only.",
            DefaultValueFactory = _ => "private-key.pem",
        };
        var force = new Option<bool>("--force") { Description = "Replace --out if it exists (otherwise that is exit code 4)." };
        var command = new Command("create", "Generate an RSA-2048 key pair, keep the public key and write the private key to a file.")
        {
            merchant, environment, output, force, json,
        };
        storage.AddTo(command);
        WithExamples(
            command,
            "tillpoint keys create --merchant A1B2C3D4E5F6G7 --environment sandbox --out private-key.pem",
            "tillpoint keys create --merchant A1B2C3D4E5F6G7 --out live-key.pem --json   # {\"publicKeyId\":\"…\",\"privateKeyPath\":\"/…/live-key.pem\"}");
        command.SetAction(async (parse, cancellationToken) =>
        {
            var path = Path.GetFullPath(parse.GetValue(output)!);
            var replace = parse.GetValue(force);
            if (!replace && OwnerOnly.Exists(path))
            {
                return io.Fail(ExitCodes.Conflict, OutExists(path));
            }

            var merchantId = parse.GetValue(merchant)!;
            return await WithMerchantStoreAsync(storage.Read(parse), merchantId, io, async store =>
            {
                using var key = RsaSigningKey.Generate();
                // The key is written before its public half is stored, so a key the store knows always has its private half.
                if (!await WritePrivateKeyAsync(path, key.ExportPrivateKeyPem(), replace, cancellationToken))
                {
                    return io.Fail(ExitCodes.Conflict, OutExists(path));
                }

                var record = await AddKeyAsync(store, merchantId, parse.GetValue(environment), key.ExportPublicKeyPem(), io.Clock.GetUtcNow(), cancellationToken);
                io.Print(
                    parse.GetValue(json),
                    new KeyJson(record.PublicKeyId, path),
                    CliJsonContext.Default.KeyJson,
                    $"Public key id {record.PublicKeyId}\nPrivate key written to {path}");
                return ExitCodes.Success;
            });
        });
        return command;
    }

    private static Command KeysImport(CliOutput io)
    {
        var storage = new StoreArguments();
        var merchant = MerchantOption();
        var environment = EnvironmentOption(KeyEnvironment);
        var json = JsonOption();
        var publicKey = new Option<string>("--public-key") { Description = "PEM file with the public key (RSA, 2048 bits or more).", Required = true };
        var command = new Command("import", "Register a public key the merchant generated elsewhere.")
        {
            merchant, environment, publicKey, json,
        };
        storage.AddTo(command);
        WithExamples(command, "tillpoint keys import --merchant A1B2C3D4E5F6G7 --environment live --public-key public-key.pem --json");
        command.SetAction(async (parse, cancellationToken) =>
        {
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

            var merchantId = parse.GetValue(merchant)!;
            return await WithMerchantStoreAsync(storage.Read(parse), merchantId, io, async store =>
            {
                var record = await AddKeyAsync(store, merchantId, parse.GetValue(environment), pem, io.Clock.GetUtcNow(), cancellationToken);
                io.Print(parse.GetValue(json), new KeyJson(record.PublicKeyId, null), CliJsonContext.Default.KeyJson, $"Public key id {record.PublicKeyId}");
                return ExitCodes.Success;
            });
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
        WithExamples(command, "tillpoint keys list --merchant A1B2C3D4E5F6G7", "tillpoint keys list --json");
        command.SetAction(parse => WithStore(storage.Read(parse), io, store =>
        {
            var keys = store.Read(reader => reader.ListPublicKeys(parse.GetValue(merchant)));
            io.Print(
                parse.GetValue(json),
                [.. keys.Select(k => new KeyListJson(k.PublicKeyId, k.MerchantId, k.Environment?.ToString(), k.RevokedAt is not null))],
                CliJsonContext.Default.ListKeyListJson,
                Table(
                    ["PUBLIC KEY ID", "MERCHANT", "ENVIRONMENT", "STATUS"],
                    keys.Select(k => new[] { k.PublicKeyId, k.MerchantId, k.Environment?.ToString() ?? "both", k.RevokedAt is null ? "active" : "revoked" })));
            return ExitCodes.Success;
        }));
        return command;
    }

    private static Command KeysRevoke(CliOutput io)
    {
        var storage = new StoreArguments();
        var json = JsonOption();
        var keyId = new Argument<string>("public-key-id") { Description = "The key to revoke." };
        var command = new Command("revoke", "Revoke a public key: requests signed with it are refused from then on.") { keyId, json };
        storage.AddTo(command);
        WithExamples(command, "tillpoint keys revoke SANDBOX-ABCDEFGHIJKLMNOPQRSTUVWX");
        command.SetAction((parse, cancellationToken) => WithStoreAsync(storage.Read(parse), io, async store =>
        {
            var id = parse.GetValue(keyId)!;
            var revoked = await store.WriteAsync(write => write.RevokePublicKey(id, io.Clock.GetUtcNow()), cancellationToken);
            if (!revoked)
            {
                return store.Read(reader => reader.GetPublicKey(id)) is null
                    ? io.Fail(ExitCodes.NotFound, $"No public key with id '{id}'.")
                    : io.Fail(ExitCodes.Conflict, $"The public key '{id}' is already revoked.");
            }

            io.Print(parse.GetValue(json), new KeyJson(id, null), CliJsonContext.Default.KeyJson, $"Revoked {id}");
            return ExitCodes.Success;
        }));
        return command;
    }

    private static async Task<PublicKeyRecord> AddKeyAsync(
        ITillpointStore store, string merchantId, ReleaseEnvironment? environment, string publicKeyPem, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var record = new PublicKeyRecord(PublicKeyIds.New(environment), merchantId, environment, publicKeyPem, now, null);
        await store.WriteAsync(write => write.AddPublicKey(record), cancellationToken);
        return record;
    }

    /// <summary>
    /// Writes the private key to a file readable by its owner only from the start. Without <paramref name="replace"/>
    /// the file is created exclusively, and false means something took the name since it was checked.
    /// </summary>
    private static async Task<bool> WritePrivateKeyAsync(string path, string pem, bool replace, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var contents = Encoding.UTF8.GetBytes(pem);
        if (replace)
        {
            await OwnerOnly.ReplaceAsync(path, contents, cancellationToken);
            return true;
        }

        try
        {
            await using var file = OwnerOnly.CreateNew(path);
            await file.WriteAsync(contents, cancellationToken);
            return true;
        }
        catch (IOException) when (OwnerOnly.Exists(path))
        {
            return false;
        }
    }

    private static string OutExists(string path) => $"'{path}' exists: choose another --out, or add --force to replace it.";
}
