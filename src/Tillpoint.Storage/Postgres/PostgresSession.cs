using System.Security.Cryptography;
using System.Text;
using Npgsql;
using NpgsqlTypes;
using Tillpoint.Domain;
using Tillpoint.Domain.ChargePermissions;
using Tillpoint.Domain.Charges;
using Tillpoint.Domain.CheckoutSessions;
using Tillpoint.Domain.Refunds;

namespace Tillpoint.Storage.Postgres;

/// <summary>
/// All SQL of the PostgreSQL store, over one connection inside one transaction: a read-only snapshot for
/// <see cref="ITillpointStore.Read{T}"/>, or a command's READ COMMITTED transaction.
/// </summary>
/// <remarks>
/// The money rules are checked on a whole ledger (a charge permission, its charges and its refunds) inside one command,
/// so two commands must never work on one ledger at the same time, on this node or another. In a write session,
/// reading a charge permission or a checkout session therefore locks its row (<c>FOR UPDATE</c>) until the command
/// commits; charges and refunds change only under their permission's lock, and a ledger's charges and refunds are read
/// after that lock is held, so each statement sees the last commit. Saves still check versions: a stale object is a
/// conflict, never a lost update.
/// </remarks>
internal sealed partial class PostgresSession(NpgsqlConnection connection, bool locking) : IWriteSession
{
    /// <summary>Row locks are taken only in write sessions; a read-only snapshot needs none.</summary>
    private string ForUpdate => locking ? " FOR UPDATE" : string.Empty;

    public CheckoutSession? GetCheckoutSession(string merchantId, string checkoutSessionId) => ReadDocument(
        "SELECT document FROM checkout_sessions WHERE merchant_id = @m AND checkout_session_id = @id" + ForUpdate,
        merchantId, checkoutSessionId, StoredDocuments.CheckoutSession);

    public CheckoutSession? FindCheckoutSession(string checkoutSessionId)
    {
        if (Unstorable(checkoutSessionId))
        {
            return null;
        }

        using var command = Command("SELECT document FROM checkout_sessions WHERE checkout_session_id = @id" + ForUpdate);
        command.Parameters.Add(Text("id", checkoutSessionId));
        using var reader = Run(() => command.ExecuteReader());
        return reader.Read() ? StoredDocuments.CheckoutSession.Read(reader.GetFieldValue<byte[]>(0)) : null;
    }

    public ChargePermission? GetChargePermission(string merchantId, string chargePermissionId) => ReadDocument(
        "SELECT document FROM charge_permissions WHERE merchant_id = @m AND charge_permission_id = @id" + ForUpdate,
        merchantId, chargePermissionId, StoredDocuments.ChargePermission);

    public Charge? GetCharge(string merchantId, string chargeId) => ReadDocument(
        "SELECT document FROM charges WHERE merchant_id = @m AND charge_id = @id",
        merchantId, chargeId, StoredDocuments.Charge);

    public IReadOnlyList<Charge> GetChargesOfPermission(string merchantId, string chargePermissionId) => ReadDocuments(
        "SELECT document FROM charges WHERE merchant_id = @m AND charge_permission_id = @id ORDER BY created_at, charge_id",
        merchantId, chargePermissionId, StoredDocuments.Charge);

    public Refund? GetRefund(string merchantId, string refundId) => ReadDocument(
        "SELECT document FROM refunds WHERE merchant_id = @m AND refund_id = @id",
        merchantId, refundId, StoredDocuments.Refund);

    public IReadOnlyList<Refund> GetRefundsOfPermission(string merchantId, string chargePermissionId) => ReadDocuments(
        "SELECT document FROM refunds WHERE merchant_id = @m AND charge_permission_id = @id ORDER BY created_at, refund_id",
        merchantId, chargePermissionId, StoredDocuments.Refund);

    public IReadOnlyList<Refund> GetRefundsOfCharge(string merchantId, string chargeId) => ReadDocuments(
        "SELECT document FROM refunds WHERE merchant_id = @m AND charge_id = @id ORDER BY created_at, refund_id",
        merchantId, chargeId, StoredDocuments.Refund);

    /// <summary>
    /// Each arm takes at most the limit from its table's partial due index, already in order, and the planner merges
    /// them, so the cost follows what is returned, not how many objects exist or how many are overdue.
    /// </summary>
    internal const string FindDueSql =
        """
        (SELECT 'CheckoutSession' AS object_type, merchant_id, checkout_session_id AS object_id, NULL::text AS charge_permission_id, due_at
         FROM checkout_sessions WHERE environment = @env AND due_at IS NOT NULL AND due_at <= @now ORDER BY due_at LIMIT @limit)
        UNION ALL
        (SELECT 'ChargePermission', merchant_id, charge_permission_id, charge_permission_id, due_at
         FROM charge_permissions WHERE environment = @env AND due_at IS NOT NULL AND due_at <= @now ORDER BY due_at LIMIT @limit)
        UNION ALL
        (SELECT 'Charge', merchant_id, charge_id, charge_permission_id, due_at
         FROM charges WHERE environment = @env AND due_at IS NOT NULL AND due_at <= @now ORDER BY due_at LIMIT @limit)
        UNION ALL
        (SELECT 'Refund', merchant_id, refund_id, charge_permission_id, due_at
         FROM refunds WHERE environment = @env AND due_at IS NOT NULL AND due_at <= @now ORDER BY due_at LIMIT @limit)
        ORDER BY due_at
        LIMIT @limit
        """;

    public IReadOnlyList<DueItem> FindDue(ReleaseEnvironment environment, DateTimeOffset now, int limit)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limit);
        using var command = Command(FindDueSql);
        command.Parameters.Add(Text("env", environment.ToString()));
        command.Parameters.Add(Time("now", now.ToUnixTimeMilliseconds()));
        command.Parameters.Add(new NpgsqlParameter<int>("limit", limit));
        return ReadDueItems(command);
    }

    public IReadOnlyList<DueItem> ClaimDue(ReleaseEnvironment environment, DateTimeOffset now, int limit, bool skipLocked)
    {
        if (!locking)
        {
            throw new InvalidOperationException("Due work is claimed inside a write, never in a read.");
        }

        var candidates = FindDue(environment, now, limit);
        var sessions = candidates.Where(d => d.ChargePermissionId is null).Select(d => (d.MerchantId, Id: d.ObjectId)).Distinct().ToList();
        var ledgers = candidates.Where(d => d.ChargePermissionId is not null).Select(d => (d.MerchantId, Id: d.ChargePermissionId!)).Distinct().ToList();
        // Locked in key order, so two claims that wait (rather than skip) can never deadlock on each other.
        var wait = skipLocked ? " SKIP LOCKED" : string.Empty;
        var claimedSessions = Lock(
            "SELECT merchant_id, checkout_session_id FROM checkout_sessions WHERE (merchant_id, checkout_session_id) IN (SELECT * FROM unnest(@m, @id)) ORDER BY 1, 2 FOR UPDATE" + wait,
            sessions);
        var claimedLedgers = Lock(
            "SELECT merchant_id, charge_permission_id FROM charge_permissions WHERE (merchant_id, charge_permission_id) IN (SELECT * FROM unnest(@m, @id)) ORDER BY 1, 2 FOR UPDATE" + wait,
            ledgers);
        if (claimedSessions.Count == 0 && claimedLedgers.Count == 0)
        {
            return [];
        }

        // A new statement, so a new snapshot: work another command finished before we got the locks is no longer due.
        using var command = Command(
            """
            SELECT 'CheckoutSession', merchant_id, checkout_session_id, NULL::text, due_at FROM checkout_sessions
            WHERE (merchant_id, checkout_session_id) IN (SELECT * FROM unnest(@sm, @sid)) AND environment = @env AND due_at <= @now
            UNION ALL
            SELECT 'ChargePermission', merchant_id, charge_permission_id, charge_permission_id, due_at FROM charge_permissions
            WHERE (merchant_id, charge_permission_id) IN (SELECT * FROM unnest(@pm, @pid)) AND environment = @env AND due_at <= @now
            UNION ALL
            SELECT 'Charge', merchant_id, charge_id, charge_permission_id, due_at FROM charges
            WHERE (merchant_id, charge_permission_id) IN (SELECT * FROM unnest(@pm, @pid)) AND environment = @env AND due_at <= @now
            UNION ALL
            SELECT 'Refund', merchant_id, refund_id, charge_permission_id, due_at FROM refunds
            WHERE (merchant_id, charge_permission_id) IN (SELECT * FROM unnest(@pm, @pid)) AND environment = @env AND due_at <= @now
            ORDER BY 5
            """);
        var p = command.Parameters;
        p.Add(new NpgsqlParameter<string[]>("sm", [.. claimedSessions.Select(o => o.MerchantId)]));
        p.Add(new NpgsqlParameter<string[]>("sid", [.. claimedSessions.Select(o => o.Id)]));
        p.Add(new NpgsqlParameter<string[]>("pm", [.. claimedLedgers.Select(o => o.MerchantId)]));
        p.Add(new NpgsqlParameter<string[]>("pid", [.. claimedLedgers.Select(o => o.Id)]));
        p.Add(Text("env", environment.ToString()));
        p.Add(Time("now", now.ToUnixTimeMilliseconds()));
        return ReadDueItems(command);
    }

    /// <summary>Locks the rows of <paramref name="owners"/> that <paramref name="sql"/> can get; returns those.</summary>
    private List<(string MerchantId, string Id)> Lock(string sql, List<(string MerchantId, string Id)> owners)
    {
        var locked = new List<(string MerchantId, string Id)>();
        if (owners.Count == 0)
        {
            return locked;
        }

        using var command = Command(sql);
        command.Parameters.Add(new NpgsqlParameter<string[]>("m", [.. owners.Select(o => o.MerchantId)]));
        command.Parameters.Add(new NpgsqlParameter<string[]>("id", [.. owners.Select(o => o.Id)]));
        using var reader = Run(() => command.ExecuteReader());
        while (reader.Read())
        {
            locked.Add((reader.GetString(0), reader.GetString(1)));
        }

        return locked;
    }

    private List<DueItem> ReadDueItems(NpgsqlCommand command)
    {
        var items = new List<DueItem>();
        using var reader = Run(() => command.ExecuteReader());
        while (reader.Read())
        {
            items.Add(new DueItem(
                Enum.Parse<ObjectType>(reader.GetString(0)),
                reader.GetString(1),
                reader.GetString(2),
                reader.IsDBNull(3) ? null : reader.GetString(3),
                reader.GetFieldValue<DateTimeOffset>(4)));
        }

        return items;
    }

    public IReadOnlyList<StoredEvent> GetEvents(string merchantId, string objectId)
    {
        if (Unstorable(merchantId) || Unstorable(objectId))
        {
            return [];
        }

        using var command = Command(
            """
            SELECT event_id, environment, object_type, object_id, charge_permission_id, from_state, to_state, reason_code,
                   amount, currency, occurred_at, detail
            FROM events WHERE merchant_id = @m AND object_id = @id
            UNION
            SELECT event_id, environment, object_type, object_id, charge_permission_id, from_state, to_state, reason_code,
                   amount, currency, occurred_at, detail
            FROM events WHERE merchant_id = @m AND charge_permission_id = @id
            ORDER BY event_id
            """);
        command.Parameters.Add(Text("m", merchantId));
        command.Parameters.Add(Text("id", objectId));
        var events = new List<StoredEvent>();
        using var reader = Run(() => command.ExecuteReader());
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
    private static StoredEvent ReadEvent(NpgsqlDataReader reader, string merchantId)
    {
        Money? amount = reader.IsDBNull(8)
            ? null
            : new Money(reader.GetDecimal(8), Enum.Parse<Currency>(reader.GetString(9)));
        var domainEvent = new DomainEvent(
            Enum.Parse<ObjectType>(reader.GetString(2)),
            reader.GetString(3),
            reader.IsDBNull(4) ? null : reader.GetString(4),
            reader.IsDBNull(5) ? null : reader.GetString(5),
            reader.GetString(6),
            reader.IsDBNull(7) ? null : reader.GetString(7),
            amount,
            reader.GetFieldValue<DateTimeOffset>(10),
            reader.IsDBNull(11) ? null : reader.GetString(11));
        return new StoredEvent(reader.GetInt64(0), merchantId, Enum.Parse<ReleaseEnvironment>(reader.GetString(1)), domainEvent);
    }

    public Merchant? GetMerchant(string merchantId)
    {
        if (Unstorable(merchantId))
        {
            return null;
        }

        using var command = Command("SELECT merchant_id, store_id, name, created_at FROM merchants WHERE merchant_id = @m");
        command.Parameters.Add(Text("m", merchantId));
        using var reader = Run(() => command.ExecuteReader());
        return reader.Read() ? ReadMerchant(reader) : null;
    }

    public IReadOnlyList<Merchant> ListMerchants()
    {
        using var command = Command("SELECT merchant_id, store_id, name, created_at FROM merchants ORDER BY created_at, merchant_id");
        var merchants = new List<Merchant>();
        using var reader = Run(() => command.ExecuteReader());
        while (reader.Read())
        {
            merchants.Add(ReadMerchant(reader));
        }

        return merchants;
    }

    public PublicKeyRecord? GetPublicKey(string publicKeyId)
    {
        if (Unstorable(publicKeyId))
        {
            return null;
        }

        using var command = Command(
            "SELECT public_key_id, merchant_id, environment, public_key_pem, created_at, revoked_at FROM public_keys WHERE public_key_id = @id");
        command.Parameters.Add(Text("id", publicKeyId));
        using var reader = Run(() => command.ExecuteReader());
        return reader.Read() ? ReadKey(reader) : null;
    }

    public IReadOnlyList<PublicKeyRecord> ListPublicKeys(string? merchantId)
    {
        if (merchantId is not null && Unstorable(merchantId))
        {
            return [];
        }

        using var command = Command(
            """
            SELECT public_key_id, merchant_id, environment, public_key_pem, created_at, revoked_at FROM public_keys
            WHERE @m::text IS NULL OR merchant_id = @m ORDER BY created_at, public_key_id
            """);
        command.Parameters.Add(Text("m", merchantId));
        var keys = new List<PublicKeyRecord>();
        using var reader = Run(() => command.ExecuteReader());
        while (reader.Read())
        {
            keys.Add(ReadKey(reader));
        }

        return keys;
    }

    public CheckoutSession Save(CheckoutSession session) => SaveDocument(
        session with { Version = session.Version + 1 },
        session.Version,
        "INSERT INTO checkout_sessions (merchant_id, checkout_session_id, environment, version, state, created_at, due_at, amount, currency, merchant_reference, document) VALUES (@m, @id, @env, 1, @state, @created, @due, @amount, @currency, @ref, @doc)",
        "UPDATE checkout_sessions SET version = version + 1, state = @state, due_at = @due, amount = @amount, currency = @currency, merchant_reference = @ref, document = @doc WHERE merchant_id = @m AND checkout_session_id = @id AND version = @version",
        session.MerchantId, session.CheckoutSessionId, session.Environment, session.State.ToString(), session.CreationTimestamp, session.NextDueAt,
        StoredDocuments.CheckoutSession,
        new Listing(session.PaymentDetails.ChargeAmount, session.MerchantMetadata.MerchantReferenceId));

    public ChargePermission Save(ChargePermission chargePermission) => SaveDocument(
        chargePermission with { Version = chargePermission.Version + 1 },
        chargePermission.Version,
        "INSERT INTO charge_permissions (merchant_id, charge_permission_id, environment, version, state, created_at, due_at, amount, currency, merchant_reference, document) VALUES (@m, @id, @env, 1, @state, @created, @due, @amount, @currency, @ref, @doc)",
        "UPDATE charge_permissions SET version = version + 1, state = @state, due_at = @due, amount = @amount, currency = @currency, merchant_reference = @ref, document = @doc WHERE merchant_id = @m AND charge_permission_id = @id AND version = @version",
        chargePermission.MerchantId, chargePermission.ChargePermissionId, chargePermission.Environment, chargePermission.State.ToString(),
        chargePermission.CreationTimestamp, chargePermission.NextDueAt,
        StoredDocuments.ChargePermission,
        new Listing(chargePermission.AmountLimit, chargePermission.MerchantMetadata.MerchantReferenceId));

    public Charge Save(Charge charge) => SaveDocument(
        charge with { Version = charge.Version + 1 },
        charge.Version,
        "INSERT INTO charges (merchant_id, charge_id, charge_permission_id, environment, version, state, created_at, due_at, amount, currency, merchant_reference, document) VALUES (@m, @id, @permission, @env, 1, @state, @created, @due, @amount, @currency, @ref, @doc)",
        "UPDATE charges SET version = version + 1, state = @state, due_at = @due, amount = @amount, currency = @currency, merchant_reference = @ref, document = @doc WHERE merchant_id = @m AND charge_id = @id AND version = @version",
        charge.MerchantId, charge.ChargeId, charge.Environment, charge.State.ToString(), charge.CreationTimestamp, charge.NextDueAt,
        StoredDocuments.Charge,
        new Listing(charge.ChargeAmount, charge.MerchantMetadata?.MerchantReferenceId),
        charge.ChargePermissionId);

    public Refund Save(Refund refund) => SaveDocument(
        refund with { Version = refund.Version + 1 },
        refund.Version,
        "INSERT INTO refunds (merchant_id, refund_id, charge_id, charge_permission_id, environment, version, state, created_at, due_at, amount, currency, merchant_reference, document) VALUES (@m, @id, @charge, @permission, @env, 1, @state, @created, @due, @amount, @currency, @ref, @doc)",
        "UPDATE refunds SET version = version + 1, state = @state, due_at = @due, amount = @amount, currency = @currency, merchant_reference = @ref, document = @doc WHERE merchant_id = @m AND refund_id = @id AND version = @version",
        refund.MerchantId, refund.RefundId, refund.Environment, refund.State.ToString(), refund.CreationTimestamp, refund.NextDueAt,
        StoredDocuments.Refund,
        new Listing(refund.RefundAmount, null),
        refund.ChargePermissionId,
        refund.ChargeId);

    public void Append(string merchantId, ReleaseEnvironment environment, IReadOnlyList<DomainEvent> events)
    {
        if (events.Count == 0)
        {
            return;
        }

        // One batch, one round trip, whatever the number of events.
        using var batch = new NpgsqlBatch(connection);
        foreach (var e in events)
        {
            var command = new NpgsqlBatchCommand(
                """
                INSERT INTO events (merchant_id, environment, object_type, object_id, charge_permission_id, from_state, to_state,
                                    reason_code, amount, currency, occurred_at, detail)
                VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
                """);
            var p = command.Parameters;
            p.Add(Positional(merchantId));
            p.Add(Positional(environment.ToString()));
            p.Add(Positional(e.ObjectType.ToString()));
            p.Add(Positional(e.ObjectId));
            p.Add(Positional(e.ChargePermissionId));
            p.Add(Positional(e.FromState));
            p.Add(Positional(e.ToState));
            p.Add(Positional(e.ReasonCode));
            p.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Numeric, Value = (object?)e.Amount?.Amount ?? DBNull.Value });
            p.Add(Positional(e.Amount?.Currency.ToString()));
            p.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = Milliseconds(e.At.ToUnixTimeMilliseconds()) });
            p.Add(Positional(e.Detail));
            batch.BatchCommands.Add(command);
            EnqueueIpn(batch, merchantId, environment, e);
        }

        Run(batch.ExecuteNonQuery);
    }

    public IdempotencyRecord? FindIdempotency(IdempotencyScope scope)
    {
        if (locking)
        {
            // Held until the command commits: a request repeating this key on any node waits here, then finds the
            // answer instead of running the command a second time.
            AdvisoryLock("idempotency", scope.MerchantId, scope.Environment.ToString(), scope.Method, scope.Path, scope.Key);
        }

        using var command = Command(
            """
            SELECT request_hash, status_code, response_body FROM idempotency_keys
            WHERE merchant_id = @m AND environment = @env AND method = @method AND path = @path AND idempotency_key = @key
            """);
        BindScope(command, scope);
        using var reader = Run(() => command.ExecuteReader());
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
        command.Parameters.Add(new NpgsqlParameter<byte[]>("hash", record.RequestHash));
        command.Parameters.Add(new NpgsqlParameter<int>("status", record.StatusCode));
        command.Parameters.Add(new NpgsqlParameter<byte[]>("body", record.ResponseBody));
        NonQuery(command);
    }

    public void AddMerchant(Merchant merchant)
    {
        using var command = Command("INSERT INTO merchants (merchant_id, store_id, name, created_at) VALUES (@m, @store, @name, @at)");
        command.Parameters.Add(Text("m", merchant.MerchantId));
        command.Parameters.Add(Text("store", merchant.StoreId));
        command.Parameters.Add(Text("name", merchant.Name));
        command.Parameters.Add(Time("at", merchant.CreatedAt.ToUnixTimeMilliseconds()));
        NonQuery(command);
    }

    public void AddPublicKey(PublicKeyRecord key)
    {
        using var command = Command(
            """
            INSERT INTO public_keys (public_key_id, merchant_id, environment, public_key_pem, created_at, revoked_at)
            VALUES (@id, @m, @env, @pem, @at, NULL)
            """);
        command.Parameters.Add(Text("id", key.PublicKeyId));
        command.Parameters.Add(Text("m", key.MerchantId));
        command.Parameters.Add(Text("env", key.Environment?.ToString()));
        command.Parameters.Add(Text("pem", key.PublicKeyPem));
        command.Parameters.Add(Time("at", key.CreatedAt.ToUnixTimeMilliseconds()));
        NonQuery(command);
    }

    public bool RevokePublicKey(string publicKeyId, DateTimeOffset at)
    {
        if (Unstorable(publicKeyId))
        {
            return false;
        }

        using var command = Command("UPDATE public_keys SET revoked_at = @at WHERE public_key_id = @id AND revoked_at IS NULL");
        command.Parameters.Add(Text("id", publicKeyId));
        command.Parameters.Add(Time("at", at.ToUnixTimeMilliseconds()));
        return NonQuery(command) == 1;
    }

    public IReadOnlyList<DeliveryTrackerRecord> GetDeliveryTrackers(string merchantId, string chargePermissionId)
    {
        if (Unstorable(merchantId) || Unstorable(chargePermissionId))
        {
            return [];
        }

        using var command = Command(
            """
            SELECT environment, carrier_code, tracking_number, created_at
            FROM delivery_trackers WHERE merchant_id = @m AND charge_permission_id = @id
            ORDER BY created_at, submission
            """);
        command.Parameters.Add(Text("m", merchantId));
        command.Parameters.Add(Text("id", chargePermissionId));
        var trackers = new List<DeliveryTrackerRecord>();
        using var reader = Run(() => command.ExecuteReader());
        while (reader.Read())
        {
            trackers.Add(new DeliveryTrackerRecord(
                merchantId,
                Enum.Parse<ReleaseEnvironment>(reader.GetString(0)),
                chargePermissionId,
                reader.GetString(1),
                reader.GetString(2),
                reader.GetFieldValue<DateTimeOffset>(3)));
        }

        return trackers;
    }

    public bool AddDeliveryTracker(DeliveryTrackerRecord record)
    {
        // DO NOTHING on this key only: any other constraint failure is a bug and must still throw. A concurrent insert
        // of the same key waits for the other transaction and then does nothing if it committed.
        using var command = Command(
            """
            INSERT INTO delivery_trackers (merchant_id, environment, charge_permission_id, carrier_code, tracking_number, created_at)
            VALUES (@m, @env, @id, @carrier, @tracking, @at)
            ON CONFLICT (merchant_id, environment, carrier_code, tracking_number) DO NOTHING
            """);
        var p = command.Parameters;
        p.Add(Text("m", record.MerchantId));
        p.Add(Text("env", record.Environment.ToString()));
        p.Add(Text("id", record.ChargePermissionId));
        p.Add(Text("carrier", record.CarrierCode));
        p.Add(Text("tracking", record.TrackingNumber));
        p.Add(Time("at", record.CreatedAt.ToUnixTimeMilliseconds()));
        return NonQuery(command) == 1;
    }

    public string? GetSetting(string key)
    {
        if (locking)
        {
            // Held until the command commits, so a command that reads a setting and writes it back (the sandbox clock
            // advancing) never overwrites one made meanwhile on another node, even when the row does not exist yet.
            AdvisoryLock("setting", key);
        }

        using var command = Command("SELECT value FROM settings WHERE key = @key");
        command.Parameters.Add(Text("key", key));
        using var reader = Run(() => command.ExecuteReader());
        return reader.Read() ? reader.GetString(0) : null;
    }

    public IReadOnlyList<KeyValuePair<string, string>> GetSettings(string prefix)
    {
        // left() rather than LIKE, whose wildcards a prefix would have to escape; the table holds a handful of rows.
        using var command = Command("SELECT key, value FROM settings WHERE left(key, length(@prefix)) = @prefix ORDER BY key COLLATE \"C\"");
        command.Parameters.Add(Text("prefix", prefix));
        var settings = new List<KeyValuePair<string, string>>();
        using var reader = Run(() => command.ExecuteReader());
        while (reader.Read())
        {
            settings.Add(new(reader.GetString(0), reader.GetString(1)));
        }

        return settings;
    }

    public void PutSetting(string key, string value)
    {
        using var command = Command("INSERT INTO settings (key, value) VALUES (@key, @value) ON CONFLICT (key) DO UPDATE SET value = excluded.value");
        command.Parameters.Add(Text("key", key));
        command.Parameters.Add(Text("value", value));
        NonQuery(command);
    }

    public bool DeleteSetting(string key)
    {
        using var command = Command("DELETE FROM settings WHERE key = @key");
        command.Parameters.Add(Text("key", key));
        return NonQuery(command) == 1;
    }

    /// <summary>
    /// PostgreSQL text cannot hold U+0000, so no stored id contains it: a lookup by such an id (a path segment or JSON
    /// field someone sent) finds nothing, as it would in SQLite, instead of failing the request.
    /// </summary>
    private static bool Unstorable(string value) => value.Contains('\0', StringComparison.Ordinal);

    /// <summary>
    /// Takes a transaction-level advisory lock named by <paramref name="parts"/>: the first 64 bits of a SHA-256 over the
    /// parts, each length-prefixed so that no two names share an encoding. Two names sharing a lock only wait for each
    /// other.
    /// </summary>
    private void AdvisoryLock(params string[] parts)
    {
        var text = string.Join('\n', parts.Select(part => $"{part.Length.ToString(System.Globalization.CultureInfo.InvariantCulture)}:{part}"));
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(Encoding.UTF8.GetBytes(text), hash);
        using var command = Command("SELECT pg_advisory_xact_lock(@key)");
        command.Parameters.Add(new NpgsqlParameter<long>("key", System.Buffers.Binary.BinaryPrimitives.ReadInt64BigEndian(hash)));
        NonQuery(command);
    }

    private T? ReadDocument<T>(string sql, string merchantId, string id, StoredDocument<T> format)
        where T : class
    {
        if (Unstorable(merchantId) || Unstorable(id))
        {
            return null;
        }

        using var command = Command(sql);
        command.Parameters.Add(Text("m", merchantId));
        command.Parameters.Add(Text("id", id));
        using var reader = Run(() => command.ExecuteReader());
        return reader.Read() ? format.Read(reader.GetFieldValue<byte[]>(0)) : null;
    }

    private List<T> ReadDocuments<T>(string sql, string merchantId, string id, StoredDocument<T> format)
        where T : class
    {
        var documents = new List<T>();
        if (Unstorable(merchantId) || Unstorable(id))
        {
            return documents;
        }

        using var command = Command(sql);
        command.Parameters.Add(Text("m", merchantId));
        command.Parameters.Add(Text("id", id));
        using var reader = Run(() => command.ExecuteReader());
        while (reader.Read())
        {
            documents.Add(format.Read(reader.GetFieldValue<byte[]>(0)));
        }

        return documents;
    }

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
        StoredDocument<T> format,
        Listing listing,
        string? chargePermissionId = null,
        string? chargeId = null)
        where T : class
    {
        var document = format.Write(saved);
        using var command = Command(loadedVersion == 0 ? insertSql : updateSql);
        var p = command.Parameters;
        p.Add(Text("m", merchantId));
        p.Add(Text("id", id));
        p.Add(Text("state", state));
        p.Add(Time("due", dueAt is { } due ? CeilingUnixMilliseconds(due) : null));
        p.Add(new NpgsqlParameter<byte[]>("doc", document));
        p.Add(new NpgsqlParameter("amount", NpgsqlDbType.Numeric) { Value = listing.Amount is { } amount ? amount.Amount : DBNull.Value });
        p.Add(Text("currency", listing.Amount?.Currency.ToString()));
        // PostgreSQL text cannot hold NUL, which the API accepts here; such a reference is simply not searchable.
        p.Add(Text("ref", listing.MerchantReference is { } reference && !reference.Contains('\0', StringComparison.Ordinal) ? reference : null));
        if (loadedVersion == 0)
        {
            p.Add(Text("env", environment.ToString()));
            p.Add(Time("created", createdAt.ToUnixTimeMilliseconds()));
            if (chargePermissionId is not null)
            {
                p.Add(Text("permission", chargePermissionId));
            }

            if (chargeId is not null)
            {
                p.Add(Text("charge", chargeId));
            }
        }
        else
        {
            p.Add(new NpgsqlParameter<long>("version", loadedVersion));
        }

        if (NonQuery(command) != 1)
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

    private static void BindScope(NpgsqlCommand command, IdempotencyScope scope)
    {
        var p = command.Parameters;
        p.Add(Text("m", scope.MerchantId));
        p.Add(Text("env", scope.Environment.ToString()));
        p.Add(Text("method", scope.Method));
        p.Add(Text("path", scope.Path));
        p.Add(Text("key", scope.Key));
    }

    private NpgsqlCommand Command(string sql) => new(sql, connection);

    /// <summary>
    /// Whether a statement of this session failed. PostgreSQL then aborts the whole transaction, and a COMMIT after that
    /// silently rolls back: a command that caught the error and returned normally must not look committed.
    /// </summary>
    public bool Failed { get; private set; }

    private int NonQuery(NpgsqlCommand command) => Run(command.ExecuteNonQuery);

    private T Run<T>(Func<T> statement)
    {
        try
        {
            return statement();
        }
        catch (PostgresException)
        {
            Failed = true;
            throw;
        }
    }

    private static NpgsqlParameter Text(string name, string? value) =>
        new(name, NpgsqlDbType.Text) { Value = (object?)value ?? DBNull.Value };

    private static NpgsqlParameter Positional(string? value) =>
        new() { NpgsqlDbType = NpgsqlDbType.Text, Value = (object?)value ?? DBNull.Value };

    /// <summary>Times are kept to the millisecond, as in the SQLite store, so both stores answer the same.</summary>
    private static NpgsqlParameter Time(string name, long? unixMilliseconds) =>
        new(name, NpgsqlDbType.TimestampTz) { Value = unixMilliseconds is { } ms ? Milliseconds(ms) : DBNull.Value };

    private static DateTimeOffset Milliseconds(long unixMilliseconds) => DateTimeOffset.FromUnixTimeMilliseconds(unixMilliseconds);

    private static Merchant ReadMerchant(NpgsqlDataReader reader) => new(
        reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetFieldValue<DateTimeOffset>(3));

    private static PublicKeyRecord ReadKey(NpgsqlDataReader reader) => new(
        reader.GetString(0),
        reader.GetString(1),
        reader.IsDBNull(2) ? null : Enum.Parse<ReleaseEnvironment>(reader.GetString(2)),
        reader.GetString(3),
        reader.GetFieldValue<DateTimeOffset>(4),
        reader.IsDBNull(5) ? null : reader.GetFieldValue<DateTimeOffset>(5));
}
