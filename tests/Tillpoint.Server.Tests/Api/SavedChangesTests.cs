using Tillpoint.Domain;
using Tillpoint.Domain.Charges;
using Tillpoint.Domain.Refunds;
using Tillpoint.Server.Tests.Support;

namespace Tillpoint.Server.Tests.Api;

/// <summary>
/// A command saves what the domain says changed, including what fell due before it: the stored objects, not only the
/// answers computed from them, are as the API shows them.
/// </summary>
public sealed class SavedChangesTests
{
    private static readonly TimeSpan SandboxDelay = TimeSpan.FromSeconds(30);

    [Theory]
    [InlineData("1.00", 201, null)]
    // More than may still be refunded: refused, yet the settlement it found on the way is kept.
    [InlineData("500.00", 422, "TransactionAmountExceeded")]
    public async Task ARefundThatSettledBeforeAWrite_IsSavedWithItsChargesRefundedAmount(string nextRefund, int status, string? reasonCode)
    {
        await using var host = await TillpointHost.StartAsync();
        var merchant = await host.CreateMerchantAsync();
        using var client = host.Client(merchant);
        var permissionId = await Payments.ChargePermissionAsync(host, client, merchant, "100.00");
        var chargeId = (await Payments.CreateChargeAsync(client, permissionId, "80.00", captureNow: true)).Value.ChargeId!;
        var refundId = (await Payments.RefundAsync(client, chargeId, "20.00")).Value.RefundId!;

        await host.AdvanceSandboxAsync(SandboxDelay);
        // A write on the same ledger saves what fell due (the first refund settled) with its own change, if any.
        Assert.Equal(new Outcome(status, reasonCode), await Payments.OutcomeAsync(() => Payments.RefundAsync(client, chargeId, nextRefund)));

        var (charge, refund) = host.Store.Read(reader => (reader.GetCharge(merchant.MerchantId, chargeId)!, reader.GetRefund(merchant.MerchantId, refundId)!));
        Assert.Equal(RefundState.Refunded, refund.State);
        Assert.Null(refund.PendingUntil);
        Assert.Equal(ChargeState.Captured, charge.State);
        Assert.Equal(new Money(20.00m, Currency.USD), charge.RefundedAmount);
    }
}
