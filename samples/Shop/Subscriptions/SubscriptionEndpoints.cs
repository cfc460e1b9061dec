using Tillpoint.Shop.Catalog;
using Tillpoint.Shop.Configuration;
using Tillpoint.Shop.Web;

namespace Tillpoint.Shop.Subscriptions;

/// <summary>
/// The subscription's pages: the plan with its Amazon Pay button, the review page that starts it, the result page that
/// completes it, the subscription itself (with the buyer's link to manage the agreement at Amazon Pay), and the back
/// office's "charge what is due" (in a real shop a scheduled job behind the merchant's login).
/// </summary>
public static class SubscriptionEndpoints
{
    private const string SessionParameter = "amazonCheckoutSessionId";

    public static void MapSubscriptions(this WebApplication app)
    {
        app.MapGet("/subscriptions", Plan);
        app.MapGet("/subscriptions/review", ReviewAsync);
        app.MapPost("/subscriptions/review", StartAsync);
        app.MapGet("/subscriptions/result", ResultAsync);
        app.MapGet("/subscriptions/{number:int}", ShowAsync);
        app.MapPost("/subscriptions/charge-due", ChargeDueAsync);
    }

    private static IResult Plan(HttpContext context, SubscriptionPayments payments, ShopOptions options)
    {
        var button = payments.Button(ShopUrls.Base(context, options));
        var price = Money.Display(SubscriptionPlan.MonthlyPrice, options.Currency);
        var canceled = context.Request.Query["checkout"] == "canceled"
            ? Html.Of($"""<p id="subscriptionCanceled" class="notice">You canceled at Amazon Pay; nothing was charged.</p>""")
            : Html.Empty;
        return Layout.Page(context, StatusCodes.Status200OK, SubscriptionPlan.Name, Html.Of($"""
            <h1>{SubscriptionPlan.Name}</h1>
            {canceled}
            <p>{SubscriptionPlan.Description}</p>
            <p id="monthlyPrice">{price} a month, the first month charged when you sign up.</p>
            {button.Section(options, "Subscribe", "PayOnly", "Product", SubscriptionPlan.MonthlyPrice, "Subscribe with Amazon Pay")}
            """), StorefrontEndpoints.Scripts(options));
    }

    private static async Task<IResult> ReviewAsync(HttpContext context, Payments.OrderPayments orders, ShopOptions options, CancellationToken ct)
    {
        var checkoutSessionId = context.Request.Query[SessionParameter].ToString();
        var session = string.IsNullOrEmpty(checkoutSessionId) ? null : await orders.GetCheckoutSessionAsync(checkoutSessionId, ct);
        if (session is not { StatusDetails.State: "Open" })
        {
            return Ended(context);
        }

        var price = Money.Display(SubscriptionPlan.MonthlyPrice, options.Currency);
        return Layout.Page(context, StatusCodes.Status200OK, "Confirm your subscription", Html.Of($"""
            <h1>Confirm your subscription</h1>
            <dl>
              <dt>Plan</dt><dd>{SubscriptionPlan.Name}</dd>
              <dt>Name</dt><dd id="buyerName">{session.Buyer?.Name}</dd>
              <dt>Email</dt><dd id="buyerEmail">{session.Buyer?.Email}</dd>
              <dt>Pay with</dt><dd id="paymentDescriptor">{session.PaymentPreferences?.FirstOrDefault()?.PaymentDescriptor}</dd>
              <dt>Price</dt><dd id="monthlyPrice">{price} a month, the first month now</dd>
            </dl>
            <form id="subscribeForm" method="post" action="/subscriptions/review">
              {Layout.TokenField(context)}
              <input type="hidden" name="{SessionParameter}" value="{checkoutSessionId}">
              <button id="subscribe" type="submit">Subscribe for {price} a month</button>
            </form>
            """));
    }

    private static async Task<IResult> StartAsync(HttpContext context, SubscriptionPayments payments, ShopOptions options, TimeProvider clock, CancellationToken ct)
    {
        if (!await Layout.IsFormValidAsync(context))
        {
            return Layout.FormExpired(context);
        }

        var form = await context.Request.ReadFormAsync(ct);
        var started = await payments.StartAsync(form[SessionParameter].ToString(), ShopUrls.Base(context, options), clock.GetUtcNow(), ct);
        return started switch
        {
            null => Ended(context),
            ({ } subscription, null) => Layout.SeeOther($"/subscriptions/{subscription.Number}"),
            (_, { } redirect) => Layout.SeeOther(redirect),
        };
    }

    private static async Task<IResult> ResultAsync(HttpContext context, SubscriptionPayments payments, SubscriptionStore subscriptions, TimeProvider clock, CancellationToken ct)
    {
        if (subscriptions.FindByCheckoutSession(context.Request.Query[SessionParameter].ToString()) is not { } subscription)
        {
            return Ended(context);
        }

        var completed = await payments.CompleteAsync(subscription, clock.GetUtcNow(), ct);
        return Layout.SeeOther($"/subscriptions/{completed.Number}");
    }

    private static async Task<IResult> ShowAsync(
        int number, HttpContext context, SubscriptionPayments payments, SubscriptionStore subscriptions, ShopOptions options, CancellationToken ct)
    {
        if (subscriptions.Find(number) is not { } found)
        {
            return Layout.Problem(context, StatusCodes.Status404NotFound, "Subscription not found", "There is no subscription with this number.");
        }

        var subscription = await payments.RefreshAsync(found, ct);
        var charges = Html.Join(subscription.Charges.Select(c => Html.Of(
            $"""<li data-state="{c.State}">{c.Month:yyyy-MM-dd}: {Money.Display(c.Amount, options.Currency)} ({c.State})</li>""")));
        // Amazon Pay's page where the buyer manages the agreement: another payment method after a decline, or cancel it.
        var manage = subscription.ChargePermissionId is { } id && subscription.State != SubscriptionState.Canceled
            ? Html.Of($"""<p><a id="manageSubscription" href="{new Uri(options.TillpointPublicUrl, $"checkout/chargePermissions/{Uri.EscapeDataString(id)}").AbsoluteUri}">Change the payment method or cancel at Amazon Pay</a></p>""")
            : Html.Empty;
        return Layout.Page(context, StatusCodes.Status200OK, $"Subscription {subscription.Reference}", Html.Of($"""
            <h1>Subscription {subscription.Reference}</h1>
            <p>{SubscriptionPlan.Name} for {subscription.BuyerName}.</p>
            <p>State: <strong id="subscriptionState" data-state="{subscription.State}">{subscription.State}</strong> <span id="subscriptionProblem">{subscription.Problem}</span></p>
            <p>Next charge: <span id="nextCharge">{subscription.NextChargeAt?.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture) ?? "none"}</span></p>
            <h2>Charges</h2>
            <ul id="subscriptionCharges">{charges}</ul>
            {manage}
            <form id="chargeDueForm" method="post" action="/subscriptions/charge-due">
              {Layout.TokenField(context)}
              <input type="hidden" name="number" value="{subscription.Number}">
              <button id="chargeDue" type="submit" class="secondary">Charge the subscriptions that are due</button>
            </form>
            """));
    }

    /// <summary>The back office's monthly run (see <see cref="SubscriptionPayments.ChargeDueAsync"/>).</summary>
    private static async Task<IResult> ChargeDueAsync(HttpContext context, SubscriptionPayments payments, TimeProvider clock, CancellationToken ct)
    {
        if (!await Layout.IsFormValidAsync(context))
        {
            return Layout.FormExpired(context);
        }

        await payments.ChargeDueAsync(clock.GetUtcNow(), ct);
        var form = await context.Request.ReadFormAsync(ct);
        return int.TryParse(form["number"], out var number) ? Layout.SeeOther($"/subscriptions/{number}") : Layout.SeeOther("/subscriptions");
    }

    private static IResult Ended(HttpContext context) => Layout.Problem(
        context, StatusCodes.Status409Conflict, "Sign-up ended", "This Amazon Pay checkout has ended. Please start again.", "/subscriptions", "Back to the coffee club");
}
