namespace Tillpoint.Server.Checkout;

/// <summary>What a buyer's browser sees: the button script, the hosted checkout and sign-in pages, and their icon.</summary>
internal static class CheckoutEndpoints
{
    public static void MapCheckout(this WebApplication app)
    {
        app.MapCheckoutButton();
        app.MapFavicon();
        app.MapHostedCheckout();
        app.MapBuyerAgreement();
        app.MapHostedSignIn();
    }
}
