namespace Tillpoint.Storage.Relational;

/// <summary>
/// The relational stores' tables, declared once, and the history of steps that made them: every store's migrations are
/// rendered from it in its own dialect. Aggregates are documents (the UTF-8 JSON bytes, in both stores) plus the columns
/// that are queried.
/// </summary>
/// <remarks>
/// In PostgreSQL every table that grows with traffic has the merchant id first in its primary key, and every query
/// names the merchant, so the tables can be distributed by <c>merchant_id</c> (Citus); <c>merchants</c>,
/// <c>public_keys</c> and <c>settings</c> are small and would be reference tables. Documents are <c>bytea</c>, not
/// <c>jsonb</c>, which would parse every document on write and re-render it on read for no query that needs it, and
/// refuses strings holding <c>\u0000</c>, which the API accepts in free-text fields.
/// </remarks>
internal static class RelationalSchema
{
    private const StoreKind Sqlite = StoreKind.Sqlite;
    private const StoreKind Postgres = StoreKind.Postgres;

    // region: the merchant account's Amazon Pay region (NA, EU, UK, JP); merchants made before regions are NA.
    private static readonly Table Merchants = new(
        "merchants",
        [
            Text("merchant_id").PrimaryKey(), Text("store_id").Unique(), Text("name"), Time("created_at"),
            Text("region").DefaultsTo("'NA'"),
        ],
        []);

    private static readonly Table PublicKeys = new(
        "public_keys",
        [
            Text("public_key_id").PrimaryKey(), Text("merchant_id").ReferencesColumn("merchants", "merchant_id"),
            Text("environment").OrNull(), Text("public_key_pem"), Time("created_at"), Time("revoked_at").OrNull(),
        ],
        []);

    private static readonly Table Settings = new("settings", [Text("key").PrimaryKey(), Text("value")], []);

    /// <summary>
    /// The columns the dashboard lists and filters aggregates by: the amount (in hundredths, as an integer, in SQLite:
    /// every currency has at most two decimals), its currency and merchantMetadata.merchantReferenceId.
    /// </summary>
    private static readonly Column[] Listed =
    [
        Int64("amount_hundredths").OrNull().In(Sqlite), Decimal("amount").OrNull().In(Postgres),
        Text("currency").OrNull(), Text("merchant_reference").OrNull(),
    ];

    // due_at is the aggregate's NextDueAt, rounded up to the millisecond: when its next time-driven change (an expiry, a
    // pending outcome) is due, for the sweeper. Rows in a final state keep NULL and are never swept.
    private static readonly Table CheckoutSessions = Aggregate("checkout_sessions", "checkout_session_id");

    private static readonly Table ChargePermissions = Aggregate("charge_permissions", "charge_permission_id");

    private static readonly Table Charges = Aggregate("charges", "charge_id", Text("charge_permission_id"));

    private static readonly Table Refunds = Aggregate("refunds", "refund_id", Text("charge_id"), Text("charge_permission_id"));

    // event_id gives the order of appending. In PostgreSQL identity values are handed out at insert, not at commit, so the
    // ids of concurrent transactions interleave, but one object's events are appended under its ledger's lock, in order.
    private static readonly Table Events = new(
        "events",
        [
            Sequence("event_id").PrimaryKey().In(Sqlite), Text("merchant_id"), Sequence("event_id").In(Postgres),
            Text("environment"), Text("object_type"), Text("object_id"), Text("charge_permission_id").OrNull(),
            Text("from_state").OrNull(), Text("to_state"), Text("reason_code").OrNull(), Decimal("amount").OrNull(),
            Text("currency").OrNull(), Time("occurred_at"), Text("detail").OrNull(),
        ],
        [new TableKey(KeyKind.PrimaryKey, ["merchant_id", "event_id"]).In(Postgres)]);

    private static readonly Table IdempotencyKeys = new(
        "idempotency_keys",
        [
            Text("merchant_id"), Text("environment"), Text("method"), Text("path"), Text("idempotency_key"),
            Bytes("request_hash"), Int32("status_code"), Bytes("response_body"),
        ],
        [RowKey("merchant_id", "environment", "method", "path", "idempotency_key")]);

    // A carrier and tracking number is taken once per merchant and environment, whatever permission it was sent for.
    // SQLite orders trackers submitted in the same millisecond by rowid, PostgreSQL by submission.
    private static readonly Table DeliveryTrackers = new(
        "delivery_trackers",
        [
            Text("merchant_id"), Text("environment"), Text("charge_permission_id").In(Sqlite), Text("carrier_code"),
            Text("tracking_number"), Text("charge_permission_id").In(Postgres), Time("created_at"),
            Sequence("submission").In(Postgres),
        ],
        [RowKey("merchant_id", "environment", "carrier_code", "tracking_number")]);

    // Instant Payment Notifications. A notification is written with the state change it reports (the outbox); the
    // dispatcher then fans it out to the merchant's endpoints, one delivery each, and records every attempt. PostgreSQL
    // nodes share the work through row locks (SKIP LOCKED) and leases (leased_until, real time).
    private static readonly Table IpnEndpoints = new(
        "ipn_endpoints",
        [Text("merchant_id"), Text("environment"), Text("url"), Time("created_at")],
        [new TableKey(KeyKind.PrimaryKey, ["merchant_id", "environment", "url"])]);

    private static readonly Table IpnNotifications = new(
        "ipn_notifications",
        [
            Sequence("notification_seq").PrimaryKey(), Text("notification_id").Unique(), Text("merchant_id"),
            Text("environment"), Text("object_type"), Text("object_id"), Text("charge_permission_id"),
            Text("notification_type"), Int64("event_id"), Time("created_at"), Bool("fanned_out"),
        ],
        []);

    private static readonly Table IpnDeliveries = new(
        "ipn_deliveries",
        [
            Sequence("delivery_seq").PrimaryKey(), Text("delivery_id").Unique(),
            Int64("notification_seq").ReferencesColumn("ipn_notifications", "notification_seq"), Text("notification_id"),
            Text("merchant_id"), Text("environment"), Text("url"), Text("object_id"), Text("state"),
            Int32("series"), Int32("attempts"), Time("next_attempt_at"), Time("leased_until").OrNull(),
            Text("lease_token").OrNull(), Time("created_at"), Time("last_attempt_at").OrNull(), Text("last_result").OrNull(),
        ],
        [new TableKey(KeyKind.Unique, ["notification_seq", "url"])]);

    private static readonly Table IpnAttempts = new(
        "ipn_attempts",
        [
            Sequence("attempt_seq").PrimaryKey(), Int64("delivery_seq").ReferencesColumn("ipn_deliveries", "delivery_seq"),
            Int32("series"), Int32("attempt"), Time("attempted_at"), Text("outcome"), Int32("status_code").OrNull(),
            Int64("latency_ms"), Text("detail").OrNull(),
        ],
        []);

    // What the operator grants beyond a merchant's own payments: roles (the PSP and solution-provider operations), and
    // the MWS auth tokens that delegate a merchant to a solution provider. Small tables, read on key-cache misses.
    private static readonly Table MerchantRoles = new(
        "merchant_roles",
        [Text("merchant_id").ReferencesColumn("merchants", "merchant_id"), Text("role"), Time("granted_at")],
        [new TableKey(KeyKind.PrimaryKey, ["merchant_id", "role"])]);

    private static readonly Table MwsAuthTokens = new(
        "mws_auth_tokens",
        [
            Text("mws_auth_token").PrimaryKey(), Text("merchant_id").ReferencesColumn("merchants", "merchant_id"),
            Text("solution_provider_id").ReferencesColumn("merchants", "merchant_id"), Time("created_at"),
            Time("revoked_at").OrNull(),
        ],
        []);

    // Reports (the API's Get Reports and Create Report) and their schedules. A report's columns are all it is; its
    // document, the file downloaded, is kept with it once complete. due_at is when processing completes (in progress) or
    // when the report is deleted (90 days after creation), for the sweeper.
    private static readonly Table Reports = new(
        "reports",
        [
            Text("merchant_id"), Text("environment"), Text("report_id"), Text("report_type"), Text("processing_status"),
            Time("start_time"), Time("end_time"), Time("created_at"), Time("processing_start_time").OrNull(),
            Time("processing_end_time").OrNull(), Time("ready_at"), Text("report_document_id").OrNull(),
            Text("report_schedule_id").OrNull(), Time("due_at").OrNull(), Bytes("document").OrNull(),
        ],
        [new TableKey(KeyKind.Unique, ["merchant_id", "environment", "report_id"])]);

    // One schedule per report type: the second unique key is that rule.
    private static readonly Table ReportSchedules = new(
        "report_schedules",
        [
            Text("merchant_id"), Text("environment"), Text("report_schedule_id"), Text("report_type"),
            Text("schedule_frequency"), Time("next_report_creation_time"),
        ],
        [
            new TableKey(KeyKind.Unique, ["merchant_id", "environment", "report_schedule_id"]),
            new TableKey(KeyKind.Unique, ["merchant_id", "environment", "report_type"]),
        ]);

    // Merchant accounts partners made through the API: each is a merchant of its own, made by another (created_by).
    // A uniqueReferenceId names one account per partner and environment until that account is deleted.
    private static readonly Table MerchantAccounts = new(
        "merchant_accounts",
        [
            Text("merchant_account_id").PrimaryKey().ReferencesColumn("merchants", "merchant_id"),
            Text("created_by").ReferencesColumn("merchants", "merchant_id"), Text("environment"), Text("kind"),
            Text("state"), Text("unique_reference_id"), Int64("version"), Time("created_at"), Time("updated_at"),
            Bytes("document"),
        ],
        []);

    // Disputes belong to a charge permission's ledger, like refunds: locked and swept through their permission.
    private static readonly Table Disputes = new(
        "disputes",
        [
            Text("merchant_id"), Text("dispute_id"), Text("charge_id"), Text("charge_permission_id"),
            Text("environment"), Int64("version"), Text("state"), Time("created_at"), Time("due_at").OrNull(),
            .. Listed, Bytes("document"),
        ],
        [RowKey("merchant_id", "dispute_id")]);

    // Evidence files (Upload File): the record at the first step, the bytes at the second.
    private static readonly Table EvidenceFiles = new(
        "evidence_files",
        [
            Text("merchant_id"), Text("file_id"), Text("environment"), Text("type"), Text("purpose"),
            Text("upload_token").Unique(), Time("created_at"), Time("url_expires_at"), Time("uploaded_at").OrNull(),
            Int64("size"), Bytes("content").OrNull(),
        ],
        [RowKey("merchant_id", "file_id")]);

    /// <summary>
    /// The steps, in order. Never edit a shipped step: add a new one. SQLite applies each step as a version of its own;
    /// the PostgreSQL store came with the second step, and its first version is the first two.
    /// </summary>
    private static readonly SchemaChange[][] Steps =
    [
        [
            new CreateTable(Merchants),
            new CreateTable(PublicKeys),
            new CreateIndex(new TableIndex("public_keys_by_merchant", PublicKeys, ["merchant_id"])),
            new CreateTable(CheckoutSessions),
            // The hosted buyer pages know only the session id (a random UUID), not the merchant. In PostgreSQL a table
            // distributed by merchant cannot have a unique index without the merchant id.
            new CreateIndex(new TableIndex("checkout_sessions_by_id", CheckoutSessions, ["checkout_session_id"]).Unique().In(Sqlite)),
            new CreateIndex(new TableIndex("checkout_sessions_by_id", CheckoutSessions, ["checkout_session_id"]).In(Postgres)),
            new CreateTable(ChargePermissions),
            new CreateTable(Charges),
            new CreateIndex(new TableIndex("charges_by_permission", Charges, ["merchant_id", "charge_permission_id"])),
            new CreateTable(Events),
            new CreateIndex(new TableIndex("events_by_object", Events, ["merchant_id", "object_id"]).ThenInRowOrder()),
            new CreateIndex(new TableIndex("events_by_charge_permission", Events, ["merchant_id", "charge_permission_id"]).ThenInRowOrder()),
            new CreateTable(IdempotencyKeys),
        ],
        [
            // Existing rows cannot get their exact due time here, since it comes from domain rules, so every row that may
            // have a change ahead is made due at once (due_at = created_at): the sweeper loads it, applies what is really
            // due (often nothing) and saves it, which writes its exact due time.
            new AddColumns(CheckoutSessions, ["due_at"], _ => "UPDATE checkout_sessions SET due_at = created_at WHERE state = 'Open'"),
            new AddColumns(ChargePermissions, ["due_at"], _ => "UPDATE charge_permissions SET due_at = created_at WHERE state <> 'Closed'"),
            new AddColumns(
                Charges,
                ["due_at"],
                _ => "UPDATE charges SET due_at = created_at WHERE state IN ('AuthorizationInitiated', 'Authorized', 'CaptureInitiated')"),
            new CreateTable(Refunds),
            new CreateIndex(new TableIndex("refunds_by_permission", Refunds, ["merchant_id", "charge_permission_id"])),
            new CreateIndex(new TableIndex("refunds_by_charge", Refunds, ["merchant_id", "charge_id"])),
            // Partial: objects in a final state have nothing due, and most objects end in one; they stay out of these indexes.
            new CreateIndex(Due(CheckoutSessions)),
            new CreateIndex(Due(ChargePermissions)),
            new CreateIndex(Due(Charges)),
            new CreateIndex(Due(Refunds)),
            new AddColumns(Events, ["detail"]),
            new CreateTable(Settings),
            new CreateTable(DeliveryTrackers),
            new CreateIndex(new TableIndex("delivery_trackers_by_permission", DeliveryTrackers, ["merchant_id", "charge_permission_id"]).ThenInRowOrder()),
        ],
        [
            new CreateTable(IpnEndpoints),
            new CreateTable(IpnNotifications),
            // Partial: once fanned out (nearly all of them), a notification leaves this index.
            new CreateIndex(new TableIndex("ipn_notifications_unsent", IpnNotifications, ["environment", "notification_seq"])
                .Partial(d => d.NotFannedOut("fanned_out"))),
            new CreateIndex(new TableIndex("ipn_notifications_by_permission", IpnNotifications, ["merchant_id", "charge_permission_id"]).ThenInRowOrder()),
            new CreateTable(IpnDeliveries),
            new CreateIndex(new TableIndex("ipn_deliveries_due", IpnDeliveries, ["environment", "next_attempt_at"]).Partial("state = 'Pending'")),
            // What keeps one object's notifications to one endpoint in order: the earliest pending one goes first.
            new CreateIndex(new TableIndex("ipn_deliveries_in_order", IpnDeliveries, ["merchant_id", "environment", "url", "object_id", "notification_seq"])
                .Partial("state = 'Pending'")),
            new CreateIndex(new TableIndex("ipn_deliveries_by_notification", IpnDeliveries, ["notification_id"])),
            new CreateIndex(new TableIndex("ipn_deliveries_by_lease", IpnDeliveries, ["lease_token"]).Partial("lease_token IS NOT NULL")),
            new CreateTable(IpnAttempts),
            new CreateIndex(new TableIndex("ipn_attempts_by_delivery", IpnAttempts, ["delivery_seq"])),
        ],
        [
            // Exports read a merchant's events by time, a page at a time, continuing after (occurred_at, event_id).
            new CreateIndex(new TableIndex("events_by_time", Events, ["merchant_id", "occurred_at"]).ThenInRowOrder()),
        ],
        [
            // The dashboard lists objects newest first by (created_at, id) and filters on these columns; its lists read
            // only columns, never documents. Existing rows are filled from their documents.
            .. ListColumns(CheckoutSessions, "checkout_session_id", ["paymentDetails", "chargeAmount"], byReference: true, byId: false),
            .. ListColumns(ChargePermissions, "charge_permission_id", ["amountLimit"], byReference: true, byId: true),
            .. ListColumns(Charges, "charge_id", ["chargeAmount"], byReference: true, byId: true),
            .. ListColumns(Refunds, "refund_id", ["refundAmount"], byReference: false, byId: true),
            // The overview's latest activity across merchants; SQLite reads the rowid's own order.
            new CreateIndex(new TableIndex("events_recent", Events, ["event_id"]).In(Postgres)),
        ],
        [
            new CreateTable(MerchantRoles),
            new CreateTable(MwsAuthTokens),
            new CreateIndex(new TableIndex("mws_auth_tokens_by_merchant", MwsAuthTokens, ["merchant_id"])),
        ],
        [
            new CreateTable(Reports),
            new CreateIndex(new TableIndex("reports_by_created", Reports, ["merchant_id", "environment", "created_at", "report_id"])),
            new CreateIndex(new TableIndex("reports_by_document", Reports, ["merchant_id", "environment", "report_document_id"])
                .Unique().Partial("report_document_id IS NOT NULL")),
            new CreateIndex(Due(Reports)),
            new CreateTable(ReportSchedules),
            new CreateIndex(new TableIndex("report_schedules_due", ReportSchedules, ["environment", "next_report_creation_time"])),
        ],
        [
            new CreateTable(MerchantAccounts),
            new CreateIndex(new TableIndex("merchant_accounts_by_reference", MerchantAccounts, ["created_by", "environment", "unique_reference_id"])
                .Unique().Partial("state <> 'Deleted'")),
            new CreateIndex(new TableIndex("merchant_accounts_by_created", MerchantAccounts, ["created_at", "merchant_account_id"])),
        ],
        [
            new CreateTable(Disputes),
            new CreateIndex(new TableIndex("disputes_by_permission", Disputes, ["merchant_id", "charge_permission_id"])),
            new CreateIndex(Due(Disputes)),
            .. ListIndexes(Disputes, "dispute_id", byReference: false, byId: true),
            new CreateTable(EvidenceFiles),
        ],
        [
            new AddColumns(Merchants, ["region"]),
        ],
    ];

    /// <summary>The migrations of <paramref name="dialect"/>'s store, one script per version.</summary>
    public static string[] Migrations(SqlDialect dialect) =>
        SchemaHistory.Scripts(dialect, Steps, stepsInFirstVersion: dialect.Kind is StoreKind.Postgres ? 2 : 1);

    private static Column Text(string name) => new(name, ColumnType.Text);

    private static Column Int32(string name) => new(name, ColumnType.Int32);

    private static Column Int64(string name) => new(name, ColumnType.Int64);

    private static Column Time(string name) => new(name, ColumnType.Time);

    private static Column Bytes(string name) => new(name, ColumnType.Bytes);

    private static Column Bool(string name) => new(name, ColumnType.Bool);

    private static Column Decimal(string name) => new(name, ColumnType.Decimal);

    private static Column Sequence(string name) => new(name, ColumnType.Sequence);

    private static TableKey RowKey(params string[] columns) => new(KeyKind.RowKey, columns);

    /// <summary>An aggregate's table: its id, the ids of what it belongs to, its document and the columns listed.</summary>
    private static Table Aggregate(string name, string id, params Column[] owners) => new(
        name,
        [
            Text("merchant_id"), Text(id), .. owners, Text("environment"), Int64("version"), Text("state"),
            Time("created_at"), Time("due_at").OrNull(), Bytes("document"), .. Listed,
        ],
        [RowKey("merchant_id", id)]);

    /// <summary>Partial: objects with nothing due stay out of the index.</summary>
    private static TableIndex Due(Table table) =>
        new TableIndex($"{table.Name}_due", table, ["environment", "due_at"]).Partial("due_at IS NOT NULL");

    /// <summary>
    /// An aggregate table's list columns, filled from its documents, and the indexes of the dashboard's lists;
    /// <paramref name="amount"/> is the JSON path of the listed amount.
    /// </summary>
    private static IEnumerable<SchemaChange> ListColumns(Table table, string id, string[] amount, bool byReference, bool byId) =>
    [
        new AddColumns(table, [.. Listed.Select(c => c.Name)], d => $"""
            UPDATE {table.Name} SET
                {d.AmountColumn} = {d.ListedAmountOf([.. amount, "amount"])},
                currency = {d.TextOf([.. amount, "currency"])},
                merchant_reference = {(byReference ? d.TextOf(["merchantMetadata", "merchantReferenceId"]) : "NULL")}
            """),
        .. ListIndexes(table, id, byReference, byId),
    ];

    private static IEnumerable<SchemaChange> ListIndexes(Table table, string id, bool byReference, bool byId)
    {
        yield return new CreateIndex(new TableIndex($"{table.Name}_by_created", table, ["created_at", id]));
        yield return new CreateIndex(new TableIndex($"{table.Name}_by_merchant_created", table, ["merchant_id", "created_at", id]));
        yield return new CreateIndex(new TableIndex($"{table.Name}_by_state_created", table, ["state", "created_at", id]));
        if (byReference)
        {
            yield return new CreateIndex(new TableIndex($"{table.Name}_by_reference", table, ["merchant_reference", "created_at"])
                .Partial("merchant_reference IS NOT NULL"));
        }

        if (byId)
        {
            yield return new CreateIndex(new TableIndex($"{table.Name}_by_id", table, [id]));
        }
    }
}
