using Tillpoint.Domain;
using Tillpoint.Domain.ChargePermissions;
using Tillpoint.Domain.Charges;
using Tillpoint.Domain.CheckoutSessions;
using Tillpoint.Domain.Refunds;
using Tillpoint.Storage;

namespace Tillpoint.Server.Api;

/// <summary>Whose objects a request (or the sweeper) works on: one merchant in one environment.</summary>
internal readonly record struct Owner(string MerchantId, ReleaseEnvironment Environment);

/// <summary>A ledger as stored, and as it stands now (time-driven changes applied, not yet saved).</summary>
internal sealed record LoadedLedger(PaymentLedger Stored, Transition<PaymentLedger> Current);

/// <summary>
/// Loads aggregates for an owner: objects of another merchant or of the other environment do not exist for it.
/// Reads apply time-driven changes (expiry, pending outcomes) to what they show; writes persist them first.
/// </summary>
internal static class Aggregates
{
    public static CheckoutSession? CurrentCheckoutSession(IStoreReader reader, Owner owner, string id, DateTimeOffset now) =>
        reader.GetCheckoutSession(owner.MerchantId, id) is { } session && session.Environment == owner.Environment
            ? session.AsOf(now).Value
            : null;

    /// <summary>Get Charge: the charge and, once it is captured, its refunds (the only other thing that changes it).</summary>
    public static Charge? CurrentCharge(IStoreReader reader, Owner owner, string id, DateTimeOffset now)
    {
        var charge = reader.GetCharge(owner.MerchantId, id);
        if (charge is null || charge.Environment != owner.Environment)
        {
            return null;
        }

        var refunds = charge.State is ChargeState.Captured or ChargeState.CaptureInitiated
            ? reader.GetRefundsOfCharge(owner.MerchantId, id)
            : [];
        return PaymentLedger.ChargeAsOf(charge, refunds, now);
    }

    public static PaymentLedger? CurrentLedger(IStoreReader reader, Owner owner, string chargePermissionId, DateTimeOffset now) =>
        ReadLedger(reader, owner, chargePermissionId)?.AsOf(now).Value;

    public static Refund? CurrentRefund(IStoreReader reader, Owner owner, string id, DateTimeOffset now)
    {
        var refund = reader.GetRefund(owner.MerchantId, id);
        return refund is null || refund.Environment != owner.Environment
            ? null
            : refund.PendingUntil <= now ? refund.Settle().Value : refund;
    }

    public static CheckoutSession? LoadCheckoutSession(IWriteSession session, Owner owner, string id, DateTimeOffset now)
    {
        var stored = session.GetCheckoutSession(owner.MerchantId, id);
        return stored is null || stored.Environment != owner.Environment ? null : PersistChanges(session, stored.AsOf(now), owner);
    }

    /// <summary>The ledger of a permission, for a command to act on; null when the owner has no such permission.</summary>
    public static LoadedLedger? LoadLedger(IWriteSession session, Owner owner, string chargePermissionId, DateTimeOffset now) =>
        ReadLedger(session, owner, chargePermissionId) is { } stored ? new LoadedLedger(stored, stored.AsOf(now)) : null;

    /// <summary>The ledger a charge belongs to.</summary>
    public static LoadedLedger? LoadLedgerOfCharge(IWriteSession session, Owner owner, string chargeId, DateTimeOffset now) =>
        session.GetCharge(owner.MerchantId, chargeId) is { } charge && charge.Environment == owner.Environment
            ? LoadLedger(session, owner, charge.ChargePermissionId, now)
            : null;

    /// <summary>Saves every object of the ledger that changed or is new since it was loaded, and the events.</summary>
    public static void Persist(IWriteSession session, PaymentLedger stored, Transition<PaymentLedger> transition, Owner owner)
    {
        var ledger = transition.Value;
        session.Append(owner.MerchantId, owner.Environment, transition.Events);
        if (!ReferenceEquals(ledger.ChargePermission, stored.ChargePermission))
        {
            session.Save(ledger.ChargePermission);
        }

        foreach (var charge in ledger.Charges.Where(c => !stored.Charges.Contains(c, ReferenceEqualityComparer.Instance)))
        {
            session.Save(charge);
        }

        foreach (var refund in ledger.Refunds.Where(r => !stored.Refunds.Contains(r, ReferenceEqualityComparer.Instance)))
        {
            session.Save(refund);
        }
    }

    /// <summary>Saves the new version and its events.</summary>
    public static CheckoutSession Persist(IWriteSession session, Transition<CheckoutSession> transition, Owner owner)
    {
        session.Append(owner.MerchantId, owner.Environment, transition.Events);
        return session.Save(transition.Value);
    }

    private static PaymentLedger? ReadLedger(IStoreReader reader, Owner owner, string chargePermissionId)
    {
        var permission = reader.GetChargePermission(owner.MerchantId, chargePermissionId);
        return permission is null || permission.Environment != owner.Environment
            ? null
            : new PaymentLedger(
                permission,
                reader.GetChargesOfPermission(owner.MerchantId, chargePermissionId),
                reader.GetRefundsOfPermission(owner.MerchantId, chargePermissionId));
    }

    /// <summary>Saves a time-driven change (expiry, pending outcome) only when there was one.</summary>
    private static CheckoutSession PersistChanges(IWriteSession session, Transition<CheckoutSession> transition, Owner owner) =>
        transition.Events.Count == 0 ? transition.Value : Persist(session, transition, owner);

}
