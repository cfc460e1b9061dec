using Tillpoint.Domain.Buyers;
using Tillpoint.Domain.CheckoutSessions;
using Tillpoint.Protocol.Json;
using Tillpoint.Server.Commands;
using Tillpoint.Server.Errors;

namespace Tillpoint.Server.Operator;

/// <summary>
/// The headless buyer: what a sandbox buyer does on the hosted pages, as three operator calls a test script makes instead
/// of driving HTML. They run the hosted pages' own use cases (<see cref="BuyerCheckout"/>) and answer where the buyer's
/// browser would be sent, <c>200 {"redirectUrl": …}</c>. Sandbox sessions only.
/// </summary>
internal static class HeadlessBuyerEndpoints
{
    public static void MapHeadlessBuyer(this WebApplication app)
    {
        app.MapPost("/operator/checkoutSessions/{checkoutSessionId}/approve", ApproveAsync);
        app.MapPost("/operator/checkoutSessions/{checkoutSessionId}/pay", PayAsync);
        app.MapPost("/operator/checkoutSessions/{checkoutSessionId}/cancel", CancelAsync);
    }

    /// <summary>
    /// The buyer signs in and chooses (form <c>buyer-approve</c>); in the Additional Payment Button flow the buyer then goes
    /// straight through processing, as the hosted page sends them. Choosing again before processing replaces the choice,
    /// so a repeat answers the same redirect.
    /// </summary>
    private static async Task ApproveAsync(string checkoutSessionId, HttpContext context)
    {
        if (!await OperatorEndpoints.AuthorizedAsync(context))
        {
            return;
        }

        var choice = await OperatorEndpoints.ReadBodyAsync(context, ApiRequestJsonContext.Default.BuyerChoice, optional: true);
        if (!choice.IsSuccess)
        {
            await ApiErrors.WriteAsync(context, choice.Error);
            return;
        }

        await StepAsync(context, checkoutSessionId, AfterChoice, (write, session, now) =>
        {
            var buyerId = choice.Value.BuyerId ?? session.Selection?.Buyer.BuyerId ?? SandboxBuyers.All[0].BuyerId;
            if (SandboxBuyers.Find(buyerId) is not { } buyer)
            {
                return new BuyerStep(session, DomainError.InvalidValue("buyerId", $"'{buyerId}' is not a sandbox test buyer."));
            }

            // With no address the merchant ships to, the first one is offered, for the domain to refuse with its reason.
            var addressId = choice.Value.ShippingAddressId
                ?? Math.Max(0, BuyerCheckout.DefaultAddressIndex(session, buyer)).ToString(CultureInfo.InvariantCulture);
            var instrumentId = choice.Value.PaymentInstrumentId ?? BuyerCheckout.DefaultInstrument(buyer, declined: null).InstrumentId;
            if (choice.Value is { ShippingAddressId: not null, ShippingAddressIds.Count: > 0 })
            {
                return new BuyerStep(session, new DomainError(
                    ErrorCode.InvalidParameterCombination, "Choose either shippingAddressId or shippingAddressIds, not both."));
            }

            var selection = BuyerCheckout.FirstChoice(session, buyer, addressId, instrumentId, choice.Value.ShippingAddressIds);
            var chosen = BuyerCheckout.Choose(write, session, selection, now);
            return chosen is { Error: null, Session.WebCheckoutDetails.CheckoutMode: CheckoutMode.ProcessOrder }
                ? BuyerCheckout.Process(write, chosen.Session, now)
                : chosen;
        });
    }

    /// <summary>The buyer's browser reaches <c>amazonPayRedirectUrl</c>; a repeat on an Open session changes nothing.</summary>
    private static async Task PayAsync(string checkoutSessionId, HttpContext context)
    {
        if (await OperatorEndpoints.AuthorizedAsync(context))
        {
            await StepAsync(context, checkoutSessionId, AfterProcessing, BuyerCheckout.Process);
        }
    }

    /// <summary>The buyer's cancel button. Canceling a session the buyer canceled already answers the same way back.</summary>
    private static async Task CancelAsync(string checkoutSessionId, HttpContext context)
    {
        if (!await OperatorEndpoints.AuthorizedAsync(context))
        {
            return;
        }

        await StepAsync(context, checkoutSessionId, AfterCancel, (write, session, now) =>
            session is { State: CheckoutSessionState.Canceled, ReasonCode: CheckoutSessionReasonCode.BuyerCanceled }
                ? new BuyerStep(session, null)
                : BuyerCheckout.Cancel(write, session, now));
    }

    /// <summary>
    /// Runs a buyer's step on a Sandbox session and answers where the buyer is sent next, or the step's refusal in the
    /// API's error format.
    /// </summary>
    private static async Task StepAsync(
        HttpContext context,
        string checkoutSessionId,
        Func<HttpContext, CheckoutSession, string> destination,
        Func<IWriteSession, CheckoutSession, DateTimeOffset, BuyerStep> step)
    {
        var services = context.RequestServices;
        var outcome = await BuyerCheckout.WriteAsync(
            services.GetRequiredService<ITillpointStore>(),
            checkoutSessionId,
            services.GetRequiredService<BusinessClocks>(),
            (write, session, now) => session.Environment == ReleaseEnvironment.Sandbox
                ? step(write, session, now)
                : new BuyerStep(session, new DomainError(
                    ErrorCode.InvalidRequest, "The headless buyer acts on Sandbox checkout sessions only; a Live buyer uses the hosted pages.")));

        if (outcome.Session is null)
        {
            await ApiErrors.WriteAsync(context, DomainError.NotFound("Checkout Session", checkoutSessionId));
            return;
        }

        if (outcome.Error is not null)
        {
            await ApiErrors.WriteAsync(context, outcome.Error);
            return;
        }

        var answer = new BuyerRedirectDto { RedirectUrl = destination(context, outcome.Session) };
        await context.Response.WriteAsJsonAsync(answer, ApiJsonContext.Default.BuyerRedirectDto);
    }

    /// <summary>
    /// After a choice, the hosted page sends the buyer back to the merchant's review page, or in the Additional Payment
    /// Button flow through processing.
    /// </summary>
    private static string AfterChoice(HttpContext context, CheckoutSession session) =>
        session.WebCheckoutDetails.CheckoutMode == CheckoutMode.ProcessOrder
            ? AfterProcessing(context, session)
            : BuyerCheckout.ReturnUrl(session.WebCheckoutDetails.CheckoutReviewReturnUrl!, session.CheckoutSessionId);

    /// <summary>
    /// After processing: the hosted page that asks for another instrument after a soft decline, else the merchant's
    /// result page, also when processing declined or canceled (the merchant reads why with Get Checkout Session).
    /// </summary>
    private static string AfterProcessing(HttpContext context, CheckoutSession session) =>
        session is { State: CheckoutSessionState.Open, SoftDeclinedInstrumentId: not null }
            ? context.RequestServices.GetRequiredService<ServerOptions>().PublicBaseUrl(context.Request) + BuyerCheckout.ProcessingPath(session.CheckoutSessionId)
            : BuyerCheckout.ReturnUrl(session.WebCheckoutDetails.CheckoutResultReturnUrl!, session.CheckoutSessionId);

    /// <summary>After a cancel: the merchant's checkoutCancelUrl, else the shop the hosted page links to.</summary>
    private static string AfterCancel(HttpContext context, CheckoutSession session) =>
        session.WebCheckoutDetails.CheckoutCancelUrl ?? BuyerCheckout.MerchantHome(session);
}
