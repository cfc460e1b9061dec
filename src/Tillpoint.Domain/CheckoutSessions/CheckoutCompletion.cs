using Tillpoint.Domain.Buyers;
using Tillpoint.Domain.ChargePermissions;
using Tillpoint.Domain.Charges;

namespace Tillpoint.Domain.CheckoutSessions;

/// <summary>What Complete Checkout Session produces: the completed session, its permission and maybe a charge.</summary>
public sealed record CompletedCheckout(
    CheckoutSession Session,
    ChargePermission ChargePermission,
    Charge? Charge,
    IReadOnlyList<DomainEvent> Events)
{
    /// <summary>The authorization is still pending: the API answers 202 instead of 200.</summary>
    public bool IsPending => Charge?.State == ChargeState.AuthorizationInitiated;
}

/// <summary>Complete Checkout Session: finalizes the payment intent the buyer agreed to during processing.</summary>
public static class CheckoutCompletion
{
    public static Result<CompletedCheckout> Complete(
        CheckoutSession session, Money chargeAmount, Money? totalOrderAmount, IIdGenerator ids, DateTimeOffset now, Limits limits)
    {
        var error = session.CheckCompletable(chargeAmount, totalOrderAmount);
        if (error is not null)
        {
            return error;
        }

        var permission = ChargePermission.CreateFrom(session, ids.NewChargePermissionId(session.Environment), now, limits);
        var events = new List<DomainEvent> { permission.CreatedEvent() };
        Charge? charge = null;
        var intent = session.PaymentDetails.PaymentIntent!.Value;
        if (intent != PaymentIntent.Confirm)
        {
            var pending = session.CanAuthorizeAsynchronously ? PendingOutcomeOf(session.Selection!.Behavior) : null;
            var authorized = Charge.Authorize(
                permission,
                ids.NewChargeId(permission.ChargePermissionId),
                chargeAmount,
                captureNow: intent == PaymentIntent.AuthorizeWithCapture,
                session.PaymentDetails.SoftDescriptor,
                pending,
                now,
                limits);
            charge = authorized.Value;
            events.AddRange(authorized.Events);
        }

        var completed = session.MarkCompleted(permission.ChargePermissionId, charge?.ChargeId, now);
        events.AddRange(completed.Events);
        return new CompletedCheckout(completed.Value, permission, charge, events);
    }

    private static PendingOutcome? PendingOutcomeOf(InstrumentBehavior behavior) => behavior switch
    {
        InstrumentBehavior.PendingThenAuthorized => PendingOutcome.Authorize,
        InstrumentBehavior.PendingThenDeclined => PendingOutcome.Decline,
        InstrumentBehavior.Succeeds => null,
        InstrumentBehavior.BuyerCancels => null,
        InstrumentBehavior.Declines => null,
    };
}
