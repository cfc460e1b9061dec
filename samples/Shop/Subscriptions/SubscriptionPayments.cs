using System.Text.Json;
using Tillpoint.Client;
using Tillpoint.Protocol.Json;
using Tillpoint.Shop.Catalog;
using Tillpoint.Shop.Checkout;
using Tillpoint.Shop.Configuration;
using Tillpoint.Shop.Payments;

namespace Tillpoint.Shop.Subscriptions;

/// <summary>
/// A subscription through Amazon Pay's Recurring checkout: the button asks for a monthly agreement, the review page sets
/// the first month's payment (charged at checkout), the result page completes it, and every month after that the shop
/// charges the agreement's Charge Permission itself with Create Charge (merchant-initiated, recurring: <c>MITR</c>).
/// </summary>
public sealed class SubscriptionPayments(AmazonPayClient amazonPay, SubscriptionStore subscriptions, ShopOptions options, ILogger<SubscriptionPayments> logger)
{
    /// <summary>The subscription page's button: a Create Checkout Session body for a monthly Recurring agreement.</summary>
    public CheckoutButton Button(Uri shopBase) => CheckoutButton.Sign(amazonPay, options, new CreateCheckoutSessionRequest
    {
        WebCheckoutDetails = new WebCheckoutDetailsDto
        {
            CheckoutReviewReturnUrl = new Uri(shopBase, "subscriptions/review").AbsoluteUri,
            CheckoutCancelUrl = new Uri(shopBase, "subscriptions?checkout=canceled").AbsoluteUri,
        },
        StoreId = options.StoreId,
        Scopes = ["name", "email"],
        ChargePermissionType = "Recurring",
        // The terms the buyer is shown and agrees to; the shop still charges each month itself.
        RecurringMetadata = JsonDocument.Parse($$"""
            {"frequency": {"unit": "Month", "value": "1"}, "amount": {"amount": "{{Money.ApiAmount(SubscriptionPlan.MonthlyPrice)}}", "currencyCode": "{{options.Currency}}" } }
            """).RootElement.Clone(),
    });

    /// <summary>
    /// The buyer confirmed on the review page: stores the subscription and sets the first month's payment (Update Checkout
    /// Session, <c>AuthorizeWithCapture</c>); returns it with <c>amazonPayRedirectUrl</c>, or null when the checkout has ended.
    /// </summary>
    public async Task<(Subscription Subscription, string? RedirectUrl)?> StartAsync(string checkoutSessionId, Uri shopBase, DateTimeOffset now, CancellationToken ct)
    {
        var session = (await amazonPay.GetCheckoutSessionAsync(checkoutSessionId, null, ct)).Value;
        if (session.StatusDetails?.State != "Open" || session.ChargePermissionType != "Recurring")
        {
            return null;
        }

        var subscription = subscriptions.Add(new Subscription
        {
            Number = 0,
            CheckoutSessionId = checkoutSessionId,
            SignedUpAt = now,
            BuyerName = session.Buyer?.Name,
            BuyerEmail = session.Buyer?.Email,
        });
        if (subscription.State != SubscriptionState.AwaitingPayment)
        {
            return (subscription, null);
        }

        var updated = (await amazonPay.UpdateCheckoutSessionAsync(
            checkoutSessionId,
            new UpdateCheckoutSessionRequest
            {
                WebCheckoutDetails = new WebCheckoutDetailsDto { CheckoutResultReturnUrl = new Uri(shopBase, "subscriptions/result").AbsoluteUri },
                PaymentDetails = new PaymentDetailsDto { PaymentIntent = "AuthorizeWithCapture", ChargeAmount = Price(SubscriptionPlan.MonthlyPrice) },
                MerchantMetadata = new MerchantMetadataDto { MerchantReferenceId = subscription.Reference, MerchantStoreName = options.StoreName },
            },
            null,
            ct)).Value;
        return (subscription, updated.WebCheckoutDetails?.AmazonPayRedirectUrl);
    }

    /// <summary>
    /// At <c>checkoutResultReturnUrl</c>: Complete Checkout Session, then Get Checkout Session to learn the outcome. The
    /// first month is paid now; the next falls due a month later.
    /// </summary>
    public async Task<Subscription> CompleteAsync(Subscription subscription, DateTimeOffset now, CancellationToken ct)
    {
        if (subscription.State != SubscriptionState.AwaitingPayment)
        {
            return subscription;
        }

        try
        {
            await amazonPay.CompleteCheckoutSessionAsync(
                subscription.CheckoutSessionId, new CompleteCheckoutSessionRequest { ChargeAmount = Price(SubscriptionPlan.MonthlyPrice) }, null, ct);
        }
        catch (AmazonPayException e) when (e.ReasonCode is "CheckoutSessionCanceled" or "InvalidCheckoutSessionStatus")
        {
            logger.LogInformation("Complete of {CheckoutSessionId} answered {ReasonCode}", subscription.CheckoutSessionId, e.ReasonCode);
        }

        var session = (await amazonPay.GetCheckoutSessionAsync(subscription.CheckoutSessionId, null, ct)).Value;
        return session.StatusDetails?.State switch
        {
            "Completed" when session.ChargePermissionId is { } permission && session.ChargeId is { } charge => Save(subscription, s => s with
            {
                State = SubscriptionState.Active,
                ChargePermissionId = permission,
                NextChargeAt = now.AddMonths(1),
                Charges = [new SubscriptionCharge(charge, now, SubscriptionPlan.MonthlyPrice, "Captured")],
            }),
            "Canceled" => Save(subscription, s => s with { State = SubscriptionState.Canceled, Problem = session.StatusDetails.ReasonCode }),
            _ => subscription,
        };
    }

    /// <summary>
    /// The shop's monthly run: charges every active subscription whose month has fallen due by <paramref name="now"/>,
    /// one Create Charge per month missed (each with its own idempotency key, so a second run charges nobody twice). A
    /// decline stops that subscription at PaymentFailed until the buyer chooses another payment method.
    /// </summary>
    /// <returns>How many months were charged.</returns>
    public async Task<int> ChargeDueAsync(DateTimeOffset now, CancellationToken ct)
    {
        var charged = 0;
        foreach (var due in subscriptions.All().Where(s => s.State == SubscriptionState.Active && s.NextChargeAt <= now))
        {
            var subscription = due;
            while (subscription is { State: SubscriptionState.Active, NextChargeAt: { } month } && month <= now)
            {
                subscription = await ChargeMonthAsync(subscription, month, ct);
                charged += subscription.State == SubscriptionState.Active ? 1 : 0;
            }
        }

        return charged;
    }

    /// <summary>
    /// Brings the subscription up to date with its Charge Permission: Closed (the buyer canceled, or it expired) ends it;
    /// Chargeable again after a decline (the buyer chose another payment method) makes it active, and the month is
    /// charged at the next run.
    /// </summary>
    public async Task<Subscription> RefreshAsync(Subscription subscription, CancellationToken ct)
    {
        if (subscription.ChargePermissionId is not { } id || subscription.State == SubscriptionState.Canceled)
        {
            return subscription;
        }

        var status = (await amazonPay.GetChargePermissionAsync(id, null, ct)).Value.StatusDetails;
        return status?.State switch
        {
            "Closed" => Save(subscription, s => s with { State = SubscriptionState.Canceled, Problem = status.Reasons?.FirstOrDefault()?.ReasonCode }),
            "Chargeable" when subscription.State == SubscriptionState.PaymentFailed =>
                Save(subscription, s => s with { State = SubscriptionState.Active, Problem = null }),
            _ => subscription,
        };
    }

    private async Task<Subscription> ChargeMonthAsync(Subscription subscription, DateTimeOffset month, CancellationToken ct)
    {
        try
        {
            var charge = (await amazonPay.CreateChargeAsync(
                new CreateChargeRequest
                {
                    ChargePermissionId = subscription.ChargePermissionId,
                    ChargeAmount = Price(SubscriptionPlan.MonthlyPrice),
                    CaptureNow = true,
                    ChargeInitiator = "MITR",
                    Channel = "Web",
                    MerchantMetadata = new MerchantMetadataDto { MerchantReferenceId = subscription.Reference },
                },
                new RequestOptions { IdempotencyKey = IdempotencyKeys.Renewal(subscription, month) },
                ct)).Value;
            return Save(subscription, s => s with
            {
                NextChargeAt = month.AddMonths(1),
                RefusedAttempts = 0,
                Charges = [.. s.Charges, new SubscriptionCharge(charge.ChargeId!, month, SubscriptionPlan.MonthlyPrice, charge.StatusDetails?.State ?? "Unknown")],
            });
        }
        catch (AmazonPayException e) when (e.StatusCode is 400 or 404 or 422)
        {
            // HardDeclined or SoftDeclined: the buyer must choose another payment method; a closed permission: it has ended.
            logger.LogWarning("Subscription {Subscription}: the charge for {Month:yyyy-MM} was refused: {ReasonCode}", subscription.Reference, month, e.ReasonCode);
            return Save(subscription, s => s with
            {
                State = e.ReasonCode == "InvalidChargePermissionStatus" ? SubscriptionState.Canceled : SubscriptionState.PaymentFailed,
                Problem = e.ReasonCode,
                RefusedAttempts = s.RefusedAttempts + 1,
            });
        }
    }

    private Subscription Save(Subscription subscription, Func<Subscription, Subscription> change) =>
        subscriptions.Update(subscription.Number, change) ?? throw new InvalidOperationException($"Subscription {subscription.Number} disappeared from the store.");

    private Price Price(decimal amount) => new() { Amount = Money.ApiAmount(amount), CurrencyCode = options.Currency };
}
