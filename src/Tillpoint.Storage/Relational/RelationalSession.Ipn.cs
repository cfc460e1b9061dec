using Tillpoint.Domain;

namespace Tillpoint.Storage.Relational;

/// <summary>Instant Payment Notifications: the outbox, endpoints, deliveries and their attempts.</summary>
internal sealed partial class RelationalSession
{
    public IReadOnlyList<IpnEndpoint> ListIpnEndpoints(string merchantId, ReleaseEnvironment? environment)
    {
        using var command = Command(_sql.IpnEndpoints);
        command.Text("m", merchantId);
        command.Text("env", environment?.ToString());
        return command.ReadAll(reader => new IpnEndpoint(
            reader.GetString(0), Enum.Parse<ReleaseEnvironment>(reader.GetString(1)), reader.GetString(2), Dialect.GetTime(reader, 3)));
    }

    public IReadOnlyList<IpnNotificationRecord> GetIpnNotifications(string merchantId, string chargePermissionId)
    {
        using var command = Command(
            """
            SELECT notification_seq, notification_id, merchant_id, environment, object_type, object_id, charge_permission_id, event_id, created_at
            FROM ipn_notifications WHERE merchant_id = @m AND charge_permission_id = @id ORDER BY notification_seq
            """);
        command.Text("m", merchantId);
        command.Text("id", chargePermissionId);
        return command.ReadAll(reader => new IpnNotificationRecord(
            reader.GetInt64(0),
            reader.GetString(1),
            reader.GetString(2),
            Enum.Parse<ReleaseEnvironment>(reader.GetString(3)),
            Enum.Parse<ObjectType>(reader.GetString(4)),
            reader.GetString(5),
            reader.GetString(6),
            reader.GetInt64(7),
            Dialect.GetTime(reader, 8)));
    }

    public IReadOnlyList<IpnDelivery> ListIpnDeliveries(IpnDeliveryQuery query)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(query.Limit);
        using var command = Command(_sql.IpnDeliveries);
        command.Text("m", query.MerchantId);
        command.Text("env", query.Environment?.ToString());
        command.Text("state", query.State?.ToString());
        command.Text("nid", query.NotificationId);
        command.Int64("before", query.BeforeSequence);
        command.Int32("limit", query.Limit);
        return ReadDeliveries(command);
    }

    public IpnDelivery? GetIpnDelivery(string deliveryId)
    {
        using var command = Command(RelationalSql.IpnDeliveryColumns + " WHERE d.delivery_id = @id");
        command.Text("id", deliveryId);
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
        command.Text("id", deliveryId);
        return command.ReadAll(reader => new IpnAttempt(
            reader.GetString(0),
            reader.GetInt32(1),
            reader.GetInt32(2),
            Dialect.GetTime(reader, 3),
            Enum.Parse<IpnAttemptOutcome>(reader.GetString(4)),
            reader.IsDBNull(5) ? null : reader.GetInt32(5),
            reader.GetInt64(6),
            reader.IsDBNull(7) ? null : reader.GetString(7)));
    }

    public bool HasIpnWork(ReleaseEnvironment environment, DateTimeOffset now)
    {
        using var command = Command(_sql.HasIpnWork);
        command.Text("env", environment.ToString());
        command.Time("now", now);
        return command.Scalar() != 0;
    }

    public long CountIpnBacklog()
    {
        using var command = Command(_sql.IpnBacklog);
        return command.Scalar();
    }

    public bool AddIpnEndpoint(IpnEndpoint endpoint)
    {
        using var command = Command(
            "INSERT INTO ipn_endpoints (merchant_id, environment, url, created_at) VALUES (@m, @env, @url, @at) ON CONFLICT DO NOTHING");
        command.Text("m", endpoint.MerchantId);
        command.Text("env", endpoint.Environment.ToString());
        command.Text("url", endpoint.Url);
        command.Time("at", endpoint.CreatedAt);
        return command.Execute() == 1;
    }

    public bool RemoveIpnEndpoint(string merchantId, ReleaseEnvironment environment, string url)
    {
        using var command = Command("DELETE FROM ipn_endpoints WHERE merchant_id = @m AND environment = @env AND url = @url");
        command.Text("m", merchantId);
        command.Text("env", environment.ToString());
        command.Text("url", url);
        return command.Execute() == 1;
    }

    public int FanOutIpnNotifications(ReleaseEnvironment environment, DateTimeOffset now, int limit)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limit);
        List<(long Sequence, string NotificationId, string MerchantId, string ObjectId)> pending;
        using (var select = Command(_sql.UnsentNotifications))
        {
            select.Text("env", environment.ToString());
            select.Int32("limit", limit);
            pending = select.ReadAll(static reader => (reader.GetInt64(0), reader.GetString(1), reader.GetString(2), reader.GetString(3)));
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
                insert.Text("did", Guid.NewGuid().ToString());
                insert.Int64("seq", notification.Sequence);
                insert.Text("nid", notification.NotificationId);
                insert.Text("m", notification.MerchantId);
                insert.Text("env", environment.ToString());
                insert.Text("url", target.Url);
                insert.Text("id", notification.ObjectId);
                insert.Time("now", now);
                insert.Execute();
            }

            using var mark = Command(_sql.MarkFannedOut);
            mark.Int64("seq", notification.Sequence);
            mark.Execute();
        }

        return pending.Count;
    }

    /// <summary>
    /// Where several nodes share the store, deliveries another node is claiming are skipped; on SQLite the single writer
    /// makes the claim exclusive, and SQLite is never shared by several nodes.
    /// </summary>
    public IpnClaim ClaimIpnDeliveries(ReleaseEnvironment environment, DateTimeOffset now, DateTimeOffset realNow, DateTimeOffset leasedUntil, int limit)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limit);
        var token = Guid.NewGuid().ToString("N");
        using (var lease = Command(_sql.LeaseIpnDeliveries))
        {
            lease.Time("until", leasedUntil);
            lease.Text("token", token);
            lease.Text("env", environment.ToString());
            lease.Time("now", now);
            lease.Time("real", realNow);
            lease.Int32("limit", limit);
            if (lease.Execute() == 0)
            {
                return new IpnClaim(token, leasedUntil, []);
            }
        }

        using var read = Command(RelationalSql.IpnDeliveryColumns + " WHERE d.lease_token = @token ORDER BY d.next_attempt_at, d.notification_seq");
        read.Text("token", token);
        return new IpnClaim(token, leasedUntil, ReadDeliveries(read));
    }

    public bool RecordIpnAttempt(string leaseToken, IpnAttempt attempt, IpnDeliveryState state, DateTimeOffset nextAttemptAt)
    {
        using (var insert = Command(
            """
            INSERT INTO ipn_attempts (delivery_seq, series, attempt, attempted_at, outcome, status_code, latency_ms, detail)
            SELECT delivery_seq, @series, @attempt, @at, @outcome, @status, @latency, @detail FROM ipn_deliveries WHERE delivery_id = @id
            """))
        {
            insert.Text("id", attempt.DeliveryId);
            insert.Int32("series", attempt.Series);
            insert.Int32("attempt", attempt.Attempt);
            insert.Time("at", attempt.AttemptedAt);
            insert.Text("outcome", attempt.Outcome.ToString());
            insert.Int32("status", attempt.StatusCode);
            insert.Int64("latency", attempt.LatencyMs);
            // A detail quotes what the merchant's server answered; what cannot be stored of it is left out.
            insert.Text("detail", attempt.Detail is { } detail && !Dialect.CanStore(detail) ? detail.Replace("\0", string.Empty, StringComparison.Ordinal) : attempt.Detail);
            insert.Execute();
        }

        using var update = Command(
            """
            UPDATE ipn_deliveries SET state = @state, attempts = @attempt, next_attempt_at = @next, leased_until = NULL, lease_token = NULL,
                                      last_attempt_at = @at, last_result = @result
            WHERE delivery_id = @id AND lease_token = @token
            """);
        update.Text("state", state.ToString());
        update.Int32("attempt", attempt.Attempt);
        update.Time("next", nextAttemptAt);
        update.Time("at", attempt.AttemptedAt);
        update.Text("result", IpnResults.Describe(attempt));
        update.Text("id", attempt.DeliveryId);
        update.Text("token", leaseToken);
        return update.Execute() == 1;
    }

    public int RedeliverIpn(string id)
    {
        using var command = Command(_sql.ResendIpn);
        command.Text("id", id);
        return command.Execute();
    }

    private List<IpnDelivery> ReadDeliveries(Statement command) =>
        command.ReadAll(reader => new IpnDelivery(
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
            Dialect.GetTime(reader, 13),
            Dialect.GetTime(reader, 14),
            reader.IsDBNull(15) ? null : Dialect.GetTime(reader, 15),
            reader.IsDBNull(16) ? null : reader.GetString(16)));
}
