using Tillpoint.Domain.Buyers;
using Tillpoint.Domain.ChargePermissions;
using Tillpoint.Domain.Charges;
using Tillpoint.Domain.Simulation;

namespace Tillpoint.Domain.CheckoutSessions;

/// <summary>What Complete or Finalize Checkout Session produces: the completed session, its permission and maybe a charge.</summary>
public sealed record CompletedCheckout(
    CheckoutSession Session,
    ChargePermission ChargePermission,
    Charge? Charge,
    IReadOnlyList<DomainEvent> Events)
{
    /// <summary>The authorization is still pending: the API answers 202 instead of 200.</summary>
    public bool IsPending => Charge?.State == ChargeState.AuthorizationInitiated;
}

/// <summary>Finalize Checkout Session's request (spec §4.5): the merchant restates what the buyer agreed to.</summary>
public sealed record FinalizeCheckoutSession(
    Money ChargeAmount,
    Money? TotalOrderAmount,
    PaymentIntent PaymentIntent,
    bool? CanHandlePendingAuthorization,
    string? SupplementaryData,
    Address? ShippingAddress,
    Address? BillingAddress);

/// <summary>Complete and Finalize Checkout Session: carry out the payment intent the buyer agreed to.</summary>
public static class CheckoutCompletion
{
    public static Result<CompletedCheckout> Complete(
        CheckoutSession session,
        Money chargeAmount,
        Money? totalOrderAmount,
        IIdGenerator ids,
        SimulatedOutcome? simulation,
        DateTimeOffset now,
        Limits limits)
    {
        var error = session.CheckCompletable(chargeAmount, totalOrderAmount) ?? CheckSimulation(session, simulation);
        return error is not null ? error : Carry(session, chargeAmount, ids, simulation, now, limits);
    }

    /// <summary>
    /// Finalize: the JS-only flow's Complete. The session must have been processed (the buyer's instrument accepted);
    /// the merchant repeats the amounts and the address the buyer chose, and may set the intent here.
    /// </summary>
    public static Result<CompletedCheckout> Finalize(
        CheckoutSession session, FinalizeCheckoutSession command, IIdGenerator ids, SimulatedOutcome? simulation, DateTimeOffset now, Limits limits)
    {
        var agreed = Agree(session, command);
        var error = agreed.CheckCompletable(command.ChargeAmount, command.TotalOrderAmount)
            ?? CheckFinalizeDetails(agreed, command)
            ?? CheckSimulation(agreed, simulation);
        return error is not null ? error : Carry(agreed, command.ChargeAmount, ids, simulation, now, limits);
    }

    /// <summary>
    /// The session with the payment intent the Finalize request states: processing (the instrument's outcome) must
    /// be judged against the intent the merchant finally asks for, not the one it started with.
    /// </summary>
    public static CheckoutSession Agree(CheckoutSession session, FinalizeCheckoutSession command) => session with
    {
        PaymentDetails = session.PaymentDetails with
        {
            PaymentIntent = command.PaymentIntent,
            CanHandlePendingAuthorization = command.CanHandlePendingAuthorization ?? session.PaymentDetails.CanHandlePendingAuthorization,
        },
    };

    /// <summary>A pending-authorization simulation needs what a pending instrument needs (spec §10.1).</summary>
    private static DomainError? CheckSimulation(CheckoutSession session, SimulatedOutcome? simulation) =>
        simulation?.Effect == SimulatedEffect.Pending && !session.CanAuthorizeAsynchronously
            ? new DomainError(
                ErrorCode.InvalidSandboxSimulationSpecified,
                $"The simulation code '{simulation.Code}' needs paymentIntent Authorize and canHandlePendingAuthorization true.")
            : null;

    private static DomainError? CheckFinalizeDetails(CheckoutSession session, FinalizeCheckoutSession command)
    {
        var selection = session.Selection!;
        if (session.PaymentDetails.TotalOrderAmount is not null && command.TotalOrderAmount is null)
        {
            return DomainError.Missing("totalOrderAmount");
        }

        if (session.SupplementaryData is { } data && command.SupplementaryData != data)
        {
            return command.SupplementaryData is null
                ? DomainError.Missing("supplementaryData")
                : DomainError.InvalidValue("supplementaryData", "it does not match the Checkout Session's supplementaryData.");
        }

        if (session.ProductType == ProductType.PayAndShip)
        {
            if (command.ShippingAddress is null)
            {
                return DomainError.Missing("shippingAddress");
            }

            if (!SameAddress(command.ShippingAddress, selection.ShippingAddress))
            {
                return DomainError.InvalidValue("shippingAddress", "it does not match the address the buyer chose.");
            }
        }

        if (session.ProductType == ProductType.PayOnly)
        {
            if (command.BillingAddress is null)
            {
                return DomainError.Missing("billingAddress");
            }

            if (!SameAddress(command.BillingAddress, selection.BillingAddress))
            {
                return DomainError.InvalidValue("billingAddress", "it does not match the buyer's billing address.");
            }
        }

        return null;
    }

    /// <summary>Addresses match when the fields that locate them agree, ignoring case and surrounding spaces.</summary>
    private static bool SameAddress(Address given, Address? chosen) =>
        chosen is not null
        && Same(given.Name, chosen.Name)
        && Same(given.AddressLine1, chosen.AddressLine1)
        && Same(given.AddressLine2, chosen.AddressLine2)
        && Same(given.City, chosen.City)
        && Same(given.StateOrRegion, chosen.StateOrRegion)
        && Same(given.PostalCode, chosen.PostalCode)
        && Same(given.CountryCode, chosen.CountryCode);

    private static bool Same(string? a, string? b) =>
        string.Equals(a?.Trim() ?? string.Empty, b?.Trim() ?? string.Empty, StringComparison.OrdinalIgnoreCase);

    private static CompletedCheckout Carry(
        CheckoutSession session, Money chargeAmount, IIdGenerator ids, SimulatedOutcome? simulation, DateTimeOffset now, Limits limits)
    {
        var permission = ChargePermission.CreateFrom(session, ids.NewChargePermissionId(session.Environment), now, limits);
        var events = new List<DomainEvent> { permission.CreatedEvent() };
        Charge? charge = null;
        var intent = session.PaymentDetails.PaymentIntent!.Value;
        if (intent != PaymentIntent.Confirm)
        {
            var request = new ChargeRequest(
                chargeAmount,
                CaptureNow: intent == PaymentIntent.AuthorizeWithCapture,
                session.PaymentDetails.SoftDescriptor,
                session.PaymentDetails.CanHandlePendingAuthorization);
            var outcome = simulation?.Effect == SimulatedEffect.Pending
                ? AuthorizationOutcome.Pending(simulation.ReasonCode as ChargeReasonCode?)
                : session.CanAuthorizeAsynchronously ? PendingOutcomeOf(session.Selection!.Behavior) : AuthorizationOutcome.Approved;
            var authorized = Charge.Authorize(permission, ids.NewChargeId(permission.ChargePermissionId), request, outcome, now, limits);
            charge = authorized.Value;
            events.AddRange(authorized.Events);
            if (charge.State == ChargeState.AuthorizationInitiated)
            {
                var restated = permission.WithStatus(chargeInProgress: true, null, now);
                permission = restated.Value;
                events.AddRange(restated.Events);
            }
        }

        var completed = session.MarkCompleted(permission.ChargePermissionId, charge?.ChargeId, now);
        events.AddRange(completed.Events);
        return new CompletedCheckout(completed.Value, permission, charge, events);
    }

    private static AuthorizationOutcome PendingOutcomeOf(InstrumentBehavior behavior) => behavior switch
    {
        InstrumentBehavior.PendingThenAuthorized => AuthorizationOutcome.Pending(null),
        InstrumentBehavior.PendingThenDeclined => AuthorizationOutcome.Pending(ChargeReasonCode.HardDeclined),
        InstrumentBehavior.Succeeds => AuthorizationOutcome.Approved,
        InstrumentBehavior.BuyerCancels => AuthorizationOutcome.Approved,
        InstrumentBehavior.Declines => AuthorizationOutcome.Approved,
        // Only reachable after processing accepted it, which it does for Confirm alone: no charge is made then.
        InstrumentBehavior.SoftDeclines => AuthorizationOutcome.Approved,
    };
}
