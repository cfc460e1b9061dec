using Npgsql;
using NpgsqlTypes;
using Tillpoint.Domain;

namespace Tillpoint.Storage.Postgres;

/// <summary>Instant Payment Notifications: the outbox, endpoints, deliveries and their attempts.</summary>
internal sealed partial class PostgresSession
{
    private const string DeliveryColumns =
        """
        SELECT d.delivery_seq, d.delivery_id, d.notification_seq, n.notification_id, d.merchant_id, d.environment, n.object_type,
               n.object_id, n.charge_permission_id, d.url, d.state, d.series, d.attempts, d.next_attempt_at, d.created_at,
               d.last_attempt_at, d.last_result
        FROM ipn_deliveries d JOIN ipn_notifications n ON n.notification_seq = d.notification_seq
        """;

    /// <summary>
    /// Called by <see cref="Append"/> right after each event's insert: one more statement in the same batch (no extra round
    /// trip). <c>currval</c> of the events' identity is the event just inserted, in this session. Nothing is recorded for
    /// a merchant with no endpoint in the environment: it would never be sent.
    /// </summary>
    private static void EnqueueIpn(NpgsqlBatch batch, string merchantId, ReleaseEnvironment environment, DomainEvent e)
    {
        if (!IpnOutbox.Notifies(e))
        {
            return;
        }

        var command = new NpgsqlBatchCommand(
            """
            INSERT INTO ipn_notifications (notification_id, merchant_id, environment, object_type, object_id, charge_permission_id,
                                           notification_type, event_id, created_at)
            SELECT $1, $2, $3, $4, $5, $6, $7, currval(pg_get_serial_sequence('events', 'event_id')), $8
            WHERE EXISTS (SELECT 1 FROM ipn_endpoints WHERE merchant_id = $2 AND environment = $3)
            """);
        var p = command.Parameters;
        p.Add(Positional(Guid.NewGuid().ToString()));
        p.Add(Positional(merchantId));
        p.Add(Positional(environment.ToString()));
        p.Add(Positional(e.ObjectType.ToString()));
        p.Add(Positional(e.ObjectId));
        p.Add(Positional(e.ChargePermissionId));
        p.Add(Positional(IpnOutbox.StateChange));
        p.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = Milliseconds(e.At.ToUnixTimeMilliseconds()) });
        batch.BatchCommands.Add(command);
    }

    public IReadOnlyList<IpnEndpoint> ListIpnEndpoints(string merchantId, ReleaseEnvironment? environment)
    {
        using var command = Command(
            "SELECT merchant_id, environment, url, created_at FROM ipn_endpoints WHERE merchant_id = @m AND (@env::text IS NULL OR environment = @env) ORDER BY environment, url");
        command.Parameters.Add(Text("m", merchantId));
        command.Parameters.Add(Text("env", environment?.ToString()));
        var endpoints = new List<IpnEndpoint>();
        using var reader = Run(() => command.ExecuteReader());
        while (reader.Read())
        {
            endpoints.Add(new IpnEndpoint(
                reader.GetString(0), Enum.Parse<ReleaseEnvironment>(reader.GetString(1)), reader.GetString(2), reader.GetFieldValue<DateTimeOffset>(3)));
        }

        return endpoints;
    }

    public IReadOnlyList<IpnNotificationRecord> GetIpnNotifications(string merchantId, string chargePermissionId)
    {
        using var command = Command(
            """
            SELECT notification_seq, notification_id, merchant_id, environment, object_type, object_id, charge_permission_id, event_id, created_at
            FROM ipn_notifications WHERE merchant_id = @m AND charge_permission_id = @id ORDER BY notification_seq
            """);
        command.Parameters.Add(Text("m", merchantId));
        command.Parameters.Add(Text("id", chargePermissionId));
        var notifications = new List<IpnNotificationRecord>();
        using var reader = Run(() => command.ExecuteReader());
        while (reader.Read())
        {
            notifications.Add(new IpnNotificationRecord(
                reader.GetInt64(0),
                reader.GetString(1),
                reader.GetString(2),
                Enum.Parse<ReleaseEnvironment>(reader.GetString(3)),
                Enum.Parse<ObjectType>(reader.GetString(4)),
                reader.GetString(5),
                reader.GetString(6),
                reader.GetInt64(7),
                reader.GetFieldValue<DateTimeOffset>(8)));
        }

        return notifications;
    }

    public IReadOnlyList<IpnDelivery> ListIpnDeliveries(IpnDeliveryQuery query)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(query.Limit);
        using var command = Command(
            DeliveryColumns +
            """

            WHERE (@m::text IS NULL OR d.merchant_id = @m) AND (@env::text IS NULL OR d.environment = @env) AND (@state::text IS NULL OR d.state = @state)
              AND (@nid::text IS NULL OR d.notification_id = @nid) AND (@before::bigint IS NULL OR d.delivery_seq < @before)
            ORDER BY d.delivery_seq DESC LIMIT @limit
            """);
        var p = command.Parameters;
        p.Add(Text("m", query.MerchantId));
        p.Add(Text("env", query.Environment?.ToString()));
        p.Add(Text("state", query.State?.ToString()));
        p.Add(Text("nid", query.NotificationId));
        p.Add(new NpgsqlParameter("before", NpgsqlDbType.Bigint) { Value = (object?)query.BeforeSequence ?? DBNull.Value });
        p.Add(new NpgsqlParameter<int>("limit", query.Limit));
        return ReadDeliveries(command);
    }

    public IpnDelivery? GetIpnDelivery(string deliveryId)
    {
        using var command = Command(DeliveryColumns + " WHERE d.delivery_id = @id");
        command.Parameters.Add(Text("id", deliveryId));
        return ReadDeliveries(command).SingleOrDefault();
    }

    public IReadOnlyList<IpnAttempt> ListIpnAttempts(string deliveryId)
    {
        using var command = Command(
            """
            SELECT d.delivery_id, a.series, a.attempt, a.attempted_at, a.outcome, a.status_code, a.latency_ms, a.detail
            FROM ipn_attempts a JOIN ipn_deliveries d ON d.delivery_seq = a.delivery_seq
            WHERE d.delivery_id = @id ORDER BY a.attempt_seq
            """);
        command.Parameters.Add(Text("id", deliveryId));
        var attempts = new List<IpnAttempt>();
        using var reader = Run(() => command.ExecuteReader());
        while (reader.Read())
        {
            attempts.Add(new IpnAttempt(
                reader.GetString(0),
                reader.GetInt32(1),
                reader.GetInt32(2),
                reader.GetFieldValue<DateTimeOffset>(3),
                Enum.Parse<IpnAttemptOutcome>(reader.GetString(4)),
                reader.IsDBNull(5) ? null : reader.GetInt32(5),
                reader.GetInt64(6),
                reader.IsDBNull(7) ? null : reader.GetString(7)));
        }

        return attempts;
    }

    public bool HasIpnWork(ReleaseEnvironment environment, DateTimeOffset now)
    {
        using var command = Command(
            """
            SELECT EXISTS (SELECT 1 FROM ipn_notifications WHERE environment = @env AND NOT fanned_out)
                OR EXISTS (SELECT 1 FROM ipn_deliveries d WHERE d.environment = @env AND d.state = 'Pending' AND d.next_attempt_at <= @now
                          AND EXISTS (SELECT 1 FROM ipn_endpoints e WHERE e.merchant_id = d.merchant_id AND e.environment = d.environment AND e.url = d.url))
            """);
        command.Parameters.Add(Text("env", environment.ToString()));
        command.Parameters.Add(Time("now", now.ToUnixTimeMilliseconds()));
        return (bool)Run(() => command.ExecuteScalar())!;
    }

    public long CountIpnBacklog()
    {
        using var command = Command(
            """
            SELECT (SELECT count(*) FROM ipn_notifications WHERE NOT fanned_out)
                 + (SELECT count(*) FROM ipn_deliveries WHERE state = 'Pending')
            """);
        return Convert.ToInt64(Run(() => command.ExecuteScalar()), System.Globalization.CultureInfo.InvariantCulture);
    }

    public bool AddIpnEndpoint(IpnEndpoint endpoint)
    {
        using var command = Command(
            "INSERT INTO ipn_endpoints (merchant_id, environment, url, created_at) VALUES (@m, @env, @url, @at) ON CONFLICT DO NOTHING");
        command.Parameters.Add(Text("m", endpoint.MerchantId));
        command.Parameters.Add(Text("env", endpoint.Environment.ToString()));
        command.Parameters.Add(Text("url", endpoint.Url));
        command.Parameters.Add(Time("at", endpoint.CreatedAt.ToUnixTimeMilliseconds()));
        return NonQuery(command) == 1;
    }

    public bool RemoveIpnEndpoint(string merchantId, ReleaseEnvironment environment, string url)
    {
        using var command = Command("DELETE FROM ipn_endpoints WHERE merchant_id = @m AND environment = @env AND url = @url");
        command.Parameters.Add(Text("m", merchantId));
        command.Parameters.Add(Text("env", environment.ToString()));
        command.Parameters.Add(Text("url", url));
        return NonQuery(command) == 1;
    }

    public int FanOutIpnNotifications(ReleaseEnvironment environment, DateTimeOffset now, int limit)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limit);
        var pending = new List<(long Sequence, string NotificationId, string MerchantId, string ObjectId)>();
        // Locked until the command commits; another node skips these and fans out the next ones.
        using (var select = Command(
            """
            SELECT notification_seq, notification_id, merchant_id, object_id FROM ipn_notifications
            WHERE environment = @env AND NOT fanned_out ORDER BY notification_seq LIMIT @limit FOR UPDATE SKIP LOCKED
            """))
        {
            select.Parameters.Add(Text("env", environment.ToString()));
            select.Parameters.Add(new NpgsqlParameter<int>("limit", limit));
            using var reader = Run(() => select.ExecuteReader());
            while (reader.Read())
            {
                pending.Add((reader.GetInt64(0), reader.GetString(1), reader.GetString(2), reader.GetString(3)));
            }
        }

        var endpoints = new Dictionary<string, IReadOnlyList<IpnEndpoint>>(StringComparer.Ordinal);
        foreach (var notification in pending)
        {
            if (!endpoints.TryGetValue(notification.MerchantId, out var targets))
            {
                targets = ListIpnEndpoints(notification.MerchantId, environment);
                endpoints[notification.MerchantId] = targets;
            }

            foreach (var target in targets)
            {
                using var insert = Command(
                    """
                    INSERT INTO ipn_deliveries (delivery_id, notification_seq, notification_id, merchant_id, environment, url, object_id, state,
                                                series, attempts, next_attempt_at, created_at)
                    VALUES (@did, @seq, @nid, @m, @env, @url, @id, 'Pending', 1, 0, @now, @now)
                    """);
                var p = insert.Parameters;
                p.Add(Text("did", Guid.NewGuid().ToString()));
                p.Add(new NpgsqlParameter<long>("seq", notification.Sequence));
                p.Add(Text("nid", notification.NotificationId));
                p.Add(Text("m", notification.MerchantId));
                p.Add(Text("env", environment.ToString()));
                p.Add(Text("url", target.Url));
                p.Add(Text("id", notification.ObjectId));
                p.Add(Time("now", now.ToUnixTimeMilliseconds()));
                NonQuery(insert);
            }

            using var mark = Command("UPDATE ipn_notifications SET fanned_out = true WHERE notification_seq = @seq");
            mark.Parameters.Add(new NpgsqlParameter<long>("seq", notification.Sequence));
            NonQuery(mark);
        }

        return pending.Count;
    }

    public IpnClaim ClaimIpnDeliveries(ReleaseEnvironment environment, DateTimeOffset now, DateTimeOffset realNow, DateTimeOffset leasedUntil, int limit)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limit);
        var token = Guid.NewGuid().ToString("N");
        // SKIP LOCKED: deliveries another node is claiming right now are left to it. The lease outlives this short
        // transaction; the POST happens after the commit, outside any transaction.
        using var lease = Command(
            """
            UPDATE ipn_deliveries SET leased_until = @until, lease_token = @token
            WHERE delivery_seq IN (
                SELECT d.delivery_seq FROM ipn_deliveries d
                WHERE d.environment = @env AND d.state = 'Pending' AND d.next_attempt_at <= @now
                  AND (d.leased_until IS NULL OR d.leased_until <= @real)
                  AND EXISTS (SELECT 1 FROM ipn_endpoints e WHERE e.merchant_id = d.merchant_id AND e.environment = d.environment AND e.url = d.url)
                  AND NOT EXISTS (
                      SELECT 1 FROM ipn_deliveries b
                      WHERE b.merchant_id = d.merchant_id AND b.environment = d.environment AND b.url = d.url AND b.object_id = d.object_id
                        AND b.state = 'Pending' AND b.notification_seq < d.notification_seq)
                  AND NOT EXISTS (
                      SELECT 1 FROM ipn_notifications u
                      WHERE u.environment = d.environment AND NOT u.fanned_out AND u.merchant_id = d.merchant_id AND u.object_id = d.object_id
                        AND u.notification_seq < d.notification_seq)
                ORDER BY d.next_attempt_at, d.notification_seq LIMIT @limit
                FOR UPDATE OF d SKIP LOCKED)
            """);
        var p = lease.Parameters;
        p.Add(Time("until", leasedUntil.ToUnixTimeMilliseconds()));
        p.Add(Text("token", token));
        p.Add(Text("env", environment.ToString()));
        p.Add(Time("now", now.ToUnixTimeMilliseconds()));
        p.Add(Time("real", realNow.ToUnixTimeMilliseconds()));
        p.Add(new NpgsqlParameter<int>("limit", limit));
        if (NonQuery(lease) == 0)
        {
            return new IpnClaim(token, leasedUntil, []);
        }

        using var read = Command(DeliveryColumns + " WHERE d.lease_token = @token ORDER BY d.next_attempt_at, d.notification_seq");
        read.Parameters.Add(Text("token", token));
        return new IpnClaim(token, leasedUntil, ReadDeliveries(read));
    }

    public bool RecordIpnAttempt(string leaseToken, IpnAttempt attempt, IpnDeliveryState state, DateTimeOffset nextAttemptAt)
    {
        using var insert = Command(
            """
            INSERT INTO ipn_attempts (delivery_seq, series, attempt, attempted_at, outcome, status_code, latency_ms, detail)
            SELECT delivery_seq, @series, @attempt, @at, @outcome, @status, @latency, @detail FROM ipn_deliveries WHERE delivery_id = @id
            """);
        var p = insert.Parameters;
        p.Add(Text("id", attempt.DeliveryId));
        p.Add(new NpgsqlParameter<int>("series", attempt.Series));
        p.Add(new NpgsqlParameter<int>("attempt", attempt.Attempt));
        p.Add(Time("at", attempt.AttemptedAt.ToUnixTimeMilliseconds()));
        p.Add(Text("outcome", attempt.Outcome.ToString()));
        p.Add(new NpgsqlParameter("status", NpgsqlDbType.Integer) { Value = (object?)attempt.StatusCode ?? DBNull.Value });
        p.Add(new NpgsqlParameter<long>("latency", attempt.LatencyMs));
        p.Add(Text("detail", attempt.Detail is { } detail ? detail.Replace("\0", string.Empty, StringComparison.Ordinal) : null));
        NonQuery(insert);
        using var update = Command(
            """
            UPDATE ipn_deliveries SET state = @state, attempts = @attempt, next_attempt_at = @next, leased_until = NULL, lease_token = NULL,
                                      last_attempt_at = @at, last_result = @result
            WHERE delivery_id = @id AND lease_token = @token
            """);
        var u = update.Parameters;
        u.Add(Text("state", state.ToString()));
        u.Add(new NpgsqlParameter<int>("attempt", attempt.Attempt));
        u.Add(Time("next", nextAttemptAt.ToUnixTimeMilliseconds()));
        u.Add(Time("at", attempt.AttemptedAt.ToUnixTimeMilliseconds()));
        u.Add(Text("result", IpnResults.Describe(attempt)));
        u.Add(Text("id", attempt.DeliveryId));
        u.Add(Text("token", leaseToken));
        return NonQuery(update) == 1;
    }

    public int RedeliverIpn(string id)
    {
        using var command = Command(
            """
            UPDATE ipn_deliveries SET state = 'Pending', series = series + 1, attempts = 0, next_attempt_at = to_timestamp(0), leased_until = NULL,
                                      lease_token = NULL
            WHERE delivery_id = @id OR notification_id = @id
            """);
        command.Parameters.Add(Text("id", id));
        return NonQuery(command);
    }

    private List<IpnDelivery> ReadDeliveries(NpgsqlCommand command)
    {
        var deliveries = new List<IpnDelivery>();
        using var reader = Run(() => command.ExecuteReader());
        while (reader.Read())
        {
            deliveries.Add(new IpnDelivery(
                reader.GetInt64(0),
                reader.GetString(1),
                reader.GetInt64(2),
                reader.GetString(3),
                reader.GetString(4),
                Enum.Parse<ReleaseEnvironment>(reader.GetString(5)),
                Enum.Parse<ObjectType>(reader.GetString(6)),
                reader.GetString(7),
                reader.GetString(8),
                reader.GetString(9),
                Enum.Parse<IpnDeliveryState>(reader.GetString(10)),
                reader.GetInt32(11),
                reader.GetInt32(12),
                reader.GetFieldValue<DateTimeOffset>(13),
                reader.GetFieldValue<DateTimeOffset>(14),
                reader.IsDBNull(15) ? null : reader.GetFieldValue<DateTimeOffset>(15),
                reader.IsDBNull(16) ? null : reader.GetString(16)));
        }

        return deliveries;
    }
}
