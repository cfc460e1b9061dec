using Tillpoint.Domain.Charges;

namespace Tillpoint.Domain.Tests.ChargePermissions;

/// <summary>A refusal states the amounts the merchant needs to correct its request; they must be the right ones.</summary>
public class RefusalAmountTests
{
    private static readonly DateTimeOffset Now = Ledgers.Start.AddSeconds(10);

    private static Money Of(Currency currency, decimal amount) => new(amount, currency);

    [Theory]
    [InlineData(Currency.USD, "100", "15", "0.01")]
    [InlineData(Currency.EUR, "1000", "75", "0.01")]
    [InlineData(Currency.JPY, "10000", "1500", "1")]
    [InlineData(Currency.JPY, "100000", "8400", "1")]
    public void CreateRefund_OverWhatRemains_StatesTheRemainingCapturedAndHeldAmounts(
        Currency currency, string captured, string allowance, string unit)
    {
        var capture = Of(currency, decimal.Parse(captured, System.Globalization.CultureInfo.InvariantCulture));
        var most = capture + Of(currency, decimal.Parse(allowance, System.Globalization.CultureInfo.InvariantCulture));
        var minor = Of(currency, decimal.Parse(unit, System.Globalization.CultureInfo.InvariantCulture));
        var (ledger, charge) = Ledgers.Confirmed(capture).Charged(capture, captureNow: true);
        var part = Of(currency, currency == Currency.JPY ? 3m : 3.33m);
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
        var amount = Of(currency, decimal.Parse(authorized, System.Globalization.CultureInfo.InvariantCulture));
        var allowed = Of(currency, decimal.Parse(allowance, System.Globalization.CultureInfo.InvariantCulture));
        var minor = Of(currency, decimal.Parse(unit, System.Globalization.CultureInfo.InvariantCulture));
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
