using Tillpoint.Client;
using Tillpoint.Protocol.Json;
using Tillpoint.Shop.Catalog;
using Tillpoint.Shop.Orders;

namespace Tillpoint.Shop.Payments;

/// <summary>What finalizing a Buy Now checkout gave: the order, or Amazon Pay's reason for refusing.</summary>
public readonly record struct BuyNowOutcome(Order? Order, string? ReasonCode);

public sealed partial class OrderPayments
{
    /// <summary>
    /// Buy Now's step 5: reads the session for the buyer and the address they chose, places the order priced for that
    /// address, and finalizes with its total and the address; the charge is then kept and captured as after Complete.
    /// </summary>
    public async Task<BuyNowOutcome> FinalizeBuyNowAsync(string checkoutSessionId, Cart cart, Func<string?, decimal> shippingCost, CancellationToken ct)
    {
        var session = await GetCheckoutSessionAsync(checkoutSessionId, ct);
        if (session is null)
        {
            return new BuyNowOutcome(null, "ResourceNotFound");
        }

        if (orders.FindByCheckoutSession(checkoutSessionId) is { State: not OrderState.AwaitingPayment } placed)
        {
            return new BuyNowOutcome(placed, null);
        }

        var address = session.ShippingAddress;
        var order = orders.Place(Order.Draft(checkoutSessionId, cart, shippingCost(address?.CountryCode), options.Currency, Buyer(session), clock.GetUtcNow()));
        try
        {
            await amazonPay.FinalizeCheckoutSessionAsync(
                checkoutSessionId,
                new FinalizeCheckoutSessionRequest
                {
                    ChargeAmount = Price(order.Total),
                    TotalOrderAmount = Price(order.Total),
                    PaymentIntent = "Authorize",
                    CanHandlePendingAuthorization = true,
                    ShippingAddress = address,
                },
                null,
                ct);
        }
        catch (AmazonPayException e) when (e.StatusCode is >= 400 and < 500)
        {
            logger.LogInformation("Finalize of {CheckoutSessionId} answered {ReasonCode}", checkoutSessionId, e.ReasonCode);
            return new BuyNowOutcome(null, e.ReasonCode);
        }

        return new BuyNowOutcome(await RecordCheckoutAsync(order, ct), null);
    }
}
