using Tillpoint.Domain.CheckoutSessions;
using Tillpoint.Domain.Regions;

namespace Tillpoint.Server.Checkout;

/// <summary>
/// Which language a hosted page speaks: the button's <c>checkoutLanguage</c> when it gave one, else the main language of
/// the merchant's region (spec §7.5). A checkout remembers its button's language in a cookie of the buyer's browser,
/// set where the button lands (<c>/checkout/start</c>): Amazon's wire has no field for it on the session, and the
/// buyer's browser is the one that sees the pages.
/// </summary>
internal static class PageLanguages
{
    public const string ButtonParameter = "checkoutLanguage";

    /// <summary>"{checkoutSessionId} {checkoutLanguage}" of the checkout the browser last started.</summary>
    private const string CheckoutCookie = "tillpoint_checkout_language";

    /// <summary>
    /// The language a button asks for (<c>checkoutLanguage</c>), or its merchant's region's when it names none. One the
    /// region does not offer its buyers is refused, as Amazon's button refuses to render with it, so that a merchant
    /// finds the mistake in the sandbox rather than in production.
    /// </summary>
    public static Result<HostedLanguage> FromButton(IQueryCollection query, ITillpointStore store, string merchantId)
    {
        var region = RegionOf(store, merchantId);
        var asked = query[ButtonParameter];
        if (asked.Count > 1)
        {
            return DomainError.InvalidValue(ButtonParameter, "it is given more than once.");
        }

        if (string.IsNullOrEmpty(asked))
        {
            return HostedLanguage.Default(region);
        }

        var offered = HostedLanguage.All.Where(language => language.IsOffered(region)).Select(language => language.Code);
        return HostedLanguage.Find(asked) is { } language && language.IsOffered(region)
            ? language
            : DomainError.InvalidValue(ButtonParameter, $"'{asked}' is not a language of {region} checkouts ({string.Join(", ", offered)}).");
    }

    /// <summary>The main language of a merchant's region.</summary>
    public static HostedLanguage OfMerchant(ITillpointStore store, string merchantId) => HostedLanguage.Default(RegionOf(store, merchantId));

    /// <summary>Remembers a checkout's language in the buyer's browser for the checkout's later pages.</summary>
    public static void Remember(HttpContext context, string checkoutSessionId, HostedLanguage language) =>
        context.Response.Cookies.Append(
            CheckoutCookie,
            $"{checkoutSessionId} {language.Code}",
            new CookieOptions { HttpOnly = true, SameSite = SameSiteMode.Lax, Secure = context.Request.IsHttps, Path = "/checkout" });

    /// <summary>
    /// A checkout page's language: its button's, when this browser started it and the region still offers it, else the
    /// region's. A page without a checkout (one not found) speaks the language of the browser's last checkout.
    /// </summary>
    public static HostedLanguage ForCheckout(HttpContext context, ITillpointStore store, CheckoutSession? session)
    {
        var (startedId, started) = Remembered(context);
        if (session is null)
        {
            return started ?? HostedLanguage.EnglishUS;
        }

        var region = RegionOf(store, session.MerchantId);
        return startedId == session.CheckoutSessionId && started is not null && started.IsOffered(region) ? started : HostedLanguage.Default(region);
    }

    /// <summary>The language a sign-in page's forms carry along (field <c>checkoutLanguage</c>); English when it is missing.</summary>
    public static HostedLanguage FromForm(IFormCollection? form) =>
        HostedLanguage.Find(form?[ButtonParameter]) ?? HostedLanguage.EnglishUS;

    private static (string? CheckoutSessionId, HostedLanguage? Language) Remembered(HttpContext context)
    {
        if (!context.Request.Cookies.TryGetValue(CheckoutCookie, out var value) || value.Split(' ') is not [var id, var code])
        {
            return (null, null);
        }

        return (id, HostedLanguage.Find(code));
    }

    /// <summary>A merchant's region; NA for one that no longer exists (its pages say so in the default language).</summary>
    private static Region RegionOf(ITillpointStore store, string merchantId) =>
        store.Read(reader => reader.GetMerchant(merchantId))?.Region ?? Region.NA;
}
