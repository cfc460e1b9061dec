using Tillpoint.Domain.ChargePermissions;
using Tillpoint.Domain.Charges;
using Tillpoint.Domain.Refunds;

namespace Tillpoint.Domain.Tests.ChargePermissions;

/// <summary>What time alone changes in a ledger, one tick before, at and one tick after each instant it falls due.</summary>
public class PaymentLedgerDueTimeTests
{
    private static readonly DateTimeOffset Now = Ledgers.Start.AddSeconds(10);
    private static readonly TimeSpan Tick = TimeSpan.FromTicks(1);

    private static (PaymentLedger Ledger, string ChargeId) CapturedCharge(Money captured)
    {
        var (ledger, charge) = Ledgers.Confirmed(captured).Charged(captured, captureNow: true);
        return (ledger, charge.ChargeId);
    }

    [Fact]
    public void ChargeAsOf_RefundSettlesExactlyAtItsDueTime_NotATickBefore()
    {
        var (ledger, chargeId) = CapturedCharge(Usd.Of(100m));
        var refunded = ledger.Refunded(chargeId, Usd.Of(10m), at: Now);
        var due = Now + Limits.Default.SandboxAsyncDelay;
        var charge = refunded.ChargeOf(chargeId);
        var refunds = refunded.RefundsOf(chargeId).ToList();

        var before = PaymentLedger.ChargeAsOf(charge, refunds, due - Tick);
        var at = PaymentLedger.ChargeAsOf(charge, refunds, due);
        var after = PaymentLedger.ChargeAsOf(charge, refunds, due + Tick);

        Assert.Equal(Usd.Of(0m), before.RefundedAmount);
        Assert.Equal(Usd.Of(10m), at.RefundedAmount);
        Assert.Equal(due, at.LastUpdatedTimestamp);
        Assert.Equal(at, after);
        Assert.Equal(refunded.At(due).ChargeOf(chargeId), at);
        Assert.Equal(refunded.At(due - Tick).ChargeOf(chargeId), before);
    }

    [Fact]
    public void ChargeAsOf_RefundThatWillBeDeclined_NeverGrowsTheRefundedAmount()
    {
        var (ledger, chargeId) = CapturedCharge(Usd.Of(100m));
        var rejected = ledger.Refunded(chargeId, Usd.Of(10m), simulation: "AmazonRejected", at: Now);
        var due = Now + Limits.Default.SandboxAsyncDelay;

        var charge = PaymentLedger.ChargeAsOf(rejected.ChargeOf(chargeId), [.. rejected.RefundsOf(chargeId)], due);

        Assert.Equal(Usd.Of(0m), charge.RefundedAmount);
        Assert.Equal(rejected.At(due).ChargeOf(chargeId), charge);
    }

    [Fact]
    public void ChargeAsOf_RefundsSettleInTheOrderTheyFallDue()
    {
        // The refund created first falls due last: the charge was last updated when it settled.
        var (ledger, chargeId) = CapturedCharge(Usd.Of(100m));
        var later = Now.AddSeconds(20);
        var first = ledger.Refunded(chargeId, Usd.Of(5m), at: later);
        var both = first.Refunded(chargeId, Usd.Of(7m), at: Now);
        var allDue = later + Limits.Default.SandboxAsyncDelay;

        var charge = PaymentLedger.ChargeAsOf(both.ChargeOf(chargeId), [.. both.RefundsOf(chargeId)], allDue);

        Assert.Equal(Usd.Of(12m), charge.RefundedAmount);
        Assert.Equal(allDue, charge.LastUpdatedTimestamp);
        Assert.Equal(both.At(allDue).ChargeOf(chargeId), charge);
    }

    [Fact]
    public void ChargeAsOf_WithoutRefunds_IsTheChargeAsOfThatTime()
    {
        var (ledger, charge) = Ledgers.Confirmed(Usd.Of(100m)).Charged(Usd.Of(10m));
        var expiry = charge.ExpirationTimestamp;

        Assert.Equal(ChargeState.Authorized, PaymentLedger.ChargeAsOf(charge, [], expiry - Tick).State);
        var expired = PaymentLedger.ChargeAsOf(charge, [], expiry);
        Assert.Equal((ChargeState.Canceled, ChargeReasonCode.ExpiredUnused), (expired.State, expired.ReasonCode));
        Assert.Equal(ledger.At(expiry).ChargeOf(charge.ChargeId), expired);
    }

    [Fact]
    public void AsOf_RefundSettlesAtItsDueTime_AndNotATickBefore()
    {
        var (ledger, chargeId) = CapturedCharge(Usd.Of(100m));
        var refunded = ledger.Refunded(chargeId, Usd.Of(10m), at: Now);
        var due = Now + Limits.Default.SandboxAsyncDelay;

        var before = refunded.AsOf(due - Tick);
        var at = refunded.AsOf(due);

        Assert.Empty(before.Events);
        Assert.Equal(RefundState.RefundInitiated, Assert.Single(before.Value.Refunds).State);
        Assert.Equal(RefundState.Refunded, Assert.Single(at.Value.Refunds).State);
        var settled = Assert.Single(at.Events);
        Assert.Equal((ObjectType.Refund, "RefundInitiated", "Refunded", due), (settled.ObjectType, settled.FromState, settled.ToState, settled.At));
        Assert.Equal(Usd.Of(10m), settled.Amount);
        Assert.Equal(Usd.Of(10m), at.Value.ChargeOf(chargeId).RefundedAmount);
        Assert.Equal(due, refunded.NextDueAt);
        Assert.Null(at.Value.NextDueAt is { } next && next <= due ? next : null);
    }

    [Fact]
    public void AsOf_PermissionExpiresExactlyAtItsExpiry()
    {
        var ledger = Ledgers.Confirmed(Usd.Of(100m));
        var expiry = ledger.ChargePermission.ExpirationTimestamp!.Value;

        Assert.Equal(ChargePermissionState.Chargeable, ledger.At(expiry - Tick).ChargePermission.State);
        var expired = ledger.AsOf(expiry);
        Assert.Equal(ChargePermissionState.Closed, expired.Value.ChargePermission.State);
        Assert.Equal(ChargePermissionReasonCode.Expired, Assert.Single(expired.Value.ChargePermission.Reasons).ReasonCode);
        Assert.Equal(expiry, expired.Value.ChargePermission.LastUpdatedTimestamp);
        Assert.Equal(expiry, Assert.Single(expired.Events).At);
        Assert.Null(expired.Value.NextDueAt);
    }

    [Fact]
    public void NextDueAt_IsTheEarliestOfPermissionChargesAndRefunds()
    {
        var (ledger, chargeId) = CapturedCharge(Usd.Of(100m));
        Assert.Equal(ledger.ChargePermission.ExpirationTimestamp, ledger.NextDueAt);

        var (withAuthorization, authorized) = ledger.Charged(Usd.Of(1m), at: Now);
        Assert.Equal(authorized.ExpirationTimestamp, withAuthorization.NextDueAt);

        var refunded = withAuthorization.Refunded(chargeId, Usd.Of(1m), at: Now);
        Assert.Equal(Now + Limits.Default.SandboxAsyncDelay, refunded.NextDueAt);
    }
}
