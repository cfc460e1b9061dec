using Tillpoint.Domain.ChargePermissions;
using Tillpoint.Domain.Charges;
using Tillpoint.Domain.CheckoutSessions;
using Tillpoint.Domain.Refunds;

namespace Tillpoint.Server.Commands;

/// <summary>Whose objects a request (or the sweeper) works on: one merchant in one environment.</summary>
internal readonly record struct Owner(string MerchantId, ReleaseEnvironment Environment);

/// <summary>A ledger as it stands now: what fell due is applied, with its events, and not yet saved.</summary>
internal sealed record LoadedLedger(Transition<PaymentLedger> Current);

/// <summary>
/// Loads payment objects for an owner: objects of another merchant or of the other environment do not exist for it.
/// Reads apply time-driven changes (expiry, pending outcomes) to what they show; writes persist them first. What is
/// saved is what the domain's events name, never a guess from comparing objects.
/// </summary>
internal static class PaymentObjects
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
        if (stored is null || stored.Environment != owner.Environment)
        {
            return null;
        }

        // A time-driven change (expiry) is saved only when there was one.
        var current = stored.AsOf(now);
        return current.Events.Count == 0 ? current.Value : Persist(session, current, owner);
    }

    /// <summary>The ledger of a permission, for a command to act on; null when the owner has no such permission.</summary>
    public static LoadedLedger? LoadLedger(IWriteSession session, Owner owner, string chargePermissionId, DateTimeOffset now) =>
        ReadLedger(session, owner, chargePermissionId) is { } stored ? new LoadedLedger(stored.AsOf(now)) : null;

    /// <summary>The ledger a charge belongs to.</summary>
    public static LoadedLedger? LoadLedgerOfCharge(IWriteSession session, Owner owner, string chargeId, DateTimeOffset now) =>
        session.GetCharge(owner.MerchantId, chargeId) is { } charge && charge.Environment == owner.Environment
            ? LoadLedger(session, owner, charge.ChargePermissionId, now)
            : null;

    /// <summary>Saves the events and every object of the ledger that they say changed or was created.</summary>
    public static void Persist(IWriteSession session, Transition<PaymentLedger> transition, Owner owner)
    {
        if (transition.Events.Count == 0)
        {
            return;
        }

        var ledger = transition.Value;
        session.Append(owner.MerchantId, owner.Environment, transition.Events);
        if (Changed(transition, ObjectType.ChargePermission, ledger.ChargePermission.ChargePermissionId))
        {
            session.Save(ledger.ChargePermission);
        }

        // Indexed loops: enumerating the lists through their interface would allocate on every command.
        for (var i = 0; i < ledger.Charges.Count; i++)
        {
            if (Changed(transition, ObjectType.Charge, ledger.Charges[i].ChargeId))
            {
                session.Save(ledger.Charges[i]);
            }
        }

        for (var i = 0; i < ledger.Refunds.Count; i++)
        {
            if (Changed(transition, ObjectType.Refund, ledger.Refunds[i].RefundId))
            {
                session.Save(ledger.Refunds[i]);
            }
        }

        for (var i = 0; i < ledger.Disputes.Count; i++)
        {
            if (Changed(transition, ObjectType.Dispute, ledger.Disputes[i].DisputeId))
            {
                session.Save(ledger.Disputes[i]);
            }
        }
    }

    /// <summary>Saves the new version and its events.</summary>
    public static CheckoutSession Persist(IWriteSession session, Transition<CheckoutSession> transition, Owner owner)
    {
        session.Append(owner.MerchantId, owner.Environment, transition.Events);
        return session.Save(transition.Value);
    }

    /// <summary>
    /// Whether the transition changed (or created) the object: an event names it, or, for a charge, one of its refunds
    /// reached Refunded, which adds to the charge's refunded amount without an event of the charge's own.
    /// </summary>
    public static bool Changed(Transition<PaymentLedger> transition, ObjectType type, string id)
    {
        var events = transition.Events;
        for (var i = 0; i < events.Count; i++)
        {
            var change = events[i];
            if (change.ObjectType == type && change.ObjectId == id)
            {
                return true;
            }

            if (type == ObjectType.Charge && change is { ObjectType: ObjectType.Refund, ToState: nameof(RefundState.Refunded) }
                && transition.Value.FindRefund(change.ObjectId)?.ChargeId == id)
            {
                return true;
            }
        }

        return false;
    }

    private static PaymentLedger? ReadLedger(IStoreReader reader, Owner owner, string chargePermissionId)
    {
        var permission = reader.GetChargePermission(owner.MerchantId, chargePermissionId);
        return permission is null || permission.Environment != owner.Environment
            ? null
            : new PaymentLedger(
                permission,
                reader.GetChargesOfPermission(owner.MerchantId, chargePermissionId),
                reader.GetRefundsOfPermission(owner.MerchantId, chargePermissionId))
            {
                Disputes = reader.GetDisputesOfPermission(owner.MerchantId, chargePermissionId),
            };
    }
}
