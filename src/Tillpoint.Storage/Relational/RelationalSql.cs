using Tillpoint.Domain;

namespace Tillpoint.Storage.Relational;

/// <summary>
/// The SQL text of one dialect that has dialect fragments in it, composed once per dialect so that no statement is built
/// on a request's path. Statements without fragments are written where they are run.
/// </summary>
internal sealed class RelationalSql(SqlDialect d)
{
    private const string EventColumns =
        """
        event_id, environment, object_type, object_id, charge_permission_id, from_state, to_state, reason_code,
               amount, currency, occurred_at, detail
        """;

    public AggregateTable CheckoutSessions { get; } = new(d, "checkout_sessions", "checkout_session_id");

    public AggregateTable ChargePermissions { get; } = new(d, "charge_permissions", "charge_permission_id");

    public AggregateTable Charges { get; } = new(d, "charges", "charge_id", ("charge_permission_id", "permission"));

    public AggregateTable Refunds { get; } = new(d, "refunds", "refund_id", ("charge_id", "charge"), ("charge_permission_id", "permission"));

    public AggregateTable Disputes { get; } = new(d, "disputes", "dispute_id", ("charge_id", "charge"), ("charge_permission_id", "permission"));

    /// <summary>The tables of objects with time-driven changes, each with a partial due index.</summary>
    public static readonly DueTable[] DueTables =
    [
        new(ObjectType.CheckoutSession, "checkout_sessions", "checkout_session_id", Ledger: null),
        new(ObjectType.ChargePermission, "charge_permissions", "charge_permission_id", "charge_permission_id"),
        new(ObjectType.Charge, "charges", "charge_id", "charge_permission_id"),
        new(ObjectType.Refund, "refunds", "refund_id", "charge_permission_id"),
        new(ObjectType.Dispute, "disputes", "dispute_id", "charge_permission_id"),
    ];

    /// <summary>Due items of every type, earliest first, at most <c>@limit</c>, read from each table's partial due index.</summary>
    public string FindDue { get; } =
        string.Join("\nUNION ALL\n", DueTables.Select(t => d.DueArm(t.Select, t.Name))) + "\nORDER BY due_at\nLIMIT @limit";

    public string DisputesOfPermission { get; } =
        $"SELECT {d.StoredColumns("dispute_id")} FROM disputes{d.IndexedBy("disputes_by_permission")} WHERE merchant_id = @m AND charge_permission_id = @id ORDER BY created_at, dispute_id";

    /// <summary>For the hosted pages, which know the session id but not the merchant.</summary>
    public string FindCheckoutSession { get; } = $"SELECT {d.StoredColumns("checkout_session_id")} FROM checkout_sessions WHERE checkout_session_id = @id";

    public string FindCheckoutSessionForUpdate { get; } =
        $"SELECT {d.StoredColumns("checkout_session_id")} FROM checkout_sessions WHERE checkout_session_id = @id{d.ForUpdate}";

    public string ChargesOfPermission { get; } =
        $"SELECT {d.StoredColumns("charge_id")} FROM charges{d.IndexedBy("charges_by_permission")} WHERE merchant_id = @m AND charge_permission_id = @id ORDER BY created_at, charge_id";

    public string RefundsOfPermission { get; } =
        $"SELECT {d.StoredColumns("refund_id")} FROM refunds{d.IndexedBy("refunds_by_permission")} WHERE merchant_id = @m AND charge_permission_id = @id ORDER BY created_at, refund_id";

    public string RefundsOfCharge { get; } =
        $"SELECT {d.StoredColumns("refund_id")} FROM refunds{d.IndexedBy("refunds_by_charge")} WHERE merchant_id = @m AND charge_id = @id ORDER BY created_at, refund_id";

    public string Events { get; } =
        $"""
        SELECT {EventColumns}
        FROM events{d.IndexedBy("events_by_object")} WHERE merchant_id = @m AND object_id = @id
        UNION
        SELECT {EventColumns}
        FROM events{d.IndexedBy("events_by_charge_permission")} WHERE merchant_id = @m AND charge_permission_id = @id
        ORDER BY event_id
        """;

    public string RecentEvents { get; } = $"SELECT {EventColumns}, merchant_id FROM events ORDER BY event_id DESC LIMIT @limit";

    /// <summary>
    /// The index range starts at the cursor's millisecond, and the OR continues after the cursor within it: each page
    /// starts where the last ended, however deep into the export. (A row value comparison, (occurred_at, event_id) > (…),
    /// reads the same but SQLite does not start the range at it: every page scanned from the range's start.) Event ids
    /// are positive, so (from, 0) starts at the range's first event.
    /// </summary>
    public string EventPage { get; } =
        $"""
        SELECT {EventColumns}
        FROM events{d.IndexedBy("events_by_time")}
        WHERE merchant_id = @m AND occurred_at >= {d.Greatest}(@from, @afterat) AND occurred_at < @to
          AND (occurred_at > @afterat OR event_id > @afterid)
          AND ({d.Typed("env", "text")} IS NULL OR environment = {d.Typed("env", "text")})
        ORDER BY occurred_at, event_id
        LIMIT @limit
        """;

    public string CountEvents { get; } =
        $"""
        SELECT count(*) FROM events{d.IndexedBy("events_by_time")}
        WHERE merchant_id = @m AND occurred_at >= @from AND occurred_at < @to AND ({d.Typed("env", "text")} IS NULL OR environment = {d.Typed("env", "text")})
        """;

    public string PublicKeys { get; } =
        $"""
        SELECT public_key_id, merchant_id, environment, public_key_pem, created_at, revoked_at FROM public_keys
        WHERE {d.Typed("m", "text")} IS NULL OR merchant_id = @m ORDER BY created_at, public_key_id
        """;

    public string DeliveryTrackers { get; } =
        $"""
        SELECT environment, carrier_code, tracking_number, created_at
        FROM delivery_trackers{d.IndexedBy("delivery_trackers_by_permission")} WHERE merchant_id = @m AND charge_permission_id = @id
        ORDER BY created_at, {d.SubmissionOrder}
        """;

    /// <summary>substr() rather than LIKE, whose wildcards a prefix would have to escape; the table holds a handful of rows.</summary>
    public string Settings { get; } = $"SELECT key, value FROM settings WHERE substr(key, 1, length(@prefix)) = @prefix ORDER BY {d.KeyOrder}";

    public string IpnEndpoints { get; } =
        $"SELECT merchant_id, environment, url, created_at FROM ipn_endpoints WHERE merchant_id = @m AND ({d.Typed("env", "text")} IS NULL OR environment = @env) ORDER BY environment, url";

    public string IpnDeliveries { get; } =
        $"""
        {IpnDeliveryColumns}
        WHERE ({d.Typed("m", "text")} IS NULL OR d.merchant_id = @m) AND ({d.Typed("env", "text")} IS NULL OR d.environment = @env)
          AND ({d.Typed("state", "text")} IS NULL OR d.state = @state)
          AND ({d.Typed("nid", "text")} IS NULL OR d.notification_id = @nid) AND ({d.Typed("before", "bigint")} IS NULL OR d.delivery_seq < @before)
        ORDER BY d.delivery_seq DESC LIMIT @limit
        """;

    public string HasIpnWork { get; } =
        $"""
        SELECT EXISTS (SELECT 1 FROM ipn_notifications WHERE environment = @env AND {d.NotFannedOut("fanned_out")})
            OR EXISTS (SELECT 1 FROM ipn_deliveries d WHERE d.environment = @env AND d.state = 'Pending' AND d.next_attempt_at <= @now
                      AND EXISTS (SELECT 1 FROM ipn_endpoints e WHERE e.merchant_id = d.merchant_id AND e.environment = d.environment AND e.url = d.url))
        """;

    public string IpnBacklog { get; } =
        $"""
        SELECT (SELECT count(*) FROM ipn_notifications WHERE {d.NotFannedOut("fanned_out")})
             + (SELECT count(*) FROM ipn_deliveries WHERE state = 'Pending')
        """;

    /// <summary>Locked until the command commits where several nodes share the store; another node fans out the next ones.</summary>
    public string UnsentNotifications { get; } =
        $"""
        SELECT notification_seq, notification_id, merchant_id, object_id FROM ipn_notifications{d.IndexedBy("ipn_notifications_unsent")}
        WHERE environment = @env AND {d.NotFannedOut("fanned_out")} ORDER BY notification_seq LIMIT @limit{d.ForUpdateSkipLocked()}
        """;

    public string MarkFannedOut { get; } = $"UPDATE ipn_notifications SET fanned_out = {d.FannedOut} WHERE notification_seq = @seq";

    /// <summary>
    /// Deliveries another node is claiming right now are left to it. The lease outlives this short transaction; the POST
    /// happens after the commit, outside any transaction.
    /// </summary>
    public string LeaseIpnDeliveries { get; } =
        $"""
        UPDATE ipn_deliveries SET leased_until = @until, lease_token = @token
        WHERE delivery_seq IN (
            SELECT d.delivery_seq FROM ipn_deliveries d
            WHERE d.environment = @env AND d.state = 'Pending' AND d.next_attempt_at <= @now
              AND (d.leased_until IS NULL OR d.leased_until <= @real)
              AND EXISTS (SELECT 1 FROM ipn_endpoints e WHERE e.merchant_id = d.merchant_id AND e.environment = d.environment AND e.url = d.url)
              AND NOT EXISTS (
                  SELECT 1 FROM ipn_deliveries b{d.IndexedBy("ipn_deliveries_in_order")}
                  WHERE b.merchant_id = d.merchant_id AND b.environment = d.environment AND b.url = d.url AND b.object_id = d.object_id
                    AND b.state = 'Pending' AND b.notification_seq < d.notification_seq)
              AND NOT EXISTS (
                  SELECT 1 FROM ipn_notifications u
                  WHERE u.environment = d.environment AND {d.NotFannedOut("u.fanned_out")} AND u.merchant_id = d.merchant_id AND u.object_id = d.object_id
                    AND u.notification_seq < d.notification_seq)
            ORDER BY d.next_attempt_at, d.notification_seq LIMIT @limit{d.ForUpdateSkipLocked("d")})
        """;

    public string ResendIpn { get; } =
        $"""
        UPDATE ipn_deliveries SET state = 'Pending', series = series + 1, attempts = 0, next_attempt_at = {d.Epoch}, leased_until = NULL,
                                  lease_token = NULL
        WHERE delivery_id = @id OR notification_id = @id
        """;

    public const string IpnDeliveryColumns =
        """
        SELECT d.delivery_seq, d.delivery_id, d.notification_seq, n.notification_id, d.merchant_id, d.environment, n.object_type,
               n.object_id, n.charge_permission_id, d.url, d.state, d.series, d.attempts, d.next_attempt_at, d.created_at,
               d.last_attempt_at, d.last_result
        FROM ipn_deliveries d JOIN ipn_notifications n ON n.notification_seq = d.notification_seq
        """;
}

/// <summary>
/// A table of objects with due work. <paramref name="Ledger"/> is the column of the charge permission whose ledger the
/// object belongs to; a checkout session has none and is locked on its own.
/// </summary>
internal sealed record DueTable(ObjectType Type, string Name, string Id, string? Ledger)
{
    /// <summary>What <see cref="RelationalSession.ReadDueItems"/> reads: type, merchant, id, charge permission, due time.</summary>
    public string Select { get; } =
        $"SELECT '{Type}' AS object_type, merchant_id, {Id} AS object_id, {Ledger ?? "CAST(NULL AS text)"} AS charge_permission_id, due_at";
}
