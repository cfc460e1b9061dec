using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.DataProtection;
using Tillpoint.Domain.Buyers;
using Tillpoint.Domain.ChargePermissions;
using Tillpoint.Domain.CheckoutSessions;
using Tillpoint.Server.Commands;
using static Tillpoint.Server.Checkout.HostedPage;

namespace Tillpoint.Server.Checkout;

/// <summary>
/// The buyer's page for one agreement (a Recurring or PaymentMethodOnFile Charge Permission), standing in for the
/// agreement page of the buyer's Amazon account: after a declined charge the buyer chooses the payment method the shop
/// charges next (the permission is Chargeable again and its IPN is sent), and the buyer may cancel the agreement
/// (<c>Closed</c>/<c>BuyerClosed</c>). Merchants send the buyer to <c>/checkout/chargePermissions/{id}</c>, or to
/// Amazon's own path <c>/jr/your-account/ba/{id}</c> on Tillpoint's host, which leads there. The buyer signs in as the
/// permission's test buyer; the changes are the operator's buyer actions, <see cref="AgreementCommands"/>. The pages speak
/// the merchant's region's language (<c>Pages/Agreement.cshtml</c>, <c>Pages/AgreementSignIn.cshtml</c>).
/// </summary>
internal static partial class HostedCheckoutPages
{
    public static void MapBuyerAgreement(this WebApplication app)
    {
        app.MapGet("/checkout/chargePermissions/{chargePermissionId}", ShowAgreement);
        app.MapPost("/checkout/chargePermissions/{chargePermissionId}/sign-in", SignInToAgreementAsync);
        app.MapPost("/checkout/chargePermissions/{chargePermissionId}/paymentMethod", UpdateAgreementPaymentMethodAsync);
        app.MapPost("/checkout/chargePermissions/{chargePermissionId}/close", CloseAgreementAsync);
        // Amazon's address for the same page: a merchant's link changes only its host.
        app.MapGet("/jr/your-account/ba/{chargePermissionId}", (string chargePermissionId) => Found(AgreementPath(chargePermissionId)));
    }

    private static IResult ShowAgreement(
        string chargePermissionId, HttpContext context, ITillpointStore store, IAntiforgery antiforgery, IDataProtectionProvider protection, BusinessClocks clocks)
    {
        var found = FindAgreement(store, chargePermissionId, clocks);
        if (found is null)
        {
            return AgreementNotFound(HostedLanguage.EnglishUS);
        }

        var (permission, merchantName, language) = found.Value;
        if (permission.RequireAgreement("managed") is { } refused)
        {
            return AgreementRefused(language, refused);
        }

        var tokens = antiforgery.GetAndStoreTokens(context);
        var buyer = SignedInBuyer(context, protection);
        if (buyer is null || buyer.BuyerId != permission.Buyer.BuyerId)
        {
            return AgreementSignIn(language, permission, merchantName, taken: buyer is not null, tokens);
        }

        return Render(Pages.Agreement.Create(AgreementModel(language, permission, merchantName, buyer, tokens)), StatusCodes.Status200OK, language);
    }

    private static async Task<IResult> SignInToAgreementAsync(
        string chargePermissionId, HttpContext context, IAntiforgery antiforgery, IDataProtectionProvider protection)
    {
        if (!await antiforgery.IsRequestValidAsync(context))
        {
            return Expired(AgreementFrame(HostedLanguage.EnglishUS, "FormExpired"));
        }

        var form = await context.Request.ReadFormAsync();
        var buyer = SandboxBuyers.Find(form["buyerId"]);
        if (buyer is null)
        {
            return Notice(StatusCodes.Status400BadRequest, AgreementFrame(HostedLanguage.EnglishUS, "UnknownBuyer"), new NoticeLine(PageText.Of("UnknownBuyerText")));
        }

        context.Response.Cookies.Append(
            BuyerCookie,
            protection.CreateProtector(BuyerProtectorPurpose).Protect(buyer.BuyerId),
            new CookieOptions { HttpOnly = true, SameSite = SameSiteMode.Lax, Secure = context.Request.IsHttps, Path = "/checkout" });
        return SeeOther(AgreementPath(chargePermissionId));
    }

    /// <summary>The buyer's choice of payment method (form <c>agreement-payment-method</c>).</summary>
    private static async Task<IResult> UpdateAgreementPaymentMethodAsync(
        string chargePermissionId, HttpContext context, ITillpointStore store, IAntiforgery antiforgery, IDataProtectionProvider protection, BusinessClocks clocks)
    {
        var form = await AgreementFormAsync(context, antiforgery);
        var instrumentId = form?["paymentInstrumentId"].ToString();
        return await ChangeAgreementAsync(
            chargePermissionId, context, store, form, protection, clocks,
            (write, command) => AgreementCommands.UpdatePaymentMethod(write, command, chargePermissionId, instrumentId ?? string.Empty),
            (language, permission) => Notice(
                StatusCodes.Status200OK,
                AgreementFrame(language, "PaymentMethodUpdated"),
                new NoticeLine(PageText.Of("PaymentMethodUpdatedText", permission.PaymentDescriptor ?? string.Empty)) { Id = "agreement-updated" },
                new NoticeLine(null, AgreementPath(chargePermissionId), PageText.Of("BackToAgreement"))));
    }

    /// <summary>The buyer cancels the agreement (form <c>agreement-close</c>).</summary>
    private static async Task<IResult> CloseAgreementAsync(
        string chargePermissionId, HttpContext context, ITillpointStore store, IAntiforgery antiforgery, IDataProtectionProvider protection, BusinessClocks clocks)
    {
        var form = await AgreementFormAsync(context, antiforgery);
        return await ChangeAgreementAsync(
            chargePermissionId, context, store, form, protection, clocks,
            (write, command) => AgreementCommands.CloseByBuyer(write, command, chargePermissionId),
            (language, _) => Notice(
                StatusCodes.Status200OK,
                AgreementFrame(language, "AgreementCanceled"),
                new NoticeLine(PageText.Of("AgreementCanceledText")) { Id = "agreement-closed" }));
    }

    /// <summary>The posted form, or null when its anti-forgery token is missing or wrong.</summary>
    private static async Task<IFormCollection?> AgreementFormAsync(HttpContext context, IAntiforgery antiforgery) =>
        await antiforgery.IsRequestValidAsync(context) ? await context.Request.ReadFormAsync() : null;

    /// <summary>
    /// One buyer action on the agreement, in one write: only the permission's own buyer, signed in, acts; a refusal
    /// (a closed or OneTime permission, an instrument the buyer does not have) changes nothing and is shown.
    /// </summary>
    private static async Task<IResult> ChangeAgreementAsync(
        string chargePermissionId,
        HttpContext context,
        ITillpointStore store,
        IFormCollection? form,
        IDataProtectionProvider protection,
        BusinessClocks clocks,
        Func<IWriteSession, CommandContext, Result<PaymentLedger>> command,
        Func<HostedLanguage, ChargePermission, IResult> done)
    {
        if (form is null)
        {
            return Expired(AgreementFrame(HostedLanguage.EnglishUS, "FormExpired"));
        }

        var buyer = SignedInBuyer(context, protection);
        if (buyer is null)
        {
            return SeeOther(AgreementPath(chargePermissionId));
        }

        var found = FindAgreement(store, chargePermissionId, clocks);
        if (found is null)
        {
            return AgreementNotFound(HostedLanguage.EnglishUS);
        }

        var (permission, merchantName, language) = found.Value;
        var services = context.RequestServices;
        if (buyer.BuyerId != permission.Buyer.BuyerId)
        {
            var tokens = services.GetRequiredService<IAntiforgery>().GetAndStoreTokens(context);
            return AgreementSignIn(language, permission, merchantName, taken: true, tokens);
        }

        var owner = new Owner(permission.MerchantId, permission.Environment);
        var now = clocks.Now(permission.Environment);
        var commandContext = new CommandContext(
            owner, now, services.GetRequiredService<ServerOptions>().Limits, null, services.GetRequiredService<IIdGenerator>());
        var result = await store.WriteAsync(write => command(write, commandContext), context.RequestAborted);
        return result.IsSuccess ? done(language, result.Value.ChargePermission) : AgreementRefused(language, result.Error);
    }

    /// <summary>
    /// The permission as it stands in its environment's time, with its merchant's name and its region's language; null
    /// when there is none.
    /// </summary>
    private static (ChargePermission Permission, object MerchantName, HostedLanguage Language)? FindAgreement(
        ITillpointStore store, string chargePermissionId, BusinessClocks clocks)
    {
        var found = store.Read(reader =>
        {
            var owner = AgreementCommands.OwnerOf(reader, chargePermissionId);
            var ledger = owner is { } known ? PaymentObjects.CurrentLedger(reader, known, chargePermissionId, clocks.Now(known.Environment)) : null;
            return ledger is null ? null : ((ChargePermission Permission, string? Name)?)(ledger.ChargePermission, reader.GetMerchant(ledger.ChargePermission.MerchantId)?.Name);
        });
        return found is var (permission, name)
            ? (permission, name ?? (object)PageText.Of("TheShop"), PageLanguages.OfMerchant(store, permission.MerchantId))
            : null;
    }

    /// <summary>The sign-in as the agreement's buyer; after another buyer signed in (<paramref name="taken"/>), refused first.</summary>
    private static IResult AgreementSignIn(
        HostedLanguage language, ChargePermission permission, object merchantName, bool taken, AntiforgeryTokenSet tokens) => Render(
        Pages.AgreementSignIn.Create(new AgreementSignInPage(
            AgreementFrame(language, taken ? "AgreementTaken" : "AgreementSignIn"),
            AgreementPath(permission.ChargePermissionId),
            PageText.Of("AgreementSignInText", merchantName),
            taken,
            tokens)),
        taken ? StatusCodes.Status403Forbidden : StatusCodes.Status200OK,
        language);

    private static AgreementPage AgreementModel(
        HostedLanguage language, ChargePermission permission, object merchantName, SandboxBuyer buyer, AntiforgeryTokenSet tokens)
    {
        var descriptor = permission.PaymentDescriptor ?? string.Empty;
        var (heading, terms) = permission.ChargePermissionType switch
        {
            ChargePermissionType.Recurring => ("SubscriptionWith", PageText.Of("AgreementSubscriptionTerms", SubscriptionText(permission.RecurringMetadata), descriptor)),
            ChargePermissionType.PaymentMethodOnFile or ChargePermissionType.OneTime => ("SavedPaymentMethodAt", PageText.Of("AgreementWalletTerms", descriptor)),
        };
        return new AgreementPage(
            new PageFrame(language, PageFrame.CheckoutBanner, PageText.Of(heading, merchantName)),
            AgreementPath(permission.ChargePermissionId),
            PageText.Of("SignedInAsBuyer", buyer.Name, buyer.Email),
            terms,
            permission.PaymentMethodProblem is null ? null : PageText.Of("AgreementDeclined", descriptor),
            InstrumentChoices(buyer, permission.InstrumentId, declined: null),
            tokens);
    }

    private static string AgreementPath(string chargePermissionId) => $"/checkout/chargePermissions/{Uri.EscapeDataString(chargePermissionId)}";

    private static PageFrame AgreementFrame(HostedLanguage language, string heading) => new(language, PageFrame.CheckoutBanner, PageText.Of(heading));

    private static IResult AgreementNotFound(HostedLanguage language) =>
        Notice(StatusCodes.Status404NotFound, AgreementFrame(language, "AgreementNotFound"), new NoticeLine(PageText.Of("AgreementNotFoundText")));

    /// <summary>A refusal of the domain: its message is the API's wording, in English like the API's.</summary>
    private static IResult AgreementRefused(HostedLanguage language, DomainError error) => Notice(
        error.Code == ErrorCode.InvalidParameterValue ? StatusCodes.Status400BadRequest : StatusCodes.Status409Conflict,
        AgreementFrame(language, "AgreementRefused"),
        new NoticeLine(PageText.Given(error.Message)) { Alert = true, Id = "agreement-refused" });
}
