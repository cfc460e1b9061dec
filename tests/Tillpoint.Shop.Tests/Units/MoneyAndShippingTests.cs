using Tillpoint.Shop.Catalog;
using Tillpoint.Shop.Checkout;

namespace Tillpoint.Shop.Tests.Units;

public sealed class MoneyAndShippingTests
{
    [Theory]
    [InlineData("5", 5.00)]
    [InlineData("5.5", 5.50)]
    [InlineData(" 10.25 ", 10.25)]
    [InlineData("$3.00", 3.00)]
    public void ParseInput_AcceptsPlainAmounts(string text, double expected)
    {
        Assert.Equal((decimal)expected, Money.ParseInput(text));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("abc")]
    [InlineData("0")]
    [InlineData("-1")]
    [InlineData("1.001")]
    [InlineData("1e3")]
    [InlineData("1,000")]
    [InlineData("9999999999999")]
    public void ParseInput_RefusesAnythingElse(string? text)
    {
        Assert.Null(Money.ParseInput(text));
    }

    [Fact]
    public void ApiAmount_HasTwoDecimalsWhateverTheCulture()
    {
        Assert.Equal("14.00", Money.ApiAmount(14m));
        Assert.Equal("0.50", Money.ApiAmount(0.5m));
        Assert.Equal("$1234.50", Money.Display(1234.5m, "USD"));
    }

    [Theory]
    [InlineData("US", 5.00)]
    [InlineData("us", 5.00)]
    [InlineData("CA", 12.00)]
    [InlineData("MX", 12.00)]
    [InlineData("DE", 18.00)]
    [InlineData("GB", 18.00)]
    [InlineData("JP", 25.00)]
    [InlineData(null, 25.00)]
    public void Shipping_DependsOnTheCountry(string? country, double expected)
    {
        Assert.Equal((decimal)expected, ShippingRates.For(country));
    }
}
