using Tillpoint.Domain;
using Tillpoint.Domain.CheckoutSessions;

namespace Tillpoint.Storage.Tests.Golden;

/// <summary>
/// What the version 3 golden documents of checkout sessions hold. Version 3 added a multi-address checkout's chosen
/// addresses and the merchant's prices for them, and Buy Now checkouts with the cart their buyer was shown: the rich
/// record is version 2's with all of them set, the minimal one is version 2's. These literals describe files that never
/// change.
/// </summary>
internal static class GoldenRecordsV3
{
    public static CheckoutSession RichCheckoutSession { get; } = GoldenRecordsV2.RichCheckoutSession with
    {
        Selection = GoldenRecordsV2.RichCheckoutSession.Selection! with
        {
            ShippingAddressList =
            [
                new AddressWithId("0", new Address("Jane Doe", "410 Terry Ave N", "Apt 4", "Rear", "Seattle", "King", "Queen Anne", "WA", "98109", "US", "+1 206-555-0101")),
                new AddressWithId("2", new Address("Jane Doe", "PO Box 1234", "Suite 5", "Floor 2", "Bellevue", "King", "East", "WA", "98009", "US", "+1 206-555-0100")),
            ],
        },
        MultiAddressesCheckoutMetadata =
        [
            new MultiAddressesCheckoutMetadata("0", new Money(10.50m, Currency.EUR)),
            new MultiAddressesCheckoutMetadata("2", new Money(4.00m, Currency.EUR)),
        ],
        BuyNow = true,
        Cart = new ShownCart(
            new Money(14.00m, Currency.EUR),
            new Money(16.10m, Currency.EUR),
            "standard",
            """{"totalChargeAmount":{"amount":"14.00","currencyCode":"EUR"},"selectedDeliveryOptionId":"standard"}"""),
    };

    public static CheckoutSession MinimalCheckoutSession => GoldenRecordsV2.MinimalCheckoutSession;
}
