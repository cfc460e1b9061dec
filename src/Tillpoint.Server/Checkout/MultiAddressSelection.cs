using Tillpoint.Domain.Buyers;
using Tillpoint.Domain.CheckoutSessions;
using static Tillpoint.Server.Commands.BuyerCheckout;

namespace Tillpoint.Server.Checkout;

/// <summary>
/// The hosted chooser's part for a PayAndShipMultiAddress checkout: the buyer's addresses as checkboxes
/// <c>shippingAddressIds</c> = position, read back by <see cref="FirstChoice"/>. Those deliverySpecifications rule out are
/// disabled (the domain refuses them too).
/// </summary>
internal static class MultiAddressSelection
{
    /// <summary>The checkboxes of a multi-address checkout, or null for any other, which chooses one address.</summary>
    public static ChoiceGroup? Choices(CheckoutSession session, SandboxBuyer buyer)
    {
        if (session.ProductType != ProductType.PayAndShipMultiAddress)
        {
            return null;
        }

        // The addresses chosen already stay checked; a first visit checks the first one the merchant ships to.
        var chosen = session.Selection?.Buyer.BuyerId == buyer.BuyerId ? session.Selection.ShippingAddressList : null;
        var first = DefaultAddressIndex(session, buyer);
        return ChoiceGroup.SeveralAddresses([.. buyer.Addresses.Select((address, i) =>
        {
            var id = i.ToString(CultureInfo.InvariantCulture);
            var allowed = session.DeliverySpecifications?.Permits(address) ?? true;
            var check = allowed && (chosen?.Any(a => a.AddressId == id) ?? i == first);
            return new Choice($"address-{id}", id, HostedCheckoutPages.Describe(address), allowed ? null : PageText.Of("NotShippedHere"), check, !allowed);
        })]);
    }
}
