using Tillpoint.Client;
using Tillpoint.Protocol.Json;
using Tillpoint.Server.Tests.Support;

namespace Tillpoint.Server.Tests.Api.Regions;

/// <summary>
/// A merchant's region decides the currencies its checkouts may use: US and JP merchants their ledger currency only, EU
/// and UK merchants the twelve multi-currency ones. Anything else is refused as a bad value and changes nothing.
/// </summary>
public sealed class RegionCurrencyTests(HostFixture fixture) : IClassFixture<HostFixture>
{
    private TillpointHost Host => fixture.Host;

    private static Task<AmazonPayResponse<CheckoutSessionDto>> CreateAsync(
        AmazonPayClient client, TestMerchant merchant, string amount, string currency) =>
        CreateAsync(client, merchant, new PaymentDetailsDto { PaymentIntent = "Authorize", ChargeAmount = Payments.Price(amount, currency) });

    private static Task<AmazonPayResponse<CheckoutSessionDto>> CreateAsync(AmazonPayClient client, TestMerchant merchant, PaymentDetailsDto payment) =>
        client.CreateCheckoutSessionAsync(new CreateCheckoutSessionRequest
        {
            WebCheckoutDetails = new WebCheckoutDetailsDto { CheckoutReviewReturnUrl = Checkouts.ReviewUrl },
            StoreId = merchant.StoreId,
            PaymentDetails = payment,
        });

    [Theory]
    [InlineData("na", "EUR")]
    [InlineData("na", "JPY")]
    [InlineData("jp", "USD")]
    [InlineData("jp", "GBP")]
    public async Task CreateCheckoutSession_InACurrencyTheRegionDoesNotPresent_IsInvalidParameterValue(string region, string currency)
    {
        var merchant = await Host.CreateMerchantAsync(region);
        using var client = Host.Client(merchant);

        var refused = await Assert.ThrowsAsync<AmazonPayException>(() => CreateAsync(client, merchant, "100", currency));

        Assert.Equal(400, refused.StatusCode);
        Assert.Equal("InvalidParameterValue", refused.ReasonCode);
        Assert.Contains("paymentDetails.chargeAmount.currencyCode", refused.Message, StringComparison.Ordinal);
        Assert.Contains($"'{currency}' is not a presentment currency", refused.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("eu", "EUR")]
    [InlineData("eu", "GBP")]
    [InlineData("eu", "DKK")]
    [InlineData("eu", "JPY")]
    [InlineData("uk", "GBP")]
    [InlineData("uk", "USD")]
    [InlineData("uk", "ZAR")]
    [InlineData("na", "USD")]
    [InlineData("jp", "JPY")]
    public async Task CreateCheckoutSession_InAPresentedCurrency_PresentsIt(string region, string currency)
    {
        var merchant = await Host.CreateMerchantAsync(region);
        using var client = Host.Client(merchant);

        var created = (await CreateAsync(client, merchant, "100", currency)).Value;

        Assert.Equal(currency, created.PaymentDetails!.ChargeAmount!.CurrencyCode);
        Assert.Equal(currency, created.PaymentDetails.PresentmentCurrency);
    }

    [Fact]
    public async Task CreateCheckoutSession_PresentmentCurrencyOfAnotherRegion_IsRefusedNamingIt()
    {
        var merchant = await Host.CreateMerchantAsync("jp");
        using var client = Host.Client(merchant);

        var refused = await Assert.ThrowsAsync<AmazonPayException>(
            () => CreateAsync(client, merchant, new PaymentDetailsDto { PresentmentCurrency = "EUR" }));

        Assert.Equal((400, "InvalidParameterValue"), (refused.StatusCode, refused.ReasonCode));
        Assert.Contains("paymentDetails.presentmentCurrency", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UpdateCheckoutSession_InACurrencyTheRegionDoesNotPresent_IsRefusedAndChangesNothing()
    {
        var merchant = await Host.CreateMerchantAsync("na");
        using var client = Host.Client(merchant);
        var created = (await Checkouts.CreateAsync(client, merchant)).Value;

        var refused = await Assert.ThrowsAsync<AmazonPayException>(
            () => Checkouts.UpdateAsync(client, created.CheckoutSessionId!, "10.00", currency: "GBP"));
        var after = (await client.GetCheckoutSessionAsync(created.CheckoutSessionId!)).Value;

        Assert.Equal((400, "InvalidParameterValue"), (refused.StatusCode, refused.ReasonCode));
        Assert.Null(after.PaymentDetails?.ChargeAmount);
        Assert.Null(after.MerchantMetadata?.MerchantReferenceId);
    }

    [Fact]
    public async Task TotalOrderAmountInAnotherCurrency_IsStillACurrencyMismatch()
    {
        var merchant = await Host.CreateMerchantAsync("na");
        using var client = Host.Client(merchant);

        var refused = await Assert.ThrowsAsync<AmazonPayException>(() => CreateAsync(
            client, merchant, new PaymentDetailsDto { ChargeAmount = Payments.Price("10.00"), TotalOrderAmount = Payments.Price("20.00", "EUR") }));

        Assert.Equal((400, "CurrencyMismatch"), (refused.StatusCode, refused.ReasonCode));
    }

    [Theory]
    [InlineData("na", "150000.00", "150000.01", "USD")]
    [InlineData("eu", "150000.00", "150000.01", "EUR")]
    [InlineData("uk", "150000.00", "150000.01", "GBP")]
    [InlineData("jp", "10000000", "10000001", "JPY")]
    public async Task ChargeAmount_UpToTheRegionsMaximum_IsTaken_AndAboveItRefused(string region, string max, string over, string currency)
    {
        var merchant = await Host.CreateMerchantAsync(region);
        using var client = Host.Client(merchant);

        var atMax = await Payments.OutcomeAsync(() => CreateAsync(client, merchant, max, currency));
        var refused = await Assert.ThrowsAsync<AmazonPayException>(() => CreateAsync(client, merchant, over, currency));

        Assert.Equal(new Outcome(201, null), atMax);
        Assert.Equal((400, "InvalidParameterValue"), (refused.StatusCode, refused.ReasonCode));
        Assert.Contains("exceeds the maximum", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task JpMerchant_PaysInYen_FromCheckoutToRefund()
    {
        var merchant = await Host.CreateMerchantAsync("jp");
        using var client = Host.Client(merchant);

        var processed = await Checkouts.ProcessedAsync(Host, client, merchant, intent: "AuthorizeWithCapture", amount: "5400", currency: "JPY");
        var completed = (await Checkouts.CompleteAsync(client, processed.CheckoutSessionId!, "5400", "JPY")).Value;
        var charge = (await client.GetChargeAsync(completed.ChargeId!)).Value;
        var refund = (await Payments.RefundAsync(client, completed.ChargeId!, "400", "JPY")).Value;
        var inDollars = await Payments.OutcomeAsync(() => Payments.CreateChargeAsync(client, completed.ChargePermissionId!, "10.00", "USD"));

        Assert.Equal(("5400", "JPY"), (charge.CaptureAmount!.Amount, charge.CaptureAmount.CurrencyCode));
        Assert.Equal(("400", "JPY"), (refund.RefundAmount!.Amount, refund.RefundAmount.CurrencyCode));
        Assert.Equal(new Outcome(400, "CurrencyMismatch"), inDollars);
    }

    [Fact]
    public async Task EuMerchant_PaysInAPresentmentCurrency_AndItsPermissionKeepsIt()
    {
        var merchant = await Host.CreateMerchantAsync("eu");
        using var client = Host.Client(merchant);

        var processed = await Checkouts.ProcessedAsync(Host, client, merchant, intent: "Authorize", amount: "120.50", currency: "SEK");
        var completed = (await Checkouts.CompleteAsync(client, processed.CheckoutSessionId!, "120.50", "SEK")).Value;
        var permission = (await client.GetChargePermissionAsync(completed.ChargePermissionId!)).Value;
        var captured = (await Checkouts.CaptureAsync(client, completed.ChargeId!, "120.50", "SEK")).Value;

        Assert.Equal("SEK", permission.PresentmentCurrency);
        Assert.Equal("SEK", permission.Limits!.AmountLimit!.CurrencyCode);
        Assert.Equal(("120.50", "SEK"), (captured.CaptureAmount!.Amount, captured.CaptureAmount.CurrencyCode));
    }
}
