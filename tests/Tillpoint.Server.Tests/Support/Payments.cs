using Tillpoint.Client;
using Tillpoint.Protocol.Json;

namespace Tillpoint.Server.Tests.Support;

/// <summary>What a call answered: its status and, for an error, its reasonCode.</summary>
public readonly record struct Outcome(int StatusCode, string? ReasonCode)
{
    public override string ToString() => ReasonCode is null ? $"{StatusCode}" : $"{StatusCode} {ReasonCode}";
}

/// <summary>The merchant's side of the payment lifecycle after checkout, for tests to compose (see <see cref="Checkouts"/>).</summary>
public static class Payments
{
    /// <summary>A permission to charge later: a checkout with paymentIntent Confirm, completed. Returns its id.</summary>
    public static async Task<string> ChargePermissionAsync(
        TillpointHost host, AmazonPayClient client, TestMerchant merchant, string amount = "100.00", string currency = "USD",
        string instrumentId = "visa-1111")
    {
        var processed = await Checkouts.ProcessedAsync(host, client, merchant, instrumentId, "Confirm", amount, currency: currency);
        var completed = (await Checkouts.CompleteAsync(client, processed.CheckoutSessionId!, amount, currency)).Value;
        Assert.Null(completed.ChargeId);
        return completed.ChargePermissionId!;
    }

    public static Price Price(string amount, string currency = "USD") => new() { Amount = amount, CurrencyCode = currency };

    public static Task<AmazonPayResponse<ChargeDto>> CreateChargeAsync(
        AmazonPayClient client,
        string chargePermissionId,
        string amount,
        string currency = "USD",
        bool captureNow = false,
        bool canHandlePending = false,
        string? simulationCode = null,
        string? idempotencyKey = null,
        string? softDescriptor = null) =>
        client.CreateChargeAsync(
            new CreateChargeRequest
            {
                ChargePermissionId = chargePermissionId,
                ChargeAmount = Price(amount, currency),
                CaptureNow = captureNow,
                CanHandlePendingAuthorization = canHandlePending,
                SoftDescriptor = softDescriptor,
            },
            new RequestOptions { IdempotencyKey = idempotencyKey, SimulationCode = simulationCode });

    public static Task<AmazonPayResponse<RefundDto>> RefundAsync(
        AmazonPayClient client, string chargeId, string amount, string currency = "USD", string? simulationCode = null, string? idempotencyKey = null) =>
        client.CreateRefundAsync(
            new CreateRefundRequest { ChargeId = chargeId, RefundAmount = Price(amount, currency) },
            new RequestOptions { IdempotencyKey = idempotencyKey, SimulationCode = simulationCode });

    public static Task<AmazonPayResponse<ChargeDto>> CancelAsync(AmazonPayClient client, string chargeId, string? simulationCode = null) =>
        client.CancelChargeAsync(
            chargeId, new CancelChargeRequest { CancellationReason = "Out of stock" }, new RequestOptions { SimulationCode = simulationCode });

    public static Task<AmazonPayResponse<ChargePermissionDto>> CloseAsync(
        AmazonPayClient client, string chargePermissionId, bool cancelPendingCharges = false, string? simulationCode = null) =>
        client.CloseChargePermissionAsync(
            chargePermissionId,
            new CloseChargePermissionRequest { ClosureReason = "Order fulfilled", CancelPendingCharges = cancelPendingCharges },
            new RequestOptions { SimulationCode = simulationCode });

    public static Task<AmazonPayResponse<ChargePermissionDto>> UpdateAsync(
        AmazonPayClient client, string chargePermissionId, MerchantMetadataDto merchantMetadata) =>
        client.UpdateChargePermissionAsync(chargePermissionId, new UpdateChargePermissionRequest { MerchantMetadata = merchantMetadata });

    public static async Task<string> ChargeStateAsync(AmazonPayClient client, string chargeId) =>
        (await client.GetChargeAsync(chargeId)).Value.StatusDetails!.State!;

    /// <summary>The permission's state and its reason codes, e.g. "NonChargeable ChargeInProgress".</summary>
    public static async Task<string> PermissionStateAsync(AmazonPayClient client, string chargePermissionId)
    {
        var status = (await client.GetChargePermissionAsync(chargePermissionId)).Value.StatusDetails!;
        return string.Join(' ', [status.State!, .. (status.Reasons ?? []).Select(r => r.ReasonCode!)]);
    }

    /// <summary>Runs a call and says how it was answered, success or error.</summary>
    public static async Task<Outcome> OutcomeAsync<T>(Func<Task<AmazonPayResponse<T>>> call)
    {
        try
        {
            return new Outcome((await call()).StatusCode, null);
        }
        catch (AmazonPayException e)
        {
            return new Outcome(e.StatusCode, e.ReasonCode);
        }
    }
}
