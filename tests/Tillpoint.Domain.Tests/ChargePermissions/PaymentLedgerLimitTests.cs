using System.Globalization;
using Tillpoint.Domain.ChargePermissions;
using Tillpoint.Domain.Charges;
using Tillpoint.Domain.CheckoutSessions;
using Tillpoint.Domain.Refunds;

namespace Tillpoint.Domain.Tests.ChargePermissions;

/// <summary>The money rules of spec §7 as the ledger enforces them.</summary>
public class PaymentLedgerLimitTests
{
    private static readonly DateTimeOffset Now = Ledgers.Start.AddSeconds(10);

    private static Money Eur(decimal amount) => new(amount, Currency.EUR);

    private static Money Jpy(decimal amount) => new(amount, Currency.JPY);

    /// <summary>A ledger with one charge of <paramref name="captured"/> captured in full.</summary>
    private static (PaymentLedger Ledger, string ChargeId) CapturedCharge(Money captured)
    {
        var (ledger, charge) = Ledgers.Confirmed(captured).Charged(captured, captureNow: true);
        Assert.Equal(ChargeState.Captured, charge.State);
        return (ledger, charge.ChargeId);
    }

    [Fact]
    public void CreateCharge_TwentyFiveCharges_AreAllowed_TheTwentySixthIsTransactionCountExceeded()
    {
        var ledger = Ledgers.Confirmed(Usd.Of(100m));
        for (var i = 0; i < Limits.Default.MaxChargesPerChargePermission; i++)
        {
            ledger = ledger.Charged(Usd.Of(1m)).Ledger;
        }

        var created = ledger.TryCharge(Usd.Of(1m));

        Assert.Equal(25, ledger.Charges.Count);
        Assert.Equal(ErrorCode.TransactionCountExceeded, created.Error?.Code);
        Assert.Null(created.Value);
    }

    [Fact]
    public void CreateCharge_CanceledAndDeclinedChargesCountTowardsTheTwentyFive()
    {
        var ledger = Ledgers.Confirmed(Usd.Of(100m));
        for (var i = 0; i < 25; i++)
        {
            var (next, charge) = i % 2 == 0
                ? ledger.Charged(Usd.Of(50m), simulation: "AmazonRejected")
                : ledger.Charged(Usd.Of(50m));
            ledger = charge.State == ChargeState.Authorized ? Ledgers.Succeeded(next.TryCancel(charge.ChargeId)).Value : next;
        }

        Assert.Equal(ledger.ChargePermission.AmountLimit, ledger.AmountBalance);
        Assert.Equal(ChargePermissionState.Chargeable, ledger.ChargePermission.State);
        Assert.Equal(ErrorCode.TransactionCountExceeded, ledger.TryCharge(Usd.Of(1m)).Error?.Code);
    }

    [Fact]
    public void CreateCharge_UpToTheAmountLimit_IsAllowed_OneCentMoreIsTransactionAmountExceeded()
    {
        var ledger = Ledgers.Confirmed(Usd.Of(100m));
        Assert.Equal(Usd.Of(115m), ledger.ChargePermission.AmountLimit);

        Assert.Equal(ErrorCode.TransactionAmountExceeded, ledger.TryCharge(Usd.Of(115.01m)).Error?.Code);
        var (afterFirst, _) = ledger.Charged(Usd.Of(60m));
        Assert.Equal(ErrorCode.TransactionAmountExceeded, afterFirst.TryCharge(Usd.Of(55.01m)).Error?.Code);
        var (full, _) = afterFirst.Charged(Usd.Of(55m));

        Assert.Equal(Usd.Of(0m), full.AmountBalance);
        Assert.Equal(ErrorCode.TransactionAmountExceeded, full.TryCharge(Usd.Of(0.01m)).Error?.Code);
    }

    [Fact]
    public void CreateCharge_BalanceFreedByCancelAndPartialCapture_CanBeChargedAgain()
    {
        var (ledger, first) = Ledgers.Confirmed(Usd.Of(100m)).Charged(Usd.Of(100m));
        var (withSecond, second) = ledger.Charged(Usd.Of(15m));
        Assert.Equal(Usd.Of(0m), withSecond.AmountBalance);

        var captured = withSecond.Captured(first.ChargeId, Usd.Of(70m));
        var canceled = Ledgers.Succeeded(captured.TryCancel(second.ChargeId)).Value;

        Assert.Equal(Usd.Of(45m), canceled.AmountBalance);
        Assert.True(canceled.TryCharge(Usd.Of(45m)).IsSuccess);
        Assert.Equal(ErrorCode.TransactionAmountExceeded, canceled.TryCharge(Usd.Of(45.01m)).Error?.Code);
    }

    [Fact]
    public void Capture_OverTheAuthorizationPlusAllowance_IsTransactionAmountExceeded()
    {
        var (ledger, charge) = Ledgers.Confirmed(Usd.Of(100m)).Charged(Usd.Of(40m));

        Assert.Equal(ErrorCode.TransactionAmountExceeded, ledger.TryCapture(charge.ChargeId, Usd.Of(46.01m)).Error?.Code);
        Assert.Equal(Usd.Of(46m), ledger.Captured(charge.ChargeId, Usd.Of(46m)).ChargeOf(charge.ChargeId).CaptureAmount);
    }

    [Fact]
    public void Capture_OverThePermissionsLimitGivenOtherCharges_IsTransactionAmountExceeded()
    {
        var (ledger, first) = Ledgers.Confirmed(Usd.Of(100m)).Charged(Usd.Of(100m));
        var (both, _) = ledger.Charged(Usd.Of(15m));

        // 100 + 15 % would fit the charge, but the other charge holds the last 15 of the limit.
        Assert.Equal(ErrorCode.TransactionAmountExceeded, both.TryCapture(first.ChargeId, Usd.Of(100.01m)).Error?.Code);
        Assert.True(both.TryCapture(first.ChargeId, Usd.Of(100m)).IsSuccess);
    }

    [Fact]
    public void CurrencyMismatch_OnCreateChargeCaptureAndRefund()
    {
        var (ledger, charge) = Ledgers.Confirmed(Usd.Of(100m)).Charged(Usd.Of(40m));
        var (capturedLedger, captured) = ledger.Charged(Usd.Of(10m), captureNow: true);

        var created = ledger.TryCharge(Eur(10m));
        var capture = ledger.TryCapture(charge.ChargeId, Eur(10m));
        var refund = capturedLedger.TryRefund(captured.ChargeId, Eur(1m));

        Assert.Equal(ErrorCode.CurrencyMismatch, created.Error?.Code);
        Assert.Equal(ErrorCode.CurrencyMismatch, capture.Error?.Code);
        Assert.Equal(ErrorCode.CurrencyMismatch, refund.Error?.Code);
        Assert.Contains("EUR", created.Error!.Message, StringComparison.Ordinal);
        Assert.Contains("USD", created.Error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void CreateCharge_CurrencyMismatch_IsReportedBeforeTheState()
    {
        var closed = Ledgers.Succeeded(Ledgers.Confirmed(Usd.Of(100m)).TryClose()).Value;

        Assert.Equal(ErrorCode.CurrencyMismatch, closed.TryCharge(Eur(10m)).Error?.Code);
    }

    [Theory]
    [InlineData("100.00", Currency.USD, "115.00")]
    [InlineData("1000.00", Currency.USD, "1075.00")]
    [InlineData("99.99", Currency.GBP, "114.98")]
    [InlineData("0.06", Currency.EUR, "0.06")]
    [InlineData("10000", Currency.JPY, "11500")]
    [InlineData("100000", Currency.JPY, "108400")]
    public void CreateRefund_UpToCapturedPlusAllowance_IsAllowed_OneUnitMoreIsTransactionAmountExceeded(
        string captured, Currency currency, string ceiling)
    {
        var capture = new Money(decimal.Parse(captured, CultureInfo.InvariantCulture), currency);
        var max = new Money(decimal.Parse(ceiling, CultureInfo.InvariantCulture), currency);
        var unit = new Money(Currencies.Scale(currency) == 0 ? 1m : 0.01m, currency);
        var (ledger, chargeId) = CapturedCharge(capture);

        Assert.Equal(ErrorCode.TransactionAmountExceeded, ledger.TryRefund(chargeId, max + unit, at: Now).Error?.Code);
        var first = ledger.Refunded(chargeId, capture, at: Now);
        Assert.Equal(ErrorCode.TransactionAmountExceeded, first.TryRefund(chargeId, max - capture + unit, at: Now).Error?.Code);
        if (max > capture)
        {
            var full = first.Refunded(chargeId, max - capture, at: Now);
            Assert.Equal(ErrorCode.TransactionAmountExceeded, full.TryRefund(chargeId, unit, at: Now).Error?.Code);
            Assert.Equal(max, full.At(Ledgers.Settled).ChargeOf(chargeId).RefundedAmount);
        }
    }

    [Fact]
    public void CreateRefund_ADeclinedRefundFreesItsAmount()
    {
        var (ledger, chargeId) = CapturedCharge(Usd.Of(100m));
        var rejected = ledger.Refunded(chargeId, Usd.Of(115m), simulation: "AmazonRejected", at: Now);

        Assert.Equal(ErrorCode.TransactionAmountExceeded, rejected.TryRefund(chargeId, Usd.Of(0.01m), at: Now).Error?.Code);
        var settled = rejected.At(Ledgers.Settled);

        Assert.Equal(RefundState.Declined, Assert.Single(settled.Refunds).State);
        Assert.Equal(Usd.Of(0m), settled.ChargeOf(chargeId).RefundedAmount);
        Assert.True(settled.TryRefund(chargeId, Usd.Of(115m), at: Ledgers.Settled).IsSuccess);
    }

    [Fact]
    public void CreateRefund_TheEleventhRefundIsTransactionCountExceeded_EvenWhenSomeWereDeclined()
    {
        var (ledger, chargeId) = CapturedCharge(Usd.Of(100m));
        for (var i = 0; i < Limits.Default.MaxRefundsPerCharge; i++)
        {
            ledger = ledger.Refunded(chargeId, Usd.Of(1m), simulation: i % 3 == 0 ? "ProcessingFailure" : null, at: Now);
        }

        ledger = ledger.At(Ledgers.Settled);
        var refund = ledger.TryRefund(chargeId, Usd.Of(1m), at: Ledgers.Settled);

        Assert.Equal(10, ledger.Refunds.Count);
        Assert.Equal(Usd.Of(6m), ledger.ChargeOf(chargeId).RefundedAmount);
        Assert.Equal(ErrorCode.TransactionCountExceeded, refund.Error?.Code);
    }

    [Fact]
    public void CreateRefund_CountIsPerCharge()
    {
        var (ledger, first) = Ledgers.Confirmed(Usd.Of(100m)).Charged(Usd.Of(50m), captureNow: true);
        var (both, second) = ledger.Charged(Usd.Of(50m), captureNow: true);
        for (var i = 0; i < Limits.Default.MaxRefundsPerCharge; i++)
        {
            both = both.Refunded(first.ChargeId, Usd.Of(1m), at: Now);
        }

        Assert.Equal(ErrorCode.TransactionCountExceeded, both.TryRefund(first.ChargeId, Usd.Of(1m), at: Now).Error?.Code);
        Assert.True(both.TryRefund(second.ChargeId, Usd.Of(1m), at: Now).IsSuccess);
    }

    [Fact]
    public void Close_CancelPendingCharges_CancelsAuthorizedAndAuthorizationInitiatedCharges()
    {
        var ledger = Ledgers.Confirmed(Usd.Of(100m));
        var (l1, authorized) = ledger.Charged(Usd.Of(10m));
        var (l2, captured) = l1.Charged(Usd.Of(10m), captureNow: true);
        var (l3, declined) = l2.Charged(Usd.Of(10m), simulation: "AmazonRejected");
        var (l4, pending) = l3.Charged(Usd.Of(10m), canHandlePendingAuthorization: true, simulation: "AuthorizationInitiated");
        Assert.Equal(ChargePermissionReasonCode.ChargeInProgress, l4.ChargePermission.Reasons[0].ReasonCode);

        var closed = Ledgers.Succeeded(l4.TryClose(cancelPendingCharges: true, at: Now));

        var after = closed.Value;
        foreach (var id in new[] { authorized.ChargeId, pending.ChargeId })
        {
            var charge = after.ChargeOf(id);
            Assert.Equal((ChargeState.Canceled, ChargeReasonCode.ChargePermissionCanceled), (charge.State, charge.ReasonCode));
            Assert.Null(charge.PendingUntil);
            Assert.Equal(Now, charge.LastUpdatedTimestamp);
        }

        Assert.Equal(l4.ChargeOf(captured.ChargeId), after.ChargeOf(captured.ChargeId));
        Assert.Equal(l4.ChargeOf(declined.ChargeId), after.ChargeOf(declined.ChargeId));
        Assert.Equal(ChargePermissionState.Closed, after.ChargePermission.State);
        Assert.Equal(Usd.Of(10m), after.AmountCharged);
        Assert.Equal(
            [(authorized.ChargeId, "Authorized", "Canceled"), (pending.ChargeId, "AuthorizationInitiated", "Canceled"),
             (after.ChargePermission.ChargePermissionId, "NonChargeable", "Closed")],
            closed.Events.Select(e => (e.ObjectId, e.FromState, e.ToState)));
        // Nothing stays pending: the canceled authorization never resolves.
        Assert.Empty(after.AsOf(Ledgers.Settled).Events);
    }

    [Fact]
    public void Close_WithoutCancelPendingCharges_LeavesOpenChargesCapturable()
    {
        var (ledger, charge) = Ledgers.Confirmed(Usd.Of(100m)).Charged(Usd.Of(40m));

        var closed = Ledgers.Succeeded(ledger.TryClose(cancelPendingCharges: false, at: Now)).Value;

        Assert.Equal(ChargeState.Authorized, closed.ChargeOf(charge.ChargeId).State);
        Assert.Equal(ChargeState.Captured, closed.Captured(charge.ChargeId, Usd.Of(40m), at: Now).ChargeOf(charge.ChargeId).State);
        Assert.Equal(ErrorCode.InvalidChargePermissionStatus, closed.TryCharge(Usd.Of(1m), at: Now).Error?.Code);
    }

    [Theory]
    [InlineData(Currency.USD, "100.00", "115.00")]
    [InlineData(Currency.USD, "500.00", "575.00")]
    [InlineData(Currency.USD, "500.01", "575.01")]
    [InlineData(Currency.EUR, "1000.00", "1075.00")]
    [InlineData(Currency.GBP, "99.99", "114.98")]
    [InlineData(Currency.GBP, "0.01", "0.01")]
    [InlineData(Currency.JPY, "999", "1148")]
    [InlineData(Currency.JPY, "56000", "64400")]
    [InlineData(Currency.JPY, "100000", "108400")]
    [InlineData(Currency.JPY, "10000000", "10008400")]
    public void AmountLimit_IsTheOrderPlusItsTruncatedCappedAllowance(Currency currency, string order, string limit)
    {
        var orderAmount = new Money(decimal.Parse(order, CultureInfo.InvariantCulture), currency);

        var ledger = Ledgers.Confirmed(orderAmount);

        Assert.Equal(limit, ledger.ChargePermission.AmountLimit.ToAmountString());
        Assert.Equal(currency, ledger.ChargePermission.PresentmentCurrency);
        Assert.Equal(ledger.ChargePermission.AmountLimit, ledger.AmountBalance);
    }

    [Theory]
    [InlineData(Currency.USD, "2.00", "0.30", "2.31")]
    [InlineData(Currency.EUR, "1000.00", "75.00", "1075.01")]
    [InlineData(Currency.GBP, "33.33", "4.99", "38.33")]
    [InlineData(Currency.JPY, "1000", "150", "1151")]
    [InlineData(Currency.JPY, "99999", "8400", "108400")]
    public void Capture_AllowanceFollowsTheCurrencysScaleAndCap(Currency currency, string authorized, string allowance, string tooMuch)
    {
        Money Of(string text) => new(decimal.Parse(text, CultureInfo.InvariantCulture), currency);
        var (ledger, charge) = Ledgers.Confirmed(Of(authorized)).Charged(Of(authorized));

        Assert.Equal(allowance, Limits.Default.OverCaptureAllowance(Of(authorized)).ToAmountString());
        Assert.Equal(ErrorCode.TransactionAmountExceeded, ledger.TryCapture(charge.ChargeId, Of(tooMuch)).Error?.Code);
        var captured = ledger.Captured(charge.ChargeId, Of(authorized) + Of(allowance)).ChargeOf(charge.ChargeId);
        Assert.Equal(Of(authorized) + Of(allowance), captured.CaptureAmount);
        Assert.Equal(captured.CaptureAmount!.Value.Truncated(), captured.CaptureAmount);
    }

    [Fact]
    public void Jpy_AllowanceCapIs8400Yen()
    {
        var authorized = Jpy(1_000_000m);
        var (ledger, charge) = Ledgers.Confirmed(authorized).Charged(authorized);

        Assert.Equal(Jpy(8_400m), Limits.Default.OverCaptureAllowance(authorized));
        Assert.Equal(Jpy(1_008_400m), ledger.ChargePermission.AmountLimit);
        Assert.Equal(ErrorCode.TransactionAmountExceeded, ledger.TryCapture(charge.ChargeId, Jpy(1_008_401m)).Error?.Code);
        var captured = ledger.Captured(charge.ChargeId, Jpy(1_008_400m));
        Assert.Equal("1008400", captured.ChargeOf(charge.ChargeId).CaptureAmount!.Value.ToAmountString());
        Assert.Equal(Jpy(0m), captured.AmountBalance);
    }

    [Fact]
    public void AllowOvercharge_RaisesTheLimitForCharges()
    {
        var ledger = Ledgers.From(Build.Completed(Build.Payment(PaymentIntent.Confirm, Usd.Of(14m), allowOvercharge: true)));

        Assert.Equal(Usd.Of(500m), ledger.ChargePermission.AmountLimit);
        Assert.True(ledger.TryCharge(Usd.Of(500m)).IsSuccess);
        Assert.Equal(ErrorCode.TransactionAmountExceeded, ledger.TryCharge(Usd.Of(500.01m)).Error?.Code);
    }
}
