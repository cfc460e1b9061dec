using System.Globalization;
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
/// <para>
/// The writer's session remembers the list columns of the rows a command read, so a Save rewrites only the columns whose
/// values changed: SQLite rewrites an index entry for every indexed column an UPDATE sets, changed or not, and each
/// such entry is a page more in the commit. A capture that leaves the permission's state and reference alone then
/// writes neither of their index pages.
/// </para>
/// </remarks>
internal sealed partial class SqliteSession(SqliteConnection connection, bool remembersRows = false) : IWriteSession, IDisposable
{
    /// <summary>The columns every aggregate query reads: the document, then what a Save compares.</summary>
    private const string StoredColumns = "document, version, state, due_at, amount_hundredths, currency, merchant_reference";

    private static readonly Table CheckoutSessions = new(
        "checkout_sessions",
        "checkout_session_id",
        "INSERT INTO checkout_sessions (merchant_id, checkout_session_id, environment, version, state, created_at, due_at, amount_hundredths, currency, merchant_reference, document) VALUES ($m, $id, $env, 1, $state, $created, $due, $amount, $currency, $ref, $doc)");

    private static readonly Table ChargePermissions = new(
        "charge_permissions",
        "charge_permission_id",
        "INSERT INTO charge_permissions (merchant_id, charge_permission_id, environment, version, state, created_at, due_at, amount_hundredths, currency, merchant_reference, document) VALUES ($m, $id, $env, 1, $state, $created, $due, $amount, $currency, $ref, $doc)");

    private static readonly Table Charges = new(
        "charges",
        "charge_id",
        "INSERT INTO charges (merchant_id, charge_id, charge_permission_id, environment, version, state, created_at, due_at, amount_hundredths, currency, merchant_reference, document) VALUES ($m, $id, $permission, $env, 1, $state, $created, $due, $amount, $currency, $ref, $doc)");

    private static readonly Table Refunds = new(
        "refunds",
        "refund_id",
        "INSERT INTO refunds (merchant_id, refund_id, charge_id, charge_permission_id, environment, version, state, created_at, due_at, amount_hundredths, currency, merchant_reference, document) VALUES ($m, $id, $charge, $permission, $env, 1, $state, $created, $due, $amount, $currency, $ref, $doc)");

    private readonly Dictionary<string, SqliteCommand> _commands = new(StringComparer.Ordinal);

    /// <summary>The list columns of rows this command read or wrote, by table and id (writer only).</summary>
    private readonly Dictionary<(Table Table, string Id), StoredRow>? _rows = remembersRows ? [] : null;

    public SqliteConnection Connection => connection;

    public CheckoutSession? GetCheckoutSession(string merchantId, string checkoutSessionId) => ReadDocument(
        $"SELECT {StoredColumns}, checkout_session_id FROM checkout_sessions WHERE merchant_id = $m AND checkout_session_id = $id",
        CheckoutSessions, merchantId, checkoutSessionId, StoredDocuments.CheckoutSession);

    public CheckoutSession? FindCheckoutSession(string checkoutSessionId) => ReadDocument(
        $"SELECT {StoredColumns}, checkout_session_id FROM checkout_sessions WHERE checkout_session_id = $id",
        CheckoutSessions, null, checkoutSessionId, StoredDocuments.CheckoutSession);

    public ChargePermission? GetChargePermission(string merchantId, string chargePermissionId) => ReadDocument(
        $"SELECT {StoredColumns}, charge_permission_id FROM charge_permissions WHERE merchant_id = $m AND charge_permission_id = $id",
        ChargePermissions, merchantId, chargePermissionId, StoredDocuments.ChargePermission);

    public Charge? GetCharge(string merchantId, string chargeId) => ReadDocument(
        $"SELECT {StoredColumns}, charge_id FROM charges WHERE merchant_id = $m AND charge_id = $id",
        Charges, merchantId, chargeId, StoredDocuments.Charge);

    public IReadOnlyList<Charge> GetChargesOfPermission(string merchantId, string chargePermissionId) => ReadDocuments(
        $"SELECT {StoredColumns}, charge_id FROM charges INDEXED BY charges_by_permission WHERE merchant_id = $m AND charge_permission_id = $id ORDER BY created_at, charge_id",
        Charges, merchantId, chargePermissionId, StoredDocuments.Charge);

    public Refund? GetRefund(string merchantId, string refundId) => ReadDocument(
        $"SELECT {StoredColumns}, refund_id FROM refunds WHERE merchant_id = $m AND refund_id = $id",
        Refunds, merchantId, refundId, StoredDocuments.Refund);

    public IReadOnlyList<Refund> GetRefundsOfPermission(string merchantId, string chargePermissionId) => ReadDocuments(
        $"SELECT {StoredColumns}, refund_id FROM refunds INDEXED BY refunds_by_permission WHERE merchant_id = $m AND charge_permission_id = $id ORDER BY created_at, refund_id",
        Refunds, merchantId, chargePermissionId, StoredDocuments.Refund);

    public IReadOnlyList<Refund> GetRefundsOfCharge(string merchantId, string chargeId) => ReadDocuments(
        $"SELECT {StoredColumns}, refund_id FROM refunds INDEXED BY refunds_by_charge WHERE merchant_id = $m AND charge_id = $id ORDER BY created_at, refund_id",
        Refunds, merchantId, chargeId, StoredDocuments.Refund);

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
        CheckoutSessions,
        session.MerchantId, session.CheckoutSessionId, session.Environment, session.State.ToString(), session.CreationTimestamp, session.NextDueAt,
        StoredDocuments.CheckoutSession,
        new Listing(session.PaymentDetails.ChargeAmount, session.MerchantMetadata.MerchantReferenceId));

    public ChargePermission Save(ChargePermission chargePermission) => SaveDocument(
        chargePermission with { Version = chargePermission.Version + 1 },
        chargePermission.Version,
        ChargePermissions,
        chargePermission.MerchantId, chargePermission.ChargePermissionId, chargePermission.Environment, chargePermission.State.ToString(),
        chargePermission.CreationTimestamp, chargePermission.NextDueAt,
        StoredDocuments.ChargePermission,
        new Listing(chargePermission.AmountLimit, chargePermission.MerchantMetadata.MerchantReferenceId));

    public Charge Save(Charge charge) => SaveDocument(
        charge with { Version = charge.Version + 1 },
        charge.Version,
        Charges,
        charge.MerchantId, charge.ChargeId, charge.Environment, charge.State.ToString(), charge.CreationTimestamp, charge.NextDueAt,
        StoredDocuments.Charge,
        new Listing(charge.ChargeAmount, charge.MerchantMetadata?.MerchantReferenceId),
        charge.ChargePermissionId);

    public Refund Save(Refund refund) => SaveDocument(
        refund with { Version = refund.Version + 1 },
        refund.Version,
        Refunds,
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

    public bool DeleteSetting(string key)
    {
        var command = Command("DELETE FROM settings WHERE key = $key");
        command.Parameters["$key"].Value = key;
        return command.ExecuteNonQuery() == 1;
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

    private T? ReadDocument<T>(string sql, Table table, string? merchantId, string id, StoredDocument<T> format)
        where T : class
    {
        var command = Command(sql);
        if (merchantId is not null)
        {
            command.Parameters["$m"].Value = merchantId;
        }

        command.Parameters["$id"].Value = id;
        using var reader = command.ExecuteReader();
        return reader.Read() ? ReadStored(reader, table, format) : null;
    }

    private List<T> ReadDocuments<T>(string sql, Table table, string merchantId, string id, StoredDocument<T> format)
        where T : class
    {
        var command = Command(sql);
        command.Parameters["$m"].Value = merchantId;
        command.Parameters["$id"].Value = id;
        var documents = new List<T>();
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            documents.Add(ReadStored(reader, table, format));
        }

        return documents;
    }

    /// <summary>A row selected as <see cref="StoredColumns"/> and then its id; the writer remembers its list columns.</summary>
    private T ReadStored<T>(SqliteDataReader reader, Table table, StoredDocument<T> format)
        where T : class
    {
        // Read as one span: a document is a KiB or two, and a stream over it costs more than the copy.
        var document = format.Read(reader.GetFieldValue<byte[]>(0));
        if (_rows is not null)
        {
            _rows[(table, reader.GetString(7))] = new StoredRow(
                reader.GetInt64(1),
                reader.GetString(2),
                reader.IsDBNull(3) ? null : reader.GetInt64(3),
                reader.IsDBNull(4) ? null : reader.GetInt64(4),
                reader.IsDBNull(5) ? null : reader.GetString(5),
                reader.IsDBNull(6) ? null : reader.GetString(6));
        }

        return document;
    }

    /// <summary>Called by the writer before each command: what an earlier command read says nothing about this one.</summary>
    internal void ForgetRows() => _rows?.Clear();

    private T SaveDocument<T>(
        T saved,
        long loadedVersion,
        Table table,
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
        var row = new StoredRow(
            loadedVersion + 1,
            state,
            dueAt is { } due ? CeilingUnixMilliseconds(due) : null,
            listing.Amount is { } amount ? (long)(amount.Amount * 100m) : null,
            listing.Amount?.Currency.ToString(),
            listing.MerchantReference);
        var command = loadedVersion == 0
            ? Command(table.Insert)
            : Command(table.Update(ChangedColumns(table, id, loadedVersion, row)));
        var p = command.Parameters;
        p["$m"].Value = merchantId;
        p["$id"].Value = id;
        p["$doc"].Value = format.Write(saved);
        // Parameters of columns this statement does not set are ignored by it.
        Bind(p, "$state", row.State);
        Bind(p, "$due", row.DueAt);
        Bind(p, "$amount", row.AmountHundredths);
        Bind(p, "$currency", row.Currency);
        Bind(p, "$ref", row.MerchantReference);
        if (loadedVersion == 0)
        {
            p["$env"].Value = environment.ToString();
            p["$created"].Value = createdAt.ToUnixTimeMilliseconds();
            Bind(p, "$permission", chargePermissionId);
            Bind(p, "$charge", chargeId);
        }
        else
        {
            p["$version"].Value = loadedVersion;
        }

        if (command.ExecuteNonQuery() != 1)
        {
            throw new ConcurrencyConflictException($"'{id}' changed since version {loadedVersion} was read.");
        }

        if (_rows is not null)
        {
            _rows[(table, id)] = row;
        }

        return saved;
    }

    /// <summary>The list columns whose values differ from the stored row's; all of them when this command never read it.</summary>
    private ListColumns ChangedColumns(Table table, string id, long loadedVersion, StoredRow row)
    {
        if (_rows is null || !_rows.TryGetValue((table, id), out var stored) || stored.Version != loadedVersion)
        {
            return ListColumns.All;
        }

        var changed = ListColumns.None;
        if (!string.Equals(stored.State, row.State, StringComparison.Ordinal))
        {
            changed |= ListColumns.State;
        }

        if (stored.DueAt != row.DueAt)
        {
            changed |= ListColumns.DueAt;
        }

        if (stored.AmountHundredths != row.AmountHundredths || !string.Equals(stored.Currency, row.Currency, StringComparison.Ordinal))
        {
            changed |= ListColumns.Amount;
        }

        if (!string.Equals(stored.MerchantReference, row.MerchantReference, StringComparison.Ordinal))
        {
            changed |= ListColumns.MerchantReference;
        }

        return changed;
    }

    private static void Bind(SqliteParameterCollection parameters, string name, object? value)
    {
        if (parameters.Contains(name))
        {
            parameters[name].Value = value ?? DBNull.Value;
        }
    }

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
        // Every $name in the text becomes a parameter, so callers only assign values. Scanned by hand: a Regex here would
        // load and build the regex engine on the path of a start's first request.
        for (var start = sql.IndexOf('$', StringComparison.Ordinal); start >= 0; start = sql.IndexOf('$', start + 1))
        {
            var end = start + 1;
            while (end < sql.Length && char.IsAsciiLetterLower(sql[end]))
            {
                end++;
            }

            var name = sql[start..end];
            if (end > start + 1 && !command.Parameters.Contains(name))
            {
                command.Parameters.Add(new SqliteParameter(name, null));
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

    /// <summary>The list columns an UPDATE may set besides the version and the document.</summary>
    [Flags]
    private enum ListColumns
    {
        None = 0,
        State = 1,
        DueAt = 2,
        Amount = 4,
        MerchantReference = 8,
        All = State | DueAt | Amount | MerchantReference,
    }

    /// <summary>A row's version and list columns, as stored.</summary>
    private readonly record struct StoredRow(
        long Version, string State, long? DueAt, long? AmountHundredths, string? Currency, string? MerchantReference);

    /// <summary>An aggregate table: its insert, and one versioned update per set of changed list columns.</summary>
    private sealed class Table(string name, string idColumn, string insert)
    {
        private readonly string[] _updates = [.. Enumerable.Range(0, (int)ListColumns.All + 1).Select(columns => UpdateSql(name, idColumn, (ListColumns)columns))];

        public string Insert => insert;

        public string Update(ListColumns changed) => _updates[(int)changed];

        public override string ToString() => name;

        private static string UpdateSql(string table, string idColumn, ListColumns changed)
        {
            var set = new System.Text.StringBuilder("version = version + 1, document = $doc");
            if (changed.HasFlag(ListColumns.State))
            {
                set.Append(", state = $state");
            }

            if (changed.HasFlag(ListColumns.DueAt))
            {
                set.Append(", due_at = $due");
            }

            if (changed.HasFlag(ListColumns.Amount))
            {
                set.Append(", amount_hundredths = $amount, currency = $currency");
            }

            if (changed.HasFlag(ListColumns.MerchantReference))
            {
                set.Append(", merchant_reference = $ref");
            }

            return $"UPDATE {table} SET {set} WHERE merchant_id = $m AND {idColumn} = $id AND version = $version";
        }
    }
}
