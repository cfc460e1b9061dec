using System.Text.Json;
using Tillpoint.Client;
using Tillpoint.Protocol.Json;
using Tillpoint.Protocol.Signing;
using Tillpoint.Shop.Catalog;
using Tillpoint.Shop.Configuration;
using Tillpoint.Shop.Web;

namespace Tillpoint.Shop.Checkout;

/// <summary>
/// What the Amazon Pay button needs (step 2 of the guide): the Create Checkout Session body as an exact JSON string,
/// its signature, and who signed it. The button hands all of it to Tillpoint, which checks the signature and creates
/// the checkout session itself, so the shop never creates one.
/// </summary>
public sealed record CheckoutButton(string MerchantId, string PublicKeyId, string PayloadJson, string Signature, string Algorithm, bool Sandbox)
{
    /// <summary>The buyer data the shop asks for: enough to ship and to email a receipt.</summary>
    public static readonly IReadOnlyList<string> Scopes = ["name", "email", "phoneNumber", "billingAddress", "shippingAddress"];

    /// <summary>Builds and signs the payload for a shop reached at <paramref name="shopBase"/> (ending in a slash).</summary>
    public static CheckoutButton Create(AmazonPayClient amazonPay, ShopOptions options, Uri shopBase)
    {
        var payload = new CreateCheckoutSessionRequest
        {
            WebCheckoutDetails = new WebCheckoutDetailsDto
            {
                CheckoutReviewReturnUrl = new Uri(shopBase, "checkout/review").AbsoluteUri,
                // A buyer who cancels on Amazon Pay's page comes back to the cart, which is still there.
                CheckoutCancelUrl = new Uri(shopBase, "cart?checkout=canceled").AbsoluteUri,
            },
            StoreId = options.StoreId,
            Scopes = [.. Scopes],
            // Parcels go by UPS, which does not deliver to PO boxes; Amazon Pay's page then offers only other addresses.
            DeliverySpecifications = new DeliverySpecificationsDto { SpecialRestrictions = ["RestrictPOBoxes"] },
        };

        return Sign(amazonPay, options, payload);
    }

    /// <summary>Signs a Create Checkout Session body for the button (the cart's, or the subscription page's).</summary>
    public static CheckoutButton Sign(AmazonPayClient amazonPay, ShopOptions options, CreateCheckoutSessionRequest payload)
    {
        // Signed as this exact string: the page must give the button these very characters.
        var payloadJson = JsonSerializer.Serialize(payload, ApiRequestJsonContext.Default.CreateCheckoutSessionRequest);
        return new CheckoutButton(
            options.MerchantId,
            options.PublicKeyId,
            payloadJson,
            amazonPay.GenerateButtonSignature(payloadJson),
            SignatureAlgorithms.RsassaPssV2Name,
            options.Sandbox);
    }

    /// <summary>
    /// The button's place on a page (<c>#AmazonPayButton</c>, whose <c>data-*</c> attributes shop.js hands to checkout.js)
    /// and the plain link that stands in for it without script (<c>#AmazonPayLink</c>, labelled <paramref name="linkText"/>).
    /// </summary>
    public Html Section(ShopOptions options, string label, string productType, string placement, decimal estimatedAmount, string linkText) => Html.Of($"""
        <section class="pay" aria-label="{label}">
          <div id="AmazonPayButton"
               data-merchant-id="{MerchantId}"
               data-public-key-id="{PublicKeyId}"
               data-ledger-currency="{options.Currency}"
               data-checkout-language="en_US"
               data-product-type="{productType}"
               data-placement="{placement}"
               data-button-color="Gold"
               data-sandbox="{(Sandbox ? "true" : "false")}"
               data-estimated-amount="{Money.ApiAmount(estimatedAmount)}"
               data-payload-json="{PayloadJson}"
               data-signature="{Signature}"
               data-algorithm="{Algorithm}"></div>
          <p id="AmazonPayFallback"><a id="AmazonPayLink" class="button amazon" href="{StartLink(options.TillpointPublicUrl).AbsoluteUri}">{linkText}</a></p>
        </section>
        """);

    /// <summary>
    /// The same signed payload as a plain link to Tillpoint's <c>/checkout/start</c>, for browsers where checkout.js
    /// did not load: the button would send the buyer to the same place.
    /// </summary>
    public Uri StartLink(Uri tillpointPublicUrl)
    {
        var query = string.Join('&', new[]
        {
            ("payload", PayloadJson),
            ("signature", Signature),
            ("publicKeyId", PublicKeyId),
            ("algorithm", Algorithm),
            ("sandbox", Sandbox ? "true" : "false"),
        }.Select(p => $"{p.Item1}={Uri.EscapeDataString(p.Item2)}"));
        return new Uri(tillpointPublicUrl, "checkout/start?" + query);
    }
}
