using Npgsql;

namespace Tillpoint.Storage.Postgres;

/// <summary>
/// Versioned migrations of the PostgreSQL store, applied at start-up. Nodes that start together take turns: the whole
/// check-and-apply runs in one transaction holding a transaction-level advisory lock, so exactly one node applies each
/// migration and the others find it done. PostgreSQL's DDL is transactional, so a migration that fails leaves nothing.
/// </summary>
/// <remarks>
/// The shape follows the SQLite store's, with these choices:
/// <list type="bullet">
/// <item>Every table that grows with traffic has the merchant id first in its primary key, and every query names the
/// merchant, so the tables can be distributed by <c>merchant_id</c> (Citus); <c>merchants</c>, <c>public_keys</c> and
/// <c>settings</c> are small and would be reference tables.</item>
/// <item>Aggregates are <c>bytea</c> documents: the same UTF-8 JSON bytes the SQLite store keeps. <c>jsonb</c> would
/// parse every document on write and re-render it on read for no query that needs it, and it refuses strings holding
/// <c>\u0000</c>, which the API accepts in free-text fields.</item>
/// <item>Times are <c>timestamptz</c> at millisecond precision, as in SQLite; amounts are <c>numeric</c>, never
/// floating point.</item>
/// </list>
/// </remarks>
internal static class PostgresSchema
{
    /// <summary>The advisory lock migrations run under; any 64-bit constant unlikely to be used by another program.</summary>
    private const long MigrationLock = 0x54696c6c706f696e; // "Tillpoin"

    // Never edit a shipped migration: add a new one.
    private static readonly string[] Migrations =
    [
        """
        CREATE TABLE merchants (
            merchant_id text NOT NULL PRIMARY KEY,
            store_id text NOT NULL UNIQUE,
            name text NOT NULL,
            created_at timestamptz NOT NULL
        );
        CREATE TABLE public_keys (
            public_key_id text NOT NULL PRIMARY KEY,
            merchant_id text NOT NULL REFERENCES merchants (merchant_id),
            environment text NULL,
            public_key_pem text NOT NULL,
            created_at timestamptz NOT NULL,
            revoked_at timestamptz NULL
        );
        CREATE INDEX public_keys_by_merchant ON public_keys (merchant_id);
        CREATE TABLE settings (
            key text NOT NULL PRIMARY KEY,
            value text NOT NULL
        );
        -- due_at is the aggregate's NextDueAt, rounded up to the millisecond: when the sweeper must look at it next.
        CREATE TABLE checkout_sessions (
            merchant_id text NOT NULL,
            checkout_session_id text NOT NULL,
            environment text NOT NULL,
            version bigint NOT NULL,
            state text NOT NULL,
            created_at timestamptz NOT NULL,
            due_at timestamptz NULL,
            document bytea NOT NULL,
            PRIMARY KEY (merchant_id, checkout_session_id)
        );
        -- The hosted buyer pages know only the session id (a random UUID), not the merchant.
        CREATE INDEX checkout_sessions_by_id ON checkout_sessions (checkout_session_id);
        CREATE TABLE charge_permissions (
            merchant_id text NOT NULL,
            charge_permission_id text NOT NULL,
            environment text NOT NULL,
            version bigint NOT NULL,
            state text NOT NULL,
            created_at timestamptz NOT NULL,
            due_at timestamptz NULL,
            document bytea NOT NULL,
            PRIMARY KEY (merchant_id, charge_permission_id)
        );
        CREATE TABLE charges (
            merchant_id text NOT NULL,
            charge_id text NOT NULL,
            charge_permission_id text NOT NULL,
            environment text NOT NULL,
            version bigint NOT NULL,
            state text NOT NULL,
            created_at timestamptz NOT NULL,
            due_at timestamptz NULL,
            document bytea NOT NULL,
            PRIMARY KEY (merchant_id, charge_id)
        );
        CREATE INDEX charges_by_permission ON charges (merchant_id, charge_permission_id);
        CREATE TABLE refunds (
            merchant_id text NOT NULL,
            refund_id text NOT NULL,
            charge_id text NOT NULL,
            charge_permission_id text NOT NULL,
            environment text NOT NULL,
            version bigint NOT NULL,
            state text NOT NULL,
            created_at timestamptz NOT NULL,
            due_at timestamptz NULL,
            document bytea NOT NULL,
            PRIMARY KEY (merchant_id, refund_id)
        );
        CREATE INDEX refunds_by_permission ON refunds (merchant_id, charge_permission_id);
        CREATE INDEX refunds_by_charge ON refunds (merchant_id, charge_id);
        -- Partial: objects in a final state have nothing due, and most objects end in one. They stay out of these indexes.
        CREATE INDEX checkout_sessions_due ON checkout_sessions (environment, due_at) WHERE due_at IS NOT NULL;
        CREATE INDEX charge_permissions_due ON charge_permissions (environment, due_at) WHERE due_at IS NOT NULL;
        CREATE INDEX charges_due ON charges (environment, due_at) WHERE due_at IS NOT NULL;
        CREATE INDEX refunds_due ON refunds (environment, due_at) WHERE due_at IS NOT NULL;
        -- event_id gives the order of appending. Identity values are handed out at insert, not at commit, so the ids of
        -- concurrent transactions interleave, but one object's events are appended under its ledger's lock, in order.
        CREATE TABLE events (
            merchant_id text NOT NULL,
            event_id bigint GENERATED ALWAYS AS IDENTITY,
            environment text NOT NULL,
            object_type text NOT NULL,
            object_id text NOT NULL,
            charge_permission_id text NULL,
            from_state text NULL,
            to_state text NOT NULL,
            reason_code text NULL,
            amount numeric NULL,
            currency text NULL,
            occurred_at timestamptz NOT NULL,
            detail text NULL,
            PRIMARY KEY (merchant_id, event_id)
        );
        CREATE INDEX events_by_object ON events (merchant_id, object_id, event_id);
        CREATE INDEX events_by_charge_permission ON events (merchant_id, charge_permission_id, event_id);
        CREATE TABLE idempotency_keys (
            merchant_id text NOT NULL,
            environment text NOT NULL,
            method text NOT NULL,
            path text NOT NULL,
            idempotency_key text NOT NULL,
            request_hash bytea NOT NULL,
            status_code integer NOT NULL,
            response_body bytea NOT NULL,
            CONSTRAINT idempotency_keys_pkey PRIMARY KEY (merchant_id, environment, method, path, idempotency_key)
        );
        -- A carrier and tracking number is taken once per merchant and environment, whatever permission it was sent for.
        CREATE TABLE delivery_trackers (
            merchant_id text NOT NULL,
            environment text NOT NULL,
            carrier_code text NOT NULL,
            tracking_number text NOT NULL,
            charge_permission_id text NOT NULL,
            created_at timestamptz NOT NULL,
            submission bigint GENERATED ALWAYS AS IDENTITY,
            PRIMARY KEY (merchant_id, environment, carrier_code, tracking_number)
        );
        CREATE INDEX delivery_trackers_by_permission ON delivery_trackers (merchant_id, charge_permission_id, submission);
        """,
        """
        -- Instant Payment Notifications. A notification is written with the state change it reports (the outbox); the
        -- dispatcher then fans it out to the merchant's endpoints, one delivery each, and records every attempt. Nodes
        -- share the work through row locks (SKIP LOCKED) and leases (leased_until, real time).
        CREATE TABLE ipn_endpoints (
            merchant_id text NOT NULL,
            environment text NOT NULL,
            url text NOT NULL,
            created_at timestamptz NOT NULL,
            PRIMARY KEY (merchant_id, environment, url)
        );
        CREATE TABLE ipn_notifications (
            notification_seq bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            notification_id text NOT NULL UNIQUE,
            merchant_id text NOT NULL,
            environment text NOT NULL,
            object_type text NOT NULL,
            object_id text NOT NULL,
            charge_permission_id text NOT NULL,
            notification_type text NOT NULL,
            event_id bigint NOT NULL,
            created_at timestamptz NOT NULL,
            fanned_out boolean NOT NULL DEFAULT false
        );
        -- Partial: once fanned out (nearly all of them), a notification leaves this index.
        CREATE INDEX ipn_notifications_unsent ON ipn_notifications (environment, notification_seq) WHERE NOT fanned_out;
        CREATE INDEX ipn_notifications_by_permission ON ipn_notifications (merchant_id, charge_permission_id, notification_seq);
        CREATE TABLE ipn_deliveries (
            delivery_seq bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            delivery_id text NOT NULL UNIQUE,
            notification_seq bigint NOT NULL REFERENCES ipn_notifications (notification_seq),
            notification_id text NOT NULL,
            merchant_id text NOT NULL,
            environment text NOT NULL,
            url text NOT NULL,
            object_id text NOT NULL,
            state text NOT NULL,
            series integer NOT NULL,
            attempts integer NOT NULL,
            next_attempt_at timestamptz NOT NULL,
            leased_until timestamptz NULL,
            lease_token text NULL,
            created_at timestamptz NOT NULL,
            last_attempt_at timestamptz NULL,
            last_result text NULL,
            UNIQUE (notification_seq, url)
        );
        CREATE INDEX ipn_deliveries_due ON ipn_deliveries (environment, next_attempt_at) WHERE state = 'Pending';
        -- What keeps one object's notifications to one endpoint in order: the earliest pending one goes first.
        CREATE INDEX ipn_deliveries_in_order ON ipn_deliveries (merchant_id, environment, url, object_id, notification_seq) WHERE state = 'Pending';
        CREATE INDEX ipn_deliveries_by_notification ON ipn_deliveries (notification_id);
        CREATE INDEX ipn_deliveries_by_lease ON ipn_deliveries (lease_token) WHERE lease_token IS NOT NULL;
        CREATE TABLE ipn_attempts (
            attempt_seq bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            delivery_seq bigint NOT NULL REFERENCES ipn_deliveries (delivery_seq),
            series integer NOT NULL,
            attempt integer NOT NULL,
            attempted_at timestamptz NOT NULL,
            outcome text NOT NULL,
            status_code integer NULL,
            latency_ms bigint NOT NULL,
            detail text NULL
        );
        CREATE INDEX ipn_attempts_by_delivery ON ipn_attempts (delivery_seq);
        """,
        """
        -- Exports read a merchant's events by time, a page at a time, continuing after (occurred_at, event_id).
        CREATE INDEX events_by_time ON events (merchant_id, occurred_at, event_id);
        """,
        """
        -- The dashboard lists objects newest first by (created_at, id) and filters on these columns; its lists read only
        -- columns, never documents. The merchant reference is merchantMetadata.merchantReferenceId.

        """
        + ListColumns("checkout_sessions", "checkout_session_id", "'paymentDetails'->'chargeAmount'", byReference: true, byId: false)
        + ListColumns("charge_permissions", "charge_permission_id", "'amountLimit'", byReference: true, byId: true)
        + ListColumns("charges", "charge_id", "'chargeAmount'", byReference: true, byId: true)
        + ListColumns("refunds", "refund_id", "'refundAmount'", byReference: false, byId: true)
        + """
        -- The overview's latest activity across merchants.
        CREATE INDEX events_recent ON events (event_id);
        """,
        """
        -- What the operator grants beyond a merchant's own payments: roles (the PSP and solution-provider operations),
        -- and the MWS auth tokens that delegate a merchant to a solution provider. Small tables, read on key-cache misses.
        CREATE TABLE merchant_roles (
            merchant_id text NOT NULL REFERENCES merchants (merchant_id),
            role text NOT NULL,
            granted_at timestamptz NOT NULL,
            PRIMARY KEY (merchant_id, role)
        );
        CREATE TABLE mws_auth_tokens (
            mws_auth_token text NOT NULL PRIMARY KEY,
            merchant_id text NOT NULL REFERENCES merchants (merchant_id),
            solution_provider_id text NOT NULL REFERENCES merchants (merchant_id),
            created_at timestamptz NOT NULL,
            revoked_at timestamptz NULL
        );
        CREATE INDEX mws_auth_tokens_by_merchant ON mws_auth_tokens (merchant_id);
        """,
        """
        -- Reports (the API's Get Reports and Create Report) and their schedules. A report's columns are all it is; its
        -- document, the file downloaded, is kept with it once complete. due_at is when processing completes (in
        -- progress) or when the report is deleted (90 days after creation), for the sweeper.
        CREATE TABLE reports (
            merchant_id text NOT NULL,
            environment text NOT NULL,
            report_id text NOT NULL,
            report_type text NOT NULL,
            processing_status text NOT NULL,
            start_time timestamptz NOT NULL,
            end_time timestamptz NOT NULL,
            created_at timestamptz NOT NULL,
            processing_start_time timestamptz NULL,
            processing_end_time timestamptz NULL,
            ready_at timestamptz NOT NULL,
            report_document_id text NULL,
            report_schedule_id text NULL,
            due_at timestamptz NULL,
            document bytea NULL,
            UNIQUE (merchant_id, environment, report_id)
        );
        CREATE INDEX reports_by_created ON reports (merchant_id, environment, created_at, report_id);
        CREATE UNIQUE INDEX reports_by_document ON reports (merchant_id, environment, report_document_id) WHERE report_document_id IS NOT NULL;
        CREATE INDEX reports_due ON reports (environment, due_at) WHERE due_at IS NOT NULL;
        -- One schedule per report type: the second unique key is that rule.
        CREATE TABLE report_schedules (
            merchant_id text NOT NULL,
            environment text NOT NULL,
            report_schedule_id text NOT NULL,
            report_type text NOT NULL,
            schedule_frequency text NOT NULL,
            next_report_creation_time timestamptz NOT NULL,
            UNIQUE (merchant_id, environment, report_schedule_id),
            UNIQUE (merchant_id, environment, report_type)
        );
        CREATE INDEX report_schedules_due ON report_schedules (environment, next_report_creation_time);
        """,
        """
        -- Merchant accounts partners made through the API: each is a merchant of its own, made by another (created_by).
        -- A uniqueReferenceId names one account per partner and environment until that account is deleted.
        CREATE TABLE merchant_accounts (
            merchant_account_id text NOT NULL PRIMARY KEY REFERENCES merchants (merchant_id),
            created_by text NOT NULL REFERENCES merchants (merchant_id),
            environment text NOT NULL,
            kind text NOT NULL,
            state text NOT NULL,
            unique_reference_id text NOT NULL,
            version bigint NOT NULL,
            created_at timestamptz NOT NULL,
            updated_at timestamptz NOT NULL,
            document bytea NOT NULL
        );
        CREATE UNIQUE INDEX merchant_accounts_by_reference ON merchant_accounts (created_by, environment, unique_reference_id)
            WHERE state <> 'Deleted';
        CREATE INDEX merchant_accounts_by_created ON merchant_accounts (created_at, merchant_account_id);
        """,
        """
        -- Disputes belong to a charge permission's ledger, like refunds: locked and swept through their permission.
        CREATE TABLE disputes (
            merchant_id text NOT NULL,
            dispute_id text NOT NULL,
            charge_id text NOT NULL,
            charge_permission_id text NOT NULL,
            environment text NOT NULL,
            version bigint NOT NULL,
            state text NOT NULL,
            created_at timestamptz NOT NULL,
            due_at timestamptz NULL,
            amount numeric NULL,
            currency text NULL,
            merchant_reference text NULL,
            document bytea NOT NULL,
            PRIMARY KEY (merchant_id, dispute_id)
        );
        CREATE INDEX disputes_by_permission ON disputes (merchant_id, charge_permission_id);
        CREATE INDEX disputes_due ON disputes (environment, due_at) WHERE due_at IS NOT NULL;
        CREATE INDEX disputes_by_created ON disputes (created_at, dispute_id);
        CREATE INDEX disputes_by_merchant_created ON disputes (merchant_id, created_at, dispute_id);
        CREATE INDEX disputes_by_state_created ON disputes (state, created_at, dispute_id);
        CREATE INDEX disputes_by_id ON disputes (dispute_id);
        -- Evidence files (Upload File): the record at the first step, the bytes at the second.
        CREATE TABLE evidence_files (
            merchant_id text NOT NULL,
            file_id text NOT NULL,
            environment text NOT NULL,
            type text NOT NULL,
            purpose text NOT NULL,
            upload_token text NOT NULL UNIQUE,
            created_at timestamptz NOT NULL,
            url_expires_at timestamptz NOT NULL,
            uploaded_at timestamptz NULL,
            size bigint NOT NULL,
            content bytea NULL,
            PRIMARY KEY (merchant_id, file_id)
        );
        """,
    ];

    /// <summary>The name of the idempotency key's unique constraint: losing a race for a key violates it.</summary>
    public const string IdempotencyKeyConstraint = "idempotency_keys_pkey";

    public static int LatestVersion => Migrations.Length;

    /// <summary>
    /// One aggregate table's list columns, filled from its documents, and the indexes of the dashboard's lists;
    /// <paramref name="amount"/> is the JSON path of the listed amount.
    /// </summary>
    private static string ListColumns(string table, string id, string amount, bool byReference, bool byId) =>
        $"""
        ALTER TABLE {table} ADD COLUMN amount numeric NULL, ADD COLUMN currency text NULL, ADD COLUMN merchant_reference text NULL;
        UPDATE {table} SET
            amount = (convert_from(document, 'UTF8')::jsonb->{amount}->>'amount')::numeric,
            currency = convert_from(document, 'UTF8')::jsonb->{amount}->>'currency',
            merchant_reference = {(byReference ? "convert_from(document, 'UTF8')::jsonb->'merchantMetadata'->>'merchantReferenceId'" : "NULL")};
        CREATE INDEX {table}_by_created ON {table} (created_at, {id});
        CREATE INDEX {table}_by_merchant_created ON {table} (merchant_id, created_at, {id});
        CREATE INDEX {table}_by_state_created ON {table} (state, created_at, {id});
        {(byReference ? $"CREATE INDEX {table}_by_reference ON {table} (merchant_reference, created_at) WHERE merchant_reference IS NOT NULL;" : string.Empty)}
        {(byId ? $"CREATE INDEX {table}_by_id ON {table} ({id});" : string.Empty)}

        """;

    /// <summary>Migrates to the latest version; returns the versions it applied, in order.</summary>
    public static IReadOnlyList<int> Migrate(NpgsqlConnection connection) => Migrate(connection, LatestVersion);

    /// <summary>Migrates up to <paramref name="targetVersion"/> only, so tests can build a database of an older version.</summary>
    internal static IReadOnlyList<int> Migrate(NpgsqlConnection connection, int targetVersion)
    {
        var applied = new List<int>();
        ArgumentOutOfRangeException.ThrowIfGreaterThan(targetVersion, LatestVersion);
        using var transaction = connection.BeginTransaction();
        Execute(connection, $"SELECT pg_advisory_xact_lock({MigrationLock})");
        // Created under the lock too: two nodes racing on CREATE TABLE IF NOT EXISTS can both miss the table and collide.
        Execute(connection, "CREATE TABLE IF NOT EXISTS schema_migrations (version integer PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())");
        using (var current = new NpgsqlCommand("SELECT coalesce(max(version), 0) FROM schema_migrations", connection))
        {
            for (var version = Convert.ToInt32(current.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture) + 1;
                 version <= targetVersion;
                 version++)
            {
                Execute(connection, Migrations[version - 1]);
                using var record = new NpgsqlCommand("INSERT INTO schema_migrations (version) VALUES ($1)", connection);
                record.Parameters.Add(new NpgsqlParameter<int> { TypedValue = version });
                record.ExecuteNonQuery();
                applied.Add(version);
            }
        }

        transaction.Commit();
        return applied;
    }

    private static void Execute(NpgsqlConnection connection, string sql)
    {
        using var command = new NpgsqlCommand(sql, connection);
        command.ExecuteNonQuery();
    }
}
