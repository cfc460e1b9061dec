using System.Text.Encodings.Web;
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
    private static readonly HtmlEncoder Html = HtmlEncoder.Default;

    /// <summary>The checkboxes of a multi-address checkout, or null for any other, which chooses one address.</summary>
    public static string? Choices(CheckoutSession session, SandboxBuyer buyer)
    {
        if (session.ProductType != ProductType.PayAndShipMultiAddress)
        {
            return null;
        }

        // The addresses chosen already stay checked; a first visit checks the first one the merchant ships to.
        var chosen = session.Selection?.Buyer.BuyerId == buyer.BuyerId ? session.Selection.ShippingAddressList : null;
        var first = DefaultAddressIndex(session, buyer);
        var html = new StringBuilder("<fieldset id=\"ship-to-several\"><legend>Ship to (choose one or more)</legend>");
        for (var i = 0; i < buyer.Addresses.Count; i++)
        {
            var id = i.ToString(CultureInfo.InvariantCulture);
            var allowed = session.DeliverySpecifications?.Permits(buyer.Addresses[i]) ?? true;
            var check = allowed && (chosen?.Any(a => a.AddressId == id) ?? i == first);
            html.Append(CultureInfo.InvariantCulture, $"<div class=\"choice\"><input type=\"checkbox\" id=\"address-{i}\" name=\"shippingAddressIds\" value=\"{i}\"")
                .Append(check ? " checked" : string.Empty)
                .Append(allowed ? string.Empty : " disabled")
                .Append(CultureInfo.InvariantCulture, $"><label for=\"address-{i}\">{Html.Encode(HostedCheckoutPages.Describe(buyer.Addresses[i]))}")
                .Append(allowed ? string.Empty : " <span class=\"hint\">The shop does not ship here.</span>")
                .Append("</label></div>");
        }

        return html.Append("</fieldset>").ToString();
    }
}
