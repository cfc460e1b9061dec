using Microsoft.Data.Sqlite;
using Tillpoint.Domain;

namespace Tillpoint.Storage.Sqlite;

/// <summary>Instant Payment Notifications: the outbox, endpoints, deliveries and their attempts.</summary>
internal sealed partial class SqliteSession
{
    private const string DeliveryColumns =
        """
        SELECT d.delivery_seq, d.delivery_id, d.notification_seq, n.notification_id, d.merchant_id, d.environment, n.object_type,
               n.object_id, n.charge_permission_id, d.url, d.state, d.series, d.attempts, d.next_attempt_at, d.created_at,
               d.last_attempt_at, d.last_result
        FROM ipn_deliveries d JOIN ipn_notifications n ON n.notification_seq = d.notification_seq
        """;

    /// <summary>
    /// Called by <see cref="Append"/> right after each event's insert: one prepared statement on the capture path.
    /// <c>last_insert_rowid()</c> is the event just inserted. Nothing is recorded for a merchant with no endpoint in the
    /// environment (it would never be sent), which keeps an integration without IPN free of the outbox's writes.
    /// </summary>
    private void EnqueueIpn(string merchantId, ReleaseEnvironment environment, DomainEvent e)
    {
        if (!IpnOutbox.Notifies(e))
        {
            return;
        }

        var command = Command(
            """
            INSERT INTO ipn_notifications (notification_id, merchant_id, environment, object_type, object_id, charge_permission_id,
                                           notification_type, event_id, created_at)
            SELECT $nid, $m, $env, $type, $id, $parent, $ntype, last_insert_rowid(), $at
            WHERE EXISTS (SELECT 1 FROM ipn_endpoints WHERE merchant_id = $m AND environment = $env)
            """);
        var p = command.Parameters;
        p["$nid"].Value = Guid.NewGuid().ToString();
        p["$m"].Value = merchantId;
        p["$env"].Value = environment.ToString();
        p["$type"].Value = e.ObjectType.ToString();
        p["$id"].Value = e.ObjectId;
        p["$parent"].Value = e.ChargePermissionId;
        p["$ntype"].Value = IpnOutbox.StateChange;
        p["$at"].Value = e.At.ToUnixTimeMilliseconds();
        command.ExecuteNonQuery();
    }

    public IReadOnlyList<IpnEndpoint> ListIpnEndpoints(string merchantId, ReleaseEnvironment? environment)
    {
        var command = Command(
            "SELECT merchant_id, environment, url, created_at FROM ipn_endpoints WHERE merchant_id = $m AND ($env IS NULL OR environment = $env) ORDER BY environment, url");
        command.Parameters["$m"].Value = merchantId;
        command.Parameters["$env"].Value = (object?)environment?.ToString() ?? DBNull.Value;
        var endpoints = new List<IpnEndpoint>();
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            endpoints.Add(new IpnEndpoint(
                reader.GetString(0), Enum.Parse<ReleaseEnvironment>(reader.GetString(1)), reader.GetString(2), Time(reader.GetInt64(3))));
        }

        return endpoints;
    }

    public IReadOnlyList<IpnNotificationRecord> GetIpnNotifications(string merchantId, string chargePermissionId)
    {
        var command = Command(
            """
            SELECT notification_seq, notification_id, merchant_id, environment, object_type, object_id, charge_permission_id, event_id, created_at
            FROM ipn_notifications WHERE merchant_id = $m AND charge_permission_id = $id ORDER BY notification_seq
            """);
        command.Parameters["$m"].Value = merchantId;
        command.Parameters["$id"].Value = chargePermissionId;
        var notifications = new List<IpnNotificationRecord>();
        using var reader = command.ExecuteReader();
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
                Time(reader.GetInt64(8))));
        }

        return notifications;
    }

    public IReadOnlyList<IpnDelivery> ListIpnDeliveries(IpnDeliveryQuery query)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(query.Limit);
        var command = Command(
            DeliveryColumns +
            """

            WHERE ($m IS NULL OR d.merchant_id = $m) AND ($env IS NULL OR d.environment = $env) AND ($state IS NULL OR d.state = $state)
              AND ($nid IS NULL OR d.notification_id = $nid) AND ($before IS NULL OR d.delivery_seq < $before)
            ORDER BY d.delivery_seq DESC LIMIT $limit
            """);
        var p = command.Parameters;
        p["$m"].Value = (object?)query.MerchantId ?? DBNull.Value;
        p["$env"].Value = (object?)query.Environment?.ToString() ?? DBNull.Value;
        p["$state"].Value = (object?)query.State?.ToString() ?? DBNull.Value;
        p["$nid"].Value = (object?)query.NotificationId ?? DBNull.Value;
        p["$before"].Value = (object?)query.BeforeSequence ?? DBNull.Value;
        p["$limit"].Value = query.Limit;
        return ReadDeliveries(command);
    }

    public IpnDelivery? GetIpnDelivery(string deliveryId)
    {
        var command = Command(DeliveryColumns + " WHERE d.delivery_id = $id");
        command.Parameters["$id"].Value = deliveryId;
        return ReadDeliveries(command).SingleOrDefault();
    }

    public IReadOnlyList<IpnAttempt> ListIpnAttempts(string deliveryId)
    {
        var command = Command(
            """
            SELECT d.delivery_id, a.series, a.attempt, a.attempted_at, a.outcome, a.status_code, a.latency_ms, a.detail
            FROM ipn_attempts a JOIN ipn_deliveries d ON d.delivery_seq = a.delivery_seq
            WHERE d.delivery_id = $id ORDER BY a.attempt_seq
            """);
        command.Parameters["$id"].Value = deliveryId;
        var attempts = new List<IpnAttempt>();
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            attempts.Add(new IpnAttempt(
                reader.GetString(0),
                reader.GetInt32(1),
                reader.GetInt32(2),
                Time(reader.GetInt64(3)),
                Enum.Parse<IpnAttemptOutcome>(reader.GetString(4)),
                reader.IsDBNull(5) ? null : reader.GetInt32(5),
                reader.GetInt64(6),
                reader.IsDBNull(7) ? null : reader.GetString(7)));
        }

        return attempts;
    }

    public bool HasIpnWork(ReleaseEnvironment environment, DateTimeOffset now)
    {
        var command = Command(
            """
            SELECT EXISTS (SELECT 1 FROM ipn_notifications WHERE environment = $env AND fanned_out = 0)
                OR EXISTS (SELECT 1 FROM ipn_deliveries d WHERE d.environment = $env AND d.state = 'Pending' AND d.next_attempt_at <= $now
                          AND EXISTS (SELECT 1 FROM ipn_endpoints e WHERE e.merchant_id = d.merchant_id AND e.environment = d.environment AND e.url = d.url))
            """);
        command.Parameters["$env"].Value = environment.ToString();
        command.Parameters["$now"].Value = now.ToUnixTimeMilliseconds();
        return Convert.ToInt64(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture) != 0;
    }

    public long CountIpnBacklog()
    {
        var command = Command(
            """
            SELECT (SELECT count(*) FROM ipn_notifications WHERE fanned_out = 0)
                 + (SELECT count(*) FROM ipn_deliveries WHERE state = 'Pending')
            """);
        return Convert.ToInt64(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
    }

    public bool AddIpnEndpoint(IpnEndpoint endpoint)
    {
        var command = Command(
            "INSERT INTO ipn_endpoints (merchant_id, environment, url, created_at) VALUES ($m, $env, $url, $at) ON CONFLICT DO NOTHING");
        command.Parameters["$m"].Value = endpoint.MerchantId;
        command.Parameters["$env"].Value = endpoint.Environment.ToString();
        command.Parameters["$url"].Value = endpoint.Url;
        command.Parameters["$at"].Value = endpoint.CreatedAt.ToUnixTimeMilliseconds();
        return command.ExecuteNonQuery() == 1;
    }

    public bool RemoveIpnEndpoint(string merchantId, ReleaseEnvironment environment, string url)
    {
        var command = Command("DELETE FROM ipn_endpoints WHERE merchant_id = $m AND environment = $env AND url = $url");
        command.Parameters["$m"].Value = merchantId;
        command.Parameters["$env"].Value = environment.ToString();
        command.Parameters["$url"].Value = url;
        return command.ExecuteNonQuery() == 1;
    }

    public int FanOutIpnNotifications(ReleaseEnvironment environment, DateTimeOffset now, int limit)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limit);
        var select = Command(
            """
            SELECT notification_seq, notification_id, merchant_id, object_id FROM ipn_notifications INDEXED BY ipn_notifications_unsent
            WHERE environment = $env AND fanned_out = 0 ORDER BY notification_seq LIMIT $limit
            """);
        select.Parameters["$env"].Value = environment.ToString();
        select.Parameters["$limit"].Value = limit;
        var pending = new List<(long Sequence, string NotificationId, string MerchantId, string ObjectId)>();
        using (var reader = select.ExecuteReader())
        {
            while (reader.Read())
            {
                pending.Add((reader.GetInt64(0), reader.GetString(1), reader.GetString(2), reader.GetString(3)));
            }
        }

        var endpoints = new Dictionary<string, IReadOnlyList<IpnEndpoint>>(StringComparer.Ordinal);
        var insert = Command(
            """
            INSERT INTO ipn_deliveries (delivery_id, notification_seq, notification_id, merchant_id, environment, url, object_id, state,
                                        series, attempts, next_attempt_at, created_at)
            VALUES ($did, $seq, $nid, $m, $env, $url, $id, 'Pending', 1, 0, $now, $now)
            """);
        var mark = Command("UPDATE ipn_notifications SET fanned_out = 1 WHERE notification_seq = $seq");
        foreach (var notification in pending)
        {
            if (!endpoints.TryGetValue(notification.MerchantId, out var targets))
            {
                targets = ListIpnEndpoints(notification.MerchantId, environment);
                endpoints[notification.MerchantId] = targets;
            }

            foreach (var target in targets)
            {
                var p = insert.Parameters;
                p["$did"].Value = Guid.NewGuid().ToString();
                p["$seq"].Value = notification.Sequence;
                p["$nid"].Value = notification.NotificationId;
                p["$m"].Value = notification.MerchantId;
                p["$env"].Value = environment.ToString();
                p["$url"].Value = target.Url;
                p["$id"].Value = notification.ObjectId;
                p["$now"].Value = now.ToUnixTimeMilliseconds();
                insert.ExecuteNonQuery();
            }

            mark.Parameters["$seq"].Value = notification.Sequence;
            mark.ExecuteNonQuery();
        }

        return pending.Count;
    }

    /// <summary>The single writer makes the claim exclusive on this node; SQLite is never shared by several nodes.</summary>
    public IpnClaim ClaimIpnDeliveries(ReleaseEnvironment environment, DateTimeOffset now, DateTimeOffset realNow, DateTimeOffset leasedUntil, int limit)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limit);
        var token = Guid.NewGuid().ToString("N");
        var lease = Command(
            """
            UPDATE ipn_deliveries SET leased_until = $until, lease_token = $token
            WHERE delivery_seq IN (
                SELECT d.delivery_seq FROM ipn_deliveries d
                WHERE d.environment = $env AND d.state = 'Pending' AND d.next_attempt_at <= $now
                  AND (d.leased_until IS NULL OR d.leased_until <= $real)
                  AND EXISTS (SELECT 1 FROM ipn_endpoints e WHERE e.merchant_id = d.merchant_id AND e.environment = d.environment AND e.url = d.url)
                  AND NOT EXISTS (
                      SELECT 1 FROM ipn_deliveries b INDEXED BY ipn_deliveries_in_order
                      WHERE b.merchant_id = d.merchant_id AND b.environment = d.environment AND b.url = d.url AND b.object_id = d.object_id
                        AND b.state = 'Pending' AND b.notification_seq < d.notification_seq)
                  AND NOT EXISTS (
                      SELECT 1 FROM ipn_notifications u
                      WHERE u.environment = d.environment AND u.fanned_out = 0 AND u.merchant_id = d.merchant_id AND u.object_id = d.object_id
                        AND u.notification_seq < d.notification_seq)
                ORDER BY d.next_attempt_at, d.notification_seq LIMIT $limit)
            """);
        var p = lease.Parameters;
        p["$until"].Value = leasedUntil.ToUnixTimeMilliseconds();
        p["$token"].Value = token;
        p["$env"].Value = environment.ToString();
        p["$now"].Value = now.ToUnixTimeMilliseconds();
        p["$real"].Value = realNow.ToUnixTimeMilliseconds();
        p["$limit"].Value = limit;
        if (lease.ExecuteNonQuery() == 0)
        {
            return new IpnClaim(token, leasedUntil, []);
        }

        var read = Command(DeliveryColumns + " WHERE d.lease_token = $token ORDER BY d.next_attempt_at, d.notification_seq");
        read.Parameters["$token"].Value = token;
        return new IpnClaim(token, leasedUntil, ReadDeliveries(read));
    }

    public bool RecordIpnAttempt(string leaseToken, IpnAttempt attempt, IpnDeliveryState state, DateTimeOffset nextAttemptAt)
    {
        var insert = Command(
            """
            INSERT INTO ipn_attempts (delivery_seq, series, attempt, attempted_at, outcome, status_code, latency_ms, detail)
            SELECT delivery_seq, $series, $attempt, $at, $outcome, $status, $latency, $detail FROM ipn_deliveries WHERE delivery_id = $id
            """);
        var p = insert.Parameters;
        p["$id"].Value = attempt.DeliveryId;
        p["$series"].Value = attempt.Series;
        p["$attempt"].Value = attempt.Attempt;
        p["$at"].Value = attempt.AttemptedAt.ToUnixTimeMilliseconds();
        p["$outcome"].Value = attempt.Outcome.ToString();
        p["$status"].Value = (object?)attempt.StatusCode ?? DBNull.Value;
        p["$latency"].Value = attempt.LatencyMs;
        p["$detail"].Value = (object?)attempt.Detail ?? DBNull.Value;
        insert.ExecuteNonQuery();
        var update = Command(
            """
            UPDATE ipn_deliveries SET state = $state, attempts = $attempt, next_attempt_at = $next, leased_until = NULL, lease_token = NULL,
                                      last_attempt_at = $at, last_result = $result
            WHERE delivery_id = $id AND lease_token = $token
            """);
        var u = update.Parameters;
        u["$state"].Value = state.ToString();
        u["$attempt"].Value = attempt.Attempt;
        u["$next"].Value = nextAttemptAt.ToUnixTimeMilliseconds();
        u["$at"].Value = attempt.AttemptedAt.ToUnixTimeMilliseconds();
        u["$result"].Value = IpnResults.Describe(attempt);
        u["$id"].Value = attempt.DeliveryId;
        u["$token"].Value = leaseToken;
        return update.ExecuteNonQuery() == 1;
    }

    public int RedeliverIpn(string id)
    {
        var command = Command(
            """
            UPDATE ipn_deliveries SET state = 'Pending', series = series + 1, attempts = 0, next_attempt_at = 0, leased_until = NULL, lease_token = NULL
            WHERE delivery_id = $id OR notification_id = $id
            """);
        command.Parameters["$id"].Value = id;
        return command.ExecuteNonQuery();
    }

    private static List<IpnDelivery> ReadDeliveries(SqliteCommand command)
    {
        var deliveries = new List<IpnDelivery>();
        using var reader = command.ExecuteReader();
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
                Time(reader.GetInt64(13)),
                Time(reader.GetInt64(14)),
                reader.IsDBNull(15) ? null : Time(reader.GetInt64(15)),
                reader.IsDBNull(16) ? null : reader.GetString(16)));
        }

        return deliveries;
    }

    private static DateTimeOffset Time(long unixMilliseconds) => DateTimeOffset.FromUnixTimeMilliseconds(unixMilliseconds);
}
