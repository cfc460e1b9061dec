using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.DataProtection;
using Tillpoint.Domain.Buyers;
using Tillpoint.Server.Signing;
using static Tillpoint.Server.Checkout.HostedPage;

namespace Tillpoint.Server.Checkout;

/// <summary>
/// "Sign in with Amazon Pay", standing in for Amazon's hosted sign-in (spec §9.2): the sign-in button sends the
/// browser to <c>/signin</c> with its signed payload; the buyer picks a sandbox test buyer and returns to
/// <c>signInReturnUrl?buyerToken=…</c>, which the merchant exchanges with Get Buyer.
/// </summary>
internal static class SignInPages
{
    private const string RequestField = "signInRequest";

    public static void MapHostedSignIn(this WebApplication app)
    {
        app.MapGet("/signin", Show);
        app.MapPost("/signin", SignInAsync);
        app.MapPost("/signin/cancel", CancelAsync);
    }

    private static IResult Show(
        HttpContext context, PublicKeyCache keys, ITillpointStore store, IAntiforgery antiforgery, IDataProtectionProvider protection, ServerOptions options)
    {
        var request = SignInRequest.FromButton(context.Request.Query, keys, store, options.Limits);
        if (!request.IsSuccess)
        {
            return Refused(context, HostedLanguage.EnglishUS, request.Error);
        }

        var language = PageLanguages.FromButton(context.Request.Query, store, request.Value.MerchantId);
        if (!language.IsSuccess)
        {
            // A language the region does not offer is refused in the region's own.
            return Refused(context, PageLanguages.OfMerchant(store, request.Value.MerchantId), language.Error);
        }

        var signIn = request.Value;
        var merchant = store.Read(reader => reader.GetMerchant(signIn.MerchantId));
        return Render(
            Pages.SignIn.Create(new SignInPage(
                Frame(language.Value, "SignIn"),
                PageText.Of("SignInToContinue", merchant?.Name ?? (object)PageText.Of("TheShop")),
                PageText.Of("SharedWithShop", SharedDetails(signIn.Scopes)),
                [new HiddenField(RequestField, signIn.Protect(protection)), new HiddenField(PageLanguages.ButtonParameter, language.Value.Code)],
                antiforgery.GetAndStoreTokens(context))),
            StatusCodes.Status200OK,
            language.Value);
    }

    private static async Task<IResult> SignInAsync(HttpContext context, IAntiforgery antiforgery, IDataProtectionProvider protection, BusinessClocks clocks)
    {
        var (refusal, signIn, form) = await ReadFormAsync(context, antiforgery, protection);
        if (signIn is null)
        {
            return refusal!;
        }

        var buyer = SandboxBuyers.Find(form!["buyerId"]);
        if (buyer is null)
        {
            return Notice(StatusCodes.Status400BadRequest, Frame(PageLanguages.FromForm(form), "UnknownBuyer"), new NoticeLine(PageText.Of("UnknownBuyerText")));
        }

        var token = new BuyerToken(signIn.MerchantId, signIn.Environment, buyer.BuyerId, signIn.Scopes, clocks.Now(signIn.Environment));
        return SeeOther(WithQuery(signIn.ReturnUrl, "buyerToken", token.Protect(protection)));
    }

    private static async Task<IResult> CancelAsync(HttpContext context, IAntiforgery antiforgery, IDataProtectionProvider protection)
    {
        var (refusal, signIn, form) = await ReadFormAsync(context, antiforgery, protection);
        if (signIn is null)
        {
            return refusal!;
        }

        return signIn.CancelUrl is not null
            ? SeeOther(signIn.CancelUrl)
            : Notice(
                StatusCodes.Status200OK,
                Frame(PageLanguages.FromForm(form), "SignInCanceled"),
                new NoticeLine(PageText.Of("YouCanceledSignIn"), SiteHome(signIn.ReturnUrl), PageText.Of("ReturnToShop"), PageText.Of("Period")));
    }

    /// <summary>A posted sign-in form: its verified request, or the page that refuses it.</summary>
    private static async Task<(IResult? Refusal, SignInRequest? Request, IFormCollection? Form)> ReadFormAsync(
        HttpContext context, IAntiforgery antiforgery, IDataProtectionProvider protection)
    {
        if (!await antiforgery.IsRequestValidAsync(context))
        {
            // The form is not read: its language is not known either.
            return (Expired(Frame(HostedLanguage.EnglishUS, "FormExpired")), null, null);
        }

        var form = await context.Request.ReadFormAsync();
        var signIn = SignInRequest.Unprotect(protection, form[RequestField]);
        return signIn is null
            ? (Notice(StatusCodes.Status400BadRequest, Frame(PageLanguages.FromForm(form), "SignInNotRecognized"), new NoticeLine(PageText.Of("SignInNotRecognizedText"))), null, form)
            : (null, signIn, form);
    }

    /// <summary>"buyer id, name, email address and postal code" for the scopes granted, in the page's language.</summary>
    private static PageText SharedDetails(SignInScopes scopes)
    {
        var names = SignInRequest.KnownScopes.Where(k => scopes.HasFlag(k.Scope)).Select(k => PageText.Of(k.Description)).Prepend(PageText.Of("ScopeBuyerId")).ToList();
        return names.Count == 1
            ? names[0]
            : PageText.Of("ListAnd", names.Take(names.Count - 1).Aggregate((list, next) => PageText.Of("ListComma", list, next)), names[^1]);
    }

    private static IResult Refused(HttpContext context, HostedLanguage language, DomainError error) => Notice(
        StatusCodes.Status400BadRequest,
        Frame(language, "SignInLinkUnusable"),
        new NoticeLine(PageText.Given(error.Message)) { Alert = true, Id = "signin-error" },
        BackToShopLine(context, null, PageText.Of("SignInButtonWrong")));

    private static PageFrame Frame(HostedLanguage language, string heading) => new(language, PageFrame.SignInBanner, PageText.Of(heading));
}
