using Tillpoint.Domain.ChargePermissions;
using Tillpoint.Domain.Charges;
using Tillpoint.Domain.Refunds;

namespace Tillpoint.Domain.Tests.ChargePermissions;

/// <summary>Every charge state × charge operation and every permission state × permission operation, allowed or refused.</summary>
public class PaymentLedgerStateTests
{
    /// <summary>Before anything pending resolves: the sandbox delay is 30 seconds.</summary>
    private static readonly DateTimeOffset Now = Ledgers.Start.AddSeconds(10);

    /// <summary>A $100 order's ledger whose one charge of $40 is in <paramref name="state"/> at <see cref="Now"/>.</summary>
    private static (PaymentLedger Ledger, string ChargeId) LedgerWithChargeIn(ChargeState state)
    {
        var confirmed = Ledgers.Confirmed(Usd.Of(100m));
        var amount = Usd.Of(40m);
        var (ledger, charge) = state switch
        {
            ChargeState.AuthorizationInitiated => confirmed.Charged(amount, canHandlePendingAuthorization: true, simulation: "AuthorizationInitiated"),
            ChargeState.Declined => confirmed.Charged(amount, simulation: "AmazonRejected"),
            ChargeState.Authorized or ChargeState.CaptureInitiated or ChargeState.Captured or ChargeState.Canceled => confirmed.Charged(amount),
        };
        ledger = state switch
        {
            ChargeState.CaptureInitiated => ledger.Captured(charge.ChargeId, amount, simulation: "CaptureInitiated"),
            ChargeState.Captured => ledger.Captured(charge.ChargeId, amount),
            ChargeState.Canceled => Ledgers.Succeeded(ledger.TryCancel(charge.ChargeId)).Value,
            ChargeState.AuthorizationInitiated or ChargeState.Authorized or ChargeState.Declined => ledger,
        };
        Assert.Equal(state, ledger.ChargeOf(charge.ChargeId).State);
        Assert.Same(ledger, ledger.At(Now));
        return (ledger, charge.ChargeId);
    }

    [Theory]
    [InlineData(ChargeState.AuthorizationInitiated, ErrorCode.InvalidChargeStatus)]
    [InlineData(ChargeState.Authorized, null)]
    [InlineData(ChargeState.CaptureInitiated, ErrorCode.InvalidChargeStatus)]
    [InlineData(ChargeState.Captured, ErrorCode.InvalidChargeStatus)]
    [InlineData(ChargeState.Canceled, ErrorCode.InvalidChargeStatus)]
    [InlineData(ChargeState.Declined, ErrorCode.InvalidChargeStatus)]
    public void Capture_ByChargeState(ChargeState state, ErrorCode? expected)
    {
        var (ledger, chargeId) = LedgerWithChargeIn(state);

        var captured = ledger.TryCapture(chargeId, Usd.Of(30m), at: Now);

        Assert.Equal(expected, captured.Error?.Code);
        if (expected is null)
        {
            var charge = captured.Value.Value.ChargeOf(chargeId);
            Assert.Equal((ChargeState.Captured, Usd.Of(30m)), (charge.State, charge.CaptureAmount));
            var e = Assert.Single(captured.Value.Events);
            Assert.Equal((chargeId, "Authorized", "Captured"), (e.ObjectId, e.FromState, e.ToState));
        }
        else
        {
            Assert.Contains(state.ToString(), captured.Error!.Message, StringComparison.Ordinal);
            Assert.Null(captured.Value.Value);
            Assert.Equal(state, ledger.ChargeOf(chargeId).State);
        }
    }

    [Theory]
    [InlineData(ChargeState.AuthorizationInitiated, null)]
    [InlineData(ChargeState.Authorized, null)]
    [InlineData(ChargeState.CaptureInitiated, ErrorCode.InvalidChargeStatus)]
    [InlineData(ChargeState.Captured, ErrorCode.InvalidChargeStatus)]
    [InlineData(ChargeState.Canceled, ErrorCode.InvalidChargeStatus)]
    [InlineData(ChargeState.Declined, ErrorCode.InvalidChargeStatus)]
    public void CancelCharge_ByChargeState(ChargeState state, ErrorCode? expected)
    {
        var (ledger, chargeId) = LedgerWithChargeIn(state);

        var canceled = ledger.TryCancel(chargeId, at: Now);

        Assert.Equal(expected, canceled.Error?.Code);
        if (expected is null)
        {
            var after = canceled.Value.Value;
            var charge = after.ChargeOf(chargeId);
            Assert.Equal((ChargeState.Canceled, ChargeReasonCode.MerchantCanceled), (charge.State, charge.ReasonCode));
            Assert.Null(charge.PendingUntil);
            Assert.Equal(Usd.Of(0m), charge.AmountHeld);
            Assert.Equal(ChargePermissionState.Chargeable, after.ChargePermission.State);
            Assert.Equal(after.ChargePermission.AmountLimit, after.AmountBalance);
            Assert.Contains(canceled.Value.Events, e => e.ObjectId == chargeId && e.FromState == state.ToString() && e.ToState == "Canceled");
        }
        else
        {
            Assert.Contains(state.ToString(), canceled.Error!.Message, StringComparison.Ordinal);
            Assert.Null(canceled.Value.Value);
        }
    }

    [Theory]
    [InlineData(ChargeState.AuthorizationInitiated, ErrorCode.InvalidChargeStatus)]
    [InlineData(ChargeState.Authorized, ErrorCode.InvalidChargeStatus)]
    [InlineData(ChargeState.CaptureInitiated, ErrorCode.InvalidChargeStatus)]
    [InlineData(ChargeState.Captured, null)]
    [InlineData(ChargeState.Canceled, ErrorCode.InvalidChargeStatus)]
    [InlineData(ChargeState.Declined, ErrorCode.InvalidChargeStatus)]
    public void CreateRefund_ByChargeState(ChargeState state, ErrorCode? expected)
    {
        var (ledger, chargeId) = LedgerWithChargeIn(state);

        var refunded = ledger.TryRefund(chargeId, Usd.Of(10m), at: Now);

        Assert.Equal(expected, refunded.Error?.Code);
        if (expected is null)
        {
            var refund = refunded.Value.Refund;
            Assert.Equal((RefundState.RefundInitiated, Usd.Of(10m), chargeId), (refund.State, refund.RefundAmount, refund.ChargeId));
            Assert.Equal(Now + Limits.Default.SandboxAsyncDelay, refund.PendingUntil);
            Assert.Same(refund, refunded.Value.Ledger.Value.FindRefund(refund.RefundId));
            // The charge's refundedAmount counts settled refunds only.
            Assert.Equal(Usd.Of(0m), refunded.Value.Ledger.Value.ChargeOf(chargeId).RefundedAmount);
            var e = Assert.Single(refunded.Value.Ledger.Events);
            Assert.Equal((ObjectType.Refund, refund.RefundId, null, "RefundInitiated"), (e.ObjectType, e.ObjectId, e.FromState, e.ToState));
        }
        else
        {
            Assert.Contains(state.ToString(), refunded.Error!.Message, StringComparison.Ordinal);
            Assert.Null(refunded.Value.Refund);
            Assert.Empty(ledger.Refunds);
        }
    }

    /// <summary>The permission states the API distinguishes, with the reason that makes each NonChargeable.</summary>
    public enum PermissionCase
    {
        Chargeable,
        ChargeInProgress,
        PaymentMethodInvalid,
        PaymentMethodNotAllowed,
        MerchantClosed,
        Expired,
    }

    /// <summary>A $100 order's ledger whose permission is in <paramref name="which"/> at the returned moment.</summary>
    private static (PaymentLedger Ledger, DateTimeOffset At) LedgerWithPermissionIn(PermissionCase which)
    {
        var confirmed = Ledgers.Confirmed(Usd.Of(100m));
        var at = which == PermissionCase.Expired ? Ledgers.Start.AddDays(181) : Now;
        var ledger = which switch
        {
            PermissionCase.Chargeable => confirmed,
            PermissionCase.ChargeInProgress =>
                confirmed.Charged(Usd.Of(10m), canHandlePendingAuthorization: true, simulation: "AuthorizationInitiated").Ledger,
            PermissionCase.PaymentMethodInvalid => confirmed.Charged(Usd.Of(10m), simulation: "HardDeclined").Ledger,
            PermissionCase.PaymentMethodNotAllowed => confirmed.Charged(Usd.Of(10m), simulation: "PaymentMethodNotAllowed").Ledger,
            PermissionCase.MerchantClosed => Ledgers.Succeeded(confirmed.TryClose()).Value,
            PermissionCase.Expired => confirmed.At(at),
        };
        var (state, reason) = which switch
        {
            PermissionCase.Chargeable => (ChargePermissionState.Chargeable, (ChargePermissionReasonCode?)null),
            PermissionCase.ChargeInProgress => (ChargePermissionState.NonChargeable, ChargePermissionReasonCode.ChargeInProgress),
            PermissionCase.PaymentMethodInvalid => (ChargePermissionState.NonChargeable, ChargePermissionReasonCode.PaymentMethodInvalid),
            PermissionCase.PaymentMethodNotAllowed => (ChargePermissionState.NonChargeable, ChargePermissionReasonCode.PaymentMethodNotAllowed),
            PermissionCase.MerchantClosed => (ChargePermissionState.Closed, ChargePermissionReasonCode.MerchantClosed),
            PermissionCase.Expired => (ChargePermissionState.Closed, ChargePermissionReasonCode.Expired),
        };
        Assert.Equal(state, ledger.ChargePermission.State);
        Assert.Equal(reason, ledger.ChargePermission.Reasons.SingleOrDefault()?.ReasonCode);
        Assert.Same(ledger, ledger.At(at));
        return (ledger, at);
    }

    [Theory]
    [InlineData(PermissionCase.Chargeable, null)]
    [InlineData(PermissionCase.ChargeInProgress, ErrorCode.InvalidChargePermissionStatus)]
    [InlineData(PermissionCase.PaymentMethodInvalid, ErrorCode.InvalidChargePermissionStatus)]
    [InlineData(PermissionCase.PaymentMethodNotAllowed, ErrorCode.InvalidChargePermissionStatus)]
    [InlineData(PermissionCase.MerchantClosed, ErrorCode.InvalidChargePermissionStatus)]
    [InlineData(PermissionCase.Expired, ErrorCode.InvalidChargePermissionStatus)]
    public void CreateCharge_ByPermissionState(PermissionCase which, ErrorCode? expected)
    {
        var (ledger, at) = LedgerWithPermissionIn(which);

        var created = ledger.TryCharge(Usd.Of(20m), at: at);

        Assert.Equal(expected, created.Error?.Code);
        if (expected is null)
        {
            var creation = created.Value!;
            Assert.Null(creation.Decline);
            Assert.Equal(ChargeState.Authorized, creation.Charge.State);
            Assert.Equal([.. ledger.Charges, creation.Charge], creation.Ledger.Value.Charges);
            Assert.Equal(ledger.AmountBalance - Usd.Of(20m), creation.Ledger.Value.AmountBalance);
        }
        else
        {
            Assert.Contains(ledger.ChargePermission.State.ToString(), created.Error!.Message, StringComparison.Ordinal);
            Assert.Null(created.Value);
        }
    }

    [Theory]
    [InlineData(PermissionCase.Chargeable, null)]
    [InlineData(PermissionCase.ChargeInProgress, null)]
    [InlineData(PermissionCase.PaymentMethodInvalid, null)]
    [InlineData(PermissionCase.PaymentMethodNotAllowed, null)]
    [InlineData(PermissionCase.MerchantClosed, ErrorCode.InvalidChargePermissionStatus)]
    [InlineData(PermissionCase.Expired, ErrorCode.InvalidChargePermissionStatus)]
    public void Close_ByPermissionState(PermissionCase which, ErrorCode? expected)
    {
        var (ledger, at) = LedgerWithPermissionIn(which);

        var closed = ledger.TryClose(at: at);

        Assert.Equal(expected, closed.Error?.Code);
        if (expected is null)
        {
            var permission = closed.Value.Value.ChargePermission;
            Assert.Equal(ChargePermissionState.Closed, permission.State);
            Assert.Equal(ChargePermissionReasonCode.MerchantClosed, Assert.Single(permission.Reasons).ReasonCode);
            Assert.Equal("Order shipped", permission.ClosureReason);
            Assert.Equal(at, permission.LastUpdatedTimestamp);
            // Without cancelPendingCharges the charges are left as they were.
            Assert.Equal(ledger.Charges, closed.Value.Value.Charges);
            var e = Assert.Single(closed.Value.Events);
            Assert.Equal(
                (ObjectType.ChargePermission, ledger.ChargePermission.State.ToString(), "Closed", nameof(ChargePermissionReasonCode.MerchantClosed)),
                (e.ObjectType, e.FromState, e.ToState, e.ReasonCode));
        }
        else
        {
            Assert.Null(closed.Value.Value);
        }
    }

    [Theory]
    [InlineData(PermissionCase.Chargeable, null)]
    [InlineData(PermissionCase.ChargeInProgress, null)]
    [InlineData(PermissionCase.PaymentMethodInvalid, null)]
    [InlineData(PermissionCase.PaymentMethodNotAllowed, null)]
    [InlineData(PermissionCase.MerchantClosed, ErrorCode.ChargePermissionNotModifiable)]
    [InlineData(PermissionCase.Expired, ErrorCode.ChargePermissionNotModifiable)]
    public void Update_ByPermissionState(PermissionCase which, ErrorCode? expected)
    {
        var (ledger, at) = LedgerWithPermissionIn(which);

        var updated = ledger.Update(new MerchantMetadata("order-42", null, null, null), null, at, Limits.Default);

        Assert.Equal(expected, updated.Error?.Code);
        if (expected is null)
        {
            var permission = updated.Value.Value.ChargePermission;
            Assert.Equal("order-42", permission.MerchantMetadata.MerchantReferenceId);
            Assert.Equal(ledger.ChargePermission.State, permission.State);
            Assert.Equal(ledger.ChargePermission.Reasons, permission.Reasons);
            var e = Assert.Single(updated.Value.Events);
            Assert.Equal((ledger.ChargePermission.State.ToString(), "MerchantMetadataUpdated"), (e.ToState, e.Detail));
        }
        else
        {
            Assert.Null(updated.Value.Value);
        }
    }

    [Fact]
    public void PendingAuthorization_Resolved_MakesThePermissionChargeableAgain()
    {
        var (ledger, chargeId) = LedgerWithChargeIn(ChargeState.AuthorizationInitiated);
        var due = Ledgers.Start + Limits.Default.SandboxAsyncDelay;

        var resolved = ledger.AsOf(due);

        Assert.Equal(ChargeState.Authorized, resolved.Value.ChargeOf(chargeId).State);
        Assert.Equal(ChargePermissionState.Chargeable, resolved.Value.ChargePermission.State);
        Assert.Empty(resolved.Value.ChargePermission.Reasons);
        Assert.Equal(
            [(ObjectType.Charge, "Authorized"), (ObjectType.ChargePermission, "Chargeable")],
            resolved.Events.Select(e => (e.ObjectType, e.ToState)));
        Assert.All(resolved.Events, e => Assert.Equal(due, e.At));
    }

    [Fact]
    public void PendingAuthorization_Canceled_MakesThePermissionChargeableAgain()
    {
        var (ledger, chargeId) = LedgerWithChargeIn(ChargeState.AuthorizationInitiated);

        var canceled = Ledgers.Succeeded(ledger.TryCancel(chargeId, at: Now));

        Assert.Equal(ChargePermissionState.Chargeable, canceled.Value.ChargePermission.State);
        Assert.Equal(canceled.Value.ChargePermission.ExpirationTimestamp, canceled.Value.NextDueAt);
        Assert.Equal(
            [(ObjectType.Charge, "Canceled"), (ObjectType.ChargePermission, "Chargeable")],
            canceled.Events.Select(e => (e.ObjectType, e.ToState)));
    }

    [Fact]
    public void Authorized_ExpiresAfterThirtyDays_AndFreesTheBalance()
    {
        var (ledger, chargeId) = LedgerWithChargeIn(ChargeState.Authorized);

        var later = ledger.AsOf(Ledgers.Start.AddDays(30));

        var charge = later.Value.ChargeOf(chargeId);
        Assert.Equal((ChargeState.Canceled, ChargeReasonCode.ExpiredUnused), (charge.State, charge.ReasonCode));
        Assert.Equal(later.Value.ChargePermission.AmountLimit, later.Value.AmountBalance);
        Assert.Equal(ErrorCode.InvalidChargeStatus, later.Value.TryCapture(chargeId, Usd.Of(40m), at: Ledgers.Start.AddDays(30)).Error?.Code);
    }

    [Fact]
    public void Permission_ExpiresAfter180Days_LeavingItsChargesAlone()
    {
        var (ledger, chargeId) = LedgerWithChargeIn(ChargeState.Captured);

        var expired = ledger.AsOf(Ledgers.Start.AddDays(180));

        Assert.Equal(ChargePermissionState.Closed, expired.Value.ChargePermission.State);
        Assert.Equal(ChargePermissionReasonCode.Expired, expired.Value.ChargePermission.Reasons[0].ReasonCode);
        Assert.Equal(Ledgers.Start.AddDays(180), expired.Value.ChargePermission.LastUpdatedTimestamp);
        Assert.Equal(ChargeState.Captured, expired.Value.ChargeOf(chargeId).State);
        Assert.Null(expired.Value.NextDueAt);
        var e = Assert.Single(expired.Events);
        Assert.Equal(("Chargeable", "Closed", nameof(ChargePermissionReasonCode.Expired)), (e.FromState, e.ToState, e.ReasonCode));
    }

    [Fact]
    public void CaptureInitiated_ResolvesToCapturedAfterTheDelay()
    {
        var (ledger, chargeId) = LedgerWithChargeIn(ChargeState.CaptureInitiated);

        var resolved = ledger.AsOf(Ledgers.Settled);

        Assert.Equal(ChargeState.Captured, resolved.Value.ChargeOf(chargeId).State);
        Assert.Equal(Usd.Of(40m), resolved.Value.ChargeOf(chargeId).CaptureAmount);
        Assert.Equal(("CaptureInitiated", "Captured"), (Assert.Single(resolved.Events).FromState, resolved.Events[0].ToState));
    }

    [Fact]
    public void Capture_MoreThanSevenDaysAfterAuthorization_IsCaptureInitiated()
    {
        var (ledger, chargeId) = LedgerWithChargeIn(ChargeState.Authorized);
        var at = Ledgers.Start.AddDays(8);

        var captured = Ledgers.Succeeded(ledger.At(at).TryCapture(chargeId, Usd.Of(40m), at: at));

        Assert.Equal(ChargeState.CaptureInitiated, captured.Value.ChargeOf(chargeId).State);
        Assert.Equal(ChargeState.Captured, captured.Value.At(at.AddMinutes(1)).ChargeOf(chargeId).State);
    }

    [Fact]
    public void Refund_SettlesAfterTheDelay_AndGrowsTheRefundedAmount()
    {
        var (ledger, chargeId) = LedgerWithChargeIn(ChargeState.Captured);
        var refunded = ledger.Refunded(chargeId, Usd.Of(10m), at: Now).Refunded(chargeId, Usd.Of(5.55m), at: Now);

        var settled = refunded.AsOf(Now + Limits.Default.SandboxAsyncDelay);

        Assert.All(settled.Value.Refunds, r => Assert.Equal(RefundState.Refunded, r.State));
        Assert.Equal(Usd.Of(15.55m), settled.Value.ChargeOf(chargeId).RefundedAmount);
        Assert.Equal(ChargeState.Captured, settled.Value.ChargeOf(chargeId).State);
        Assert.Equal(["Refunded", "Refunded"], settled.Events.Select(e => e.ToState));
    }

    [Fact]
    public void AsOf_IsIdempotent_AndAppliesChangesInTheOrderTheyFellDue()
    {
        var confirmed = Ledgers.Confirmed(Usd.Of(100m));
        var (ledger, pending) = confirmed.Charged(Usd.Of(10m), canHandlePendingAuthorization: true, simulation: "AuthorizationInitiated");
        var farLater = Ledgers.Start.AddDays(200);

        var asOf = ledger.AsOf(farLater);

        Assert.Equal(ChargeState.Canceled, asOf.Value.ChargeOf(pending.ChargeId).State);
        Assert.Equal(ChargePermissionState.Closed, asOf.Value.ChargePermission.State);
        Assert.Equal(
            ["Authorized", "Chargeable", "Canceled", "Closed"],
            asOf.Events.Select(e => e.ToState));
        Assert.Equal(asOf.Events.Select(e => e.At).Order(), asOf.Events.Select(e => e.At));
        Assert.Empty(asOf.Value.AsOf(farLater).Events);
        Ledgers.AssertEquivalent(asOf.Value, ledger.AsOf(Ledgers.Start.AddDays(100)).Value.AsOf(farLater).Value);
    }
}
