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
/// permission's test buyer; the changes are the operator's buyer actions, <see cref="AgreementCommands"/>.
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
            return AgreementNotFound();
        }

        var (permission, merchantName) = found.Value;
        if (permission.RequireAgreement("managed") is { } refused)
        {
            return AgreementRefused(refused);
        }

        var tokens = antiforgery.GetAndStoreTokens(context);
        var signIn = $"""
            <p>Sign in as the sandbox test buyer who made this agreement with {Html.Encode(merchantName)}.</p>
            {BuyerSignInForm($"{Html.Encode(AgreementPath(chargePermissionId))}/sign-in", tokens, string.Empty)}
            """;
        var buyer = SignedInBuyer(context, protection);
        if (buyer is null)
        {
            return Page(StatusCodes.Status200OK, "Sign in to manage your agreement", signIn);
        }

        if (buyer.BuyerId != permission.Buyer.BuyerId)
        {
            return AgreementOfAnother(signIn);
        }

        return Page(StatusCodes.Status200OK, AgreementHeading(permission, merchantName), AgreementForms(permission, buyer, tokens));
    }

    private static async Task<IResult> SignInToAgreementAsync(
        string chargePermissionId, HttpContext context, IAntiforgery antiforgery, IDataProtectionProvider protection)
    {
        if (!await antiforgery.IsRequestValidAsync(context))
        {
            return BadForm();
        }

        var form = await context.Request.ReadFormAsync();
        var buyer = SandboxBuyers.Find(form["buyerId"]);
        if (buyer is null)
        {
            return Page(StatusCodes.Status400BadRequest, "Unknown buyer", "<p>Go back and choose one of the sandbox test buyers.</p>");
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
            permission => Page(
                StatusCodes.Status200OK,
                "Payment method updated",
                $"""
                <p id="agreement-updated">The shop now charges {Html.Encode(permission.PaymentDescriptor)} for this agreement.</p>
                <p><a href="{Html.Encode(AgreementPath(chargePermissionId))}">Back to the agreement</a></p>
                """));
    }

    /// <summary>The buyer cancels the agreement (form <c>agreement-close</c>).</summary>
    private static async Task<IResult> CloseAgreementAsync(
        string chargePermissionId, HttpContext context, ITillpointStore store, IAntiforgery antiforgery, IDataProtectionProvider protection, BusinessClocks clocks)
    {
        var form = await AgreementFormAsync(context, antiforgery);
        return await ChangeAgreementAsync(
            chargePermissionId, context, store, form, protection, clocks,
            (write, command) => AgreementCommands.CloseByBuyer(write, command, chargePermissionId),
            _ => Page(StatusCodes.Status200OK, "Agreement canceled", "<p id=\"agreement-closed\">The shop can no longer charge you under this agreement.</p>"));
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
        Func<ChargePermission, IResult> done)
    {
        if (form is null)
        {
            return BadForm();
        }

        var buyer = SignedInBuyer(context, protection);
        if (buyer is null)
        {
            return SeeOther(AgreementPath(chargePermissionId));
        }

        var found = FindAgreement(store, chargePermissionId, clocks);
        if (found is null)
        {
            return AgreementNotFound();
        }

        var permission = found.Value.Permission;
        if (buyer.BuyerId != permission.Buyer.BuyerId)
        {
            return AgreementOfAnother($"<p><a href=\"{Html.Encode(AgreementPath(chargePermissionId))}\">Sign in as the buyer who made this agreement</a></p>");
        }

        var services = context.RequestServices;
        var owner = new Owner(permission.MerchantId, permission.Environment);
        var now = clocks.Now(permission.Environment);
        var commandContext = new CommandContext(
            owner, now, services.GetRequiredService<ServerOptions>().Limits, null, services.GetRequiredService<IIdGenerator>());
        var result = await store.WriteAsync(write => command(write, commandContext), context.RequestAborted);
        return result.IsSuccess ? done(result.Value.ChargePermission) : AgreementRefused(result.Error);
    }

    /// <summary>The permission as it stands in its environment's time, with its merchant's name; null when there is none.</summary>
    private static (ChargePermission Permission, string MerchantName)? FindAgreement(ITillpointStore store, string chargePermissionId, BusinessClocks clocks) =>
        store.Read(reader =>
        {
            var owner = AgreementCommands.OwnerOf(reader, chargePermissionId);
            var ledger = owner is { } known ? PaymentObjects.CurrentLedger(reader, known, chargePermissionId, clocks.Now(known.Environment)) : null;
            return ledger is null
                ? ((ChargePermission, string)?)null
                : (ledger.ChargePermission, reader.GetMerchant(ledger.ChargePermission.MerchantId)?.Name ?? "the shop");
        });

    private static string AgreementHeading(ChargePermission permission, string merchantName) => permission.ChargePermissionType switch
    {
        ChargePermissionType.Recurring => $"Your subscription with {merchantName}",
        ChargePermissionType.PaymentMethodOnFile or ChargePermissionType.OneTime => $"Your saved payment method at {merchantName}",
    };

    private static string AgreementForms(ChargePermission permission, SandboxBuyer buyer, AntiforgeryTokenSet tokens)
    {
        var path = Html.Encode(AgreementPath(permission.ChargePermissionId));
        var terms = permission.ChargePermissionType == ChargePermissionType.Recurring
            ? $"<p id=\"agreement-terms\">{Html.Encode(SubscriptionText(permission.RecurringMetadata))}, charged to {Html.Encode(permission.PaymentDescriptor)}.</p>"
            : $"<p id=\"agreement-terms\">The shop may charge {Html.Encode(permission.PaymentDescriptor)} for your purchases.</p>";
        var status = permission.PaymentMethodProblem is not null
            ? $"<p class=\"alert\" id=\"payment-method-invalid\">The shop's last charge to {Html.Encode(permission.PaymentDescriptor)} was declined. Choose the payment method the shop should charge from now on.</p>"
            : string.Empty;
        return $"""
            <p>Signed in as {Html.Encode(buyer.Name)} ({Html.Encode(buyer.Email)}).</p>
            {terms}
            {status}
            <form id="agreement-payment-method" method="post" action="{path}/paymentMethod">
              {TokenField(tokens)}
              {InstrumentChoices(buyer, permission.InstrumentId, declined: null)}
              <button type="submit">Use this payment method</button>
            </form>
            <form id="agreement-close" method="post" action="{path}/close">
              {TokenField(tokens)}
              <button type="submit" class="secondary">Cancel this agreement</button>
            </form>
            """;
    }

    private static string AgreementPath(string chargePermissionId) => $"/checkout/chargePermissions/{Uri.EscapeDataString(chargePermissionId)}";

    private static IResult AgreementNotFound() =>
        Page(StatusCodes.Status404NotFound, "Agreement not found", "<p>There is no agreement with this id. Check the link the shop gave you.</p>");

    private static IResult AgreementRefused(DomainError error) => Page(
        error.Code == ErrorCode.InvalidParameterValue ? StatusCodes.Status400BadRequest : StatusCodes.Status409Conflict,
        "This agreement cannot be changed",
        $"<p class=\"alert\" id=\"agreement-refused\">{Html.Encode(error.Message)}</p>");

    /// <summary>Another test buyer is signed in: <paramref name="signIn"/> (HTML) lets the browser sign in as the right one.</summary>
    private static IResult AgreementOfAnother(string signIn) => Page(
        StatusCodes.Status403Forbidden,
        "This agreement belongs to another buyer",
        $"<p class=\"alert\" id=\"agreement-taken\">The buyer signed in did not make this agreement.</p>{signIn}");
}
