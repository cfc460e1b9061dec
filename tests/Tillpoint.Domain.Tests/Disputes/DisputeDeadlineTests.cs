using Tillpoint.Domain.Disputes;
using Tillpoint.Domain.Tests.ChargePermissions;
using static Tillpoint.Domain.Tests.Disputes.Disputes;

namespace Tillpoint.Domain.Tests.Disputes;

/// <summary>The merchant response deadline: before it the merchant may contest; at it and after, the buyer has won.</summary>
public class DisputeDeadlineTests
{
    private static readonly TimeSpan Tick = TimeSpan.FromTicks(1);

    [Fact]
    public void Contest_JustBeforeTheDeadline_IsAccepted()
    {
        Assert.Null(In(DisputeState.ActionRequired).Contest([Tracking], Deadline - Tick).Error);
    }

    [Fact]
    public void Contest_AtTheDeadline_IsRefused()
    {
        var result = In(DisputeState.ActionRequired).Contest([Tracking], Deadline);

        Assert.Equal(ErrorCode.InvalidDisputeStatus, result.Error?.Code);
        Assert.Contains("deadline", result.Error!.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Contest_AfterTheDeadline_IsRefused()
    {
        Assert.Equal(ErrorCode.InvalidDisputeStatus, In(DisputeState.ActionRequired).Contest([Tracking], Deadline + TimeSpan.FromDays(1)).Error?.Code);
    }

    [Fact]
    public void AsOf_BeforeTheDeadline_ChangesNothing()
    {
        var dispute = In(DisputeState.ActionRequired);

        var current = dispute.AsOf(Deadline - Tick);

        Assert.Same(dispute, current.Value);
        Assert.Empty(current.Events);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(3600)]
    public void AsOf_AtOrAfterTheDeadline_ResolvesForTheBuyer_AtTheDeadline(int secondsLate)
    {
        var current = In(DisputeState.ActionRequired).AsOf(Deadline.AddSeconds(secondsLate));

        var expired = current.Value;
        Assert.Equal(DisputeState.Resolved, expired.State);
        Assert.Equal(DisputeResolution.BuyerWon, expired.Resolution);
        Assert.Equal(DisputeReasonCode.MerchantResponseDeadlineExpired, expired.ReasonCode);
        Assert.Equal(Deadline, expired.LastUpdatedTimestamp);
        Assert.Equal(Deadline, expired.ClosureTimestamp);
        Assert.Equal(Deadline, Assert.Single(current.Events).At);
    }

    [Theory]
    [InlineData(DisputeState.UnderReview)]
    [InlineData(DisputeState.Resolved)]
    [InlineData(DisputeState.Closed)]
    public void OnlyActionRequired_HasADueTime(DisputeState state)
    {
        var dispute = In(state);

        Assert.Null(dispute.NextDueAt);
        Assert.Empty(dispute.AsOf(Deadline.AddDays(100)).Events);
        Assert.Throws<InvalidOperationException>(() => dispute.Expire());
    }

    [Fact]
    public void Ledger_AsOfTheDeadline_ExpiresTheDispute_AndItsDueTimeIsTheDeadline()
    {
        var (ledger, chargeId) = Captured();
        var (opened, dispute) = ledger.Opened(chargeId);

        Assert.Equal(Deadline, opened.NextDueAt);
        Assert.Empty(opened.AsOf(Deadline - Tick).Events);
        var current = opened.AsOf(Deadline);

        Assert.Equal(DisputeState.Resolved, current.Value.FindDispute(dispute.DisputeId)!.State);
        Assert.Equal(ObjectType.Dispute, Assert.Single(current.Events).ObjectType);
        Assert.Equal(current.Value.ChargePermission.NextDueAt, current.Value.NextDueAt);
    }

    [Fact]
    public void OpenDispute_InSandbox_WithADeadlineAlreadyPast_GetsTheResponseWindowFromNow()
    {
        var (ledger, chargeId) = Captured();

        var (_, dispute) = ledger.Opened(chargeId, Filing(deadline: Filed));

        Assert.Equal(Filed + Limits.Default.DisputeResponseWindow, dispute.MerchantResponseDeadline);
        Assert.Equal(DisputeState.ActionRequired, dispute.State);
    }

    [Fact]
    public void OpenDispute_InSandbox_WithADeadlineJustAhead_KeepsIt()
    {
        var (ledger, chargeId) = Captured();

        var (_, dispute) = ledger.Opened(chargeId, Filing(deadline: Filed + Tick));

        Assert.Equal(Filed + Tick, dispute.MerchantResponseDeadline);
    }

    [Fact]
    public void OpenDispute_InLive_WithADeadlineAlreadyPast_IsRefused()
    {
        var (ledger, chargeId) = Captured();
        var live = ledger with
        {
            Charges = [.. ledger.Charges.Select(c => c with { Environment = ReleaseEnvironment.Live })],
        };

        var result = live.TryOpen(chargeId, Filing(deadline: Filed));

        Assert.Equal(ErrorCode.InvalidParameterValue, result.Error?.Code);
        Assert.Contains("merchantResponseDeadline", result.Error!.Message, StringComparison.Ordinal);
        Assert.Null(live.TryOpen(chargeId, Filing(deadline: Filed + Tick)).Error);
        Assert.Equal(Ledgers.Settled, Disputes.Filed);
    }
}
