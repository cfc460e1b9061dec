namespace Tillpoint.Domain.CheckoutSessions;

/// <summary>
/// The cart a Buy Now buyer was shown, as the merchant's page returned it: the amounts Finalize is held to, the
/// delivery option the buyer picked, and the whole cart as Tillpoint's <c>cartDetails</c> JSON, which the domain keeps
/// as it was given and never reads.
/// </summary>
public sealed record ShownCart(Money ChargeAmount, Money? TotalOrderAmount, string? DeliveryOptionId, string Details);

/// <summary>The Buy Now steps: the cart the merchant's page returns is shown to the buyer and recorded.</summary>
public sealed partial record CheckoutSession
{
    /// <summary>
    /// The buyer was shown <paramref name="cart"/>: its amounts become the session's, so Finalize is held to what the
    /// buyer saw. Only a Buy Now session with a buyer has a cart, and only until payment is processed.
    /// </summary>
    public Result<Transition<CheckoutSession>> ShowCart(ShownCart cart, DateTimeOffset now, Limits limits)
    {
        var error = RequireOpen("changed") ?? RequireNotProcessed();
        if (error is not null)
        {
            return error;
        }

        if (!BuyNow)
        {
            return new DomainError(ErrorCode.InvalidCheckoutSessionStatus, "Only a Buy Now checkout shows the buyer a cart.");
        }

        if (Selection is null)
        {
            return new DomainError(ErrorCode.InvalidCheckoutSessionStatus, "The buyer has not signed in yet, so there is no cart to show.");
        }

        var payment = PaymentDetails with { ChargeAmount = cart.ChargeAmount, TotalOrderAmount = cart.TotalOrderAmount };
        var invalid = PaymentDetailsRules.Validate(payment, limits, "cart");
        if (invalid is not null)
        {
            return invalid;
        }

        // Not a state change: the session stays Open, now ready for Finalize.
        return new Transition<CheckoutSession>(this with { Cart = cart, PaymentDetails = payment, LastUpdatedTimestamp = now }, []);
    }

    /// <summary>
    /// A Buy Now cart was priced for one address: when the buyer picks another, the cart and its amounts are dropped
    /// until the merchant's page prices the new one, so Finalize cannot pass on a cart the buyer saw for the old address.
    /// </summary>
    private CheckoutSession WithCartFor(Address? shipping) =>
        BuyNow && Cart is not null && !Equals(Selection?.ShippingAddress, shipping)
            ? this with { Cart = null, PaymentDetails = PaymentDetails with { ChargeAmount = null, TotalOrderAmount = null } }
            : this;
}
