using System.Data.Common;
using Tillpoint.Domain;
using Tillpoint.Domain.Regions;

namespace Tillpoint.Storage.Relational;

/// <summary>Due work, events, idempotency keys, merchants and their keys, delivery trackers and settings.</summary>
internal sealed partial class RelationalSession
{
    public IReadOnlyList<DueItem> FindDue(ReleaseEnvironment environment, DateTimeOffset now, int limit)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limit);
        using var command = Command(_sql.FindDue);
        command.Text("env", environment.ToString());
        command.Time("now", now);
        command.Int32("limit", limit);
        return ReadDueItems(command);
    }

    public IReadOnlyList<DueItem> ClaimDue(ReleaseEnvironment environment, DateTimeOffset now, int limit, bool skipLocked) =>
        Dialect.ClaimDue(this, environment, now, limit, skipLocked);

    /// <summary>Rows selected as object type, merchant id, object id, charge permission id, due time.</summary>
    internal List<DueItem> ReadDueItems(Statement command) =>
        command.ReadAll(reader => new DueItem(
            Enum.Parse<ObjectType>(reader.GetString(0)),
            reader.GetString(1),
            reader.GetString(2),
            reader.IsDBNull(3) ? null : reader.GetString(3),
            Dialect.GetTime(reader, 4)));

    public IReadOnlyList<StoredEvent> GetEvents(string merchantId, string objectId) =>
        ReadRows<StoredEvent, EventRows>(_sql.Events, merchantId, objectId, new EventRows(merchantId));

    public void Append(string merchantId, ReleaseEnvironment environment, IReadOnlyList<DomainEvent> events)
    {
        if (events.Count == 0)
        {
            return;
        }

        Dialect.Append(this, merchantId, environment, events);
    }

    /// <summary>
    /// One row of <c>events</c> selected as event_id, environment, object_type, object_id, charge_permission_id,
    /// from_state, to_state, reason_code, amount, currency, occurred_at, detail (the order every events query uses).
    /// </summary>
    private StoredEvent ReadEvent(DbDataReader reader, string merchantId)
    {
        Money? amount = reader.IsDBNull(8)
            ? null
            : new Money(Dialect.GetEventAmount(reader, 8), Enum.Parse<Currency>(reader.GetString(9)));
        var domainEvent = new DomainEvent(
            Enum.Parse<ObjectType>(reader.GetString(2)),
            reader.GetString(3),
            reader.IsDBNull(4) ? null : reader.GetString(4),
            reader.IsDBNull(5) ? null : reader.GetString(5),
            reader.GetString(6),
            reader.IsDBNull(7) ? null : reader.GetString(7),
            amount,
            Dialect.GetTime(reader, 10),
            reader.IsDBNull(11) ? null : reader.GetString(11));
        return new StoredEvent(reader.GetInt64(0), merchantId, Enum.Parse<ReleaseEnvironment>(reader.GetString(1)), domainEvent);
    }

    public IdempotencyRecord? FindIdempotency(IdempotencyScope scope)
    {
        if (Writes && Dialect.LocksNames)
        {
            // Held until the command commits: a request repeating this key on any node waits here, then finds the
            // answer instead of running the command a second time.
            Dialect.LockName(this, "idempotency", scope.MerchantId, scope.Environment.ToString(), scope.Method, scope.Path, scope.Key);
        }

        using var command = Command(
            """
            SELECT request_hash, status_code, response_body FROM idempotency_keys
            WHERE merchant_id = @m AND environment = @env AND method = @method AND path = @path AND idempotency_key = @key
            """);
        BindScope(command, scope);
        using var reader = command.Read();
        return reader.Read()
            ? new IdempotencyRecord(reader.GetFieldValue<byte[]>(0), reader.GetInt32(1), reader.GetFieldValue<byte[]>(2))
            : null;
    }

    public void PutIdempotency(IdempotencyScope scope, IdempotencyRecord record)
    {
        using var command = Command(
            """
            INSERT INTO idempotency_keys (merchant_id, environment, method, path, idempotency_key, request_hash, status_code, response_body)
            VALUES (@m, @env, @method, @path, @key, @hash, @status, @body)
            """);
        BindScope(command, scope);
        command.Bytes("hash", record.RequestHash);
        command.Int32("status", record.StatusCode);
        command.Bytes("body", record.ResponseBody);
        Write(command);
    }

    private static void BindScope(Statement command, IdempotencyScope scope)
    {
        command.Text("m", scope.MerchantId);
        command.Text("env", scope.Environment.ToString());
        command.Text("method", scope.Method);
        command.Text("path", scope.Path);
        command.Text("key", scope.Key);
    }

    public Merchant? GetMerchant(string merchantId)
    {
        if (!CanStore(merchantId))
        {
            return null;
        }

        using var command = Command("SELECT merchant_id, store_id, name, created_at, region FROM merchants WHERE merchant_id = @m");
        command.Text("m", merchantId);
        using var reader = command.Read();
        return reader.Read() ? ReadMerchant(reader) : null;
    }

    public IReadOnlyList<Merchant> ListMerchants()
    {
        using var command = Command("SELECT merchant_id, store_id, name, created_at, region FROM merchants ORDER BY created_at, merchant_id");
        return command.ReadAll(ReadMerchant);
    }

    public void AddMerchant(Merchant merchant)
    {
        using var command = Command("INSERT INTO merchants (merchant_id, store_id, name, created_at, region) VALUES (@m, @store, @name, @at, @region)");
        command.Text("m", merchant.MerchantId);
        command.Text("store", merchant.StoreId);
        command.Text("name", merchant.Name);
        command.Time("at", merchant.CreatedAt);
        command.Text("region", merchant.Region.ToString());
        command.Execute();
    }

    public PublicKeyRecord? GetPublicKey(string publicKeyId)
    {
        if (!CanStore(publicKeyId))
        {
            return null;
        }

        using var command = Command(
            "SELECT public_key_id, merchant_id, environment, public_key_pem, created_at, revoked_at FROM public_keys WHERE public_key_id = @id");
        command.Text("id", publicKeyId);
        using var reader = command.Read();
        return reader.Read() ? ReadKey(reader) : null;
    }

    public IReadOnlyList<PublicKeyRecord> ListPublicKeys(string? merchantId)
    {
        if (!CanStore(merchantId))
        {
            return [];
        }

        using var command = Command(_sql.PublicKeys);
        command.Text("m", merchantId);
        return command.ReadAll(ReadKey);
    }

    public void AddPublicKey(PublicKeyRecord key)
    {
        using var command = Command(
            """
            INSERT INTO public_keys (public_key_id, merchant_id, environment, public_key_pem, created_at, revoked_at)
            VALUES (@id, @m, @env, @pem, @at, NULL)
            """);
        command.Text("id", key.PublicKeyId);
        command.Text("m", key.MerchantId);
        command.Text("env", key.Environment?.ToString());
        command.Text("pem", key.PublicKeyPem);
        command.Time("at", key.CreatedAt);
        command.Execute();
    }

    public bool RevokePublicKey(string publicKeyId, DateTimeOffset at) => Revoke("public_keys", "public_key_id", publicKeyId, at);

    /// <summary>Revokes a credential (a public key, an MWS auth token) that is not revoked yet; false when there is none.</summary>
    private bool Revoke(string table, string keyColumn, string key, DateTimeOffset at)
    {
        if (!CanStore(key))
        {
            return false;
        }

        using var command = Command($"UPDATE {table} SET revoked_at = @at WHERE {keyColumn} = @key AND revoked_at IS NULL");
        command.Text("key", key);
        command.Time("at", at);
        return command.Execute() == 1;
    }

    public IReadOnlyList<DeliveryTrackerRecord> GetDeliveryTrackers(string merchantId, string chargePermissionId) =>
        ReadRows<DeliveryTrackerRecord, TrackerRows>(_sql.DeliveryTrackers, merchantId, chargePermissionId, new TrackerRows(merchantId, chargePermissionId));

    public DeliveryTrackerRecord? AddDeliveryTrackers(IReadOnlyList<DeliveryTrackerRecord> records)
    {
        // A savepoint undoes this call's inserts alone, so a refusal leaves the rest of the command to go on and commit.
        ExecuteStatement("SAVEPOINT delivery_trackers");
        foreach (var record in records)
        {
            if (!AddDeliveryTracker(record))
            {
                ExecuteStatement("ROLLBACK TO SAVEPOINT delivery_trackers");
                ExecuteStatement("RELEASE SAVEPOINT delivery_trackers");
                return record;
            }
        }

        ExecuteStatement("RELEASE SAVEPOINT delivery_trackers");
        return null;
    }

    private bool AddDeliveryTracker(DeliveryTrackerRecord record)
    {
        // DO NOTHING on this key only: any other constraint failure is a bug and must still throw. A concurrent insert
        // of the same key waits for the other transaction and then does nothing if it committed.
        using var command = Command(
            """
            INSERT INTO delivery_trackers (merchant_id, environment, charge_permission_id, carrier_code, tracking_number, created_at)
            VALUES (@m, @env, @id, @carrier, @tracking, @at)
            ON CONFLICT (merchant_id, environment, carrier_code, tracking_number) DO NOTHING
            """);
        command.Text("m", record.MerchantId);
        command.Text("env", record.Environment.ToString());
        command.Text("id", record.ChargePermissionId);
        command.Text("carrier", record.CarrierCode);
        command.Text("tracking", record.TrackingNumber);
        command.Time("at", record.CreatedAt);
        return command.Execute() == 1;
    }

    private void ExecuteStatement(string sql)
    {
        using var command = Command(sql);
        command.Execute();
    }

    public string? GetSetting(string key)
    {
        if (Writes && Dialect.LocksNames)
        {
            // Held until the command commits, so a command that reads a setting and writes it back (the sandbox clock
            // advancing) never overwrites one made meanwhile on another node, even when the row does not exist yet.
            Dialect.LockName(this, "setting", key);
        }

        using var command = Command("SELECT value FROM settings WHERE key = @key");
        command.Text("key", key);
        using var reader = command.Read();
        return reader.Read() ? reader.GetString(0) : null;
    }

    public IReadOnlyList<KeyValuePair<string, string>> GetSettings(string prefix)
    {
        using var command = Command(_sql.Settings);
        command.Text("prefix", prefix);
        return command.ReadAll(static reader => new KeyValuePair<string, string>(reader.GetString(0), reader.GetString(1)));
    }

    public void PutSetting(string key, string value)
    {
        using var command = Command("INSERT INTO settings (key, value) VALUES (@key, @value) ON CONFLICT (key) DO UPDATE SET value = excluded.value");
        command.Text("key", key);
        command.Text("value", value);
        command.Execute();
    }

    public bool DeleteSetting(string key)
    {
        using var command = Command("DELETE FROM settings WHERE key = @key");
        command.Text("key", key);
        return command.Execute() == 1;
    }

    private Merchant ReadMerchant(DbDataReader reader) => new(
        reader.GetString(0), reader.GetString(1), reader.GetString(2), Dialect.GetTime(reader, 3), Enum.Parse<Region>(reader.GetString(4)));

    private PublicKeyRecord ReadKey(DbDataReader reader) => new(
        reader.GetString(0),
        reader.GetString(1),
        reader.IsDBNull(2) ? null : Enum.Parse<ReleaseEnvironment>(reader.GetString(2)),
        reader.GetString(3),
        Dialect.GetTime(reader, 4),
        reader.IsDBNull(5) ? null : Dialect.GetTime(reader, 5));

    private readonly struct EventRows(string merchantId) : IRowReader<StoredEvent>
    {
        public StoredEvent Read(RelationalSession session, DbDataReader reader) => session.ReadEvent(reader, merchantId);
    }

    /// <summary>Rows selected as environment, carrier_code, tracking_number, created_at.</summary>
    private readonly struct TrackerRows(string merchantId, string chargePermissionId) : IRowReader<DeliveryTrackerRecord>
    {
        public DeliveryTrackerRecord Read(RelationalSession session, DbDataReader reader) => new(
            merchantId,
            Enum.Parse<ReleaseEnvironment>(reader.GetString(0)),
            chargePermissionId,
            reader.GetString(1),
            reader.GetString(2),
            session.Dialect.GetTime(reader, 3));
    }
}
