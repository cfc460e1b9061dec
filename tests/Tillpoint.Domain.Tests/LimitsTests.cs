using System.Globalization;

namespace Tillpoint.Domain.Tests;

public class LimitsTests
{
    [Theory]
    [InlineData("14.00", Currency.USD, "2.10")]
    [InlineData("1000", Currency.USD, "75.00")]
    [InlineData("500", Currency.USD, "75.00")]
    [InlineData("499.99", Currency.USD, "74.99")]
    [InlineData("0.07", Currency.USD, "0.01")]
    [InlineData("0.06", Currency.USD, "0.00")]
    [InlineData("1000", Currency.EUR, "75.00")]
    [InlineData("99.99", Currency.GBP, "14.99")]
    [InlineData("10", Currency.JPY, "1")]
    [InlineData("6", Currency.JPY, "0")]
    [InlineData("56000", Currency.JPY, "8400")]
    [InlineData("100000", Currency.JPY, "8400")]
    [InlineData("10000", Currency.DKK, "750.00")]
    public void OverCaptureAllowance_IsFifteenPercentCappedAndTruncated(string amount, Currency currency, string expected)
    {
        var allowance = Limits.Default.OverCaptureAllowance(new Money(decimal.Parse(amount, CultureInfo.InvariantCulture), currency));

        Assert.Equal(currency, allowance.Currency);
        Assert.Equal(decimal.Parse(expected, CultureInfo.InvariantCulture), allowance.Amount);
    }

    [Fact]
    public void OverCaptureAllowance_FollowsTunedLimits()
    {
        var limits = Limits.Default with
        {
            OverCaptureFraction = 0.10m,
            OverCaptureCap = new Dictionary<Currency, decimal> { [Currency.USD] = 5m },
        };

        Assert.Equal(Usd.Of(3.00m), limits.OverCaptureAllowance(Usd.Of(30m)));
        Assert.Equal(Usd.Of(5m), limits.OverCaptureAllowance(Usd.Of(100m)));
    }

    [Fact]
    public void MaxTransaction_PerCurrency()
    {
        Assert.Equal(Usd.Of(150_000m), Limits.Default.MaxTransaction(Currency.USD));
        Assert.Equal(new Money(10_000_000m, Currency.JPY), Limits.Default.MaxTransaction(Currency.JPY));
    }

    [Fact]
    public void Defaults_MatchThePublishedLifetimes()
    {
        var limits = Limits.Default;

        Assert.Equal(TimeSpan.FromHours(24), limits.CheckoutSessionLifetime);
        Assert.Equal(TimeSpan.FromDays(30), limits.AuthorizationLifetime);
        Assert.Equal(TimeSpan.FromDays(7), limits.SynchronousCaptureWindow);
        Assert.Equal(TimeSpan.FromDays(180), limits.ChargePermissionLifetime);
        Assert.Equal(16, limits.SoftDescriptorMaxLength);
    }
}
