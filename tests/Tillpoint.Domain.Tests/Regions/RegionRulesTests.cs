using System.Globalization;
using Tillpoint.Domain.CheckoutSessions;
using Tillpoint.Domain.Regions;

namespace Tillpoint.Domain.Tests.Regions;

public class RegionRulesTests
{
    private static readonly Currency[] MultiCurrency =
    [
        Currency.AUD, Currency.GBP, Currency.DKK, Currency.EUR, Currency.HKD, Currency.JPY,
        Currency.NZD, Currency.NOK, Currency.ZAR, Currency.SEK, Currency.CHF, Currency.USD,
    ];

    public static TheoryData<Region> EveryRegion => [.. RegionRules.All];

    [Theory]
    [InlineData(Region.NA, Currency.USD)]
    [InlineData(Region.EU, Currency.EUR)]
    [InlineData(Region.UK, Currency.GBP)]
    [InlineData(Region.JP, Currency.JPY)]
    public void LedgerCurrency_IsTheRegionsSettlementCurrency(Region region, Currency ledger)
    {
        var rules = RegionRules.Of(region);

        Assert.Equal(region, rules.Region);
        Assert.Equal(ledger, rules.LedgerCurrency);
    }

    [Theory]
    [InlineData(Region.NA, Currency.USD)]
    [InlineData(Region.JP, Currency.JPY)]
    public void PresentmentCurrencies_OfUsAndJp_AreTheLedgerCurrencyOnly(Region region, Currency ledger)
    {
        var rules = RegionRules.Of(region);

        Assert.Equal([ledger], rules.PresentmentCurrencies);
        Assert.All(Enum.GetValues<Currency>().Where(c => c != ledger), c => Assert.False(rules.Presents(c)));
    }

    [Theory]
    [InlineData(Region.EU)]
    [InlineData(Region.UK)]
    public void PresentmentCurrencies_OfEuAndUk_AreTheTwelveMultiCurrencyOnes(Region region)
    {
        var rules = RegionRules.Of(region);

        Assert.Equal(MultiCurrency, rules.PresentmentCurrencies);
        Assert.All(Enum.GetValues<Currency>(), c => Assert.True(rules.Presents(c)));
    }

    [Theory]
    [MemberData(nameof(EveryRegion))]
    public void PresentmentCurrencies_AlwaysIncludeTheLedgerCurrency(Region region)
    {
        var rules = RegionRules.Of(region);

        Assert.True(rules.Presents(rules.LedgerCurrency));
    }

    [Theory]
    [InlineData(Currency.JPY, 0)]
    [InlineData(Currency.USD, 2)]
    [InlineData(Currency.EUR, 2)]
    [InlineData(Currency.GBP, 2)]
    [InlineData(Currency.AUD, 2)]
    [InlineData(Currency.DKK, 2)]
    [InlineData(Currency.HKD, 2)]
    [InlineData(Currency.NZD, 2)]
    [InlineData(Currency.NOK, 2)]
    [InlineData(Currency.ZAR, 2)]
    [InlineData(Currency.SEK, 2)]
    [InlineData(Currency.CHF, 2)]
    public void EveryPresentmentCurrency_HasTheScaleTheSpecGives(Currency currency, int scale) =>
        Assert.Equal(scale, Currencies.Scale(currency));

    [Theory]
    [InlineData(Region.NA, "150000", "75", Currency.USD)]
    [InlineData(Region.UK, "150000", "75", Currency.GBP)]
    [InlineData(Region.EU, "150000", "75", Currency.EUR)]
    [InlineData(Region.JP, "10000000", "8400", Currency.JPY)]
    public void MaxTransactionAndOverCaptureCap_AreThePublishedFiguresInTheLedgerCurrency(Region region, string max, string cap, Currency currency)
    {
        var rules = RegionRules.Of(region);

        Assert.Equal(Amount(max, currency), rules.MaxTransaction(Limits.Default));
        Assert.Equal(Amount(cap, currency), rules.OverCaptureCap(Limits.Default));
    }

    [Fact]
    public void MaxTransactionAndOverCaptureCap_FollowTunedLimits()
    {
        var limits = Limits.Default with
        {
            MaxTransactionAmount = new Dictionary<Currency, decimal> { [Currency.EUR] = 500m },
            OverCaptureCap = new Dictionary<Currency, decimal> { [Currency.EUR] = 5m },
        };

        Assert.Equal(new Money(500m, Currency.EUR), RegionRules.EU.MaxTransaction(limits));
        Assert.Equal(new Money(5m, Currency.EUR), RegionRules.EU.OverCaptureCap(limits));
    }

    [Theory]
    [InlineData(Currency.USD, "1000", "15000")]
    [InlineData(Currency.EUR, "1000", "15000")]
    [InlineData(Currency.GBP, "1000", "15000")]
    [InlineData(Currency.AUD, "1000", "15000")]
    [InlineData(Currency.CHF, "1000", "15000")]
    [InlineData(Currency.NZD, "1000", "15000")]
    [InlineData(Currency.DKK, "10000", "150000")]
    [InlineData(Currency.HKD, "10000", "150000")]
    [InlineData(Currency.NOK, "10000", "150000")]
    [InlineData(Currency.SEK, "10000", "150000")]
    [InlineData(Currency.ZAR, "10000", "150000")]
    [InlineData(Currency.JPY, "100000", "2000000")]
    public void MonthlyCaps_OfAnEuOrUkMerchant_FollowTheCurrency(Currency currency, string recurring, string savedWallet)
    {
        foreach (var rules in new[] { RegionRules.EU, RegionRules.UK })
        {
            Assert.Equal(Amount(recurring, currency), rules.MonthlyCap(Limits.Default, ChargePermissionType.Recurring, currency));
            Assert.Equal(Amount(savedWallet, currency), rules.MonthlyCap(Limits.Default, ChargePermissionType.PaymentMethodOnFile, currency));
        }
    }

    [Fact]
    public void MonthlyCaps_OfAUsMerchant_AreUsd1000And15000()
    {
        Assert.Equal(new Money(1_000m, Currency.USD), RegionRules.NA.MonthlyCap(Limits.Default, ChargePermissionType.Recurring, Currency.USD));
        Assert.Equal(new Money(15_000m, Currency.USD), RegionRules.NA.MonthlyCap(Limits.Default, ChargePermissionType.PaymentMethodOnFile, Currency.USD));
    }

    [Fact]
    public void MonthlyCaps_OfAJpMerchant_AreJpy100000And2000000()
    {
        Assert.Equal(new Money(100_000m, Currency.JPY), RegionRules.JP.MonthlyCap(Limits.Default, ChargePermissionType.Recurring, Currency.JPY));
        Assert.Equal(new Money(2_000_000m, Currency.JPY), RegionRules.JP.MonthlyCap(Limits.Default, ChargePermissionType.PaymentMethodOnFile, Currency.JPY));
    }

    [Theory]
    [InlineData(Region.NA, Currency.EUR)]
    [InlineData(Region.NA, Currency.JPY)]
    [InlineData(Region.JP, Currency.USD)]
    [InlineData(Region.JP, Currency.GBP)]
    public void MonthlyCaps_InACurrencyTheRegionDoesNotPresent_AreNone(Region region, Currency currency)
    {
        var rules = RegionRules.Of(region);

        Assert.Null(rules.MonthlyCap(Limits.Default, ChargePermissionType.Recurring, currency));
        Assert.Null(rules.MonthlyCap(Limits.Default, ChargePermissionType.PaymentMethodOnFile, currency));
    }

    [Theory]
    [InlineData(Region.NA, Currency.USD)]
    [InlineData(Region.EU, Currency.EUR)]
    [InlineData(Region.EU, Currency.ZAR)]
    [InlineData(Region.UK, Currency.USD)]
    [InlineData(Region.JP, Currency.JPY)]
    public void CheckPresented_PresentedCurrency_Passes(Region region, Currency currency) =>
        Assert.Null(RegionRules.Of(region).CheckPresented("chargeAmount.currencyCode", currency));

    [Fact]
    public void CheckPresented_NoCurrency_Passes() =>
        Assert.Null(RegionRules.NA.CheckPresented("chargeAmount.currencyCode", null));

    [Theory]
    [InlineData(Region.NA, Currency.EUR, "USD")]
    [InlineData(Region.NA, Currency.GBP, "USD")]
    [InlineData(Region.JP, Currency.USD, "JPY")]
    public void CheckPresented_CurrencyTheRegionDoesNotPresent_IsAnInvalidValueNamingFieldAndCurrencies(
        Region region, Currency currency, string presented)
    {
        var error = RegionRules.Of(region).CheckPresented("paymentDetails.chargeAmount.currencyCode", currency);

        Assert.NotNull(error);
        Assert.Equal(ErrorCode.InvalidParameterValue, error.Code);
        Assert.Contains("paymentDetails.chargeAmount.currencyCode", error.Message, StringComparison.Ordinal);
        Assert.Contains($"'{currency}' is not a presentment currency of {region} merchants ({presented})", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void CheckPresentedPayment_ChecksTheChargeAmountsCurrencyFirst()
    {
        var error = RegionRules.NA.CheckPresented("paymentDetails", new Money(1m, Currency.EUR), new Money(1m, Currency.USD), Currency.USD);

        Assert.Equal(ErrorCode.InvalidParameterValue, error?.Code);
        Assert.Contains("paymentDetails.chargeAmount.currencyCode", error?.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void CheckPresentedPayment_PresentedChargeAmount_LeavesOtherCurrenciesToTheSessionsMismatchRule() =>
        Assert.Null(RegionRules.NA.CheckPresented("paymentDetails", new Money(1m, Currency.USD), new Money(1m, Currency.EUR), Currency.GBP));

    [Fact]
    public void CheckPresentedPayment_WithoutChargeAmount_ChecksPresentmentCurrencyBeforeTotal()
    {
        var error = RegionRules.JP.CheckPresented("paymentDetails", null, new Money(1m, Currency.JPY), Currency.USD);

        Assert.Contains("paymentDetails.presentmentCurrency", error?.Message, StringComparison.Ordinal);
        Assert.Null(RegionRules.JP.CheckPresented("paymentDetails", null, new Money(1m, Currency.USD), Currency.JPY));
    }

    [Fact]
    public void CheckPresentedPayment_OnlyTotalOrderAmount_ChecksIt()
    {
        var error = RegionRules.JP.CheckPresented("paymentDetails", null, new Money(1m, Currency.EUR), null);

        Assert.Contains("paymentDetails.totalOrderAmount.currencyCode", error?.Message, StringComparison.Ordinal);
        Assert.Null(RegionRules.EU.CheckPresented("paymentDetails", null, new Money(1m, Currency.JPY), null));
    }

    [Fact]
    public void CheckPresentedPayment_NoAmountsNorCurrency_Passes() =>
        Assert.Null(RegionRules.JP.CheckPresented("paymentDetails", null, null, null));

    [Theory]
    [InlineData(Region.NA, "na", "en_US")]
    [InlineData(Region.EU, "eu", "de_DE")]
    [InlineData(Region.UK, "uk", "en_GB")]
    [InlineData(Region.JP, "jp", "ja_JP")]
    public void NameAndDefaultLanguage_AreTheRegions(Region region, string name, string language)
    {
        Assert.Equal(name, RegionRules.Name(region));
        Assert.Equal(language, RegionRules.Of(region).DefaultCheckoutLanguage);
    }

    [Theory]
    [InlineData(Currency.USD, Region.NA)]
    [InlineData(Currency.EUR, Region.EU)]
    [InlineData(Currency.GBP, Region.UK)]
    [InlineData(Currency.JPY, Region.JP)]
    public void SettlingIn_ALedgerCurrency_IsItsRegion(Currency ledger, Region region) =>
        Assert.Equal(region, RegionRules.SettlingIn(ledger));

    [Theory]
    [InlineData(Currency.AUD)]
    [InlineData(Currency.CHF)]
    [InlineData(Currency.ZAR)]
    public void SettlingIn_APresentmentOnlyCurrency_IsNone(Currency currency) =>
        Assert.Null(RegionRules.SettlingIn(currency));

    [Fact]
    public void All_ListsEveryRegionOnce() =>
        Assert.Equal(Enum.GetValues<Region>(), RegionRules.All);

    private static Money Amount(string text, Currency currency) => new(decimal.Parse(text, CultureInfo.InvariantCulture), currency);
}
