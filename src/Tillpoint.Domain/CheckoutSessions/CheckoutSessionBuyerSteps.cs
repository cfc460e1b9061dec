using Tillpoint.Domain.Buyers;

namespace Tillpoint.Domain.CheckoutSessions;

/// <summary>The buyer's steps on the hosted pages: signing in and choosing, processing, canceling.</summary>
public sealed partial record CheckoutSession
{
    /// <summary>
    /// The buyer signed in and picked an address and an instrument on the hosted page. Once a buyer has chosen, the
    /// session is theirs: only they can change the choice.
    /// </summary>
    public Result<Transition<CheckoutSession>> AssociateBuyer(BuyerSelection selection, DateTimeOffset now)
    {
        var error = RequireOpen("changed") ?? RequireNotProcessed();
        if (error is not null)
        {
            return error;
        }

        if (Selection is { } chosen && chosen.Buyer.BuyerId != selection.Buyer.BuyerId)
        {
            return new DomainError(
                ErrorCode.InvalidCheckoutSessionStatus, "Another buyer has already chosen how to pay for this checkout session; only that buyer can change it.");
        }

        if (ProductType == ProductType.PayAndShipMultiAddress)
        {
            return ChooseAddresses(selection, now);
        }

        if (ProductType != ProductType.PayOnly && AddressDetails is null && selection.ShippingAddress is null)
        {
            return DomainError.Missing("shippingAddress");
        }

        // Only the buyer's choice is checked: an address the merchant supplied itself (APB) is the merchant's call.
        var shipping = ProductType == ProductType.PayOnly ? null : AddressDetails ?? selection.ShippingAddress;
        if (AddressDetails is null && shipping is not null && DeliverySpecifications?.Permits(shipping) == false)
        {
            return DomainError.InvalidValue("shippingAddress", "the merchant does not ship to this address.");
        }

        // A new choice replaces a soft-declined one: processing will judge the new instrument.
        var updated = WithCartFor(shipping) with
        {
            Selection = selection with { ShippingAddress = shipping, ShippingAddressList = null },
            SoftDeclinedInstrumentId = null,
            LastUpdatedTimestamp = now,
        };
        return new Transition<CheckoutSession>(updated, []);
    }

    /// <summary>
    /// A PayAndShipMultiAddress buyer's choice: a list of addresses instead of one. The merchant's split of the order
    /// stays only while the buyer keeps the same addresses; a different list must be priced again.
    /// </summary>
    private Result<Transition<CheckoutSession>> ChooseAddresses(BuyerSelection selection, DateTimeOffset now)
    {
        var error = MultiAddressRules.ValidateChoice(selection.ShippingAddressList, DeliverySpecifications);
        if (error is not null)
        {
            return error;
        }

        var sameAddresses = Selection?.ShippingAddressList?.Select(a => a.AddressId)
            .SequenceEqual(selection.ShippingAddressList!.Select(a => a.AddressId), StringComparer.Ordinal) == true;
        var updated = this with
        {
            Selection = selection with { ShippingAddress = null },
            MultiAddressesCheckoutMetadata = sameAddresses ? MultiAddressesCheckoutMetadata : null,
            SoftDeclinedInstrumentId = null,
            LastUpdatedTimestamp = now,
        };
        return new Transition<CheckoutSession>(updated, []);
    }

    /// <summary>
    /// After processing soft-declined the buyer's instrument, the buyer picks another one; processing then runs again.
    /// Address and buyer stay as chosen.
    /// </summary>
    public Result<Transition<CheckoutSession>> ChooseAnotherInstrument(
        string instrumentId, string paymentDescriptor, InstrumentBehavior behavior, DateTimeOffset now)
    {
        var error = RequireOpen("changed") ?? RequireNotProcessed();
        if (error is not null)
        {
            return error;
        }

        if (SoftDeclinedInstrumentId is null || Selection is null)
        {
            return new DomainError(
                ErrorCode.InvalidCheckoutSessionStatus, "No payment method of this Checkout Session was declined, so there is none to replace.");
        }

        if (instrumentId == SoftDeclinedInstrumentId)
        {
            return DomainError.InvalidValue("paymentInstrumentId", "this payment method was just declined; choose another one.");
        }

        var updated = this with
        {
            Selection = Selection with { InstrumentId = instrumentId, PaymentDescriptor = paymentDescriptor, Behavior = behavior },
            SoftDeclinedInstrumentId = null,
            LastUpdatedTimestamp = now,
        };
        return new Transition<CheckoutSession>(updated, []);
    }

    /// <summary>
    /// The buyer reached <c>amazonPayRedirectUrl</c>: the chosen instrument decides whether checkout can go on. The
    /// authorization itself happens at Complete, as with Amazon Pay.
    /// </summary>
    public Result<Transition<CheckoutSession>> Process(DateTimeOffset now)
    {
        // Both repeat harmlessly: a reload of the processing page must not change anything.
        if (State == CheckoutSessionState.Open && (Processed || SoftDeclinedInstrumentId is not null))
        {
            return new Transition<CheckoutSession>(this, []);
        }

        var error = RequireOpen("processed");
        if (error is not null)
        {
            return error;
        }

        if (!IsReadyForProcessing || Selection is null)
        {
            return new DomainError(
                ErrorCode.InvalidCheckoutSessionStatus,
                $"The Checkout Session cannot be processed while constraints remain: {string.Join(", ", Constraints)}.");
        }

        if (SimulatedCancellation is { } reason)
        {
            return Cancel(reason, now);
        }

        return ProcessingOutcomeOf(Selection.Behavior) switch
        {
            ProcessingOutcome.Proceed => new Transition<CheckoutSession>(this with { Processed = true }, []),
            ProcessingOutcome.BuyerCanceled => Cancel(CheckoutSessionReasonCode.BuyerCanceled, now),
            ProcessingOutcome.Declined => Cancel(CheckoutSessionReasonCode.Declined, now),
            // Not a state change: the session stays Open and waits for the buyer's next choice.
            ProcessingOutcome.SoftDeclined => new Transition<CheckoutSession>(
                this with { SoftDeclinedInstrumentId = Selection.InstrumentId, LastUpdatedTimestamp = now }, []),
        };
    }

    /// <summary>The buyer left the hosted page through its cancel button.</summary>
    public Result<Transition<CheckoutSession>> CancelByBuyer(DateTimeOffset now)
    {
        var error = RequireOpen("canceled");
        return error is not null
            ? error
            : Cancel(CheckoutSessionReasonCode.BuyerCanceled, now);
    }

    private ProcessingOutcome ProcessingOutcomeOf(InstrumentBehavior behavior)
    {
        // Confirm only sets up the permission, so nothing can be declined at checkout.
        var authorizes = PaymentDetails.PaymentIntent != PaymentIntent.Confirm;
        return behavior switch
        {
            InstrumentBehavior.Succeeds => ProcessingOutcome.Proceed,
            InstrumentBehavior.BuyerCancels => ProcessingOutcome.BuyerCanceled,
            InstrumentBehavior.Declines => authorizes ? ProcessingOutcome.Declined : ProcessingOutcome.Proceed,
            InstrumentBehavior.PendingThenAuthorized => ProcessingOutcome.Proceed,
            // Without canHandlePendingAuthorization the pending decline happens synchronously, during processing.
            InstrumentBehavior.PendingThenDeclined => authorizes && !CanAuthorizeAsynchronously
                ? ProcessingOutcome.Declined
                : ProcessingOutcome.Proceed,
            InstrumentBehavior.SoftDeclines => authorizes ? ProcessingOutcome.SoftDeclined : ProcessingOutcome.Proceed,
        };
    }

    private enum ProcessingOutcome
    {
        Proceed,
        BuyerCanceled,
        Declined,
        SoftDeclined,
    }
}
