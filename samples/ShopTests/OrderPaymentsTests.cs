using System.Net;
using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using Tillpoint.Protocol.Json;
using Tillpoint.Shop.Catalog;
using Tillpoint.Shop.Checkout;
using Tillpoint.Shop.Configuration;
using Tillpoint.Shop.Orders;
using Tillpoint.Shop.Payments;
using Tillpoint.Testing;

namespace ShopTests;

/// <summary>
/// The shop's checkout code (the button's payload, step 4's Place Order) against a Tillpoint of the test's own: no
/// server to start by hand, no merchant or key to make, no certificate to install.
/// </summary>
public sealed class OrderPaymentsTests : IAsyncLifetime
{
    private static readonly Uri ShopBase = new("https://shop.example.test/");

    private readonly string _shopData = Directory.CreateTempSubdirectory("shop-tests-").FullName;
    private TillpointTestServer _tillpoint = null!;
    private ShopOptions _options = null!;
    private OrderPayments _payments = null!;

    private static Cart TwoMugs => Cart.Empty.Add(Products.All[0], 2);

    public async Task InitializeAsync()
    {
        _tillpoint = await TillpointTestServer.StartAsync();
        var privateKey = Path.Combine(_shopData, "private.pem");
        await File.WriteAllTextAsync(privateKey, _tillpoint.PrivateKeyPem);
        _options = new ShopOptions
        {
            TillpointUrl = _tillpoint.BaseUrl,
            TillpointPublicUrl = _tillpoint.BaseUrl,
            MerchantId = _tillpoint.MerchantId,
            StoreId = _tillpoint.StoreId,
            PublicKeyId = _tillpoint.PublicKeyId,
            PrivateKeyPath = privateKey,
            DataDirectory = _shopData,
        };
        _payments = new OrderPayments(_tillpoint.Client, new OrderStore(_shopData), _options, TimeProvider.System, NullLogger<OrderPayments>.Instance);
    }

    public async Task DisposeAsync()
    {
        await _tillpoint.DisposeAsync();
        Directory.Delete(_shopData, recursive: true);
    }

    [Fact]
    public async Task TheCheckoutButton_StartsACheckoutThatReturnsToTheShopsReviewPage()
    {
        var button = CheckoutButton.Create(_tillpoint.Client, _options, ShopBase);
        using var browser = _tillpoint.CreateHttpClient();

        // checkout.js sends the buyer to this link; Tillpoint checks the shop's signature and shows its sign-in page.
        using var page = await browser.GetAsync(button.StartLink(_tillpoint.BaseUrl));

        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        var checkoutSessionId = page.RequestMessage!.RequestUri!.AbsolutePath["/checkout/".Length..];
        var session = await _payments.GetCheckoutSessionAsync(checkoutSessionId, default);
        Assert.Equal("Open", session?.StatusDetails?.State);
        Assert.Equal("https://shop.example.test/checkout/review", session?.WebCheckoutDetails?.CheckoutReviewReturnUrl);
    }

    [Fact]
    public async Task AnOrderPaidThroughAmazonPay_IsCaptured_AndARefundSettlesAMinuteLater()
    {
        var checkoutSessionId = await StartCheckoutAsync();
        await _tillpoint.Buyer.ApproveAsync(checkoutSessionId);

        var placed = Assert.IsType<PlaceOrderOutcome.RedirectToAmazonPay>(await _payments.PlaceOrderAsync(checkoutSessionId, TwoMugs, ShopBase, default));
        var processed = await _tillpoint.Buyer.PayAsync(checkoutSessionId);
        var paid = await _payments.CompleteCheckoutAsync(placed.Order, default);
        var (refunding, problem) = await _payments.RefundAsync(paid, 5.00m, default);
        await _tillpoint.Clock.AdvanceAsync(TimeSpan.FromMinutes(1));
        var refunded = await _payments.RefreshAsync(refunding!, default);

        Assert.Equal($"https://shop.example.test/checkout/result?amazonCheckoutSessionId={checkoutSessionId}", processed.RedirectUrl);
        Assert.Equal(OrderState.Paid, paid.State);
        Assert.Equal(paid.Total, paid.AmountCaptured);
        Assert.Null(problem);
        Assert.Equal([("Refunded", 5.00m)], refunded.Refunds.Select(r => (r.State, r.Amount)));
    }

    [Fact]
    public async Task AnOrderWhoseCardIsDeclined_IsCanceled_WithAmazonsReason()
    {
        var checkoutSessionId = await StartCheckoutAsync();
        await _tillpoint.Buyer.ApproveAsync(checkoutSessionId, new BuyerChoice { PaymentInstrumentId = "visa-3434" });

        var placed = Assert.IsType<PlaceOrderOutcome.RedirectToAmazonPay>(await _payments.PlaceOrderAsync(checkoutSessionId, TwoMugs, ShopBase, default));
        await _tillpoint.Buyer.PayAsync(checkoutSessionId);
        var order = await _payments.CompleteCheckoutAsync(placed.Order, default);

        Assert.Equal(OrderState.Canceled, order.State);
        Assert.Equal("Declined", order.CancelReason);
        Assert.Equal(0m, order.AmountCaptured);
    }

    [Fact]
    public async Task PlaceOrder_BeforeTheBuyerChoseAnAddress_AsksForOne_AndStoresNoOrder()
    {
        var checkoutSessionId = await StartCheckoutAsync();

        var outcome = await _payments.PlaceOrderAsync(checkoutSessionId, TwoMugs, ShopBase, default);

        var refused = Assert.IsType<PlaceOrderOutcome.Refused>(outcome);
        Assert.Equal(409, refused.Status);
        Assert.Contains("no shipping address", refused.Message, StringComparison.Ordinal);
        Assert.Null(new OrderStore(_shopData).FindByCheckoutSession(checkoutSessionId));
    }

    [Fact]
    public async Task PlaceOrder_ADayLater_SaysTheCheckoutHasEnded()
    {
        var checkoutSessionId = await StartCheckoutAsync();

        await _tillpoint.Clock.AdvanceAsync(TimeSpan.FromDays(1) + TimeSpan.FromSeconds(1));
        var outcome = await _payments.PlaceOrderAsync(checkoutSessionId, TwoMugs, ShopBase, default);

        var refused = Assert.IsType<PlaceOrderOutcome.Refused>(outcome);
        Assert.Equal(409, refused.Status);
        Assert.Contains("has ended", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PlaceOrder_OfACheckoutTillpointDoesNotKnow_SaysSo()
    {
        var outcome = await _payments.PlaceOrderAsync("c0ffee00-0000-4000-8000-000000000000", TwoMugs, ShopBase, default);

        var refused = Assert.IsType<PlaceOrderOutcome.Refused>(outcome);
        Assert.Equal(404, refused.Status);
    }

    /// <summary>A checkout session made from the shop's own button payload, as checkout.js would have made it.</summary>
    private async Task<string> StartCheckoutAsync()
    {
        var button = CheckoutButton.Create(_tillpoint.Client, _options, ShopBase);
        var request = JsonSerializer.Deserialize(button.PayloadJson, ApiRequestJsonContext.Default.CreateCheckoutSessionRequest)!;
        return (await _tillpoint.Client.CreateCheckoutSessionAsync(request)).Value.CheckoutSessionId!;
    }
}
