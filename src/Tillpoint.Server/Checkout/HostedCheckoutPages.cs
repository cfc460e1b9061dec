using System.Globalization;
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
/// address and a payment instrument, change either from the merchant's review page, and the processing step at
/// <c>amazonPayRedirectUrl</c> (where a soft decline lets the buyer choose another instrument). Plain server-rendered
/// forms (with anti-forgery tokens) that work in a browser and with any HTTP client; no JavaScript.
/// </summary>
internal static class HostedCheckoutPages
{
    private const string BuyerCookie = "tillpoint_buyer";
    private const string BuyerProtectorPurpose = "Tillpoint.Checkout.Buyer";
    private static readonly HtmlEncoder Html = HtmlEncoder.Default;

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
        var change = ParseChange(context.Request.Query["change"]);
        if (change.Error is not null)
        {
            return Page(StatusCodes.Status400BadRequest, "This link cannot be used", $"<p class=\"alert\">{Html.Encode(change.Error.Message)}</p>");
        }

        var session = Find(store, checkoutSessionId, clocks);
        if (session is null)
        {
            return NotFound();
        }

        if (session.State != CheckoutSessionState.Open || session.Processed)
        {
            return Page(
                StatusCodes.Status409Conflict,
                "This checkout is closed",
                $"<p>This checkout is {Html.Encode(session.State.ToString())} and can no longer be changed. <a href=\"{Html.Encode(MerchantHome(session))}\">Return to the shop</a>.</p>");
        }

        var tokens = antiforgery.GetAndStoreTokens(context);
        var buyer = SignedInBuyer(context, protection);
        if (buyer is null)
        {
            var merchant = store.Read(reader => reader.GetMerchant(session.MerchantId));
            return Page(StatusCodes.Status200OK, "Sign in to pay", SignInForm(session, merchant?.Name, change.Value, tokens) + CancelForm(session, tokens));
        }

        if (change.Value is { } asked && CanChange(session, buyer, asked))
        {
            return asked switch
            {
                Change.Address => Page(StatusCodes.Status200OK, "Change the shipping address", ChangeAddressForm(session, buyer, tokens)),
                Change.Payment => Page(StatusCodes.Status200OK, "Change the payment method", ChangePaymentForm(session, buyer, tokens)),
            };
        }

        var heading = NeedsAddress(session) ? "Choose the address and payment method" : "Choose a payment method";
        return Page(StatusCodes.Status200OK, heading, SelectionForm(session, buyer, tokens) + CancelForm(session, tokens));
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
            return Page(StatusCodes.Status400BadRequest, "Unknown buyer", "<p>Go back and choose one of the sandbox test buyers.</p>");
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
        {
            var instrument = SandboxBuyers.FindInstrument(buyer, form["paymentInstrumentId"]);
            if (instrument is null)
            {
                return DomainError.InvalidValue("paymentInstrumentId", "choose one of your payment methods.");
            }

            var shipping = NeedsAddress(session) ? AddressOf(buyer, form["shippingAddressId"]) : null;
            return new BuyerSelection(
                new BuyerDetails(buyer.BuyerId, buyer.Name, buyer.Email, buyer.PhoneNumber),
                shipping,
                buyer.BillingAddress,
                instrument.InstrumentId,
                instrument.Descriptor,
                instrument.Behavior);
        });

    /// <summary>A new shipping address from the review page's change link (form <c>buyer-change-address</c>).</summary>
    private static Task<IResult> ChangeAddressAsync(
        string checkoutSessionId, HttpContext context, ITillpointStore store, IAntiforgery antiforgery, IDataProtectionProvider protection, BusinessClocks clocks) =>
        SaveSelectionAsync(checkoutSessionId, context, store, antiforgery, protection, clocks, (session, buyer, form) =>
            CurrentSelection(session, buyer) is { } current
                ? current with { ShippingAddress = AddressOf(buyer, form["shippingAddressId"]) }
                : NothingToChange());

    /// <summary>A new payment instrument from the review page's change link (form <c>buyer-change-payment</c>).</summary>
    private static Task<IResult> ChangePaymentAsync(
        string checkoutSessionId, HttpContext context, ITillpointStore store, IAntiforgery antiforgery, IDataProtectionProvider protection, BusinessClocks clocks) =>
        SaveSelectionAsync(checkoutSessionId, context, store, antiforgery, protection, clocks, (session, buyer, form) =>
        {
            var current = CurrentSelection(session, buyer);
            if (current is null)
            {
                return NothingToChange();
            }

            var instrument = SandboxBuyers.FindInstrument(buyer, form["paymentInstrumentId"]);
            return instrument is null
                ? DomainError.InvalidValue("paymentInstrumentId", "choose one of your payment methods.")
                : current with { InstrumentId = instrument.InstrumentId, PaymentDescriptor = instrument.Descriptor, Behavior = instrument.Behavior };
        });

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
            return BadForm();
        }

        var buyer = SignedInBuyer(context, protection);
        if (buyer is null)
        {
            return SeeOther(CheckoutPath(checkoutSessionId, null));
        }

        var form = await context.Request.ReadFormAsync();
        var outcome = await store.WriteAsync(write =>
        {
            var session = Load(write, checkoutSessionId, clocks);
            if (session is null)
            {
                return new Written(null, null);
            }

            var selection = choose(session, buyer, form);
            if (!selection.IsSuccess)
            {
                return new Written(session, selection.Error);
            }

            var associated = session.AssociateBuyer(selection.Value, clocks.Now(session.Environment));
            return associated.Error is not null ? new Written(session, associated.Error) : new Written(Save(write, associated.Value), null);
        });

        if (outcome.Session is null)
        {
            return NotFound();
        }

        if (outcome.Error is not null)
        {
            return Page(
                StatusCodes.Status400BadRequest,
                "This choice cannot be used",
                $"""
                <p class="alert">{Html.Encode(outcome.Error.Message)}</p>
                <p><a href="{Html.Encode(CheckoutPath(checkoutSessionId, null))}">Choose again</a></p>
                """);
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
            return NotFound();
        }

        var back = session.WebCheckoutDetails.CheckoutCancelUrl;
        return back is not null
            ? SeeOther(back)
            : Page(StatusCodes.Status200OK, "Checkout canceled", $"<p>You canceled checkout. <a href=\"{Html.Encode(MerchantHome(session))}\">Return to the shop</a>.</p>");
    }

    /// <summary>
    /// <c>amazonPayRedirectUrl</c>: processes the payment with the chosen instrument and returns the buyer to the
    /// merchant, or, when the instrument was soft-declined, asks for another one (form <c>buyer-retry-payment</c>).
    /// </summary>
    private static async Task<IResult> ProcessAsync(HttpContext context, ITillpointStore store, IAntiforgery antiforgery, BusinessClocks clocks)
    {
        var id = context.Request.Query["amazonCheckoutSessionId"].ToString();
        if (string.IsNullOrEmpty(id))
        {
            return Page(StatusCodes.Status400BadRequest, "Checkout missing", "<p>The link is missing its checkout session id (amazonCheckoutSessionId).</p>");
        }

        var outcome = await store.WriteAsync(write =>
        {
            var session = Load(write, id, clocks);
            if (session is null)
            {
                return new Written(null, null);
            }

            var processed = session.Process(clocks.Now(session.Environment));
            return processed.Error is not null ? new Written(session, processed.Error) : new Written(Save(write, processed.Value), null);
        });

        if (outcome.Session is null)
        {
            return NotFound();
        }

        if (outcome.Session is { State: CheckoutSessionState.Open, SoftDeclinedInstrumentId: not null })
        {
            return RetryPage(StatusCodes.Status200OK, outcome.Session, antiforgery.GetAndStoreTokens(context), null);
        }

        return Returned(outcome.Session, outcome.Error, redirectAfterPost: false);
    }

    /// <summary>
    /// After a soft decline: the buyer's next instrument (form <c>buyer-retry-payment</c>), then processing again. The
    /// buyer is the one the session already has, as on the processing page itself, which the session id opens.
    /// </summary>
    private static async Task<IResult> RetryAsync(string checkoutSessionId, HttpContext context, ITillpointStore store, IAntiforgery antiforgery, BusinessClocks clocks)
    {
        if (!await antiforgery.IsRequestValidAsync(context))
        {
            return BadForm();
        }

        var form = await context.Request.ReadFormAsync();
        var outcome = await store.WriteAsync(write =>
        {
            var session = Load(write, checkoutSessionId, clocks);
            if (session is null)
            {
                return new Written(null, null);
            }

            // A second submit of the same form finds processing done: it goes where the first one went.
            if (session.SoftDeclinedInstrumentId is null && (session.Processed || session.State != CheckoutSessionState.Open))
            {
                return new Written(session, null);
            }

            var now = clocks.Now(session.Environment);
            var buyer = SandboxBuyers.Find(session.Selection?.Buyer.BuyerId);
            var instrument = buyer is null ? null : SandboxBuyers.FindInstrument(buyer, form["paymentInstrumentId"]);
            if (instrument is null)
            {
                return new Written(session, DomainError.InvalidValue("paymentInstrumentId", "choose one of your payment methods."));
            }

            var chosen = session.ChooseAnotherInstrument(instrument.InstrumentId, instrument.Descriptor, instrument.Behavior, now);
            if (chosen.Error is not null)
            {
                return new Written(session, chosen.Error);
            }

            var processed = chosen.Value.Value.Process(now);
            return processed.Error is not null
                ? new Written(Save(write, chosen.Value), processed.Error)
                : new Written(Save(write, new Transition<CheckoutSession>(processed.Value.Value, [.. chosen.Value.Events, .. processed.Value.Events])), null);
        });

        if (outcome.Session is null)
        {
            return NotFound();
        }

        if (outcome.Session is { State: CheckoutSessionState.Open, SoftDeclinedInstrumentId: not null })
        {
            return RetryPage(StatusCodes.Status400BadRequest, outcome.Session, antiforgery.GetAndStoreTokens(context), outcome.Error);
        }

        // Nothing was declined to retry (the form was posted before processing): the buyer is not sent on as if paid.
        if (outcome.Session is { State: CheckoutSessionState.Open, Processed: false })
        {
            return Page(
                StatusCodes.Status409Conflict,
                "This checkout cannot be processed",
                $"<p class=\"alert\">{Html.Encode(outcome.Error?.Message ?? "The payment has not been processed yet.")}</p>");
        }

        return Returned(outcome.Session, outcome.Error, redirectAfterPost: true);
    }

    /// <summary>
    /// The end of processing: back to <c>checkoutResultReturnUrl</c>. Declined and canceled checkouts also go back to
    /// the merchant, who reads the reason with Get Checkout Session.
    /// </summary>
    private static IResult Returned(CheckoutSession session, DomainError? error, bool redirectAfterPost)
    {
        var result = session.WebCheckoutDetails.CheckoutResultReturnUrl;
        if (error is not null && result is null)
        {
            return Page(StatusCodes.Status409Conflict, "This checkout cannot be processed", $"<p class=\"alert\">{Html.Encode(error.Message)}</p>");
        }

        var location = ReturnUrl(result!, session.CheckoutSessionId);
        return redirectAfterPost ? SeeOther(location) : Found(location);
    }

    private static IResult RetryPage(int status, CheckoutSession session, AntiforgeryTokenSet tokens, DomainError? error)
    {
        var selection = session.Selection!;
        var buyer = SandboxBuyers.Find(selection.Buyer.BuyerId);
        var instruments = buyer is null ? string.Empty : InstrumentChoices(buyer, selected: null, declined: session.SoftDeclinedInstrumentId);
        var problem = error is null ? string.Empty : $"<p class=\"alert\">{Html.Encode(error.Message)}</p>";
        var body = $"""
            <p class="alert" role="alert" id="payment-declined">{Html.Encode(selection.PaymentDescriptor)} was declined. Choose another payment method to pay {Html.Encode(AmountText(session))}.</p>
            {problem}
            <form id="buyer-retry-payment" method="post" action="/checkout/{Html.Encode(session.CheckoutSessionId)}/retry">
              {TokenField(tokens)}
              {instruments}
              <button type="submit">Pay now</button>
            </form>
            {CancelForm(session, tokens)}
            """;
        return Page(status, "Your payment method was declined", body);
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

    private static Result<Change?> ParseChange(string? value) => value switch
    {
        null or "" => (Change?)null,
        "address" => (Change?)Change.Address,
        "payment" => (Change?)Change.Payment,
        _ => DomainError.InvalidValue("change", $"'{value}' is not address or payment."),
    };

    /// <summary>
    /// A change link works for the buyer who made the choice being changed, and only where there is something to change;
    /// anyone else gets the whole choice again.
    /// </summary>
    private static bool CanChange(CheckoutSession session, SandboxBuyer buyer, Change change) =>
        CurrentSelection(session, buyer) is not null
        && session.WebCheckoutDetails.CheckoutMode != CheckoutMode.ProcessOrder
        && change switch
        {
            Change.Address => NeedsAddress(session),
            Change.Payment => true,
        };

    private static BuyerSelection? CurrentSelection(CheckoutSession session, SandboxBuyer buyer) =>
        session.Selection is { } selection && selection.Buyer.BuyerId == buyer.BuyerId ? selection : null;

    private static DomainError NothingToChange() =>
        new(ErrorCode.InvalidCheckoutSessionStatus, "There is no earlier choice of this buyer to change; choose an address and a payment method first.");

    /// <summary>The buyer picks the shipping address unless the checkout ships nothing or the merchant supplied it (APB).</summary>
    private static bool NeedsAddress(CheckoutSession session) => session.ProductType != ProductType.PayOnly && session.AddressDetails is null;

    private static Address? AddressOf(SandboxBuyer buyer, string? index) =>
        int.TryParse(index, NumberStyles.None, CultureInfo.InvariantCulture, out var i) && i < buyer.Addresses.Count ? buyer.Addresses[i] : null;

    private static string CheckoutPath(string checkoutSessionId, Change? change) =>
        $"/checkout/{Uri.EscapeDataString(checkoutSessionId)}" + (change is { } asked ? $"?change={ChangeName(asked)}" : string.Empty);

    private static string ChangeName(Change change) => change switch
    {
        Change.Address => "address",
        Change.Payment => "payment",
    };

    private static string ProcessingPath(string checkoutSessionId) =>
        $"/checkout/processing?amazonCheckoutSessionId={Uri.EscapeDataString(checkoutSessionId)}";

    private static string ReturnUrl(string url, string checkoutSessionId) => WithQuery(url, "amazonCheckoutSessionId", checkoutSessionId);

    private static string MerchantHome(CheckoutSession session) =>
        SiteHome(session.WebCheckoutDetails.CheckoutReviewReturnUrl ?? session.WebCheckoutDetails.CheckoutResultReturnUrl);

    /// <summary>What a write to a session did: the session as saved (null when it does not exist) and any refusal.</summary>
    private readonly record struct Written(CheckoutSession? Session, DomainError? Error);

    private static IResult NotFound() =>
        Page(StatusCodes.Status404NotFound, "Checkout not found", "<p>This checkout does not exist or has expired.</p>");

    private static string SignInForm(CheckoutSession session, string? merchantName, Change? change, AntiforgeryTokenSet tokens)
    {
        var changeField = change is { } asked ? $"<input type=\"hidden\" name=\"change\" value=\"{ChangeName(asked)}\">" : string.Empty;
        return $"""
            <p>Sign in as a sandbox test buyer to pay {Html.Encode(AmountText(session))} to {Html.Encode(merchantName ?? "the shop")}.</p>
            <form id="buyer-signin" method="post" action="/checkout/{Html.Encode(session.CheckoutSessionId)}/sign-in">
              {TokenField(tokens)}
              {changeField}
              {BuyerChoice()}
              <button type="submit">Continue</button>
            </form>
            """;
    }

    private static string SelectionForm(CheckoutSession session, SandboxBuyer buyer, AntiforgeryTokenSet tokens)
    {
        var current = CurrentSelection(session, buyer);
        var addresses = NeedsAddress(session) ? AddressChoices(session, buyer, current?.ShippingAddress) : string.Empty;
        var next = session.WebCheckoutDetails.CheckoutMode == CheckoutMode.ProcessOrder ? "Pay now" : "Continue to the shop";
        return $"""
            <p>Signed in as {Html.Encode(buyer.Name)} ({Html.Encode(buyer.Email)}). Choose how to pay {Html.Encode(AmountText(session))}.</p>
            <form id="buyer-approve" method="post" action="/checkout/{Html.Encode(session.CheckoutSessionId)}/approve">
              {TokenField(tokens)}
              {addresses}
              {InstrumentChoices(buyer, current?.InstrumentId, declined: null)}
              <button type="submit">{next}</button>
            </form>
            """;
    }

    private static string ChangeAddressForm(CheckoutSession session, SandboxBuyer buyer, AntiforgeryTokenSet tokens) => $"""
        <form id="buyer-change-address" method="post" action="/checkout/{Html.Encode(session.CheckoutSessionId)}/address">
          {TokenField(tokens)}
          {AddressChoices(session, buyer, session.Selection!.ShippingAddress)}
          <button type="submit">Use this address</button>
        </form>
        {KeepCurrentLink(session)}
        """;

    private static string ChangePaymentForm(CheckoutSession session, SandboxBuyer buyer, AntiforgeryTokenSet tokens) => $"""
        <form id="buyer-change-payment" method="post" action="/checkout/{Html.Encode(session.CheckoutSessionId)}/payment">
          {TokenField(tokens)}
          {InstrumentChoices(buyer, session.Selection!.InstrumentId, declined: null)}
          <button type="submit">Use this payment method</button>
        </form>
        {KeepCurrentLink(session)}
        """;

    /// <summary>Back to the review page without changing anything (change pages offer no cancel: it would end the checkout).</summary>
    private static string KeepCurrentLink(CheckoutSession session) =>
        $"<p><a id=\"keep-current\" href=\"{Html.Encode(ReturnUrl(session.WebCheckoutDetails.CheckoutReviewReturnUrl!, session.CheckoutSessionId))}\">Keep the current choice and return to the shop</a></p>";

    private static string CancelForm(CheckoutSession session, AntiforgeryTokenSet tokens) => $"""
        <form id="buyer-cancel" method="post" action="/checkout/{Html.Encode(session.CheckoutSessionId)}/cancel">
          {TokenField(tokens)}
          <button type="submit" class="secondary">Cancel and return to the shop</button>
        </form>
        """;

    /// <summary>
    /// The buyer's addresses as radios <c>shippingAddressId</c> = index; those deliverySpecifications rule out are
    /// disabled (the domain refuses them too). The current address is checked, else the first allowed one.
    /// </summary>
    private static string AddressChoices(CheckoutSession session, SandboxBuyer buyer, Address? selected)
    {
        var allowed = buyer.Addresses.Select(a => session.DeliverySpecifications?.Permits(a) ?? true).ToList();
        var check = selected is not null && buyer.Addresses.Contains(selected) ? buyer.Addresses.ToList().IndexOf(selected) : allowed.IndexOf(true);
        var html = new StringBuilder("<fieldset><legend>Ship to</legend>");
        for (var i = 0; i < buyer.Addresses.Count; i++)
        {
            html.Append(CultureInfo.InvariantCulture, $"<div class=\"choice\"><input type=\"radio\" id=\"address-{i}\" name=\"shippingAddressId\" value=\"{i}\"")
                .Append(i == check && allowed[i] ? " checked" : string.Empty)
                .Append(allowed[i] ? string.Empty : " disabled")
                .Append(CultureInfo.InvariantCulture, $"><label for=\"address-{i}\">{Html.Encode(Describe(buyer.Addresses[i]))}")
                .Append(allowed[i] ? string.Empty : " <span class=\"hint\">The shop does not ship here.</span>")
                .Append("</label></div>");
        }

        return html.Append("</fieldset>").ToString();
    }

    /// <summary>
    /// The buyer's instruments as radios <c>paymentInstrumentId</c>, each labelled with what it simulates; a
    /// <paramref name="declined"/> one is shown disabled. The current one is checked, else the first usable one.
    /// </summary>
    private static string InstrumentChoices(SandboxBuyer buyer, string? selected, string? declined)
    {
        var check = buyer.Instruments.Any(i => i.InstrumentId == selected && i.InstrumentId != declined)
            ? selected
            : buyer.Instruments.First(i => i.InstrumentId != declined).InstrumentId;
        var html = new StringBuilder("<fieldset><legend>Pay with</legend>");
        foreach (var (instrument, i) in buyer.Instruments.Select((x, i) => (x, i)))
        {
            var isDeclined = instrument.InstrumentId == declined;
            html.Append(CultureInfo.InvariantCulture, $"<div class=\"choice\"><input type=\"radio\" id=\"instrument-{i}\" name=\"paymentInstrumentId\" value=\"{Html.Encode(instrument.InstrumentId)}\"")
                .Append(instrument.InstrumentId == check ? " checked" : string.Empty)
                .Append(isDeclined ? " disabled" : string.Empty)
                .Append(CultureInfo.InvariantCulture, $"><label for=\"instrument-{i}\">{Html.Encode(instrument.Descriptor)}")
                .Append(CultureInfo.InvariantCulture, $" <span class=\"hint\">{(isDeclined ? "Declined just now" : Html.Encode(Explain(instrument.Behavior)))}</span></label></div>");
        }

        return html.Append("</fieldset>").ToString();
    }

    private static string AmountText(CheckoutSession session) =>
        session.PaymentDetails.ChargeAmount?.ToString() ?? "your order";

    private static string Describe(Address a) =>
        string.Join(", ", new[] { a.Name, a.AddressLine1, a.AddressLine2, a.City, a.StateOrRegion, a.PostalCode, a.CountryCode }.Where(p => !string.IsNullOrEmpty(p)));

    private static string Explain(InstrumentBehavior behavior) => behavior switch
    {
        InstrumentBehavior.Succeeds => "Sandbox: succeeds",
        InstrumentBehavior.BuyerCancels => "Sandbox: the buyer cancels during processing",
        InstrumentBehavior.Declines => "Sandbox: declined",
        InstrumentBehavior.PendingThenAuthorized => "Sandbox: pending, then authorized",
        InstrumentBehavior.PendingThenDeclined => "Sandbox: pending, then declined",
        InstrumentBehavior.SoftDeclines => "Sandbox: soft-declined during processing; choose another",
    };
}
