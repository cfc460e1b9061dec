using System.Text.Json;
using Tillpoint.Client;
using Tillpoint.Protocol.Json;
using Tillpoint.Server.Tests.Support;

namespace Tillpoint.Server.Tests.Api.Recurring;

/// <summary>Recurring and saved-wallet checkouts through Tillpoint.Client and the hosted pages, for tests to compose.</summary>
public static class Agreements
{
    public static JsonElement Json(string json) => JsonDocument.Parse(json).RootElement.Clone();

    public static readonly JsonElement Monthly = Json("""{"frequency": {"unit": "Month", "value": "1"}, "amount": {"amount": "14.00", "currencyCode": "USD"}}""");

    /// <summary>Create (with the type and metadata), buyer approval, update, processing and Complete: the permission's id.</summary>
    public static async Task<CheckoutSessionDto> CompletedAsync(
        TillpointHost host,
        AmazonPayClient client,
        TestMerchant merchant,
        string type,
        string intent,
        JsonElement? recurringMetadata = null,
        JsonElement? paymentMethodOnFileMetadata = null,
        string amount = "14.00")
    {
        var created = (await client.CreateCheckoutSessionAsync(new CreateCheckoutSessionRequest
        {
            WebCheckoutDetails = new WebCheckoutDetailsDto { CheckoutReviewReturnUrl = Checkouts.ReviewUrl },
            StoreId = merchant.StoreId,
            ChargePermissionType = type,
            RecurringMetadata = recurringMetadata,
            PaymentMethodOnFileMetadata = paymentMethodOnFileMetadata,
        })).Value;
        Assert.Equal(type, created.ChargePermissionType);
        using var browser = host.Browser();
        var pages = new HostedCheckout(browser);
        await pages.ApproveAsync(created.CheckoutSessionId!);
        var updated = (await Checkouts.UpdateAsync(client, created.CheckoutSessionId!, amount, intent)).Value;
        await pages.ProcessAsync(updated.WebCheckoutDetails!.AmazonPayRedirectUrl!);
        var completed = await Checkouts.CompleteAsync(client, created.CheckoutSessionId!, amount);
        Assert.Equal(200, completed.StatusCode);
        return completed.Value;
    }

    public static Task<AmazonPayResponse<ChargeDto>> ChargeAsync(
        AmazonPayClient client, string chargePermissionId, string amount, string initiator, string channel = "Web", string? simulationCode = null) =>
        client.CreateChargeAsync(
            new CreateChargeRequest
            {
                ChargePermissionId = chargePermissionId,
                ChargeAmount = Payments.Price(amount),
                CaptureNow = true,
                ChargeInitiator = initiator,
                Channel = channel,
            },
            new RequestOptions { SimulationCode = simulationCode });
}
