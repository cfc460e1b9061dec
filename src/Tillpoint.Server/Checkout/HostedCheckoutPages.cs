using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.DataProtection;
using Tillpoint.Domain.Buyers;
using Tillpoint.Domain.CheckoutSessions;
using Tillpoint.Server.Commands;
using static Tillpoint.Server.Checkout.HostedPage;
using static Tillpoint.Server.Commands.BuyerCheckout;

namespace Tillpoint.Server.Checkout;

/// <summary>
/// The buyer's side of checkout, standing in for Amazon's hosted pages: sign in as a sandbox test buyer, choose an
/// address and a payment instrument, change either from the merchant's review page, and the processing step at
/// <c>amazonPayRedirectUrl</c> (where a soft decline lets the buyer choose another instrument). Plain server-rendered
/// forms (with anti-forgery tokens) that work in a browser and with any HTTP client; no JavaScript.
/// </summary>
internal static partial class HostedCheckoutPages
{
    private const string BuyerCookie = "tillpoint_buyer";
    private const string BuyerProtectorPurpose = "Tillpoint.Checkout.Buyer";

    /// <summary>What the merchant's review page asked to change (<c>?change=</c>, from <c>bindChangeAction</c>).</summary>
    private enum Change
    {
        Address,
        Payment,
    }

    public static void MapHostedCheckout(this WebApplication app)
    {
        // "processing" and "start" are matched first: they are literal segments, and session ids are UUIDs.
        app.MapGet("/checkout/processing", ProcessAsync);
        app.MapGet("/checkout/{checkoutSessionId}", Show);
        app.MapPost("/checkout/{checkoutSessionId}/sign-in", SignInAsync);
        app.MapPost("/checkout/{checkoutSessionId}/approve", ApproveAsync);
        app.MapPost("/checkout/{checkoutSessionId}/address", ChangeAddressAsync);
        app.MapPost("/checkout/{checkoutSessionId}/payment", ChangePaymentAsync);
        app.MapPost("/checkout/{checkoutSessionId}/retry", RetryAsync);
        app.MapPost("/checkout/{checkoutSessionId}/cancel", CancelAsync);
    }

    private static IResult Show(string checkoutSessionId, HttpContext context, ITillpointStore store, IAntiforgery antiforgery, IDataProtectionProvider protection, BusinessClocks clocks)
    {
        var session = Find(store, checkoutSessionId, clocks);
        var language = PageLanguages.ForCheckout(context, store, session);
        var change = ParseChange(context.Request.Query["change"]);
        if (change.Error is not null)
        {
            return Notice(StatusCodes.Status400BadRequest, Frame(language, "LinkUnusable"), new NoticeLine(PageText.Given(change.Error.Message)) { Alert = true });
        }

        if (session is null)
        {
            return NotFound(language);
        }

        if (session.State != CheckoutSessionState.Open || session.Processed)
        {
            return Notice(
                StatusCodes.Status409Conflict,
                Frame(language, "CheckoutClosed"),
                new NoticeLine(PageText.Of("CheckoutClosedText", session.State.ToString()), MerchantHome(session), PageText.Of("ReturnToShop"), PageText.Of("Period")));
        }

        var tokens = antiforgery.GetAndStoreTokens(context);
        var buyer = SignedInBuyer(context, protection);
        if (buyer is null)
        {
            var merchant = store.Read(reader => reader.GetMerchant(session.MerchantId));
            return SignInPage(language, session, merchant?.Name, change.Value, tokens);
        }

        if (BelongsToAnother(session, buyer))
        {
            return Taken(language, session);
        }

        return change.Value is { } asked && CanChange(session, buyer, asked)
            ? ChangePage(language, session, buyer, asked, tokens)
            : SelectionPage(language, session, buyer, tokens);
    }

    private static async Task<IResult> SignInAsync(
        string checkoutSessionId, HttpContext context, ITillpointStore store, IAntiforgery antiforgery, IDataProtectionProvider protection, BusinessClocks clocks)
    {
        if (!await antiforgery.IsRequestValidAsync(context))
        {
            return FormExpired(context, store, checkoutSessionId, clocks);
        }

        var form = await context.Request.ReadFormAsync();
        var session = Find(store, checkoutSessionId, clocks);
        var language = PageLanguages.ForCheckout(context, store, session);
        var buyer = SandboxBuyers.Find(form["buyerId"]);
        if (buyer is null)
        {
            return Notice(StatusCodes.Status400BadRequest, Frame(language, "UnknownBuyer"), new NoticeLine(PageText.Of("UnknownBuyerText")));
        }

        // Refused before the cookie is set: signing in changes nothing for a session another buyer has chosen for.
        if (session is not null && BelongsToAnother(session, buyer))
        {
            return Taken(language, session);
        }

        // An unknown change is dropped rather than refused: the buyer is signed in either way.
        var change = ParseChange(form["change"]).Value;
        context.Response.Cookies.Append(
            BuyerCookie,
            protection.CreateProtector(BuyerProtectorPurpose).Protect(buyer.BuyerId),
            new CookieOptions { HttpOnly = true, SameSite = SameSiteMode.Lax, Secure = context.Request.IsHttps, Path = "/checkout" });
        return SeeOther(CheckoutPath(checkoutSessionId, change));
    }

    /// <summary>The first choice of address and instrument (form <c>buyer-approve</c>).</summary>
    private static Task<IResult> ApproveAsync(
        string checkoutSessionId, HttpContext context, ITillpointStore store, IAntiforgery antiforgery, IDataProtectionProvider protection, BusinessClocks clocks) =>
        SaveSelectionAsync(checkoutSessionId, context, store, antiforgery, protection, clocks, (session, buyer, form) =>
            FirstChoice(session, buyer, form["shippingAddressId"], form["paymentInstrumentId"], form["shippingAddressIds"]));

    /// <summary>
    /// A new shipping address from the review page's change link (form <c>buyer-change-address</c>), or other addresses
    /// of a multi-address checkout.
    /// </summary>
    private static Task<IResult> ChangeAddressAsync(
        string checkoutSessionId, HttpContext context, ITillpointStore store, IAntiforgery antiforgery, IDataProtectionProvider protection, BusinessClocks clocks) =>
        SaveSelectionAsync(checkoutSessionId, context, store, antiforgery, protection, clocks, (session, buyer, form) =>
            CurrentSelection(session, buyer) is not { } current ? NothingToChange()
            : session.ProductType == ProductType.PayAndShipMultiAddress ? WithAddresses(current, buyer, form["shippingAddressIds"])
            : WithAddress(current, buyer, form["shippingAddressId"]));

    /// <summary>A new payment instrument from the review page's change link (form <c>buyer-change-payment</c>).</summary>
    private static Task<IResult> ChangePaymentAsync(
        string checkoutSessionId, HttpContext context, ITillpointStore store, IAntiforgery antiforgery, IDataProtectionProvider protection, BusinessClocks clocks) =>
        SaveSelectionAsync(checkoutSessionId, context, store, antiforgery, protection, clocks, (session, buyer, form) =>
            CurrentSelection(session, buyer) is { } current ? WithInstrument(current, buyer, form["paymentInstrumentId"]) : NothingToChange());

    /// <summary>
    /// Saves the signed-in buyer's choice (the domain checks it against deliverySpecifications), then sends the buyer on:
    /// to the merchant's review page, or straight to processing in the Additional Payment Button flow.
    /// </summary>
    private static async Task<IResult> SaveSelectionAsync(
        string checkoutSessionId,
        HttpContext context,
        ITillpointStore store,
        IAntiforgery antiforgery,
        IDataProtectionProvider protection,
        BusinessClocks clocks,
        Func<CheckoutSession, SandboxBuyer, IFormCollection, Result<BuyerSelection>> choose)
    {
        if (!await antiforgery.IsRequestValidAsync(context))
        {
            return FormExpired(context, store, checkoutSessionId, clocks);
        }

        var buyer = SignedInBuyer(context, protection);
        if (buyer is null)
        {
            return SeeOther(CheckoutPath(checkoutSessionId, null));
        }

        var form = await context.Request.ReadFormAsync();
        var outcome = await BuyerCheckout.WriteAsync(
            store, checkoutSessionId, clocks, (write, session, now) => Choose(write, session, choose(session, buyer, form), now));

        var language = PageLanguages.ForCheckout(context, store, outcome.Session);
        if (outcome.Session is null)
        {
            return NotFound(language);
        }

        if (BelongsToAnother(outcome.Session, buyer))
        {
            return Taken(language, outcome.Session);
        }

        if (outcome.Error is not null)
        {
            return Notice(
                StatusCodes.Status400BadRequest,
                Frame(language, "ChoiceUnusable"),
                new NoticeLine(PageText.Given(outcome.Error.Message)) { Alert = true },
                new NoticeLine(null, CheckoutPath(checkoutSessionId, null), PageText.Of("ChooseAgain")));
        }

        var session = outcome.Session;
        // In the Additional Payment Button flow the merchant already has everything: go straight to processing.
        return session.WebCheckoutDetails.CheckoutMode == CheckoutMode.ProcessOrder
            ? SeeOther(ProcessingPath(session.CheckoutSessionId))
            : SeeOther(ReturnUrl(session.WebCheckoutDetails.CheckoutReviewReturnUrl!, session.CheckoutSessionId));
    }

    private static async Task<IResult> CancelAsync(string checkoutSessionId, HttpContext context, ITillpointStore store, IAntiforgery antiforgery, BusinessClocks clocks)
    {
        if (!await antiforgery.IsRequestValidAsync(context))
        {
            return FormExpired(context, store, checkoutSessionId, clocks);
        }

        // A session that can no longer be canceled sends the buyer the same way back: there is nothing else to do.
        var session = (await BuyerCheckout.WriteAsync(store, checkoutSessionId, clocks, Cancel)).Session;
        var language = PageLanguages.ForCheckout(context, store, session);
        if (session is null)
        {
            return NotFound(language);
        }

        var back = session.WebCheckoutDetails.CheckoutCancelUrl;
        return back is not null
            ? SeeOther(back)
            : Notice(
                StatusCodes.Status200OK,
                Frame(language, "CheckoutCanceled"),
                new NoticeLine(PageText.Of("YouCanceledCheckout"), MerchantHome(session), PageText.Of("ReturnToShop"), PageText.Of("Period")));
    }

    /// <summary>The session as it stands in its own environment's time (the sandbox clock may run ahead).</summary>
    private static CheckoutSession? Find(ITillpointStore store, string id, BusinessClocks clocks) =>
        store.Read(reader => reader.FindCheckoutSession(id)) is { } session ? session.AsOf(clocks.Now(session.Environment)).Value : null;

    private static SandboxBuyer? SignedInBuyer(HttpContext context, IDataProtectionProvider protection)
    {
        if (!context.Request.Cookies.TryGetValue(BuyerCookie, out var protectedId))
        {
            return null;
        }

        try
        {
            return SandboxBuyers.Find(protection.CreateProtector(BuyerProtectorPurpose).Unprotect(protectedId));
        }
        catch (System.Security.Cryptography.CryptographicException)
        {
            // A cookie from an older key ring or a tampered one: the buyer simply signs in again.
            return null;
        }
    }

    private static Result<Change?> ParseChange(string? value) => value switch
    {
        null or "" => (Change?)null,
        "address" => (Change?)Change.Address,
        "payment" => (Change?)Change.Payment,
        _ => DomainError.InvalidValue("change", $"'{value}' is not address or payment."),
    };

    /// <summary>
    /// A change link works for the buyer who made the choice being changed, and only where there is something to change;
    /// before any choice it opens the whole choice. (Another buyer never gets this far: <see cref="BelongsToAnother"/>.)
    /// </summary>
    private static bool CanChange(CheckoutSession session, SandboxBuyer buyer, Change change) =>
        CurrentSelection(session, buyer) is not null
        && session.WebCheckoutDetails.CheckoutMode != CheckoutMode.ProcessOrder
        && change switch
        {
            Change.Address => NeedsAddress(session),
            Change.Payment => true,
        };

    /// <summary>
    /// Once a buyer has chosen, the session is theirs (<see cref="CheckoutSession.AssociateBuyer"/>): a signed button
    /// link, or a session's own link, that reaches another browser must not let its buyer replace the choice.
    /// </summary>
    private static bool BelongsToAnother(CheckoutSession session, SandboxBuyer buyer) =>
        session.Selection is { } selection && selection.Buyer.BuyerId != buyer.BuyerId;

    private static IResult Taken(HostedLanguage language, CheckoutSession session) => Notice(
        StatusCodes.Status403Forbidden,
        Frame(language, "CheckoutTaken"),
        new NoticeLine(PageText.Of("CheckoutTakenText")) { Alert = true, Id = "checkout-taken" },
        new NoticeLine(null, MerchantHome(session), PageText.Of("ReturnToShop"), PageText.Of("AndStartYourOwn")));

    private static BuyerSelection? CurrentSelection(CheckoutSession session, SandboxBuyer buyer) =>
        session.Selection is { } selection && selection.Buyer.BuyerId == buyer.BuyerId ? selection : null;

    private static DomainError NothingToChange() =>
        new(ErrorCode.InvalidCheckoutSessionStatus, "There is no earlier choice of this buyer to change; choose an address and a payment method first.");

    private static string CheckoutPath(string checkoutSessionId, Change? change) =>
        $"/checkout/{Uri.EscapeDataString(checkoutSessionId)}" + (change is { } asked ? $"?change={ChangeName(asked)}" : string.Empty);

    private static string ChangeName(Change change) => change switch
    {
        Change.Address => "address",
        Change.Payment => "payment",
    };

    private static IResult NotFound(HostedLanguage language) =>
        Notice(StatusCodes.Status404NotFound, Frame(language, "CheckoutNotFound"), new NoticeLine(PageText.Of("CheckoutNotFoundText")));

    /// <summary>A posted form whose anti-forgery token failed, answered in the checkout's language.</summary>
    private static IResult FormExpired(HttpContext context, ITillpointStore store, string checkoutSessionId, BusinessClocks clocks) =>
        Expired(Frame(PageLanguages.ForCheckout(context, store, Find(store, checkoutSessionId, clocks)), "FormExpired"));

    /// <summary>A checkout page's frame: the checkout banner and the heading of resource <paramref name="heading"/>.</summary>
    private static PageFrame Frame(HostedLanguage language, string heading) => new(language, PageFrame.CheckoutBanner, PageText.Of(heading));
}
