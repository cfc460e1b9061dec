using Tillpoint.Domain.Disputes;
using Tillpoint.Domain.Tests.ChargePermissions;
using static Tillpoint.Domain.Tests.Disputes.Disputes;

namespace Tillpoint.Domain.Tests.Disputes;

/// <summary>What a dispute takes from its charge (spec §2.11): while open and once the buyer won, its amount is not refundable.</summary>
public class DisputeAmountTests
{
    private static readonly Limits NoEffect = Limits.Default with { DisputesReduceRefundable = false };

    [Fact]
    public void OpenDispute_OnACaptured_Charge_IsActionRequired_WithAnEventCarryingItsAmount()
    {
        var (ledger, chargeId) = Captured();

        var opened = Ledgers.Succeeded(ledger.TryOpen(chargeId, Filing(40m)));

        var dispute = opened.Dispute;
        Assert.Equal(DisputeState.ActionRequired, dispute.State);
        Assert.Equal(DisputeReasonCode.MerchantResponseRequired, dispute.ReasonCode);
        Assert.Equal("Merchant needs to provide a response", dispute.ReasonDescription);
        Assert.Equal(chargeId, dispute.ChargeId);
        Assert.Equal(ledger.ChargePermission.ChargePermissionId, dispute.ChargePermissionId);
        Assert.Equal(Filed, dispute.CreationTimestamp);
        var change = Assert.Single(opened.Ledger.Events);
        Assert.Equal((ObjectType.Dispute, (string?)null, "ActionRequired", (Money?)Usd.Of(40m)), (change.ObjectType, change.FromState, change.ToState, change.Amount));
        Assert.Equal(opened.Ledger.Value.Charges, ledger.Charges);
        Assert.Equal(opened.Ledger.Value.Refunds, ledger.Refunds);
        Assert.Equal(opened.Ledger.Value.ChargePermission, ledger.ChargePermission);
    }

    [Fact]
    public void Refund_OverWhatADisputeLeaves_StatesTheRemainingCapturedRefundedAndDisputedAmounts()
    {
        var (ledger, chargeId) = Captured();
        var refunded = ledger.Refunded(chargeId, Usd.Of(10m), at: Filed);
        var (opened, _) = refunded.Opened(chargeId, Filing(40m));

        // 100 captured plus the 15 allowance, less 10 refunded and 40 disputed, leaves 65.
        var refused = opened.TryRefund(chargeId, Usd.Of(65.01m), at: Filed);

        Assert.Equal(ErrorCode.TransactionAmountExceeded, refused.Error?.Code);
        Assert.Equal([Usd.Of(65.01m), Usd.Of(65m), Usd.Of(100m), Usd.Of(10m), Usd.Of(40m)], StatedAmounts.In(refused.Error));
    }

    [Fact]
    public void OpenDispute_OverWhatTheChargeHolds_StatesWhatItHoldsAndWhatIsTaken()
    {
        var (ledger, chargeId) = Captured();
        var (opened, _) = ledger.Refunded(chargeId, Usd.Of(30m), at: Filed).Opened(chargeId, Filing(20m));

        var refused = opened.TryOpen(chargeId, Filing(50.01m));

        Assert.Equal(ErrorCode.InvalidParameterValue, refused.Error?.Code);
        Assert.Equal([Usd.Of(50.01m), Usd.Of(50m), Usd.Of(100m), Usd.Of(50m)], StatedAmounts.In(refused.Error));
    }

    [Fact]
    public void OpenDispute_OnAnAuthorizedCharge_IsRefused()
    {
        var (ledger, charge) = Ledgers.Confirmed(Usd.Of(100m)).Charged(Usd.Of(100m));

        var result = ledger.TryOpen(charge.ChargeId, Filing());

        Assert.Equal(ErrorCode.InvalidChargeStatus, result.Error?.Code);
    }

    [Fact]
    public void OpenDispute_InAnotherCurrency_IsRefused()
    {
        var (ledger, chargeId) = Captured();

        var result = ledger.TryOpen(chargeId, Filing() with { DisputeAmount = new Money(40m, Currency.EUR) });

        Assert.Equal(ErrorCode.CurrencyMismatch, result.Error?.Code);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    public void OpenDispute_OfNothingOrLess_IsRefused(decimal amount)
    {
        var (ledger, chargeId) = Captured();

        Assert.Equal(ErrorCode.InvalidParameterValue, ledger.TryOpen(chargeId, Filing(amount)).Error?.Code);
    }

    [Theory]
    [InlineData(100, true)]
    [InlineData(100.01, false)]
    public void OpenDispute_UpToTheCapturedAmount(decimal amount, bool accepted)
    {
        var (ledger, chargeId) = Captured();

        var result = ledger.TryOpen(chargeId, Filing(amount));

        Assert.Equal(accepted, result.IsSuccess);
        if (!accepted)
        {
            Assert.Equal(ErrorCode.InvalidParameterValue, result.Error?.Code);
            Assert.Contains("disputeAmount.amount", result.Error!.Message, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData(70, true)]
    [InlineData(70.01, false)]
    public void OpenDispute_AfterARefund_UpToWhatIsLeft(decimal amount, bool accepted)
    {
        var (ledger, chargeId) = Captured();
        var refunded = ledger.Refunded(chargeId, Usd.Of(30m), at: Filed);

        Assert.Equal(accepted, refunded.TryOpen(chargeId, Filing(amount)).IsSuccess);
    }

    [Theory]
    [InlineData(60, true)]
    [InlineData(60.01, false)]
    public void OpenDispute_NextToAnOpenDispute_UpToWhatIsLeft(decimal amount, bool accepted)
    {
        var (ledger, chargeId) = Captured();
        var (opened, _) = ledger.Opened(chargeId, Filing(40m));

        Assert.Equal(accepted, opened.TryOpen(chargeId, Filing(amount)).IsSuccess);
    }

    [Fact]
    public void OpenDispute_WithoutTheEffect_MayTakeTheWholeCaptureAgain()
    {
        var (ledger, chargeId) = Captured();
        var (opened, _) = ledger.Refunded(chargeId, Usd.Of(100m), at: Filed).Opened(chargeId, Filing(100m), NoEffect);

        Assert.True(opened.TryOpen(chargeId, Filing(100m), limits: NoEffect).IsSuccess);
        Assert.False(opened.TryOpen(chargeId, Filing(100.01m), limits: NoEffect).IsSuccess);
    }

    [Theory]
    [InlineData(75, true)]
    [InlineData(75.01, false)]
    public void Refund_WhileADisputeIsOpen_LeavesItsAmount(decimal amount, bool accepted)
    {
        // 100 captured allows 115 refunded; an open dispute of 40 holds 40 of it.
        var (ledger, chargeId) = Captured();
        var (opened, _) = ledger.Opened(chargeId, Filing(40m));

        var result = opened.TryRefund(chargeId, Usd.Of(amount), at: Filed);

        Assert.Equal(accepted, result.IsSuccess);
        if (!accepted)
        {
            Assert.Equal(ErrorCode.TransactionAmountExceeded, result.Error?.Code);
            Assert.Contains("held by disputes 40.00 USD", result.Error!.Message, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData(DisputeResolution.BuyerWon, 40)]
    [InlineData(DisputeResolution.MerchantWon, 0)]
    [InlineData(DisputeResolution.NoFault, 0)]
    public void DisputedAmount_AfterTheDecision_IsTheAmountOnlyWhenTheBuyerWon(DisputeResolution resolution, decimal held)
    {
        var (ledger, chargeId) = Captured();
        var (opened, dispute) = ledger.Opened(chargeId, Filing(40m));
        var contested = Ledgers.Succeeded(opened.ChangeDispute(dispute.DisputeId, d => d.Contest([Tracking], Filed.AddDays(1)))).Value;
        var decided = Ledgers.Succeeded(contested.ChangeDispute(dispute.DisputeId, d => d.Decide(resolution, Filed.AddDays(2)))).Value;

        Assert.Equal(Usd.Of(40m), contested.DisputedAmount(chargeId, Limits.Default));
        Assert.Equal(Usd.Of(held), decided.DisputedAmount(chargeId, Limits.Default));
        Assert.True(decided.TryRefund(chargeId, Usd.Of(115m - held), at: Filed.AddDays(2)).IsSuccess);
        Assert.False(decided.TryRefund(chargeId, Usd.Of(115.01m - held), at: Filed.AddDays(2)).IsSuccess);
    }

    [Fact]
    public void DisputedAmount_WithoutTheEffect_IsNothing_AndRefundsKeepTheirWholeCeiling()
    {
        var (ledger, chargeId) = Captured();
        var (opened, _) = ledger.Opened(chargeId, Filing(40m), NoEffect);

        Assert.Equal(Usd.Of(0m), opened.DisputedAmount(chargeId, NoEffect));
        Assert.True(opened.CreateRefund(chargeId, opened.NextRefundId(), Usd.Of(115m), null, null, Filed, NoEffect).IsSuccess);
    }

    [Fact]
    public void ChangeDispute_Refused_LeavesTheLedgerAsItWas()
    {
        var (ledger, chargeId) = Captured();
        var (opened, dispute) = ledger.Opened(chargeId);

        var result = opened.ChangeDispute(dispute.DisputeId, d => d.Decide(DisputeResolution.BuyerWon, Filed));

        Assert.Equal(ErrorCode.InvalidDisputeStatus, result.Error?.Code);
        Assert.Same(dispute, opened.FindDispute(dispute.DisputeId));
    }

    [Fact]
    public void ChangeDispute_OfAnUnknownDispute_Throws()
    {
        var (ledger, _) = Captured();

        Assert.Throws<InvalidOperationException>(() => ledger.ChangeDispute("nope", d => d.Accept(Filed)));
    }

    [Fact]
    public void OpenDispute_ReportedUnderReview_HasNoReasonAndNoDueTime()
    {
        var (ledger, chargeId) = Captured();

        var (_, dispute) = ledger.Opened(chargeId, Filing(status: new DisputeStatusReport(DisputeState.UnderReview, null, null, null)));

        Assert.Equal(DisputeState.UnderReview, dispute.State);
        Assert.Null(dispute.ReasonCode);
        Assert.Null(dispute.ReasonDescription);
        Assert.Null(dispute.NextDueAt);
    }

    [Fact]
    public void OpenDispute_KeepsTheReportedReasonAndDescription()
    {
        var (ledger, chargeId) = Captured();
        var status = new DisputeStatusReport(DisputeState.ActionRequired, DisputeReasonCode.MerchantResponseRequired, "Please respond", null);

        var (_, dispute) = ledger.Opened(chargeId, Filing(status: status) with { ProviderDisputeId = "A2CQXQ2TUSYG7J" });

        Assert.Equal("Please respond", dispute.ReasonDescription);
        Assert.Equal("A2CQXQ2TUSYG7J", dispute.ProviderDisputeId);
    }

    [Theory]
    [InlineData(DisputeState.Resolved, null)]
    [InlineData(DisputeState.Closed, null)]
    [InlineData(DisputeState.ActionRequired, DisputeResolution.BuyerWon)]
    public void OpenDispute_FinalOrWithResolution_IsRefused(DisputeState state, DisputeResolution? resolution)
    {
        var (ledger, chargeId) = Captured();

        var result = ledger.TryOpen(chargeId, Filing(status: new DisputeStatusReport(state, null, null, resolution)));

        Assert.Equal(ErrorCode.InvalidParameterValue, result.Error?.Code);
    }

    [Fact]
    public void NewDisputeId_DrawsAgain_WhenTheIdIsTaken()
    {
        var (ledger, chargeId) = Captured();
        var ids = new SequentialIds();
        var (opened, dispute) = ledger.Opened(chargeId);

        Assert.EndsWith("-B000001", dispute.DisputeId, StringComparison.Ordinal);
        Assert.EndsWith("-B000002", opened.NewDisputeId(ids), StringComparison.Ordinal);
    }
}
