using System.Text;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.DataProtection;
using Tillpoint.Domain;
using Tillpoint.Domain.Buyers;
using Tillpoint.Domain.CheckoutSessions;
using Tillpoint.Storage;
using static Tillpoint.Server.Checkout.HostedPage;

namespace Tillpoint.Server.Checkout;

/// <summary>
/// The buyer's side of checkout, standing in for Amazon's hosted pages: sign in as a sandbox test buyer, choose an
/// address and a payment instrument, and the processing step at <c>amazonPayRedirectUrl</c>. Plain server-rendered
/// forms (with anti-forgery tokens) that work in a browser and with any HTTP client.
/// </summary>
internal static class HostedCheckoutPages
{
    private const string BuyerCookie = "tillpoint_buyer";
    private const string BuyerProtectorPurpose = "Tillpoint.Checkout.Buyer";
    private static readonly HtmlEncoder Html = HtmlEncoder.Default;

    public static void MapHostedCheckout(this WebApplication app)
    {
        // "processing" is matched first: it is a literal segment, and session ids are UUIDs.
        app.MapGet("/checkout/processing", ProcessAsync);
        app.MapGet("/checkout/{checkoutSessionId}", Show);
        app.MapPost("/checkout/{checkoutSessionId}/sign-in", SignInAsync);
        app.MapPost("/checkout/{checkoutSessionId}/approve", ApproveAsync);
        app.MapPost("/checkout/{checkoutSessionId}/cancel", CancelAsync);
    }

    private static IResult Show(string checkoutSessionId, HttpContext context, ITillpointStore store, IAntiforgery antiforgery, IDataProtectionProvider protection, BusinessClocks clocks)
    {
        var session = Find(store, checkoutSessionId, clocks);
        if (session is null)
        {
            return Page(StatusCodes.Status404NotFound, "Checkout not found", "<p>This checkout does not exist or has expired.</p>");
        }

        if (session.State != CheckoutSessionState.Open || session.Processed)
        {
            return Page(StatusCodes.Status409Conflict, "Checkout closed", $"<p>This checkout is {Html.Encode(session.State.ToString())} and can no longer be changed.</p>");
        }

        var tokens = antiforgery.GetAndStoreTokens(context);
        var buyer = SignedInBuyer(context, protection);
        var body = buyer is null ? SignInForm(session, tokens) : SelectionForm(session, buyer, tokens);
        return Page(StatusCodes.Status200OK, "Tillpoint checkout", body + CancelForm(session, tokens));
    }

    private static async Task<IResult> SignInAsync(string checkoutSessionId, HttpContext context, IAntiforgery antiforgery, IDataProtectionProvider protection)
    {
        if (!await antiforgery.IsRequestValidAsync(context))
        {
            return BadForm();
        }

        var form = await context.Request.ReadFormAsync();
        var buyer = SandboxBuyers.Find(form["buyerId"]);
        if (buyer is null)
        {
            return Page(StatusCodes.Status400BadRequest, "Unknown buyer", "<p>Choose one of the sandbox test buyers.</p>");
        }

        context.Response.Cookies.Append(
            BuyerCookie,
            protection.CreateProtector(BuyerProtectorPurpose).Protect(buyer.BuyerId),
            new CookieOptions { HttpOnly = true, SameSite = SameSiteMode.Lax, Secure = context.Request.IsHttps, Path = "/checkout" });
        return SeeOther($"/checkout/{Uri.EscapeDataString(checkoutSessionId)}");
    }

    private static async Task<IResult> ApproveAsync(string checkoutSessionId, HttpContext context, ITillpointStore store, IAntiforgery antiforgery, IDataProtectionProvider protection, BusinessClocks clocks)
    {
        if (!await antiforgery.IsRequestValidAsync(context))
        {
            return BadForm();
        }

        var buyer = SignedInBuyer(context, protection);
        if (buyer is null)
        {
            return SeeOther($"/checkout/{Uri.EscapeDataString(checkoutSessionId)}");
        }

        var form = await context.Request.ReadFormAsync();
        var instrument = SandboxBuyers.FindInstrument(buyer, form["paymentInstrumentId"]);
        var addressIndex = int.TryParse(form["shippingAddressId"], out var index) ? index : -1;
        if (instrument is null)
        {
            return Page(StatusCodes.Status400BadRequest, "Choose a payment method", "<p>Go back and choose one of your payment methods.</p>");
        }

        var outcome = await store.WriteAsync(write =>
        {
            var session = Load(write, checkoutSessionId, clocks);
            if (session is null)
            {
                return (Session: (CheckoutSession?)null, Error: (DomainError?)null);
            }

            var now = clocks.Now(session.Environment);
            Address? shipping = session.ProductType == ProductType.PayOnly || session.AddressDetails is not null
                ? null
                : addressIndex >= 0 && addressIndex < buyer.Addresses.Count ? buyer.Addresses[addressIndex] : null;
            var selection = new BuyerSelection(
                new BuyerDetails(buyer.BuyerId, buyer.Name, buyer.Email, buyer.PhoneNumber),
                shipping,
                buyer.BillingAddress,
                instrument.InstrumentId,
                instrument.Descriptor,
                instrument.Behavior);
            var associated = session.AssociateBuyer(selection, now);
            return associated.Error is not null
                ? (Session: session, Error: associated.Error)
                : (Session: Save(write, associated.Value), Error: null);
        });

        if (outcome.Session is null)
        {
            return Page(StatusCodes.Status404NotFound, "Checkout not found", "<p>This checkout does not exist.</p>");
        }

        if (outcome.Error is not null)
        {
            return Page(StatusCodes.Status400BadRequest, "Cannot continue", $"<p>{Html.Encode(outcome.Error.Message)}</p>");
        }

        var session = outcome.Session;
        // In the Additional Payment Button flow the merchant already has everything: go straight to processing.
        return session.WebCheckoutDetails.CheckoutMode == CheckoutMode.ProcessOrder
            ? SeeOther($"/checkout/processing?amazonCheckoutSessionId={Uri.EscapeDataString(session.CheckoutSessionId)}")
            : SeeOther(ReturnUrl(session.WebCheckoutDetails.CheckoutReviewReturnUrl!, session.CheckoutSessionId));
    }

    private static async Task<IResult> CancelAsync(string checkoutSessionId, HttpContext context, ITillpointStore store, IAntiforgery antiforgery, BusinessClocks clocks)
    {
        if (!await antiforgery.IsRequestValidAsync(context))
        {
            return BadForm();
        }

        var session = await store.WriteAsync(write =>
        {
            var current = Load(write, checkoutSessionId, clocks);
            var canceled = current?.CancelByBuyer(clocks.Now(current.Environment));
            return canceled is { Error: null } ? Save(write, canceled.Value.Value) : current;
        });

        if (session is null)
        {
            return Page(StatusCodes.Status404NotFound, "Checkout not found", "<p>This checkout does not exist.</p>");
        }

        var back = session.WebCheckoutDetails.CheckoutCancelUrl;
        return back is not null
            ? SeeOther(back)
            : Page(StatusCodes.Status200OK, "Checkout canceled", $"<p>You canceled checkout. <a href=\"{Html.Encode(MerchantHome(session))}\">Return to the shop</a>.</p>");
    }

    /// <summary><c>amazonPayRedirectUrl</c>: processes the payment with the chosen instrument and returns the buyer.</summary>
    private static async Task<IResult> ProcessAsync(HttpContext context, ITillpointStore store, BusinessClocks clocks)
    {
        var id = context.Request.Query["amazonCheckoutSessionId"].ToString();
        if (string.IsNullOrEmpty(id))
        {
            return Page(StatusCodes.Status400BadRequest, "Missing checkout", "<p>The link is missing its checkout session id.</p>");
        }

        var outcome = await store.WriteAsync(write =>
        {
            var session = Load(write, id, clocks);
            if (session is null)
            {
                return (Session: (CheckoutSession?)null, Error: (DomainError?)null);
            }

            var processed = session.Process(clocks.Now(session.Environment));
            return processed.Error is not null
                ? (Session: session, Error: processed.Error)
                : (Session: Save(write, processed.Value), Error: null);
        });

        if (outcome.Session is null)
        {
            return Page(StatusCodes.Status404NotFound, "Checkout not found", "<p>This checkout does not exist.</p>");
        }

        var result = outcome.Session.WebCheckoutDetails.CheckoutResultReturnUrl;
        if (outcome.Error is not null && result is null)
        {
            return Page(StatusCodes.Status409Conflict, "Cannot process", $"<p>{Html.Encode(outcome.Error.Message)}</p>");
        }

        // Declined and canceled checkouts also go back to the merchant, who reads the reason with Get Checkout Session.
        return Found(ReturnUrl(result!, id));
    }

    /// <summary>The session as it stands in its own environment's time (the sandbox clock may run ahead).</summary>
    private static CheckoutSession? Find(ITillpointStore store, string id, BusinessClocks clocks) =>
        store.Read(reader => reader.FindCheckoutSession(id)) is { } session ? session.AsOf(clocks.Now(session.Environment)).Value : null;

    private static CheckoutSession? Load(IWriteSession write, string id, BusinessClocks clocks)
    {
        var stored = write.FindCheckoutSession(id);
        var current = stored?.AsOf(clocks.Now(stored.Environment));
        return current is not { } transition ? null : transition.Events.Count == 0 ? transition.Value : Save(write, transition);
    }

    private static CheckoutSession Save(IWriteSession write, Transition<CheckoutSession> transition)
    {
        // Saved even without events: associating a buyer changes the session but not its state.
        var session = transition.Value;
        write.Append(session.MerchantId, session.Environment, transition.Events);
        return write.Save(session);
    }

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

    private static string ReturnUrl(string url, string checkoutSessionId) => WithQuery(url, "amazonCheckoutSessionId", checkoutSessionId);

    private static string MerchantHome(CheckoutSession session) =>
        SiteHome(session.WebCheckoutDetails.CheckoutReviewReturnUrl ?? session.WebCheckoutDetails.CheckoutResultReturnUrl);

    private static string SignInForm(CheckoutSession session, AntiforgeryTokenSet tokens) => $"""
        <h1>Sign in</h1>
        <p>Sign in as a sandbox test buyer to pay {Html.Encode(AmountText(session))}.</p>
        <form id="buyer-signin" method="post" action="/checkout/{Html.Encode(session.CheckoutSessionId)}/sign-in">
          {TokenField(tokens)}
          {BuyerChoice()}
          <button type="submit">Continue</button>
        </form>
        """;

    private static string SelectionForm(CheckoutSession session, SandboxBuyer buyer, AntiforgeryTokenSet tokens)
    {
        var addresses = new StringBuilder();
        var needsAddress = session.ProductType != ProductType.PayOnly && session.AddressDetails is null;
        if (needsAddress)
        {
            addresses.Append("<fieldset><legend>Ship to</legend>");
            var first = true;
            for (var i = 0; i < buyer.Addresses.Count; i++)
            {
                var address = buyer.Addresses[i];
                var allowed = session.DeliverySpecifications?.Permits(address) ?? true;
                addresses.Append(
                    $"<div><input type=\"radio\" id=\"address-{i}\" name=\"shippingAddressId\" value=\"{i}\"{(allowed && first ? " checked" : string.Empty)}{(allowed ? string.Empty : " disabled")}>"
                    + $"<label for=\"address-{i}\">{Html.Encode(Describe(address))}{(allowed ? string.Empty : " (the merchant does not ship here)")}</label></div>");
                first &= !allowed;
            }

            addresses.Append("</fieldset>");
        }

        var instruments = new StringBuilder("<fieldset><legend>Pay with</legend>");
        foreach (var (instrument, i) in buyer.Instruments.Select((x, i) => (x, i)))
        {
            instruments.Append(
                $"<div><input type=\"radio\" id=\"instrument-{i}\" name=\"paymentInstrumentId\" value=\"{Html.Encode(instrument.InstrumentId)}\"{(i == 0 ? " checked" : string.Empty)}>"
                + $"<label for=\"instrument-{i}\">{Html.Encode(instrument.Descriptor)} <small>({Html.Encode(Explain(instrument.Behavior))})</small></label></div>");
        }

        instruments.Append("</fieldset>");
        return $"""
            <h1>Hello, {Html.Encode(buyer.Name)}</h1>
            <p>Choose how to pay {Html.Encode(AmountText(session))}.</p>
            <form id="buyer-approve" method="post" action="/checkout/{Html.Encode(session.CheckoutSessionId)}/approve">
              {TokenField(tokens)}
              {addresses}
              {instruments}
              <button type="submit">Continue to merchant</button>
            </form>
            """;
    }

    private static string CancelForm(CheckoutSession session, AntiforgeryTokenSet tokens) => $"""
        <form id="buyer-cancel" method="post" action="/checkout/{Html.Encode(session.CheckoutSessionId)}/cancel">
          {TokenField(tokens)}
          <button type="submit" class="secondary">Cancel and return to the shop</button>
        </form>
        """;

    private static string AmountText(CheckoutSession session) =>
        session.PaymentDetails.ChargeAmount?.ToString() ?? "your order";

    private static string Describe(Address a) =>
        string.Join(", ", new[] { a.Name, a.AddressLine1, a.AddressLine2, a.City, a.StateOrRegion, a.PostalCode, a.CountryCode }.Where(p => !string.IsNullOrEmpty(p)));

    private static string Explain(InstrumentBehavior behavior) => behavior switch
    {
        InstrumentBehavior.Succeeds => "succeeds",
        InstrumentBehavior.BuyerCancels => "buyer cancels during processing",
        InstrumentBehavior.Declines => "declined",
        InstrumentBehavior.PendingThenAuthorized => "pending, then authorized",
        InstrumentBehavior.PendingThenDeclined => "pending, then declined",
    };
}
