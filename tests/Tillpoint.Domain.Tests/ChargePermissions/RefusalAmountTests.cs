using Tillpoint.Domain.Charges;

namespace Tillpoint.Domain.Tests.ChargePermissions;

/// <summary>A refusal states the amounts the merchant needs to correct its request; they must be the right ones.</summary>
public class RefusalAmountTests
{
    private static readonly DateTimeOffset Now = Ledgers.Start.AddSeconds(10);

    private static Money Of(Currency currency, string amount) =>
        new(decimal.Parse(amount, System.Globalization.CultureInfo.InvariantCulture), currency);

    [Theory]
    [InlineData(Currency.USD, "100", "15", "0.01")]
    [InlineData(Currency.EUR, "1000", "75", "0.01")]
    [InlineData(Currency.JPY, "10000", "1500", "1")]
    [InlineData(Currency.JPY, "100000", "8400", "1")]
    public void CreateRefund_OverWhatRemains_StatesTheRemainingCapturedAndHeldAmounts(
        Currency currency, string captured, string allowance, string unit)
    {
        var (capture, minor) = (Of(currency, captured), Of(currency, unit));
        var most = capture + Of(currency, allowance);
        var (ledger, charge) = Ledgers.Confirmed(capture).Charged(capture, captureNow: true);
        var part = Of(currency, currency == Currency.JPY ? "3" : "3.33");
        var first = ledger.Refunded(charge.ChargeId, part, at: Now);

        Assert.True(first.TryRefund(charge.ChargeId, most - part, at: Now).IsSuccess);
        var refused = first.TryRefund(charge.ChargeId, most - part + minor, at: Now);

        Assert.Equal(ErrorCode.TransactionAmountExceeded, refused.Error?.Code);
        Assert.Equal([most - part + minor, most - part, capture, part], StatedAmounts.In(refused.Error));
    }

    [Theory]
    [InlineData(Currency.USD, "14", "2.10", "0.01")]
    [InlineData(Currency.GBP, "1000", "75", "0.01")]
    [InlineData(Currency.JPY, "1000", "150", "1")]
    [InlineData(Currency.JPY, "1000000", "8400", "1")]
    public void Capture_OverTheAllowance_StatesTheAuthorizedAmountAndTheAllowance(
        Currency currency, string authorized, string allowance, string unit)
    {
        var (amount, allowed, minor) = (Of(currency, authorized), Of(currency, allowance), Of(currency, unit));
        var (charge, permission) = Build.Authorized(amount);

        var refused = charge.Capture(amount + allowed + minor, null, permission, Money.Zero(currency), false, null, Times.T0, Limits.Default);
        var most = charge.Capture(amount + allowed, null, permission, Money.Zero(currency), false, null, Times.T0, Limits.Default);

        Assert.Equal(ErrorCode.TransactionAmountExceeded, refused.Error?.Code);
        Assert.Equal([amount + allowed + minor, amount, allowed], StatedAmounts.In(refused.Error));
        Assert.Equal(ChargeState.Captured, most.Value.Value.State);
    }

    [Fact]
    public void Capture_OverThePermissionLimit_StatesTheAmountAndTheLimit()
    {
        var (charge, permission) = Build.Authorized(Usd.Of(100m));
        var others = permission.AmountLimit - Usd.Of(100m);

        var refused = charge.Capture(Usd.Of(100.01m), null, permission, others, false, null, Times.T0, Limits.Default);
        var most = charge.Capture(Usd.Of(100m), null, permission, others, false, null, Times.T0, Limits.Default);

        Assert.Equal(ErrorCode.TransactionAmountExceeded, refused.Error?.Code);
        Assert.Equal([Usd.Of(100.01m), permission.AmountLimit], StatedAmounts.In(refused.Error));
        Assert.True(most.IsSuccess);
    }

    [Fact]
    public void CreateCharge_OverTheBalance_StatesTheAmountAndTheBalance()
    {
        var (ledger, _) = Ledgers.Confirmed(Usd.Of(100m)).Charged(Usd.Of(60m));

        var refused = ledger.TryCharge(Usd.Of(55.01m));

        Assert.Equal(ErrorCode.TransactionAmountExceeded, refused.Error?.Code);
        Assert.Equal([Usd.Of(55.01m), Usd.Of(55m)], StatedAmounts.In(refused.Error));
    }
}
