using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using Tillpoint.Protocol.Json;
using Tillpoint.Shop.Configuration;
using Tillpoint.Shop.Subscriptions;
using Tillpoint.Testing;

namespace ShopTests;

/// <summary>
/// The shop's subscription against a Tillpoint of the test's own: sign-up through a Recurring checkout with the first
/// month charged, then the shop's own monthly charges as the sandbox clock moves on, a decline the buyer recovers from,
/// and the buyer canceling.
/// </summary>
public sealed class SubscriptionPaymentsTests : IAsyncLifetime
{
    private static readonly Uri ShopBase = new("https://shop.example.test/");

    private readonly string _shopData = Directory.CreateTempSubdirectory("shop-subscription-tests-").FullName;
    private TillpointTestServer _tillpoint = null!;
    private SubscriptionPayments _payments = null!;

    public async Task InitializeAsync()
    {
        _tillpoint = await TillpointTestServer.StartAsync();
        var options = new ShopOptions
        {
            TillpointUrl = _tillpoint.BaseUrl,
            TillpointPublicUrl = _tillpoint.BaseUrl,
            MerchantId = _tillpoint.MerchantId,
            StoreId = _tillpoint.StoreId,
            PublicKeyId = _tillpoint.PublicKeyId,
            PrivateKeyPath = Path.Combine(_shopData, "unused.pem"),
            DataDirectory = _shopData,
        };
        _payments = new SubscriptionPayments(_tillpoint.Client, new SubscriptionStore(_shopData), options, NullLogger<SubscriptionPayments>.Instance);
    }

    public async Task DisposeAsync()
    {
        await _tillpoint.DisposeAsync();
        Directory.Delete(_shopData, recursive: true);
    }

    [Fact]
    public async Task AYearOfMonthlyCharges_OnTheAdvancedClock_EachMonthChargedOnce()
    {
        var subscription = await SignUpAsync();
        Assert.Equal(SubscriptionState.Active, subscription.State);
        var signedUp = subscription.Charges.Single().Month;
        Assert.Equal(signedUp.AddMonths(1), subscription.NextChargeAt);

        for (var month = 1; month <= 12; month++)
        {
            var now = await _tillpoint.Clock.AdvanceAsync(TimeSpan.FromDays(31));
            Assert.Equal(1, await _payments.ChargeDueAsync(now, default));
            // The shop's run twice in a month charges nobody twice.
            Assert.Equal(0, await _payments.ChargeDueAsync(now, default));
        }

        subscription = await _payments.RefreshAsync(subscription, default);
        var stored = new SubscriptionStore(_shopData).Find(subscription.Number)!;
        Assert.Equal(SubscriptionState.Active, stored.State);
        Assert.Equal(Enumerable.Range(0, 13).Select(signedUp.AddMonths), stored.Charges.Select(c => c.Month));
        Assert.All(stored.Charges, c => Assert.Equal(("Captured", 14.00m), (c.State, c.Amount)));
        foreach (var charge in stored.Charges.Skip(1))
        {
            var shown = (await _tillpoint.Client.GetChargeAsync(charge.ChargeId)).Value;
            Assert.Equal(("MITR", "Web", "14.00"), (shown.ChargeInitiator, shown.Channel, shown.CaptureAmount!.Amount));
        }

        var permission = (await _tillpoint.Client.GetChargePermissionAsync(stored.ChargePermissionId!)).Value;
        Assert.Equal(("Recurring", "Chargeable"), (permission.ChargePermissionType, permission.StatusDetails!.State));
    }

    [Fact]
    public async Task ADeclinedMonth_StopsTheSubscription_UntilTheBuyerChoosesAnotherPaymentMethod()
    {
        var subscription = await SignUpAsync();
        // The buyer's card stops working: the next month's charge is declined.
        await _tillpoint.Operator.UpdateChargePermissionPaymentMethodAsync(subscription.ChargePermissionId!, "visa-3434");

        var now = await _tillpoint.Clock.AdvanceAsync(TimeSpan.FromDays(31));
        Assert.Equal(0, await _payments.ChargeDueAsync(now, default));
        var failed = new SubscriptionStore(_shopData).Find(subscription.Number)!;
        Assert.Equal((SubscriptionState.PaymentFailed, "HardDeclined"), (failed.State, failed.Problem));

        await _tillpoint.Operator.UpdateChargePermissionPaymentMethodAsync(subscription.ChargePermissionId!, "mastercard-4444");
        var recovered = await _payments.RefreshAsync(failed, default);
        Assert.Equal(SubscriptionState.Active, recovered.State);
        Assert.Equal(1, await _payments.ChargeDueAsync(now, default));
    }

    [Fact]
    public async Task TheBuyerCanceling_EndsTheSubscription_AndNothingMoreIsCharged()
    {
        var subscription = await SignUpAsync();

        await _tillpoint.Operator.CloseChargePermissionAsBuyerAsync(subscription.ChargePermissionId!);
        var canceled = await _payments.RefreshAsync(subscription, default);
        var now = await _tillpoint.Clock.AdvanceAsync(TimeSpan.FromDays(31));

        Assert.Equal((SubscriptionState.Canceled, "BuyerClosed"), (canceled.State, canceled.Problem));
        Assert.Equal(0, await _payments.ChargeDueAsync(now, default));
    }

    [Fact]
    public async Task TheButton_AsksForAMonthlyRecurringAgreement()
    {
        var session = (await _tillpoint.Client.CreateCheckoutSessionAsync(ButtonRequest())).Value;

        Assert.Equal("Recurring", session.ChargePermissionType);
        Assert.Equal("""{"frequency":{"unit":"Month","value":"1"},"amount":{"amount":"14.00","currencyCode":"USD"}}""", session.RecurringMetadata!.Value.GetRawText());
        Assert.Equal("https://shop.example.test/subscriptions/review", session.WebCheckoutDetails!.CheckoutReviewReturnUrl);
    }

    /// <summary>The button's checkout, the buyer's approval, the review page's Subscribe, processing and the result page.</summary>
    private async Task<Subscription> SignUpAsync()
    {
        var checkoutSessionId = (await _tillpoint.Client.CreateCheckoutSessionAsync(ButtonRequest())).Value.CheckoutSessionId!;
        await _tillpoint.Buyer.ApproveAsync(checkoutSessionId);
        var now = await _tillpoint.Clock.NowAsync();
        var (subscription, redirect) = (await _payments.StartAsync(checkoutSessionId, ShopBase, now, default))!.Value;
        Assert.NotNull(redirect);
        var processed = await _tillpoint.Buyer.PayAsync(checkoutSessionId);
        Assert.Equal($"https://shop.example.test/subscriptions/result?amazonCheckoutSessionId={checkoutSessionId}", processed.RedirectUrl);
        return await _payments.CompleteAsync(subscription, now, default);
    }

    private CreateCheckoutSessionRequest ButtonRequest() =>
        JsonSerializer.Deserialize(_payments.Button(ShopBase).PayloadJson, ApiRequestJsonContext.Default.CreateCheckoutSessionRequest)!;
}
