using Tillpoint.Domain.Charges;

namespace Tillpoint.Domain.Tests.ChargePermissions;

/// <summary>New charge and refund ids never clash with the ledger's own, and a declined capture shows no amount.</summary>
public class PaymentLedgerIdTests
{
    /// <summary>Draws the listed suffixes in turn, like a random generator that happens to repeat itself.</summary>
    private sealed class RepeatingIds(params int[] suffixes) : IIdGenerator
    {
        private int _next;

        public string NewCheckoutSessionId() => throw new NotSupportedException();

        public string NewChargePermissionId(ReleaseEnvironment environment) => throw new NotSupportedException();

        public string NewChargeId(string chargePermissionId) => $"{chargePermissionId}-C{suffixes[_next++]:D6}";

        public string NewRefundId(string chargePermissionId) => $"{chargePermissionId}-R{suffixes[_next++]:D6}";

        public string NewDisputeId(string chargePermissionId) => $"{chargePermissionId}-B{suffixes[_next++]:D6}";

        public string NewRequestId() => throw new NotSupportedException();
    }

    [Fact]
    public void NewChargeId_DrawsAgain_WhenTheIdIsTaken()
    {
        var (ledger, charge) = Ledgers.Confirmed(Usd.Of(100m)).Charged(Usd.Of(10m));
        var takenSuffix = int.Parse(charge.ChargeId[^6..], System.Globalization.CultureInfo.InvariantCulture);

        var id = ledger.NewChargeId(new RepeatingIds(takenSuffix, takenSuffix, 424242));

        Assert.EndsWith("-C424242", id, StringComparison.Ordinal);
    }

    [Fact]
    public void NewChargeId_GivesUpAfterExactlyOneHundredTakenDraws()
    {
        var (ledger, charge) = Ledgers.Confirmed(Usd.Of(100m)).Charged(Usd.Of(10m));
        var takenSuffix = int.Parse(charge.ChargeId[^6..], System.Globalization.CultureInfo.InvariantCulture);

        // The generator has exactly 100 draws, all taken: a 101st draw would fail differently.
        Assert.Throws<InvalidOperationException>(() => ledger.NewChargeId(new RepeatingIds([.. Enumerable.Repeat(takenSuffix, 100)])));
    }

    [Fact]
    public void NewRefundId_DrawsAgain_WhenTheIdIsTaken()
    {
        var (charged, charge) = Ledgers.Confirmed(Usd.Of(100m)).Charged(Usd.Of(10m), captureNow: true);
        var refunded = Ledgers.Succeeded(charged.TryRefund(charge.ChargeId, Usd.Of(1m))).Ledger.Value;
        var takenSuffix = int.Parse(refunded.Refunds[0].RefundId[^6..], System.Globalization.CultureInfo.InvariantCulture);

        var id = refunded.NewRefundId(new RepeatingIds(takenSuffix, 7));

        Assert.EndsWith("-R000007", id, StringComparison.Ordinal);
    }

    [Fact]
    public void DeclinedCapture_ShowsNoCaptureAmount_AndHoldsNothing()
    {
        var (ledger, charge) = Ledgers.Confirmed(Usd.Of(100m)).Charged(Usd.Of(40m));

        var declined = ledger.Captured(charge.ChargeId, Usd.Of(40m), "AmazonRejected").At(Ledgers.Settled);

        var after = declined.ChargeOf(charge.ChargeId);
        Assert.Equal(ChargeState.Declined, after.State);
        Assert.Equal(ChargeReasonCode.AmazonRejected, after.ReasonCode);
        Assert.Null(after.CaptureAmount);
        Assert.Equal(declined.ChargePermission.AmountLimit, declined.AmountBalance);
    }

    [Fact]
    public void Update_WithNothingNew_ChangesNothingAndRecordsNoEvent()
    {
        var ledger = Ledgers.Confirmed(Usd.Of(100m));

        var updated = Ledgers.Succeeded(ledger.Update(null, null, Ledgers.Start.AddMinutes(5), Limits.Default));

        Assert.Same(ledger.ChargePermission, updated.Value.ChargePermission);
        Assert.Empty(updated.Events);
    }
}
