using Tillpoint.Client;
using Tillpoint.Protocol.Json;

namespace Tillpoint.Server.Tests.Support;

/// <summary>One server and one merchant shared by a test class (tests that move the clock start their own).</summary>
public sealed class HostFixture : IAsyncLifetime
{
    public TillpointHost Host { get; private set; } = null!;

    public TestMerchant Merchant { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Host = await TillpointHost.StartAsync();
        Merchant = await Host.CreateMerchantAsync();
    }

    public async Task DisposeAsync() => await Host.DisposeAsync();
}

/// <summary>One server and one merchant the operator granted the <c>psp</c> role (the PSP operations' tests).</summary>
public sealed class PspHostFixture : IAsyncLifetime
{
    public TillpointHost Host { get; private set; } = null!;

    public TestMerchant Merchant { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Host = await TillpointHost.StartAsync();
        Merchant = await Host.CreateMerchantAsync();
        await Host.GrantAsync(Merchant, "psp");
    }

    public async Task DisposeAsync() => await Host.DisposeAsync();
}

/// <summary>The merchant's side of the standard checkout, step by step, for tests to compose.</summary>
public static class Checkouts
{
    public const string ReviewUrl = "https://merchant.example/review";
    public const string ResultUrl = "https://merchant.example/result";

    public static Task<AmazonPayResponse<CheckoutSessionDto>> CreateAsync(AmazonPayClient client, TestMerchant merchant, string? idempotencyKey = null) =>
        client.CreateCheckoutSessionAsync(
            new CreateCheckoutSessionRequest
            {
                WebCheckoutDetails = new WebCheckoutDetailsDto { CheckoutReviewReturnUrl = ReviewUrl },
                StoreId = merchant.StoreId,
            },
            new RequestOptions { IdempotencyKey = idempotencyKey });

    public static Task<AmazonPayResponse<CheckoutSessionDto>> UpdateAsync(
        AmazonPayClient client, string checkoutSessionId, string amount = "14.00", string intent = "Authorize", bool canHandlePending = false,
        string currency = "USD", RequestOptions? options = null) =>
        client.UpdateCheckoutSessionAsync(
            checkoutSessionId,
            new UpdateCheckoutSessionRequest
            {
                WebCheckoutDetails = new WebCheckoutDetailsDto { CheckoutResultReturnUrl = ResultUrl },
                PaymentDetails = new PaymentDetailsDto
                {
                    PaymentIntent = intent,
                    CanHandlePendingAuthorization = canHandlePending,
                    ChargeAmount = new Price { Amount = amount, CurrencyCode = currency },
                },
                MerchantMetadata = new MerchantMetadataDto { MerchantReferenceId = "order-1001", MerchantStoreName = "Test Store" },
            },
            options);

    /// <summary>Create, buyer approval, update and processing: a session ready to be completed.</summary>
    public static async Task<CheckoutSessionDto> ProcessedAsync(
        TillpointHost host, AmazonPayClient client, TestMerchant merchant, string instrumentId = "visa-1111", string intent = "Authorize",
        string amount = "14.00", bool canHandlePending = false, string currency = "USD")
    {
        var created = (await CreateAsync(client, merchant)).Value;
        using var browser = host.Browser();
        var pages = new HostedCheckout(browser);
        await pages.ApproveAsync(created.CheckoutSessionId!, instrumentId);
        var updated = (await UpdateAsync(client, created.CheckoutSessionId!, amount, intent, canHandlePending, currency)).Value;
        await pages.ProcessAsync(updated.WebCheckoutDetails!.AmazonPayRedirectUrl!);
        return updated;
    }

    public static Task<AmazonPayResponse<CheckoutSessionDto>> CompleteAsync(
        AmazonPayClient client, string checkoutSessionId, string amount = "14.00", string currency = "USD", RequestOptions? options = null) =>
        client.CompleteCheckoutSessionAsync(
            checkoutSessionId, new CompleteCheckoutSessionRequest { ChargeAmount = new Price { Amount = amount, CurrencyCode = currency } }, options);

    /// <summary>A completed checkout with an Authorized charge.</summary>
    public static async Task<CheckoutSessionDto> AuthorizedAsync(TillpointHost host, AmazonPayClient client, TestMerchant merchant, string amount = "14.00")
    {
        var processed = await ProcessedAsync(host, client, merchant, amount: amount);
        return (await CompleteAsync(client, processed.CheckoutSessionId!, amount)).Value;
    }

    public static Task<AmazonPayResponse<ChargeDto>> CaptureAsync(
        AmazonPayClient client, string chargeId, string amount = "14.00", string currency = "USD", string? idempotencyKey = null, string? softDescriptor = null,
        string? simulationCode = null) =>
        client.CaptureChargeAsync(
            chargeId,
            new CaptureChargeRequest { CaptureAmount = new Price { Amount = amount, CurrencyCode = currency }, SoftDescriptor = softDescriptor },
            new RequestOptions { IdempotencyKey = idempotencyKey, SimulationCode = simulationCode });
}
