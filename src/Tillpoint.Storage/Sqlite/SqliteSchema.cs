using Microsoft.Data.Sqlite;

namespace Tillpoint.Storage.Sqlite;

/// <summary>Versioned migrations, applied in order at start-up inside one transaction each.</summary>
internal static class SqliteSchema
{
    // Never edit a shipped migration: add a new one. Aggregates are JSON documents plus the columns that are queried.
    private static readonly string[] Migrations =
    [
        """
        CREATE TABLE merchants (
            merchant_id TEXT NOT NULL PRIMARY KEY,
            store_id TEXT NOT NULL UNIQUE,
            name TEXT NOT NULL,
            created_at INTEGER NOT NULL
        );
        CREATE TABLE public_keys (
            public_key_id TEXT NOT NULL PRIMARY KEY,
            merchant_id TEXT NOT NULL REFERENCES merchants (merchant_id),
            environment TEXT NULL,
            public_key_pem TEXT NOT NULL,
            created_at INTEGER NOT NULL,
            revoked_at INTEGER NULL
        );
        CREATE INDEX public_keys_by_merchant ON public_keys (merchant_id);
        -- Aggregates live in rowid tables with a unique (merchant_id, id) key rather than WITHOUT ROWID tables: their
        -- JSON documents run to a few KiB, and an index b-tree would push every such row into overflow pages.
        CREATE TABLE checkout_sessions (
            merchant_id TEXT NOT NULL,
            checkout_session_id TEXT NOT NULL,
            environment TEXT NOT NULL,
            version INTEGER NOT NULL,
            state TEXT NOT NULL,
            created_at INTEGER NOT NULL,
            document BLOB NOT NULL,
            UNIQUE (merchant_id, checkout_session_id)
        );
        -- The hosted buyer pages know only the session id, not the merchant.
        CREATE UNIQUE INDEX checkout_sessions_by_id ON checkout_sessions (checkout_session_id);
        CREATE TABLE charge_permissions (
            merchant_id TEXT NOT NULL,
            charge_permission_id TEXT NOT NULL,
            environment TEXT NOT NULL,
            version INTEGER NOT NULL,
            state TEXT NOT NULL,
            created_at INTEGER NOT NULL,
            document BLOB NOT NULL,
            UNIQUE (merchant_id, charge_permission_id)
        );
        CREATE TABLE charges (
            merchant_id TEXT NOT NULL,
            charge_id TEXT NOT NULL,
            charge_permission_id TEXT NOT NULL,
            environment TEXT NOT NULL,
            version INTEGER NOT NULL,
            state TEXT NOT NULL,
            created_at INTEGER NOT NULL,
            document BLOB NOT NULL,
            UNIQUE (merchant_id, charge_id)
        );
        CREATE INDEX charges_by_permission ON charges (merchant_id, charge_permission_id);
        CREATE TABLE events (
            event_id INTEGER PRIMARY KEY,
            merchant_id TEXT NOT NULL,
            environment TEXT NOT NULL,
            object_type TEXT NOT NULL,
            object_id TEXT NOT NULL,
            charge_permission_id TEXT NULL,
            from_state TEXT NULL,
            to_state TEXT NOT NULL,
            reason_code TEXT NULL,
            amount TEXT NULL,
            currency TEXT NULL,
            occurred_at INTEGER NOT NULL
        );
        CREATE INDEX events_by_object ON events (merchant_id, object_id);
        CREATE INDEX events_by_charge_permission ON events (merchant_id, charge_permission_id);
        -- A rowid table too: the stored response is close to a KiB, over what an index b-tree keeps in its page.
        CREATE TABLE idempotency_keys (
            merchant_id TEXT NOT NULL,
            environment TEXT NOT NULL,
            method TEXT NOT NULL,
            path TEXT NOT NULL,
            idempotency_key TEXT NOT NULL,
            request_hash BLOB NOT NULL,
            status_code INTEGER NOT NULL,
            response_body BLOB NOT NULL,
            UNIQUE (merchant_id, environment, method, path, idempotency_key)
        );
        """,
        """
        -- due_at (unix ms) is the aggregate's NextDueAt: when its next time-driven change (an expiry, a pending
        -- outcome) is due, for the sweeper. Existing rows cannot get their exact time here, since it comes from domain
        -- rules, so every row that may have a change ahead is made due at once (due_at = created_at): the sweeper
        -- loads it, applies what is really due (often nothing) and saves it, which writes its exact due time. Rows in a
        -- final state keep NULL and are never swept.
        ALTER TABLE checkout_sessions ADD COLUMN due_at INTEGER NULL;
        ALTER TABLE charge_permissions ADD COLUMN due_at INTEGER NULL;
        ALTER TABLE charges ADD COLUMN due_at INTEGER NULL;
        UPDATE checkout_sessions SET due_at = created_at WHERE state = 'Open';
        UPDATE charge_permissions SET due_at = created_at WHERE state <> 'Closed';
        UPDATE charges SET due_at = created_at WHERE state IN ('AuthorizationInitiated', 'Authorized', 'CaptureInitiated');
        CREATE TABLE refunds (
            merchant_id TEXT NOT NULL,
            refund_id TEXT NOT NULL,
            charge_id TEXT NOT NULL,
            charge_permission_id TEXT NOT NULL,
            environment TEXT NOT NULL,
            version INTEGER NOT NULL,
            state TEXT NOT NULL,
            created_at INTEGER NOT NULL,
            due_at INTEGER NULL,
            document BLOB NOT NULL,
            UNIQUE (merchant_id, refund_id)
        );
        CREATE INDEX refunds_by_permission ON refunds (merchant_id, charge_permission_id);
        CREATE INDEX refunds_by_charge ON refunds (merchant_id, charge_id);
        -- Partial: objects in a final state have nothing due, and most objects end in one; they stay out of these indexes.
        CREATE INDEX checkout_sessions_due ON checkout_sessions (environment, due_at) WHERE due_at IS NOT NULL;
        CREATE INDEX charge_permissions_due ON charge_permissions (environment, due_at) WHERE due_at IS NOT NULL;
        CREATE INDEX charges_due ON charges (environment, due_at) WHERE due_at IS NOT NULL;
        CREATE INDEX refunds_due ON refunds (environment, due_at) WHERE due_at IS NOT NULL;
        ALTER TABLE events ADD COLUMN detail TEXT NULL;
        CREATE TABLE settings (
            key TEXT NOT NULL PRIMARY KEY,
            value TEXT NOT NULL
        );
        -- A carrier and tracking number is taken once per merchant and environment, whatever permission it was sent for.
        CREATE TABLE delivery_trackers (
            merchant_id TEXT NOT NULL,
            environment TEXT NOT NULL,
            charge_permission_id TEXT NOT NULL,
            carrier_code TEXT NOT NULL,
            tracking_number TEXT NOT NULL,
            created_at INTEGER NOT NULL,
            UNIQUE (merchant_id, environment, carrier_code, tracking_number)
        );
        CREATE INDEX delivery_trackers_by_permission ON delivery_trackers (merchant_id, charge_permission_id);
        """,
        """
        -- Instant Payment Notifications. A notification is written with the state change it reports (the outbox); the
        -- dispatcher then fans it out to the merchant's endpoints, one delivery each, and records every attempt.
        CREATE TABLE ipn_endpoints (
            merchant_id TEXT NOT NULL,
            environment TEXT NOT NULL,
            url TEXT NOT NULL,
            created_at INTEGER NOT NULL,
            PRIMARY KEY (merchant_id, environment, url)
        );
        CREATE TABLE ipn_notifications (
            notification_seq INTEGER PRIMARY KEY,
            notification_id TEXT NOT NULL UNIQUE,
            merchant_id TEXT NOT NULL,
            environment TEXT NOT NULL,
            object_type TEXT NOT NULL,
            object_id TEXT NOT NULL,
            charge_permission_id TEXT NOT NULL,
            notification_type TEXT NOT NULL,
            event_id INTEGER NOT NULL,
            created_at INTEGER NOT NULL,
            fanned_out INTEGER NOT NULL DEFAULT 0
        );
        -- Partial: once fanned out (nearly all of them), a notification leaves this index.
        CREATE INDEX ipn_notifications_unsent ON ipn_notifications (environment, notification_seq) WHERE fanned_out = 0;
        CREATE INDEX ipn_notifications_by_permission ON ipn_notifications (merchant_id, charge_permission_id);
        CREATE TABLE ipn_deliveries (
            delivery_seq INTEGER PRIMARY KEY,
            delivery_id TEXT NOT NULL UNIQUE,
            notification_seq INTEGER NOT NULL REFERENCES ipn_notifications (notification_seq),
            notification_id TEXT NOT NULL,
            merchant_id TEXT NOT NULL,
            environment TEXT NOT NULL,
            url TEXT NOT NULL,
            object_id TEXT NOT NULL,
            state TEXT NOT NULL,
            series INTEGER NOT NULL,
            attempts INTEGER NOT NULL,
            next_attempt_at INTEGER NOT NULL,
            leased_until INTEGER NULL,
            lease_token TEXT NULL,
            created_at INTEGER NOT NULL,
            last_attempt_at INTEGER NULL,
            last_result TEXT NULL,
            UNIQUE (notification_seq, url)
        );
        CREATE INDEX ipn_deliveries_due ON ipn_deliveries (environment, next_attempt_at) WHERE state = 'Pending';
        -- What keeps one object's notifications to one endpoint in order: the earliest pending one goes first.
        CREATE INDEX ipn_deliveries_in_order ON ipn_deliveries (merchant_id, environment, url, object_id, notification_seq) WHERE state = 'Pending';
        CREATE INDEX ipn_deliveries_by_notification ON ipn_deliveries (notification_id);
        CREATE INDEX ipn_deliveries_by_lease ON ipn_deliveries (lease_token) WHERE lease_token IS NOT NULL;
        CREATE TABLE ipn_attempts (
            attempt_seq INTEGER PRIMARY KEY,
            delivery_seq INTEGER NOT NULL REFERENCES ipn_deliveries (delivery_seq),
            series INTEGER NOT NULL,
            attempt INTEGER NOT NULL,
            attempted_at INTEGER NOT NULL,
            outcome TEXT NOT NULL,
            status_code INTEGER NULL,
            latency_ms INTEGER NOT NULL,
            detail TEXT NULL
        );
        CREATE INDEX ipn_attempts_by_delivery ON ipn_attempts (delivery_seq);
        """,
        """
        -- Exports read a merchant's events by time, a page at a time; the rowid (event_id) ends every index entry, so
        -- this index is in (merchant_id, occurred_at, event_id) order, the order of the export's keyset.
        CREATE INDEX events_by_time ON events (merchant_id, occurred_at);
        """,
        """
        -- The dashboard lists objects newest first by (created_at, id) and filters on these columns; its lists read only
        -- columns, never documents. The amount is kept in hundredths (every currency has at most two decimals) as an
        -- integer, never floating point; the merchant reference is merchantMetadata.merchantReferenceId. Existing rows
        -- are filled from their documents: json_extract reads the amount as a double, and rounding its hundredths gives
        -- the exact value back, since stored amounts have at most two decimals.

        """
        + ListColumns("checkout_sessions", "checkout_session_id", "$.paymentDetails.chargeAmount", byReference: true, byId: false)
        + ListColumns("charge_permissions", "charge_permission_id", "$.amountLimit", byReference: true, byId: true)
        + ListColumns("charges", "charge_id", "$.chargeAmount", byReference: true, byId: true)
        + ListColumns("refunds", "refund_id", "$.refundAmount", byReference: false, byId: true),
        """
        -- What the operator grants beyond a merchant's own payments: roles (the PSP and solution-provider operations),
        -- and the MWS auth tokens that delegate a merchant to a solution provider. Small tables, read on key-cache misses.
        CREATE TABLE merchant_roles (
            merchant_id TEXT NOT NULL REFERENCES merchants (merchant_id),
            role TEXT NOT NULL,
            granted_at INTEGER NOT NULL,
            PRIMARY KEY (merchant_id, role)
        );
        CREATE TABLE mws_auth_tokens (
            mws_auth_token TEXT NOT NULL PRIMARY KEY,
            merchant_id TEXT NOT NULL REFERENCES merchants (merchant_id),
            solution_provider_id TEXT NOT NULL REFERENCES merchants (merchant_id),
            created_at INTEGER NOT NULL,
            revoked_at INTEGER NULL
        );
        CREATE INDEX mws_auth_tokens_by_merchant ON mws_auth_tokens (merchant_id);
        """,
        """
        -- Reports (the API's Get Reports and Create Report) and their schedules. A report's columns are all it is; its
        -- document, the file downloaded, is kept with it once complete. due_at is when processing completes (in
        -- progress) or when the report is deleted (90 days after creation), for the sweeper.
        CREATE TABLE reports (
            merchant_id TEXT NOT NULL,
            environment TEXT NOT NULL,
            report_id TEXT NOT NULL,
            report_type TEXT NOT NULL,
            processing_status TEXT NOT NULL,
            start_time INTEGER NOT NULL,
            end_time INTEGER NOT NULL,
            created_at INTEGER NOT NULL,
            processing_start_time INTEGER NULL,
            processing_end_time INTEGER NULL,
            ready_at INTEGER NOT NULL,
            report_document_id TEXT NULL,
            report_schedule_id TEXT NULL,
            due_at INTEGER NULL,
            document BLOB NULL,
            UNIQUE (merchant_id, environment, report_id)
        );
        CREATE INDEX reports_by_created ON reports (merchant_id, environment, created_at, report_id);
        CREATE UNIQUE INDEX reports_by_document ON reports (merchant_id, environment, report_document_id) WHERE report_document_id IS NOT NULL;
        CREATE INDEX reports_due ON reports (environment, due_at) WHERE due_at IS NOT NULL;
        -- One schedule per report type: the second unique key is that rule.
        CREATE TABLE report_schedules (
            merchant_id TEXT NOT NULL,
            environment TEXT NOT NULL,
            report_schedule_id TEXT NOT NULL,
            report_type TEXT NOT NULL,
            schedule_frequency TEXT NOT NULL,
            next_report_creation_time INTEGER NOT NULL,
            UNIQUE (merchant_id, environment, report_schedule_id),
            UNIQUE (merchant_id, environment, report_type)
        );
        CREATE INDEX report_schedules_due ON report_schedules (environment, next_report_creation_time);
        """,
        """
        -- Merchant accounts partners made through the API: each is a merchant of its own, made by another (created_by).
        -- A uniqueReferenceId names one account per partner and environment until that account is deleted.
        CREATE TABLE merchant_accounts (
            merchant_account_id TEXT NOT NULL PRIMARY KEY REFERENCES merchants (merchant_id),
            created_by TEXT NOT NULL REFERENCES merchants (merchant_id),
            environment TEXT NOT NULL,
            kind TEXT NOT NULL,
            state TEXT NOT NULL,
            unique_reference_id TEXT NOT NULL,
            version INTEGER NOT NULL,
            created_at INTEGER NOT NULL,
            updated_at INTEGER NOT NULL,
            document BLOB NOT NULL
        );
        CREATE UNIQUE INDEX merchant_accounts_by_reference ON merchant_accounts (created_by, environment, unique_reference_id)
            WHERE state <> 'Deleted';
        CREATE INDEX merchant_accounts_by_created ON merchant_accounts (created_at, merchant_account_id);
        """,
        """
        -- Disputes belong to a charge permission's ledger, like refunds: locked and swept through their permission.
        CREATE TABLE disputes (
            merchant_id TEXT NOT NULL,
            dispute_id TEXT NOT NULL,
            charge_id TEXT NOT NULL,
            charge_permission_id TEXT NOT NULL,
            environment TEXT NOT NULL,
            version INTEGER NOT NULL,
            state TEXT NOT NULL,
            created_at INTEGER NOT NULL,
            due_at INTEGER NULL,
            amount_hundredths INTEGER NULL,
            currency TEXT NULL,
            merchant_reference TEXT NULL,
            document BLOB NOT NULL,
            UNIQUE (merchant_id, dispute_id)
        );
        CREATE INDEX disputes_by_permission ON disputes (merchant_id, charge_permission_id);
        CREATE INDEX disputes_due ON disputes (environment, due_at) WHERE due_at IS NOT NULL;
        CREATE INDEX disputes_by_created ON disputes (created_at, dispute_id);
        CREATE INDEX disputes_by_merchant_created ON disputes (merchant_id, created_at, dispute_id);
        CREATE INDEX disputes_by_state_created ON disputes (state, created_at, dispute_id);
        CREATE INDEX disputes_by_id ON disputes (dispute_id);
        -- Evidence files (Upload File): the record at the first step, the bytes at the second.
        CREATE TABLE evidence_files (
            merchant_id TEXT NOT NULL,
            file_id TEXT NOT NULL,
            environment TEXT NOT NULL,
            type TEXT NOT NULL,
            purpose TEXT NOT NULL,
            upload_token TEXT NOT NULL UNIQUE,
            created_at INTEGER NOT NULL,
            url_expires_at INTEGER NOT NULL,
            uploaded_at INTEGER NULL,
            size INTEGER NOT NULL,
            content BLOB NULL,
            UNIQUE (merchant_id, file_id)
        );
        """,
    ];

    public static int LatestVersion => Migrations.Length;

    /// <summary>
    /// One aggregate table's list columns, filled from its documents, and the indexes of the dashboard's lists;
    /// <paramref name="amount"/> is the JSON path of the listed amount.
    /// </summary>
    private static string ListColumns(string table, string id, string amount, bool byReference, bool byId) =>
        $"""
        ALTER TABLE {table} ADD COLUMN amount_hundredths INTEGER NULL;
        ALTER TABLE {table} ADD COLUMN currency TEXT NULL;
        ALTER TABLE {table} ADD COLUMN merchant_reference TEXT NULL;
        UPDATE {table} SET
            amount_hundredths = CAST(round(json_extract(CAST(document AS TEXT), '{amount}.amount') * 100) AS INTEGER),
            currency = json_extract(CAST(document AS TEXT), '{amount}.currency'),
            merchant_reference = {(byReference ? "json_extract(CAST(document AS TEXT), '$.merchantMetadata.merchantReferenceId')" : "NULL")};
        CREATE INDEX {table}_by_created ON {table} (created_at, {id});
        CREATE INDEX {table}_by_merchant_created ON {table} (merchant_id, created_at, {id});
        CREATE INDEX {table}_by_state_created ON {table} (state, created_at, {id});
        {(byReference ? $"CREATE INDEX {table}_by_reference ON {table} (merchant_reference, created_at) WHERE merchant_reference IS NOT NULL;" : string.Empty)}
        {(byId ? $"CREATE INDEX {table}_by_id ON {table} ({id});" : string.Empty)}

        """;

    /// <summary>Migrates to the latest version; returns the versions it applied, in order.</summary>
    public static IReadOnlyList<int> Migrate(SqliteConnection connection) => Migrate(connection, LatestVersion);

    /// <summary>Migrates up to <paramref name="targetVersion"/> only, so tests can build a database of an older version.</summary>
    internal static IReadOnlyList<int> Migrate(SqliteConnection connection, int targetVersion)
    {
        var applied = new List<int>();
        ArgumentOutOfRangeException.ThrowIfGreaterThan(targetVersion, LatestVersion);
        Execute(connection, "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at INTEGER NOT NULL)");
        for (var version = CurrentVersion(connection) + 1; version <= targetVersion; version++)
        {
            // IMMEDIATE takes the write lock first, so two processes starting together cannot both apply a migration.
            using var transaction = connection.BeginTransaction(deferred: false);
            if (CurrentVersion(connection) >= version)
            {
                continue;
            }

            Execute(connection, Migrations[version - 1]);
            using var record = connection.CreateCommand();
            record.CommandText = "INSERT INTO schema_migrations (version, applied_at) VALUES ($v, unixepoch())";
            record.Parameters.AddWithValue("$v", version);
            record.ExecuteNonQuery();
            transaction.Commit();
            applied.Add(version);
        }

        return applied;
    }

    private static int CurrentVersion(SqliteConnection connection)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT coalesce(max(version), 0) FROM schema_migrations";
        return Convert.ToInt32(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
    }

    private static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
