using Microsoft.AspNetCore.Antiforgery;
using Tillpoint.Domain.Buyers;
using Tillpoint.Domain.CheckoutSessions;
using Tillpoint.Server.Commands;
using static Tillpoint.Server.Checkout.HostedPage;
using static Tillpoint.Server.Commands.BuyerCheckout;

namespace Tillpoint.Server.Checkout;

/// <summary>
/// The processing step at <c>amazonPayRedirectUrl</c>: the chosen instrument decides the outcome and the buyer returns
/// to the merchant, or after a soft decline picks another instrument and processing runs again.
/// </summary>
internal static partial class HostedCheckoutPages
{
    /// <summary>
    /// <c>amazonPayRedirectUrl</c>: processes the payment with the chosen instrument and returns the buyer to the
    /// merchant, or, when the instrument was soft-declined, asks for another one (form <c>buyer-retry-payment</c>).
    /// </summary>
    private static async Task<IResult> ProcessAsync(HttpContext context, ITillpointStore store, IAntiforgery antiforgery, BusinessClocks clocks)
    {
        var id = context.Request.Query["amazonCheckoutSessionId"].ToString();
        if (string.IsNullOrEmpty(id))
        {
            return Notice(
                StatusCodes.Status400BadRequest,
                Frame(PageLanguages.ForCheckout(context, store, null), "CheckoutMissing"),
                new NoticeLine(PageText.Of("CheckoutMissingText")));
        }

        var outcome = await BuyerCheckout.WriteAsync(store, id, clocks, Process);
        var language = PageLanguages.ForCheckout(context, store, outcome.Session);
        if (outcome.Session is null)
        {
            return NotFound(language);
        }

        if (outcome.Session is { State: CheckoutSessionState.Open, SoftDeclinedInstrumentId: not null })
        {
            return RetryPage(language, StatusCodes.Status200OK, outcome.Session, antiforgery.GetAndStoreTokens(context), null);
        }

        return Returned(language, outcome.Session, outcome.Error, redirectAfterPost: false);
    }

    /// <summary>
    /// After a soft decline: the buyer's next instrument (form <c>buyer-retry-payment</c>), then processing again. The
    /// buyer is the one the session already has, as on the processing page itself, which the session id opens.
    /// </summary>
    private static async Task<IResult> RetryAsync(string checkoutSessionId, HttpContext context, ITillpointStore store, IAntiforgery antiforgery, BusinessClocks clocks)
    {
        if (!await antiforgery.IsRequestValidAsync(context))
        {
            return FormExpired(context, store, checkoutSessionId, clocks);
        }

        var form = await context.Request.ReadFormAsync();
        // A second submit of the same form finds processing done: it goes where the first one went.
        var outcome = await BuyerCheckout.WriteAsync(
            store, checkoutSessionId, clocks, (write, session, now) => ChooseAnotherInstrument(write, session, form["paymentInstrumentId"], now));

        var language = PageLanguages.ForCheckout(context, store, outcome.Session);
        if (outcome.Session is null)
        {
            return NotFound(language);
        }

        if (outcome.Session is { State: CheckoutSessionState.Open, SoftDeclinedInstrumentId: not null })
        {
            return RetryPage(language, StatusCodes.Status400BadRequest, outcome.Session, antiforgery.GetAndStoreTokens(context), outcome.Error);
        }

        // Nothing was declined to retry (the form was posted before processing): the buyer is not sent on as if paid.
        if (outcome.Session is { State: CheckoutSessionState.Open, Processed: false })
        {
            return CannotProcess(language, outcome.Error is null ? PageText.Of("NotProcessedYet") : PageText.Given(outcome.Error.Message));
        }

        return Returned(language, outcome.Session, outcome.Error, redirectAfterPost: true);
    }

    /// <summary>
    /// The end of processing: back to <c>checkoutResultReturnUrl</c>. Declined and canceled checkouts also go back to
    /// the merchant, who reads the reason with Get Checkout Session.
    /// </summary>
    private static IResult Returned(HostedLanguage language, CheckoutSession session, DomainError? error, bool redirectAfterPost)
    {
        var result = session.WebCheckoutDetails.CheckoutResultReturnUrl;
        if (error is not null && result is null)
        {
            return CannotProcess(language, PageText.Given(error.Message));
        }

        var location = ReturnUrl(result!, session.CheckoutSessionId);
        return redirectAfterPost ? SeeOther(location) : Found(location);
    }

    private static IResult CannotProcess(HostedLanguage language, PageText why) =>
        Notice(StatusCodes.Status409Conflict, Frame(language, "CannotProcess"), new NoticeLine(why) { Alert = true });

    private static IResult RetryPage(HostedLanguage language, int status, CheckoutSession session, AntiforgeryTokenSet tokens, DomainError? error)
    {
        var selection = session.Selection!;
        var buyer = SandboxBuyers.Find(selection.Buyer.BuyerId);
        return Render(
            Pages.PaymentDeclined.Create(new PaymentDeclinedPage(
                Frame(language, "PaymentDeclined"),
                session.CheckoutSessionId,
                PageText.Of("PaymentDeclinedText", selection.PaymentDescriptor, AmountText(session)),
                error is null ? null : PageText.Given(error.Message),
                buyer is null ? [] : InstrumentChoices(buyer, selected: null, declined: session.SoftDeclinedInstrumentId),
                tokens)),
            status,
            language);
    }
}
