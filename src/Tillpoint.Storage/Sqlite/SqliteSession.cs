using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.Data.Sqlite;
using Tillpoint.Domain;
using Tillpoint.Domain.ChargePermissions;
using Tillpoint.Domain.Charges;
using Tillpoint.Domain.CheckoutSessions;
using Tillpoint.Domain.Refunds;

namespace Tillpoint.Storage.Sqlite;

/// <summary>
/// All SQL of the SQLite store, over one connection. Commands are prepared once per connection and reused: on the
/// hot paths (a signed Get, a capture) statement preparation would otherwise cost more than the query.
/// </summary>
/// <remarks>
/// Queries that must use a secondary index name it (<c>INDEXED BY</c>): without statistics SQLite may prefer the
/// unique key's merchant prefix and scan every object the merchant has, which made captures slower as a store grew.
/// </remarks>
internal sealed partial class SqliteSession(SqliteConnection connection) : IWriteSession, IDisposable
{
    private readonly Dictionary<string, SqliteCommand> _commands = new(StringComparer.Ordinal);

    public SqliteConnection Connection => connection;

    public CheckoutSession? GetCheckoutSession(string merchantId, string checkoutSessionId) => ReadDocument(
        "SELECT document FROM checkout_sessions WHERE merchant_id = $m AND checkout_session_id = $id",
        merchantId, checkoutSessionId, StorageJsonContext.Default.CheckoutSession);

    public CheckoutSession? FindCheckoutSession(string checkoutSessionId)
    {
        var command = Command("SELECT document FROM checkout_sessions WHERE checkout_session_id = $id");
        command.Parameters["$id"].Value = checkoutSessionId;
        using var reader = command.ExecuteReader();
        return reader.Read() ? Deserialize(reader, StorageJsonContext.Default.CheckoutSession) : null;
    }

    public ChargePermission? GetChargePermission(string merchantId, string chargePermissionId) => ReadDocument(
        "SELECT document FROM charge_permissions WHERE merchant_id = $m AND charge_permission_id = $id",
        merchantId, chargePermissionId, StorageJsonContext.Default.ChargePermission);

    public Charge? GetCharge(string merchantId, string chargeId) => ReadDocument(
        "SELECT document FROM charges WHERE merchant_id = $m AND charge_id = $id",
        merchantId, chargeId, StorageJsonContext.Default.Charge);

    public IReadOnlyList<Charge> GetChargesOfPermission(string merchantId, string chargePermissionId) => ReadDocuments(
        "SELECT document FROM charges INDEXED BY charges_by_permission WHERE merchant_id = $m AND charge_permission_id = $id ORDER BY created_at, charge_id",
        merchantId, chargePermissionId, StorageJsonContext.Default.Charge);

    public Refund? GetRefund(string merchantId, string refundId) => ReadDocument(
        "SELECT document FROM refunds WHERE merchant_id = $m AND refund_id = $id",
        merchantId, refundId, StorageJsonContext.Default.Refund);

    public IReadOnlyList<Refund> GetRefundsOfPermission(string merchantId, string chargePermissionId) => ReadDocuments(
        "SELECT document FROM refunds INDEXED BY refunds_by_permission WHERE merchant_id = $m AND charge_permission_id = $id ORDER BY created_at, refund_id",
        merchantId, chargePermissionId, StorageJsonContext.Default.Refund);

    public IReadOnlyList<Refund> GetRefundsOfCharge(string merchantId, string chargeId) => ReadDocuments(
        "SELECT document FROM refunds INDEXED BY refunds_by_charge WHERE merchant_id = $m AND charge_id = $id ORDER BY created_at, refund_id",
        merchantId, chargeId, StorageJsonContext.Default.Refund);

    /// <summary>
    /// Each arm walks its table's partial due index from the oldest entry and the merge stops at the limit, so the
    /// cost follows what is returned, not how many objects exist or how many are overdue.
    /// </summary>
    internal const string FindDueSql =
        """
        SELECT 'CheckoutSession' AS object_type, merchant_id, checkout_session_id AS object_id, NULL AS charge_permission_id, due_at
        FROM checkout_sessions INDEXED BY checkout_sessions_due WHERE environment = $env AND due_at <= $now
        UNION ALL
        SELECT 'ChargePermission', merchant_id, charge_permission_id, charge_permission_id, due_at
        FROM charge_permissions INDEXED BY charge_permissions_due WHERE environment = $env AND due_at <= $now
        UNION ALL
        SELECT 'Charge', merchant_id, charge_id, charge_permission_id, due_at
        FROM charges INDEXED BY charges_due WHERE environment = $env AND due_at <= $now
        UNION ALL
        SELECT 'Refund', merchant_id, refund_id, charge_permission_id, due_at
        FROM refunds INDEXED BY refunds_due WHERE environment = $env AND due_at <= $now
        ORDER BY due_at
        LIMIT $limit
        """;

    public IReadOnlyList<DueItem> FindDue(ReleaseEnvironment environment, DateTimeOffset now, int limit)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limit);
        var command = Command(FindDueSql);
        command.Parameters["$env"].Value = environment.ToString();
        command.Parameters["$now"].Value = now.ToUnixTimeMilliseconds();
        command.Parameters["$limit"].Value = limit;
        var items = new List<DueItem>();
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            items.Add(new DueItem(
                Enum.Parse<ObjectType>(reader.GetString(0)),
                reader.GetString(1),
                reader.GetString(2),
                reader.IsDBNull(3) ? null : reader.GetString(3),
                DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(4))));
        }

        return items;
    }

    /// <summary>The single writer already makes every command exclusive: there is nothing to lock or skip.</summary>
    public IReadOnlyList<DueItem> ClaimDue(ReleaseEnvironment environment, DateTimeOffset now, int limit, bool skipLocked) =>
        FindDue(environment, now, limit);

    public IReadOnlyList<StoredEvent> GetEvents(string merchantId, string objectId)
    {
        var command = Command(
            """
            SELECT event_id, environment, object_type, object_id, charge_permission_id, from_state, to_state, reason_code,
                   amount, currency, occurred_at, detail
            FROM events INDEXED BY events_by_object WHERE merchant_id = $m AND object_id = $id
            UNION
            SELECT event_id, environment, object_type, object_id, charge_permission_id, from_state, to_state, reason_code,
                   amount, currency, occurred_at, detail
            FROM events INDEXED BY events_by_charge_permission WHERE merchant_id = $m AND charge_permission_id = $id
            ORDER BY event_id
            """);
        command.Parameters["$m"].Value = merchantId;
        command.Parameters["$id"].Value = objectId;
        var events = new List<StoredEvent>();
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            events.Add(ReadEvent(reader, merchantId));
        }

        return events;
    }

    /// <summary>
    /// One row of <c>events</c> selected as event_id, environment, object_type, object_id, charge_permission_id,
    /// from_state, to_state, reason_code, amount, currency, occurred_at, detail (the order every events query uses).
    /// </summary>
    private static StoredEvent ReadEvent(SqliteDataReader reader, string merchantId)
    {
        Money? amount = reader.IsDBNull(8)
            ? null
            : new Money(decimal.Parse(reader.GetString(8), CultureInfo.InvariantCulture), Enum.Parse<Currency>(reader.GetString(9)));
        var domainEvent = new DomainEvent(
            Enum.Parse<ObjectType>(reader.GetString(2)),
            reader.GetString(3),
            reader.IsDBNull(4) ? null : reader.GetString(4),
            reader.IsDBNull(5) ? null : reader.GetString(5),
            reader.GetString(6),
            reader.IsDBNull(7) ? null : reader.GetString(7),
            amount,
            DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(10)),
            reader.IsDBNull(11) ? null : reader.GetString(11));
        return new StoredEvent(reader.GetInt64(0), merchantId, Enum.Parse<ReleaseEnvironment>(reader.GetString(1)), domainEvent);
    }

    public Merchant? GetMerchant(string merchantId)
    {
        var command = Command("SELECT merchant_id, store_id, name, created_at FROM merchants WHERE merchant_id = $m");
        command.Parameters["$m"].Value = merchantId;
        using var reader = command.ExecuteReader();
        return reader.Read() ? ReadMerchant(reader) : null;
    }

    public IReadOnlyList<Merchant> ListMerchants()
    {
        var command = Command("SELECT merchant_id, store_id, name, created_at FROM merchants ORDER BY created_at, merchant_id");
        var merchants = new List<Merchant>();
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            merchants.Add(ReadMerchant(reader));
        }

        return merchants;
    }

    public PublicKeyRecord? GetPublicKey(string publicKeyId)
    {
        var command = Command(
            "SELECT public_key_id, merchant_id, environment, public_key_pem, created_at, revoked_at FROM public_keys WHERE public_key_id = $id");
        command.Parameters["$id"].Value = publicKeyId;
        using var reader = command.ExecuteReader();
        return reader.Read() ? ReadKey(reader) : null;
    }

    public IReadOnlyList<PublicKeyRecord> ListPublicKeys(string? merchantId)
    {
        var command = Command(
            """
            SELECT public_key_id, merchant_id, environment, public_key_pem, created_at, revoked_at FROM public_keys
            WHERE $m IS NULL OR merchant_id = $m ORDER BY created_at, public_key_id
            """);
        command.Parameters["$m"].Value = (object?)merchantId ?? DBNull.Value;
        var keys = new List<PublicKeyRecord>();
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            keys.Add(ReadKey(reader));
        }

        return keys;
    }

    public CheckoutSession Save(CheckoutSession session) => SaveDocument(
        session with { Version = session.Version + 1 },
        session.Version,
        "INSERT INTO checkout_sessions (merchant_id, checkout_session_id, environment, version, state, created_at, due_at, amount_hundredths, currency, merchant_reference, document) VALUES ($m, $id, $env, 1, $state, $created, $due, $amount, $currency, $ref, $doc)",
        "UPDATE checkout_sessions SET version = version + 1, state = $state, due_at = $due, amount_hundredths = $amount, currency = $currency, merchant_reference = $ref, document = $doc WHERE merchant_id = $m AND checkout_session_id = $id AND version = $version",
        session.MerchantId, session.CheckoutSessionId, session.Environment, session.State.ToString(), session.CreationTimestamp, session.NextDueAt,
        StorageJsonContext.Default.CheckoutSession,
        new Listing(session.PaymentDetails.ChargeAmount, session.MerchantMetadata.MerchantReferenceId));

    public ChargePermission Save(ChargePermission chargePermission) => SaveDocument(
        chargePermission with { Version = chargePermission.Version + 1 },
        chargePermission.Version,
        "INSERT INTO charge_permissions (merchant_id, charge_permission_id, environment, version, state, created_at, due_at, amount_hundredths, currency, merchant_reference, document) VALUES ($m, $id, $env, 1, $state, $created, $due, $amount, $currency, $ref, $doc)",
        "UPDATE charge_permissions SET version = version + 1, state = $state, due_at = $due, amount_hundredths = $amount, currency = $currency, merchant_reference = $ref, document = $doc WHERE merchant_id = $m AND charge_permission_id = $id AND version = $version",
        chargePermission.MerchantId, chargePermission.ChargePermissionId, chargePermission.Environment, chargePermission.State.ToString(),
        chargePermission.CreationTimestamp, chargePermission.NextDueAt,
        StorageJsonContext.Default.ChargePermission,
        new Listing(chargePermission.AmountLimit, chargePermission.MerchantMetadata.MerchantReferenceId));

    public Charge Save(Charge charge) => SaveDocument(
        charge with { Version = charge.Version + 1 },
        charge.Version,
        "INSERT INTO charges (merchant_id, charge_id, charge_permission_id, environment, version, state, created_at, due_at, amount_hundredths, currency, merchant_reference, document) VALUES ($m, $id, $permission, $env, 1, $state, $created, $due, $amount, $currency, $ref, $doc)",
        "UPDATE charges SET version = version + 1, state = $state, due_at = $due, amount_hundredths = $amount, currency = $currency, merchant_reference = $ref, document = $doc WHERE merchant_id = $m AND charge_id = $id AND version = $version",
        charge.MerchantId, charge.ChargeId, charge.Environment, charge.State.ToString(), charge.CreationTimestamp, charge.NextDueAt,
        StorageJsonContext.Default.Charge,
        new Listing(charge.ChargeAmount, charge.MerchantMetadata?.MerchantReferenceId),
        charge.ChargePermissionId);

    public Refund Save(Refund refund) => SaveDocument(
        refund with { Version = refund.Version + 1 },
        refund.Version,
        "INSERT INTO refunds (merchant_id, refund_id, charge_id, charge_permission_id, environment, version, state, created_at, due_at, amount_hundredths, currency, merchant_reference, document) VALUES ($m, $id, $charge, $permission, $env, 1, $state, $created, $due, $amount, $currency, $ref, $doc)",
        "UPDATE refunds SET version = version + 1, state = $state, due_at = $due, amount_hundredths = $amount, currency = $currency, merchant_reference = $ref, document = $doc WHERE merchant_id = $m AND refund_id = $id AND version = $version",
        refund.MerchantId, refund.RefundId, refund.Environment, refund.State.ToString(), refund.CreationTimestamp, refund.NextDueAt,
        StorageJsonContext.Default.Refund,
        new Listing(refund.RefundAmount, null),
        refund.ChargePermissionId,
        refund.ChargeId);

    public void Append(string merchantId, ReleaseEnvironment environment, IReadOnlyList<DomainEvent> events)
    {
        if (events.Count == 0)
        {
            return;
        }

        var command = Command(
            """
            INSERT INTO events (merchant_id, environment, object_type, object_id, charge_permission_id, from_state, to_state,
                                reason_code, amount, currency, occurred_at, detail)
            VALUES ($m, $env, $type, $id, $parent, $from, $to, $reason, $amount, $currency, $at, $detail)
            """);
        foreach (var e in events)
        {
            var p = command.Parameters;
            p["$m"].Value = merchantId;
            p["$env"].Value = environment.ToString();
            p["$type"].Value = e.ObjectType.ToString();
            p["$id"].Value = e.ObjectId;
            p["$parent"].Value = (object?)e.ChargePermissionId ?? DBNull.Value;
            p["$from"].Value = (object?)e.FromState ?? DBNull.Value;
            p["$to"].Value = e.ToState;
            p["$reason"].Value = (object?)e.ReasonCode ?? DBNull.Value;
            p["$amount"].Value = (object?)e.Amount?.Amount.ToString(CultureInfo.InvariantCulture) ?? DBNull.Value;
            p["$currency"].Value = (object?)e.Amount?.Currency.ToString() ?? DBNull.Value;
            p["$at"].Value = e.At.ToUnixTimeMilliseconds();
            p["$detail"].Value = (object?)e.Detail ?? DBNull.Value;
            command.ExecuteNonQuery();
            EnqueueIpn(merchantId, environment, e);
        }
    }

    public IdempotencyRecord? FindIdempotency(IdempotencyScope scope)
    {
        var command = Command(
            """
            SELECT request_hash, status_code, response_body FROM idempotency_keys
            WHERE merchant_id = $m AND environment = $env AND method = $method AND path = $path AND idempotency_key = $key
            """);
        BindScope(command, scope);
        using var reader = command.ExecuteReader();
        return reader.Read()
            ? new IdempotencyRecord((byte[])reader.GetValue(0), reader.GetInt32(1), (byte[])reader.GetValue(2))
            : null;
    }

    public void PutIdempotency(IdempotencyScope scope, IdempotencyRecord record)
    {
        var command = Command(
            """
            INSERT INTO idempotency_keys (merchant_id, environment, method, path, idempotency_key, request_hash, status_code, response_body)
            VALUES ($m, $env, $method, $path, $key, $hash, $status, $body)
            """);
        BindScope(command, scope);
        command.Parameters["$hash"].Value = record.RequestHash;
        command.Parameters["$status"].Value = record.StatusCode;
        command.Parameters["$body"].Value = record.ResponseBody;
        command.ExecuteNonQuery();
    }

    public void AddMerchant(Merchant merchant)
    {
        var command = Command("INSERT INTO merchants (merchant_id, store_id, name, created_at) VALUES ($m, $store, $name, $at)");
        command.Parameters["$m"].Value = merchant.MerchantId;
        command.Parameters["$store"].Value = merchant.StoreId;
        command.Parameters["$name"].Value = merchant.Name;
        command.Parameters["$at"].Value = merchant.CreatedAt.ToUnixTimeMilliseconds();
        command.ExecuteNonQuery();
    }

    public void AddPublicKey(PublicKeyRecord key)
    {
        var command = Command(
            """
            INSERT INTO public_keys (public_key_id, merchant_id, environment, public_key_pem, created_at, revoked_at)
            VALUES ($id, $m, $env, $pem, $at, NULL)
            """);
        command.Parameters["$id"].Value = key.PublicKeyId;
        command.Parameters["$m"].Value = key.MerchantId;
        command.Parameters["$env"].Value = (object?)key.Environment?.ToString() ?? DBNull.Value;
        command.Parameters["$pem"].Value = key.PublicKeyPem;
        command.Parameters["$at"].Value = key.CreatedAt.ToUnixTimeMilliseconds();
        command.ExecuteNonQuery();
    }

    public bool RevokePublicKey(string publicKeyId, DateTimeOffset at)
    {
        var command = Command("UPDATE public_keys SET revoked_at = $at WHERE public_key_id = $id AND revoked_at IS NULL");
        command.Parameters["$id"].Value = publicKeyId;
        command.Parameters["$at"].Value = at.ToUnixTimeMilliseconds();
        return command.ExecuteNonQuery() == 1;
    }

    public IReadOnlyList<DeliveryTrackerRecord> GetDeliveryTrackers(string merchantId, string chargePermissionId)
    {
        var command = Command(
            """
            SELECT environment, carrier_code, tracking_number, created_at
            FROM delivery_trackers INDEXED BY delivery_trackers_by_permission WHERE merchant_id = $m AND charge_permission_id = $id
            ORDER BY created_at, rowid
            """);
        command.Parameters["$m"].Value = merchantId;
        command.Parameters["$id"].Value = chargePermissionId;
        var trackers = new List<DeliveryTrackerRecord>();
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            trackers.Add(new DeliveryTrackerRecord(
                merchantId,
                Enum.Parse<ReleaseEnvironment>(reader.GetString(0)),
                chargePermissionId,
                reader.GetString(1),
                reader.GetString(2),
                DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(3))));
        }

        return trackers;
    }

    public bool AddDeliveryTracker(DeliveryTrackerRecord record)
    {
        // DO NOTHING on this key only: any other constraint failure is a bug and must still throw.
        var command = Command(
            """
            INSERT INTO delivery_trackers (merchant_id, environment, charge_permission_id, carrier_code, tracking_number, created_at)
            VALUES ($m, $env, $id, $carrier, $tracking, $at)
            ON CONFLICT (merchant_id, environment, carrier_code, tracking_number) DO NOTHING
            """);
        var p = command.Parameters;
        p["$m"].Value = record.MerchantId;
        p["$env"].Value = record.Environment.ToString();
        p["$id"].Value = record.ChargePermissionId;
        p["$carrier"].Value = record.CarrierCode;
        p["$tracking"].Value = record.TrackingNumber;
        p["$at"].Value = record.CreatedAt.ToUnixTimeMilliseconds();
        return command.ExecuteNonQuery() == 1;
    }

    public string? GetSetting(string key)
    {
        var command = Command("SELECT value FROM settings WHERE key = $key");
        command.Parameters["$key"].Value = key;
        using var reader = command.ExecuteReader();
        return reader.Read() ? reader.GetString(0) : null;
    }

    public IReadOnlyList<KeyValuePair<string, string>> GetSettings(string prefix)
    {
        var command = Command("SELECT key, value FROM settings WHERE substr(key, 1, length($prefix)) = $prefix ORDER BY key");
        command.Parameters["$prefix"].Value = prefix;
        var settings = new List<KeyValuePair<string, string>>();
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            settings.Add(new(reader.GetString(0), reader.GetString(1)));
        }

        return settings;
    }

    public void PutSetting(string key, string value)
    {
        var command = Command("INSERT INTO settings (key, value) VALUES ($key, $value) ON CONFLICT (key) DO UPDATE SET value = excluded.value");
        command.Parameters["$key"].Value = key;
        command.Parameters["$value"].Value = value;
        command.ExecuteNonQuery();
    }

    public void Dispose()
    {
        foreach (var command in _commands.Values)
        {
            command.Dispose();
        }

        _commands.Clear();
        connection.Dispose();
    }

    private T? ReadDocument<T>(string sql, string merchantId, string id, JsonTypeInfo<T> typeInfo)
        where T : class
    {
        var command = Command(sql);
        command.Parameters["$m"].Value = merchantId;
        command.Parameters["$id"].Value = id;
        using var reader = command.ExecuteReader();
        return reader.Read() ? Deserialize(reader, typeInfo) : null;
    }

    private List<T> ReadDocuments<T>(string sql, string merchantId, string id, JsonTypeInfo<T> typeInfo)
    {
        var command = Command(sql);
        command.Parameters["$m"].Value = merchantId;
        command.Parameters["$id"].Value = id;
        var documents = new List<T>();
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            documents.Add(Deserialize(reader, typeInfo));
        }

        return documents;
    }

    private static T Deserialize<T>(SqliteDataReader reader, JsonTypeInfo<T> typeInfo) =>
        // Read as one span: a document is a KiB or two, and a stream over it costs more than the copy.
        JsonSerializer.Deserialize(reader.GetFieldValue<byte[]>(0), typeInfo)
            ?? throw new InvalidDataException($"A stored {typeof(T).Name} document is null.");

    private T SaveDocument<T>(
        T saved,
        long loadedVersion,
        string insertSql,
        string updateSql,
        string merchantId,
        string id,
        ReleaseEnvironment environment,
        string state,
        DateTimeOffset createdAt,
        DateTimeOffset? dueAt,
        JsonTypeInfo<T> typeInfo,
        Listing listing,
        string? chargePermissionId = null,
        string? chargeId = null)
    {
        var document = JsonSerializer.SerializeToUtf8Bytes(saved, typeInfo);
        var command = Command(loadedVersion == 0 ? insertSql : updateSql);
        var p = command.Parameters;
        p["$m"].Value = merchantId;
        p["$id"].Value = id;
        p["$state"].Value = state;
        p["$due"].Value = dueAt is { } due ? CeilingUnixMilliseconds(due) : DBNull.Value;
        p["$doc"].Value = document;
        p["$amount"].Value = listing.Amount is { } amount ? (long)(amount.Amount * 100m) : DBNull.Value;
        p["$currency"].Value = listing.Amount is { } priced ? priced.Currency.ToString() : DBNull.Value;
        p["$ref"].Value = (object?)listing.MerchantReference ?? DBNull.Value;
        if (loadedVersion == 0)
        {
            p["$env"].Value = environment.ToString();
            p["$created"].Value = createdAt.ToUnixTimeMilliseconds();
            if (chargePermissionId is not null)
            {
                p["$permission"].Value = chargePermissionId;
            }

            if (chargeId is not null)
            {
                p["$charge"].Value = chargeId;
            }
        }
        else
        {
            p["$version"].Value = loadedVersion;
        }

        if (command.ExecuteNonQuery() != 1)
        {
            throw new ConcurrencyConflictException($"'{id}' changed since version {loadedVersion} was read.");
        }

        return saved;
    }

    /// <summary>
    /// Due times round up: a due time stored early would make the sweeper load an object whose change is not due yet,
    /// save it unchanged and find it due again, until the clock caught up.
    /// </summary>
    private static long CeilingUnixMilliseconds(DateTimeOffset at)
    {
        var milliseconds = at.ToUnixTimeMilliseconds();
        return at.UtcTicks % TimeSpan.TicksPerMillisecond == 0 ? milliseconds : milliseconds + 1;
    }

    private static void BindScope(SqliteCommand command, IdempotencyScope scope)
    {
        var p = command.Parameters;
        p["$m"].Value = scope.MerchantId;
        p["$env"].Value = scope.Environment.ToString();
        p["$method"].Value = scope.Method;
        p["$path"].Value = scope.Path;
        p["$key"].Value = scope.Key;
    }

    private SqliteCommand Command(string sql)
    {
        if (_commands.TryGetValue(sql, out var cached))
        {
            return cached;
        }

        var command = connection.CreateCommand();
        command.CommandText = sql;
        // Every $name in the text becomes a parameter, so callers only assign values.
        foreach (System.Text.RegularExpressions.Match match in System.Text.RegularExpressions.Regex.Matches(sql, @"\$[a-z]+"))
        {
            if (!command.Parameters.Contains(match.Value))
            {
                command.Parameters.Add(new SqliteParameter(match.Value, null));
            }
        }

        command.Prepare();
        _commands[sql] = command;
        return command;
    }

    private static Merchant ReadMerchant(SqliteDataReader reader) => new(
        reader.GetString(0), reader.GetString(1), reader.GetString(2), DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(3)));

    private static PublicKeyRecord ReadKey(SqliteDataReader reader) => new(
        reader.GetString(0),
        reader.GetString(1),
        reader.IsDBNull(2) ? null : Enum.Parse<ReleaseEnvironment>(reader.GetString(2)),
        reader.GetString(3),
        DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(4)),
        reader.IsDBNull(5) ? null : DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(5)));
}
