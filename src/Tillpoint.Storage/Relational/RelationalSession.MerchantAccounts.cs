using System.Data.Common;
using Tillpoint.Domain;
using Tillpoint.Domain.MerchantAccounts;

namespace Tillpoint.Storage.Relational;

/// <summary>Merchant accounts: the same SQL on both stores.</summary>
internal sealed partial class RelationalSession
{
    private const string MerchantAccountColumns =
        "merchant_account_id, created_by, environment, kind, state, unique_reference_id, version, created_at, updated_at, document";

    public MerchantAccount? GetMerchantAccount(string createdBy, string merchantAccountId)
    {
        if (!CanStore(createdBy) || !CanStore(merchantAccountId))
        {
            return null;
        }

        using var command = Command(
            $"SELECT {MerchantAccountColumns} FROM merchant_accounts WHERE merchant_account_id = @id AND created_by = @m");
        command.Text("id", merchantAccountId);
        command.Text("m", createdBy);
        using var reader = command.Read();
        return reader.Read() ? ReadMerchantAccount(reader) : null;
    }

    public MerchantAccount? FindMerchantAccountByReference(string createdBy, ReleaseEnvironment environment, string uniqueReferenceId)
    {
        if (!CanStore(createdBy) || !CanStore(uniqueReferenceId))
        {
            return null;
        }

        if (Writes && Dialect.LocksNames)
        {
            // Held until the command commits: a second create of this reference on any node waits, then finds the first.
            Dialect.LockName(this, "merchant-account", createdBy, environment.ToString(), uniqueReferenceId);
        }

        using var command = Command(
            $"""
            SELECT {MerchantAccountColumns} FROM merchant_accounts
            WHERE created_by = @m AND environment = @env AND unique_reference_id = @ref AND state <> 'Deleted'
            """);
        command.Text("m", createdBy);
        command.Text("env", environment.ToString());
        command.Text("ref", uniqueReferenceId);
        using var reader = command.Read();
        return reader.Read() ? ReadMerchantAccount(reader) : null;
    }

    public MerchantAccount? FindMerchantAccount(string merchantAccountId)
    {
        if (!CanStore(merchantAccountId))
        {
            return null;
        }

        using var command = Command($"SELECT {MerchantAccountColumns} FROM merchant_accounts WHERE merchant_account_id = @id");
        command.Text("id", merchantAccountId);
        using var reader = command.Read();
        return reader.Read() ? ReadMerchantAccount(reader) : null;
    }

    public IReadOnlyList<MerchantAccount> ListMerchantAccounts(string? createdBy, int limit)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limit);
        if (!CanStore(createdBy))
        {
            return [];
        }

        using var command = Command(
            $"""
            SELECT {MerchantAccountColumns} FROM merchant_accounts
            WHERE @m IS NULL OR created_by = @m
            ORDER BY created_at DESC, merchant_account_id DESC LIMIT @limit
            """);
        command.Text("m", createdBy);
        command.Int32("limit", limit);
        return command.ReadAll(ReadMerchantAccount);
    }

    public MerchantAccount Save(MerchantAccount account)
    {
        var saved = account with { Version = account.Version + 1 };
        using var command = Command(account.Version == 0
            ? """
              INSERT INTO merchant_accounts (merchant_account_id, created_by, environment, kind, state, unique_reference_id, version, created_at, updated_at, document)
              VALUES (@id, @m, @env, @kind, @state, @ref, 1, @created, @updated, @doc)
              """
            : """
              UPDATE merchant_accounts SET state = @state, version = version + 1, updated_at = @updated, document = @doc
              WHERE merchant_account_id = @id AND created_by = @m AND version = @version
              """);
        command.Text("id", account.MerchantAccountId);
        command.Text("m", account.CreatedBy);
        command.Text("state", account.State.ToString());
        command.Time("updated", account.UpdatedAt);
        command.Bytes("doc", StoredMerchantAccount.Write(account));
        if (account.Version == 0)
        {
            command.Text("env", account.Environment.ToString());
            command.Text("kind", account.Kind.ToString());
            command.Text("ref", account.UniqueReferenceId);
            command.Time("created", account.CreatedAt);
        }
        else
        {
            command.Int64("version", account.Version);
        }

        if (command.Execute() != 1)
        {
            throw new ConcurrencyConflictException($"Merchant account '{account.MerchantAccountId}' changed since version {account.Version} was read.");
        }

        return saved;
    }

    private MerchantAccount ReadMerchantAccount(DbDataReader reader) =>
        StoredMerchantAccount.Read(reader.GetFieldValue<byte[]>(9)).ToAccount(
            reader.GetString(0),
            reader.GetString(1),
            Enum.Parse<ReleaseEnvironment>(reader.GetString(2)),
            Enum.Parse<MerchantAccountKind>(reader.GetString(3)),
            Enum.Parse<MerchantAccountState>(reader.GetString(4)),
            reader.GetString(5),
            reader.GetInt64(6),
            Dialect.GetTime(reader, 7),
            Dialect.GetTime(reader, 8));
}
