using System.Text.Encodings.Web;
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
    private const string Banner = "Tillpoint sandbox sign-in";
    private static readonly HtmlEncoder Html = HtmlEncoder.Default;

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
            return Page(
                StatusCodes.Status400BadRequest,
                "This sign-in link cannot be used",
                $"""
                <p class="alert" id="signin-error">{Html.Encode(request.Error.Message)}</p>
                <p>The shop's sign-in button is set up wrongly. {BackToShop(context, null)}</p>
                """,
                Banner);
        }

        var signIn = request.Value;
        var tokens = antiforgery.GetAndStoreTokens(context);
        var merchant = store.Read(reader => reader.GetMerchant(signIn.MerchantId));
        var state = $"<input type=\"hidden\" name=\"{RequestField}\" value=\"{Html.Encode(signIn.Protect(protection))}\">";
        return Page(
            StatusCodes.Status200OK,
            "Sign in",
            $"""
            <p>Sign in as a sandbox test buyer to continue to {Html.Encode(merchant?.Name ?? "the shop")}.</p>
            <p>The shop will receive your buyer id{Html.Encode(SharedDetails(signIn.Scopes))}.</p>
            {BuyerSignInForm("/signin", tokens, state)}
            <form id="buyer-cancel" method="post" action="/signin/cancel">
              {TokenField(tokens)}
              {state}
              <button type="submit" class="secondary">Cancel and return to the shop</button>
            </form>
            """,
            Banner);
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
            return Page(StatusCodes.Status400BadRequest, "Unknown buyer", "<p>Go back and choose one of the sandbox test buyers.</p>", Banner);
        }

        var token = new BuyerToken(signIn.MerchantId, signIn.Environment, buyer.BuyerId, signIn.Scopes, clocks.Now(signIn.Environment));
        return SeeOther(WithQuery(signIn.ReturnUrl, "buyerToken", token.Protect(protection)));
    }

    private static async Task<IResult> CancelAsync(HttpContext context, IAntiforgery antiforgery, IDataProtectionProvider protection)
    {
        var (refusal, signIn, _) = await ReadFormAsync(context, antiforgery, protection);
        if (signIn is null)
        {
            return refusal!;
        }

        return signIn.CancelUrl is not null
            ? SeeOther(signIn.CancelUrl)
            : Page(
                StatusCodes.Status200OK,
                "Sign-in canceled",
                $"<p>You canceled signing in. <a href=\"{Html.Encode(SiteHome(signIn.ReturnUrl))}\">Return to the shop</a>.</p>",
                Banner);
    }

    /// <summary>A posted sign-in form: its verified request, or the page that refuses it.</summary>
    private static async Task<(IResult? Refusal, SignInRequest? Request, IFormCollection? Form)> ReadFormAsync(
        HttpContext context, IAntiforgery antiforgery, IDataProtectionProvider protection)
    {
        if (!await antiforgery.IsRequestValidAsync(context))
        {
            return (BadForm(Banner), null, null);
        }

        var form = await context.Request.ReadFormAsync();
        var signIn = SignInRequest.Unprotect(protection, form[RequestField]);
        return signIn is null ? (LostRequest(), null, form) : (null, signIn, form);
    }

    /// <summary>", name, email address and postal code" for the scopes granted, or nothing.</summary>
    private static string SharedDetails(SignInScopes scopes)
    {
        var names = SignInRequest.KnownScopes.Where(k => scopes.HasFlag(k.Scope)).Select(k => k.Description).ToList();
        return names.Count switch
        {
            0 => string.Empty,
            1 => $" and {names[0]}",
            _ => $", {string.Join(", ", names.Take(names.Count - 1))} and {names[^1]}",
        };
    }

    private static IResult LostRequest() => Page(
        StatusCodes.Status400BadRequest,
        "Sign-in not recognized",
        "<p>This sign-in form was altered or has expired. Go back to the shop and click its sign-in button again.</p>",
        Banner);
}
