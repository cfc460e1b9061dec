using Tillpoint.Domain.ChargePermissions;
using Tillpoint.Domain.Charges;
using Tillpoint.Domain.CheckoutSessions;
using Tillpoint.Domain.DeliveryTrackers;
using Tillpoint.Domain.Refunds;
using Tillpoint.Domain.Simulation;

namespace Tillpoint.Server.Commands;

/// <summary>
/// The commands on a payment ledger (a charge permission with its charges and refunds): load the ledger, apply what
/// fell due, call the domain, save what it says changed, answer with the object the operation is about. The API, the
/// dashboard and the sweeper all change ledgers through here.
/// </summary>
internal static class LedgerCommands
{
    private const string ChargePermission = "Charge Permission";
    private const string Charge = "Charge";

    public static Result<PaymentLedger> UpdateChargePermission(
        IWriteSession session, in CommandContext context, string id, MerchantMetadata? metadata, RecurringMetadata? recurringMetadata)
    {
        var loaded = PaymentObjects.LoadLedger(session, context.Owner, id, context.Now);
        return loaded is null
            ? DomainError.NotFound(ChargePermission, id)
            : Apply(session, context.Owner, loaded, loaded.Current.Value.Update(metadata, recurringMetadata, context.Now, context.Limits));
    }

    public static Result<PaymentLedger> CloseChargePermission(
        IWriteSession session, in CommandContext context, string id, string? closureReason, bool cancelPendingCharges)
    {
        var loaded = PaymentObjects.LoadLedger(session, context.Owner, id, context.Now);
        return loaded is null
            ? DomainError.NotFound(ChargePermission, id)
            : Apply(session, context.Owner, loaded, loaded.Current.Value.Close(closureReason, cancelPendingCharges, context.Simulation, context.Now));
    }

    /// <summary>Create Charge. A synchronous decline is refused with its reason, though the Declined charge is saved (spec §4.9).</summary>
    public static Result<Charge> CreateCharge(IWriteSession session, in CommandContext context, string chargePermissionId, ChargeRequest request)
    {
        var loaded = PaymentObjects.LoadLedger(session, context.Owner, chargePermissionId, context.Now);
        if (loaded is null)
        {
            return DomainError.NotFound(ChargePermission, chargePermissionId);
        }

        var ledger = loaded.Current.Value;
        var created = ledger.CreateCharge(ledger.NewChargeId(context.Ids), request, context.Simulation, context.Now, context.Limits);
        if (!created.IsSuccess)
        {
            return Refuse(session, context.Owner, loaded, created.Error);
        }

        PaymentObjects.Persist(session, loaded.Current.Then(created.Value.Ledger), context.Owner);
        return created.Value.Decline is { } decline ? decline : created.Value.Charge;
    }

    public static Result<Charge> Capture(
        IWriteSession session, in CommandContext context, string chargeId, Money amount, string? softDescriptor)
    {
        var loaded = PaymentObjects.LoadLedgerOfCharge(session, context.Owner, chargeId, context.Now);
        if (loaded is null)
        {
            return DomainError.NotFound(Charge, chargeId);
        }

        var captured = loaded.Current.Value.Capture(chargeId, amount, softDescriptor, context.Simulation, context.Now, context.Limits);
        if (captured.IsSuccess && context.Simulation is { Effect: SimulatedEffect.Dispute } dispute)
        {
            captured = DisputeCommands.AfterCapture(captured.Value, chargeId, dispute, context);
        }

        return ChargeOf(Apply(session, context.Owner, loaded, captured), chargeId);
    }

    public static Result<Charge> CancelCharge(IWriteSession session, in CommandContext context, string chargeId)
    {
        var loaded = PaymentObjects.LoadLedgerOfCharge(session, context.Owner, chargeId, context.Now);
        if (loaded is null)
        {
            return DomainError.NotFound(Charge, chargeId);
        }

        var canceled = loaded.Current.Value.CancelCharge(chargeId, context.Simulation, context.Now);
        return ChargeOf(Apply(session, context.Owner, loaded, canceled), chargeId);
    }

    public static Result<Charge> UpdateCharge(IWriteSession session, in CommandContext context, string chargeId, ChargeStatusUpdate update)
    {
        var loaded = PaymentObjects.LoadLedgerOfCharge(session, context.Owner, chargeId, context.Now);
        if (loaded is null)
        {
            return DomainError.NotFound(Charge, chargeId);
        }

        var updated = loaded.Current.Value.UpdateCharge(chargeId, update, context.Now);
        return ChargeOf(Apply(session, context.Owner, loaded, updated), chargeId);
    }

    public static Result<Refund> CreateRefund(
        IWriteSession session, in CommandContext context, string chargeId, Money amount, string? softDescriptor)
    {
        var loaded = PaymentObjects.LoadLedgerOfCharge(session, context.Owner, chargeId, context.Now);
        if (loaded is null)
        {
            return DomainError.NotFound(Charge, chargeId);
        }

        var ledger = loaded.Current.Value;
        var created = ledger.CreateRefund(
            chargeId, ledger.NewRefundId(context.Ids), amount, softDescriptor, context.Simulation, context.Now, context.Limits);
        if (!created.IsSuccess)
        {
            return Refuse(session, context.Owner, loaded, created.Error);
        }

        PaymentObjects.Persist(session, loaded.Current.Then(created.Value.Ledger), context.Owner);
        return created.Value.Refund;
    }

    /// <summary>
    /// Records shipments against a charge permission: each carrier and tracking number once per merchant, noted in the
    /// permission's events. A shipment sent before refuses the whole request, and none of its shipments is recorded.
    /// </summary>
    public static Result<PaymentLedger> AddDeliveryTrackers(
        IWriteSession session, in CommandContext context, string chargePermissionId, IReadOnlyList<DeliveryDetail> details)
    {
        var owner = context.Owner;
        var loaded = PaymentObjects.LoadLedger(session, owner, chargePermissionId, context.Now);
        if (loaded is null)
        {
            return DomainError.NotFound(ChargePermission, chargePermissionId);
        }

        var now = context.Now;
        var submittedBefore = session.AddDeliveryTrackers([.. details.Select(detail => new DeliveryTrackerRecord(
            owner.MerchantId, owner.Environment, chargePermissionId, detail.CarrierCode, detail.TrackingNumber, now))]);
        if (submittedBefore is not null)
        {
            return Refuse(session, owner, loaded, DomainError.InvalidValue(
                "deliveryDetails.trackingNumber", $"{submittedBefore.CarrierCode} {submittedBefore.TrackingNumber} has already been submitted."));
        }

        PaymentObjects.Persist(session, loaded.Current, owner);
        // Notes change no object, so only the events are written.
        var permission = loaded.Current.Value.ChargePermission;
        session.Append(owner.MerchantId, owner.Environment, [.. details.Select(d => permission.Note($"DeliveryTracker {d.CarrierCode} {d.TrackingNumber}", now))]);
        return loaded.Current.Value;
    }

    /// <summary>
    /// Applies a command's outcome after the ledger's time-driven changes; both are saved together. A refused command
    /// saves the time-driven changes only, so what a later read shows never depends on whether a refused write came first.
    /// </summary>
    public static Result<PaymentLedger> Apply(IWriteSession session, Owner owner, LoadedLedger loaded, Result<Transition<PaymentLedger>> command)
    {
        if (!command.IsSuccess)
        {
            return Refuse(session, owner, loaded, command.Error);
        }

        var combined = loaded.Current.Then(command.Value);
        PaymentObjects.Persist(session, combined, owner);
        return combined.Value;
    }

    private static DomainError Refuse(IWriteSession session, Owner owner, LoadedLedger loaded, DomainError error)
    {
        PaymentObjects.Persist(session, loaded.Current, owner);
        return error;
    }

    private static Result<Charge> ChargeOf(Result<PaymentLedger> ledger, string chargeId) =>
        ledger.IsSuccess ? ledger.Value.FindCharge(chargeId) ?? throw new InvalidOperationException("A ledger keeps its charges.") : ledger.Error;
}
