using Tillpoint.Domain;

namespace Tillpoint.Storage;

/// <summary>Where a delivery of one notification to one endpoint stands.</summary>
public enum IpnDeliveryState
{
    /// <summary>Waiting for its next attempt (or in flight).</summary>
    Pending,

    /// <summary>The endpoint answered 2xx.</summary>
    Delivered,

    /// <summary>Every attempt of the series failed, or the target is not allowed; <c>ipn redeliver</c> starts a new series.</summary>
    Failed,
}

/// <summary>How one POST ended.</summary>
public enum IpnAttemptOutcome
{
    /// <summary>A 2xx answer.</summary>
    Delivered,

    /// <summary>Any other HTTP status.</summary>
    HttpError,

    /// <summary>No answer within the timeout.</summary>
    Timeout,

    /// <summary>No connection, TLS failure, connection reset.</summary>
    ConnectionError,

    /// <summary>Never sent: the target is not allowed (any more) by the server's options.</summary>
    Refused,
}

/// <summary>An IPN endpoint URL of a merchant in one environment.</summary>
public sealed record IpnEndpoint(string MerchantId, ReleaseEnvironment Environment, string Url, DateTimeOffset CreatedAt);

/// <summary>
/// One notification, written in the same transaction as the state change it reports (the outbox).
/// <paramref name="Sequence"/> orders notifications; <paramref name="NotificationId"/> is the receivers' de-duplication key.
/// </summary>
public sealed record IpnNotificationRecord(
    long Sequence,
    string NotificationId,
    string MerchantId,
    ReleaseEnvironment Environment,
    ObjectType ObjectType,
    string ObjectId,
    string ChargePermissionId,
    long EventId,
    DateTimeOffset CreatedAt);

/// <summary>
/// One notification to one endpoint. <paramref name="Attempts"/> counts the attempts of the current series, which
/// <paramref name="Series"/> numbers (a redelivery starts a new one). <paramref name="NextAttemptAt"/> is on the
/// environment's business clock.
/// </summary>
public sealed record IpnDelivery(
    long Sequence,
    string DeliveryId,
    long NotificationSequence,
    string NotificationId,
    string MerchantId,
    ReleaseEnvironment Environment,
    ObjectType ObjectType,
    string ObjectId,
    string ChargePermissionId,
    string Url,
    IpnDeliveryState State,
    int Series,
    int Attempts,
    DateTimeOffset NextAttemptAt,
    DateTimeOffset CreatedAt,
    DateTimeOffset? LastAttemptAt,
    string? LastResult);

/// <summary>
/// One recorded POST. <paramref name="Detail"/> is a bounded snippet of the answer, or the error's text.
/// <paramref name="AttemptedAt"/> is real time, not a business clock.
/// </summary>
public sealed record IpnAttempt(
    string DeliveryId,
    int Series,
    int Attempt,
    DateTimeOffset AttemptedAt,
    IpnAttemptOutcome Outcome,
    int? StatusCode,
    long LatencyMs,
    string? Detail);

/// <summary>
/// Filters of a delivery listing, newest first. <paramref name="BeforeSequence"/> pages on: pass the last sequence of
/// the previous page.
/// </summary>
public sealed record IpnDeliveryQuery(
    string? MerchantId = null,
    ReleaseEnvironment? Environment = null,
    IpnDeliveryState? State = null,
    string? NotificationId = null,
    long? BeforeSequence = null,
    int Limit = 50);

/// <summary>
/// Deliveries leased to one dispatcher until <paramref name="LeasedUntil"/> (real time). The result of each is recorded
/// with <paramref name="LeaseToken"/>; once the lease has expired another node may have taken the work.
/// </summary>
public sealed record IpnClaim(string LeaseToken, DateTimeOffset LeasedUntil, IReadOnlyList<IpnDelivery> Deliveries);

/// <summary>Reads of Instant Payment Notifications: endpoints, the outbox and the delivery log.</summary>
public interface IIpnReader
{
    /// <summary>In environment, then URL order; every environment when <paramref name="environment"/> is null.</summary>
    IReadOnlyList<IpnEndpoint> ListIpnEndpoints(string merchantId, ReleaseEnvironment? environment);

    /// <summary>The notifications about a charge permission, its charges and its refunds, in order.</summary>
    IReadOnlyList<IpnNotificationRecord> GetIpnNotifications(string merchantId, string chargePermissionId);

    /// <summary>Newest first, at most <see cref="IpnDeliveryQuery.Limit"/>.</summary>
    IReadOnlyList<IpnDelivery> ListIpnDeliveries(IpnDeliveryQuery query);

    IpnDelivery? GetIpnDelivery(string deliveryId);

    /// <summary>Every attempt of the delivery, oldest first.</summary>
    IReadOnlyList<IpnAttempt> ListIpnAttempts(string deliveryId);

    /// <summary>
    /// Whether the dispatcher has anything to do in <paramref name="environment"/>: notifications not yet fanned out to
    /// endpoints, or pending deliveries due at <paramref name="now"/> (business time). Cheap, so an idle server only reads.
    /// </summary>
    bool HasIpnWork(ReleaseEnvironment environment, DateTimeOffset now);

    /// <summary>Notifications not yet fanned out plus pending deliveries, in every environment: the backlog.</summary>
    long CountIpnBacklog();
}

/// <summary>Writes of Instant Payment Notifications. The outbox itself is written by <see cref="IWriteSession.Append"/>.</summary>
public interface IIpnWriter
{
    /// <summary>Returns false, storing nothing, when the merchant already has this URL in this environment.</summary>
    bool AddIpnEndpoint(IpnEndpoint endpoint);

    /// <summary>Returns false when there was no such endpoint. Its pending deliveries wait until the URL is added again.</summary>
    bool RemoveIpnEndpoint(string merchantId, ReleaseEnvironment environment, string url);

    /// <summary>
    /// Turns up to <paramref name="limit"/> notifications of <paramref name="environment"/> into one pending delivery per
    /// endpoint the merchant has now, due at <paramref name="now"/>; a notification without endpoints gets none. Returns
    /// how many notifications were handled.
    /// </summary>
    int FanOutIpnNotifications(ReleaseEnvironment environment, DateTimeOffset now, int limit);

    /// <summary>
    /// Leases up to <paramref name="limit"/> pending deliveries due at <paramref name="now"/> (business time) whose lease
    /// is free at <paramref name="realNow"/>, until <paramref name="leasedUntil"/> (real time). A delivery waits while an
    /// earlier notification about the same object to the same endpoint is still pending, so each receiver sees one
    /// object's notifications in order. Deliveries of removed endpoints are not claimed.
    /// </summary>
    IpnClaim ClaimIpnDeliveries(ReleaseEnvironment environment, DateTimeOffset now, DateTimeOffset realNow, DateTimeOffset leasedUntil, int limit);

    /// <summary>
    /// Records an attempt and, if the lease is still <paramref name="leaseToken"/>'s, the delivery's new state and next
    /// attempt time (business time), releasing the lease. Returns false when the lease was lost (expired and taken, or a
    /// redelivery reset it): the attempt is kept in the log, the state is left to the new holder.
    /// </summary>
    bool RecordIpnAttempt(string leaseToken, IpnAttempt attempt, IpnDeliveryState state, DateTimeOffset nextAttemptAt);

    /// <summary>
    /// Makes the delivery <paramref name="id"/>, or every delivery of the notification <paramref name="id"/>, pending
    /// again with a new series of attempts, due at once. Returns how many deliveries were reset.
    /// </summary>
    int RedeliverIpn(string id);
}

/// <summary>Which stored events become notifications.</summary>
public static class IpnOutbox
{
    /// <summary>The only notification type Tillpoint raises; Amazon's plugins handle nothing else.</summary>
    public const string StateChange = "STATE_CHANGE";

    /// <summary>
    /// A state change of a charge permission, a charge or a refund, its creation included. Events that keep the state
    /// (a delivery tracker, updated merchant metadata) raise none: the plugins in the field handle only STATE_CHANGE,
    /// and a receiver that fetches the object would find nothing changed. Checkout sessions raise none (spec §11.4).
    /// </summary>
    public static bool Notifies(DomainEvent e) => e.ChargePermissionId is not null && e.FromState != e.ToState && e.ObjectType switch
    {
        ObjectType.ChargePermission or ObjectType.Charge or ObjectType.Refund => true,
        ObjectType.Dispute => true,
        ObjectType.CheckoutSession => false,
    };
}

/// <summary>The one-line summary of an attempt kept on its delivery (<see cref="IpnDelivery.LastResult"/>).</summary>
public static class IpnResults
{
    public static string Describe(IpnAttempt attempt) => attempt.Outcome switch
    {
        IpnAttemptOutcome.Delivered or IpnAttemptOutcome.HttpError => $"HTTP {attempt.StatusCode}",
        IpnAttemptOutcome.Timeout => "timeout",
        IpnAttemptOutcome.ConnectionError => "connection error",
        IpnAttemptOutcome.Refused => "target not allowed",
    };
}
