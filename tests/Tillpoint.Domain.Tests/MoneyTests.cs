using System.Globalization;

namespace Tillpoint.Domain.Tests;

public class MoneyTests
{
    [Theory]
    [InlineData("14.00", Currency.USD, "14.00")]
    [InlineData("14", Currency.USD, "14")]
    [InlineData("0.5", Currency.USD, "0.5")]
    [InlineData("0.01", Currency.EUR, "0.01")]
    [InlineData("100", Currency.JPY, "100")]
    [InlineData("150000.00", Currency.GBP, "150000")]
    [InlineData("000000000000000000000000014.00", Currency.USD, "14")]
    [InlineData("00000000000000000000000000014.00", Currency.USD, "14")]
    public void TryParse_ExactAmountWithinScale_Succeeds(string text, Currency currency, string expected)
    {
        Assert.True(Money.TryParse(text, currency, out var money));

        Assert.Equal(decimal.Parse(expected, CultureInfo.InvariantCulture), money.Amount);
        Assert.Equal(currency, money.Currency);
    }

    [Theory]
    [InlineData("14.001", Currency.USD)]
    [InlineData("100.0", Currency.JPY)]
    [InlineData("0.5", Currency.JPY)]
    [InlineData("-1", Currency.USD)]
    [InlineData("+1", Currency.USD)]
    [InlineData("1e3", Currency.USD)]
    [InlineData("1E3", Currency.JPY)]
    [InlineData("1,00", Currency.USD)]
    [InlineData("1,000", Currency.JPY)]
    [InlineData(" 1", Currency.USD)]
    [InlineData("1 ", Currency.USD)]
    [InlineData("", Currency.USD)]
    [InlineData(null, Currency.USD)]
    [InlineData(".5", Currency.USD)]
    [InlineData("5.", Currency.USD)]
    [InlineData("1.2.3", Currency.USD)]
    [InlineData("0x10", Currency.USD)]
    [InlineData("NaN", Currency.USD)]
    [InlineData("\u0661\u0662", Currency.USD)]
    [InlineData("123456789012345678901234567890123", Currency.USD)]
    [InlineData("000000000000000000000000000014.00", Currency.USD)]
    [InlineData("99999999999999999999999999999999", Currency.USD)]
    public void TryParse_MalformedOrOverPreciseText_IsRefused(string? text, Currency currency)
    {
        Assert.False(Money.TryParse(text, currency, out var money));
        Assert.Equal(default, money);
    }

    [Theory]
    [InlineData("14", Currency.USD, "14.00")]
    [InlineData("0.5", Currency.USD, "0.50")]
    [InlineData("14.10", Currency.EUR, "14.10")]
    [InlineData("100", Currency.JPY, "100")]
    [InlineData("0", Currency.GBP, "0.00")]
    public void ToAmountString_WritesExactlyTheCurrencyScale(string amount, Currency currency, string expected)
    {
        var money = new Money(decimal.Parse(amount, CultureInfo.InvariantCulture), currency);

        Assert.Equal(expected, money.ToAmountString());
        Assert.Equal($"{expected} {currency}", money.ToString());
    }

    [Fact]
    public void Operators_SameCurrency_ComputeOnAmounts()
    {
        var a = Usd.Of(10.50m);
        var b = Usd.Of(2.25m);

        Assert.Equal(Usd.Of(12.75m), a + b);
        Assert.Equal(Usd.Of(8.25m), a - b);
        Assert.True(a > b);
        Assert.True(b < a);
        Assert.True(a >= Usd.Of(10.5m));
        Assert.True(a <= Usd.Of(10.50m));
        Assert.Equal(b, Money.Min(a, b));
        Assert.Equal(b, Money.Min(b, a));
    }

    [Fact]
    public void Equality_IgnoresTrailingZeros()
    {
        Assert.Equal(Usd.Of(14m), Usd.Of(14.00m));
        Assert.NotEqual(Usd.Of(14m), new Money(14m, Currency.EUR));
    }

    [Fact]
    public void Operators_MixedCurrencies_Throw()
    {
        var usd = Usd.Of(1m);
        var eur = new Money(1m, Currency.EUR);

        Assert.Throws<InvalidOperationException>(() => usd + eur);
        Assert.Throws<InvalidOperationException>(() => usd - eur);
        Assert.Throws<InvalidOperationException>(() => usd > eur);
        Assert.Throws<InvalidOperationException>(() => usd < eur);
        Assert.Throws<InvalidOperationException>(() => usd >= eur);
        Assert.Throws<InvalidOperationException>(() => usd <= eur);
        Assert.Throws<InvalidOperationException>(() => Money.Min(usd, eur));
    }

    [Theory]
    [InlineData("2.109", Currency.USD, "2.10")]
    [InlineData("2.1", Currency.USD, "2.10")]
    [InlineData("0.009", Currency.EUR, "0.00")]
    [InlineData("1.99", Currency.JPY, "1")]
    [InlineData("8400", Currency.JPY, "8400")]
    public void Truncated_RoundsDownToTheCurrencyScale(string amount, Currency currency, string expected)
    {
        var truncated = new Money(decimal.Parse(amount, CultureInfo.InvariantCulture), currency).Truncated();

        Assert.Equal(decimal.Parse(expected, CultureInfo.InvariantCulture), truncated.Amount);
        Assert.Equal(currency, truncated.Currency);
    }

    [Fact]
    public void Comparisons_OfEqualAmounts_AreExactAtTheBoundary()
    {
        Assert.False(Usd.Of(1m) < Usd.Of(1.00m));
        Assert.False(Usd.Of(1m) > Usd.Of(1.00m));
        Assert.True(Usd.Of(1m) <= Usd.Of(1.00m));
        Assert.True(Usd.Of(1m) >= Usd.Of(1.00m));
        Assert.True(Usd.Of(0.99m) < Usd.Of(1m));
        Assert.True(Usd.Of(1.01m) > Usd.Of(1m));
        Assert.False(Usd.Of(1.01m) <= Usd.Of(1m));
        Assert.False(Usd.Of(0.99m) >= Usd.Of(1m));
    }

    [Fact]
    public void IsPositive_OnlyAboveZero()
    {
        Assert.True(Usd.Of(0.01m).IsPositive);
        Assert.False(Usd.Of(0m).IsPositive);
        Assert.False(Usd.Of(-1m).IsPositive);
        Assert.Equal(Usd.Of(0m), Money.Zero(Currency.USD));
    }
}

public class CurrenciesTests
{
    [Theory]
    [InlineData("USD", Currency.USD)]
    [InlineData("EUR", Currency.EUR)]
    [InlineData("GBP", Currency.GBP)]
    [InlineData("JPY", Currency.JPY)]
    [InlineData("ZAR", Currency.ZAR)]
    public void TryParse_UpperCaseIsoCode_Succeeds(string code, Currency expected)
    {
        Assert.True(Currencies.TryParse(code, out var currency));
        Assert.Equal(expected, currency);
    }

    [Theory]
    [InlineData("usd")]
    [InlineData("Usd")]
    [InlineData("US")]
    [InlineData("USDD")]
    [InlineData(" USD")]
    [InlineData("XXX")]
    [InlineData("CAD")]
    [InlineData("1")]
    [InlineData("001")]
    [InlineData("")]
    [InlineData(null)]
    public void TryParse_AnythingButASupportedUpperCaseCode_IsRefused(string? code)
    {
        Assert.False(Currencies.TryParse(code, out _));
    }

    [Fact]
    public void Scale_IsZeroForJpyAndTwoForEveryOtherCurrency()
    {
        foreach (var currency in Enum.GetValues<Currency>())
        {
            Assert.Equal(currency == Currency.JPY ? 0 : 2, Currencies.Scale(currency));
        }
    }
}
