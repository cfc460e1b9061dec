using Tillpoint.Domain;
using Tillpoint.Domain.CheckoutSessions;

namespace Tillpoint.Storage.Tests.Golden;

/// <summary>
/// What the version 3 golden documents of checkout sessions hold. Version 3 added Buy Now checkouts and the cart their
/// buyer was shown: the rich record is version 2's with both set. These literals describe files that never change.
/// </summary>
internal static class GoldenRecordsV3
{
    public static CheckoutSession RichCheckoutSession { get; } = GoldenRecordsV2.RichCheckoutSession with
    {
        BuyNow = true,
        Cart = new ShownCart(
            new Money(14.00m, Currency.EUR),
            new Money(16.10m, Currency.EUR),
            "standard",
            """{"totalChargeAmount":{"amount":"14.00","currencyCode":"EUR"},"selectedDeliveryOptionId":"standard"}"""),
    };

    public static CheckoutSession MinimalCheckoutSession => GoldenRecordsV1.MinimalCheckoutSession;
}
