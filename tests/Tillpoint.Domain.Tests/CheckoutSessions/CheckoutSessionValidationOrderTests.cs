using Tillpoint.Domain.CheckoutSessions;

namespace Tillpoint.Domain.Tests.CheckoutSessions;

/// <summary>
/// When a request has several faults, the merchant is told the first in a fixed order: the same request always gets
/// the same answer. Each test makes every field from one point on invalid and expects that point's field named.
/// </summary>
public class CheckoutSessionValidationOrderTests
{
    private const string HttpUrl = "http://shop.example/page";

    public static TheoryData<int, string> CreateFields() => new()
    {
        { 0, "webCheckoutDetails.checkoutReviewReturnUrl" },
        { 1, "webCheckoutDetails.checkoutResultReturnUrl" },
        { 2, "webCheckoutDetails.checkoutCancelUrl" },
        { 3, "paymentDetails.chargeAmount" },
        { 4, "merchantMetadata.merchantStoreName" },
        { 5, "platformId" },
    };

    [Theory]
    [MemberData(nameof(CreateFields))]
    public void Create_SeveralInvalidFields_NamesTheFirstInOrder(int first, string field)
    {
        var command = Build.Create(
            web: new WebCheckoutDetails(first <= 0 ? HttpUrl : Build.ReviewUrl, first <= 1 ? HttpUrl : null, first <= 2 ? HttpUrl : null, null),
            payment: Build.Payment(chargeAmount: Usd.Of(first <= 3 ? 0m : 5m)),
            metadata: MerchantMetadata.Empty with { MerchantStoreName = new string('n', first <= 4 ? 51 : 50) },
            platformId: new string('p', 65));

        var error = Build.TryCreate(command, ReleaseEnvironment.Live).Error;

        Assert.Equal(ErrorCode.InvalidParameterValue, error?.Code);
        Assert.Contains(field, error!.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Create_ChargeAndTotalBothInvalid_NamesTheChargeAmount()
    {
        var error = Build.TryCreate(Build.Create(payment: Build.Payment(chargeAmount: Usd.Of(0m), totalOrderAmount: Usd.Of(0m)))).Error;

        Assert.Equal(ErrorCode.InvalidParameterValue, error?.Code);
        Assert.Contains("paymentDetails.chargeAmount", error!.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Create_TotalOrderAmountNotPositive_NamesIt()
    {
        var error = Build.TryCreate(Build.Create(payment: Build.Payment(chargeAmount: Usd.Of(5m), totalOrderAmount: Usd.Of(0m)))).Error;

        Assert.Equal(ErrorCode.InvalidParameterValue, error?.Code);
        Assert.Contains("paymentDetails.totalOrderAmount", error!.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Create_ChargeAmountEqualToTheTotal_IsAllowed()
    {
        Assert.True(Build.TryCreate(Build.Create(payment: Build.Payment(chargeAmount: Usd.Of(20m), totalOrderAmount: Usd.Of(20m)))).IsSuccess);
    }

    [Theory]
    [InlineData(Currency.EUR, "150000", true)]
    [InlineData(Currency.EUR, "150000.01", false)]
    [InlineData(Currency.JPY, "10000000", true)]
    [InlineData(Currency.JPY, "10000001", false)]
    [InlineData(Currency.DKK, "1500000", true)]
    [InlineData(Currency.DKK, "1500000.01", false)]
    public void Create_ChargeAmountAgainstItsCurrencysMaximum(Currency currency, string amount, bool allowed)
    {
        var money = new Money(decimal.Parse(amount, System.Globalization.CultureInfo.InvariantCulture), currency);

        var created = Build.TryCreate(Build.Create(payment: Build.Payment(chargeAmount: money)));

        Assert.Equal(allowed, created.IsSuccess);
        Assert.Equal(allowed ? null : ErrorCode.InvalidParameterValue, created.Error?.Code);
    }

    [Fact]
    public void Create_NullScope_IsRefusedAndNamed()
    {
        var error = Build.TryCreate(Build.Create(scopes: ["name", null!])).Error;

        Assert.Equal(ErrorCode.InvalidParameterValue, error?.Code);
        Assert.Contains("'null'", error!.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Create_CanHandlePendingAuthorizationBeforeTheIntentIsKnown_IsAllowed()
    {
        Assert.True(Build.TryCreate(Build.Create(payment: Build.Payment(null, canHandlePendingAuthorization: true))).IsSuccess);
    }

    [Fact]
    public void Create_ProcessOrderMultiAddressWithoutAddressDetails_IsABadCombinationBeforeTheMissingAddress()
    {
        var error = Build.TryCreate(Build.Create(
            web: new WebCheckoutDetails(null, Build.ResultUrl, null, CheckoutMode.ProcessOrder),
            payment: Build.Payment(),
            productType: ProductType.PayAndShipMultiAddress)).Error;

        Assert.Equal(ErrorCode.InvalidParameterCombination, error?.Code);
        Assert.Contains("ProcessOrder", error!.Message, StringComparison.Ordinal);
    }

    public static TheoryData<int, string> UpdateFields() => new()
    {
        { 0, "webCheckoutDetails.checkoutReviewReturnUrl" },
        { 1, "webCheckoutDetails.checkoutResultReturnUrl" },
        { 2, "webCheckoutDetails.checkoutCancelUrl" },
        { 3, "merchantMetadata.noteToBuyer" },
        { 4, "platformId" },
        { 5, "supplementaryData" },
    };

    [Theory]
    [MemberData(nameof(UpdateFields))]
    public void Update_SeveralInvalidFields_NamesTheFirstInOrder(int first, string field)
    {
        var session = Build.NewSession(environment: ReleaseEnvironment.Live);
        var command = new UpdateCheckoutSession(
            first <= 0 ? HttpUrl : null,
            first <= 1 ? HttpUrl : null,
            first <= 2 ? HttpUrl : null,
            null,
            MerchantMetadata.Empty with { NoteToBuyer = new string('n', first <= 3 ? 256 : 255) },
            new string('p', first <= 4 ? 65 : 64),
            null,
            new string('s', 1025));

        var error = session.Update(command, Times.T0, Limits.Default).Error;

        Assert.Equal(ErrorCode.InvalidParameterValue, error?.Code);
        Assert.Contains(field, error!.Message, StringComparison.Ordinal);
    }
}
