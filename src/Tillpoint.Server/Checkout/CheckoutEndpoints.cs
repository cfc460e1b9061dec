using Microsoft.Extensions.Localization;

// The resources are found under the code's root namespace; the assembly's name (tillpoint) is not it.
[assembly: RootNamespace("Tillpoint.Server")]

namespace Tillpoint.Server.Checkout;

/// <summary>What a buyer's browser sees: the button script, the hosted checkout and sign-in pages, and their icon.</summary>
internal static class CheckoutEndpoints
{
    /// <summary>The hosted pages' texts in their languages (<c>Resources/Checkout/</c>), looked up when a page renders.</summary>
    public static IServiceCollection AddHostedPages(this IServiceCollection services) =>
        services.AddLocalization(localization => localization.ResourcesPath = "Resources");

    public static void MapCheckout(this WebApplication app)
    {
        app.MapCheckoutButton();
        app.MapFavicon();
        app.MapHostedCheckout();
        app.MapBuyerAgreement();
        app.MapHostedSignIn();
        app.MapBuyNow();
    }
}
