using Tillpoint.Domain;
using Tillpoint.Domain.ChargePermissions;
using Tillpoint.Domain.Charges;
using Tillpoint.Domain.CheckoutSessions;
using Tillpoint.Domain.Refunds;
using Tillpoint.Domain.Regions;

namespace Tillpoint.Storage;

/// <summary>A merchant account: its ids, name, when it was made and its Amazon Pay region (NA unless made for another).</summary>
public sealed record Merchant(string MerchantId, string StoreId, string Name, DateTimeOffset CreatedAt, Region Region = Region.NA);

/// <summary>
/// A permission the operator grants a merchant beyond its own payments: a payment service provider's operations
/// (creating and updating disputes, updating charges) or a solution provider's (managing merchant accounts, getting
/// authorization tokens). Never implied: a merchant has only the roles granted to it.
/// </summary>
public enum MerchantRole
{
    Psp,
    SolutionProvider,
}

/// <summary>A merchant's public key. A null environment means the key works in both (the path chooses).</summary>
public sealed record PublicKeyRecord(
    string PublicKeyId,
    string MerchantId,
    ReleaseEnvironment? Environment,
    string PublicKeyPem,
    DateTimeOffset CreatedAt,
    DateTimeOffset? RevokedAt);

/// <summary>
/// Idempotency keys are scoped per merchant, environment, method and path: the official Node SDK reuses one key
/// across different operations, and identical repeats must replay (spec §3).
/// </summary>
public sealed record IdempotencyScope(string MerchantId, ReleaseEnvironment Environment, string Method, string Path, string Key);

/// <summary>The first response given for an idempotency key, replayed for identical repeats.</summary>
public sealed record IdempotencyRecord(byte[] RequestHash, int StatusCode, byte[] ResponseBody);

/// <summary>One stored state change.</summary>
public sealed record StoredEvent(long EventId, string MerchantId, ReleaseEnvironment Environment, DomainEvent Event);

/// <summary>
/// An object with a time-driven change due (an expiry, a pending outcome), for the sweeper to load and advance.
/// <paramref name="ChargePermissionId"/> is the owning permission (the permission itself for a permission); null for a
/// checkout session. <paramref name="DueAt"/> is rounded up to the millisecond, so an item is never reported early.
/// </summary>
public sealed record DueItem(ObjectType ObjectType, string MerchantId, string ObjectId, string? ChargePermissionId, DateTimeOffset DueAt);

/// <summary>A carrier and tracking number submitted for a charge permission (the Delivery Tracker API).</summary>
public sealed record DeliveryTrackerRecord(
    string MerchantId,
    ReleaseEnvironment Environment,
    string ChargePermissionId,
    string CarrierCode,
    string TrackingNumber,
    DateTimeOffset CreatedAt);

/// <summary>Lookups by id. Every lookup is scoped to a merchant, so one merchant never sees another's objects.</summary>
public interface IStoreReader : IIpnReader, IExportReader, IStoreBrowsing, IGrantReader, IReportReader, IMerchantAccountReader
{
    CheckoutSession? GetCheckoutSession(string merchantId, string checkoutSessionId);

    /// <summary>For the hosted buyer pages, which know the session id but not the merchant.</summary>
    CheckoutSession? FindCheckoutSession(string checkoutSessionId);

    ChargePermission? GetChargePermission(string merchantId, string chargePermissionId);

    Charge? GetCharge(string merchantId, string chargeId);

    IReadOnlyList<Charge> GetChargesOfPermission(string merchantId, string chargePermissionId);

    Refund? GetRefund(string merchantId, string refundId);

    /// <summary>In creation order.</summary>
    IReadOnlyList<Refund> GetRefundsOfPermission(string merchantId, string chargePermissionId);

    /// <summary>In creation order.</summary>
    IReadOnlyList<Refund> GetRefundsOfCharge(string merchantId, string chargeId);

    /// <summary>
    /// Objects of every type in <paramref name="environment"/> whose next change is due at or before
    /// <paramref name="now"/>, earliest first, at most <paramref name="limit"/>. Each environment has its own clock
    /// (the sandbox one can be advanced), hence the filter.
    /// </summary>
    IReadOnlyList<DueItem> FindDue(ReleaseEnvironment environment, DateTimeOffset now, int limit);

    IReadOnlyList<StoredEvent> GetEvents(string merchantId, string objectId);

    Merchant? GetMerchant(string merchantId);

    IReadOnlyList<Merchant> ListMerchants();

    PublicKeyRecord? GetPublicKey(string publicKeyId);

    IReadOnlyList<PublicKeyRecord> ListPublicKeys(string? merchantId);

    Domain.Disputes.Dispute? GetDispute(string merchantId, string disputeId);

    /// <summary>In creation order.</summary>
    IReadOnlyList<Domain.Disputes.Dispute> GetDisputesOfPermission(string merchantId, string chargePermissionId);

    EvidenceFile? GetEvidenceFile(string merchantId, string fileId);

    /// <summary>The file whose upload address carries <paramref name="uploadToken"/> (the second step of Upload File is unsigned).</summary>
    EvidenceFile? FindEvidenceFileByUploadToken(string uploadToken);

    /// <summary>In submission order.</summary>
    IReadOnlyList<DeliveryTrackerRecord> GetDeliveryTrackers(string merchantId, string chargePermissionId);

    /// <summary>A server-wide setting (such as the sandbox clock offset), or null when it was never put.</summary>
    string? GetSetting(string key);

    /// <summary>Every setting whose key starts with <paramref name="prefix"/>, in key order.</summary>
    IReadOnlyList<KeyValuePair<string, string>> GetSettings(string prefix);
}

/// <summary>
/// The view of one command inside a write transaction. Saves are guarded by the aggregate's version (optimistic
/// concurrency): saving a version that changed since it was read throws <see cref="ConcurrencyConflictException"/>
/// and the command is retried from the start. A store whose database is across a network may hold writes and send them
/// with the command's next statement or its commit, so a write's failure can surface there instead of at the save. Every Save also records the aggregate's <c>NextDueAt</c>, which is what
/// <see cref="IStoreReader.FindDue"/> searches.
/// </summary>
public interface IWriteSession : IStoreReader, IIpnWriter, IGrantWriter, IReportWriter, IMerchantAccountWriter
{
    /// <summary>Inserts (version 0) or updates the aggregate; returns it as stored, with its new version.</summary>
    CheckoutSession Save(CheckoutSession session);

    ChargePermission Save(ChargePermission chargePermission);

    Charge Save(Charge charge);

    Refund Save(Refund refund);

    Domain.Disputes.Dispute Save(Domain.Disputes.Dispute dispute);

    void AddEvidenceFile(EvidenceFile file);

    /// <summary>Stores the bytes of a file not uploaded yet; returns false, and stores nothing, when it was uploaded already.</summary>
    bool PutEvidenceFileContent(string merchantId, string fileId, byte[] content, DateTimeOffset at);

    void Append(string merchantId, ReleaseEnvironment environment, IReadOnlyList<DomainEvent> events);

    IdempotencyRecord? FindIdempotency(IdempotencyScope scope);

    void PutIdempotency(IdempotencyScope scope, IdempotencyRecord record);

    void AddMerchant(Merchant merchant);

    void AddPublicKey(PublicKeyRecord key);

    /// <summary>Returns false when the key does not exist or was already revoked.</summary>
    bool RevokePublicKey(string publicKeyId, DateTimeOffset at);

    /// <summary>
    /// Stores every tracker, or none: returns the first one whose carrier and tracking number the merchant already
    /// submitted in this environment (and then undoes the ones this call stored), or null when all were stored. The
    /// command goes on either way.
    /// </summary>
    DeliveryTrackerRecord? AddDeliveryTrackers(IReadOnlyList<DeliveryTrackerRecord> records);

    /// <summary>Inserts or replaces the setting.</summary>
    void PutSetting(string key, string value);

    /// <summary>Removes the setting; returns false when there was none.</summary>
    bool DeleteSetting(string key);

    /// <summary>
    /// Claims due work for this command: what <see cref="IStoreReader.FindDue"/> would return, for at most
    /// <paramref name="limit"/> owners (a checkout session, or a charge permission's ledger), each owner locked until the
    /// command ends, so that no other command, on any node, works on it meanwhile. With <paramref name="skipLocked"/>,
    /// owners another command holds are left to it rather than waited for. The items are read after the locks are
    /// taken, so work another node finished meanwhile is not returned. The claim is the lease: if the node dies, its
    /// transaction ends, and the work is due again for the next claim.
    /// </summary>
    IReadOnlyList<DueItem> ClaimDue(ReleaseEnvironment environment, DateTimeOffset now, int limit, bool skipLocked);
}

public interface ITillpointStore : IDisposable
{
    /// <summary>
    /// Runs <paramref name="command"/> in a durable transaction. The task completes only after the commit has
    /// reached the disk, so an acknowledged write survives a crash. If the command throws, none of its writes happen.
    /// </summary>
    Task<T> WriteAsync<T>(Func<IWriteSession, T> command, CancellationToken cancellationToken = default);

    /// <summary>Runs a read against the latest committed state.</summary>
    T Read<T>(Func<IStoreReader, T> query);
}

/// <summary>The aggregate changed since it was read; the command must be retried.</summary>
public sealed class ConcurrencyConflictException(string message) : Exception(message);
