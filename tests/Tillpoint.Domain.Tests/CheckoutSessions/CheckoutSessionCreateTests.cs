using Tillpoint.Domain.CheckoutSessions;

namespace Tillpoint.Domain.Tests.CheckoutSessions;

public class CheckoutSessionCreateTests
{
    private static DomainError CreateFails(CreateCheckoutSession command, ReleaseEnvironment environment = ReleaseEnvironment.Sandbox)
    {
        var created = Build.TryCreate(command, environment);
        Assert.False(created.IsSuccess);
        return created.Error!;
    }

    [Fact]
    public void Create_StandardFlow_OpensSessionWithConstraintsExpiryAndOneEvent()
    {
        var created = Build.TryCreate(Build.Create());

        Assert.True(created.IsSuccess);
        var session = created.Value.Value;
        Assert.Equal("cs-0001", session.CheckoutSessionId);
        Assert.Equal(Build.MerchantId, session.MerchantId);
        Assert.Equal(ReleaseEnvironment.Sandbox, session.Environment);
        Assert.Equal(Build.StoreId, session.StoreId);
        Assert.Equal(CheckoutSessionState.Open, session.State);
        Assert.Null(session.ReasonCode);
        Assert.Equal(Times.T0, session.CreationTimestamp);
        Assert.Equal(Times.T0, session.LastUpdatedTimestamp);
        Assert.Equal(Times.T0.AddHours(24), session.ExpirationTimestamp);
        Assert.Equal(ProductType.PayAndShip, session.ProductType);
        Assert.Equal(ChargePermissionType.OneTime, session.ChargePermissionType);
        Assert.Equal(MerchantMetadata.Empty, session.MerchantMetadata);
        Assert.Equal(PaymentDetails.Empty, session.PaymentDetails);
        Assert.False(session.Processed);
        Assert.Null(session.Selection);
        Assert.Equal(
            [ConstraintId.BuyerNotAssociated, ConstraintId.ChargeAmountNotSet, ConstraintId.CheckoutResultReturnUrlNotSet,
                ConstraintId.PaymentIntentNotSet],
            session.Constraints);
        Assert.False(session.IsReadyForProcessing);

        var e = Assert.Single(created.Value.Events);
        Assert.Equal(ObjectType.CheckoutSession, e.ObjectType);
        Assert.Equal(session.CheckoutSessionId, e.ObjectId);
        Assert.Null(e.FromState);
        Assert.Equal("Open", e.ToState);
        Assert.Equal(Times.T0, e.At);
    }

    [Fact]
    public void Create_KeepsTheMerchantsFields()
    {
        var metadata = new MerchantMetadata("order-1", "Shop", "Thanks", "custom");
        var payment = Build.Payment(PaymentIntent.AuthorizeWithCapture, softDescriptor: "SHOP", extendExpiration: true);
        var session = Build.NewSession(
            Build.Create(payment: payment, metadata: metadata, scopes: ["name", "email"], platformId: "SPID", productType: ProductType.PayOnly),
            ReleaseEnvironment.Live);

        Assert.Equal(ReleaseEnvironment.Live, session.Environment);
        Assert.Equal(metadata, session.MerchantMetadata);
        Assert.Equal(payment, session.PaymentDetails);
        Assert.Equal(["name", "email"], session.Scopes!);
        Assert.Equal("SPID", session.PlatformId);
        Assert.Equal(ProductType.PayOnly, session.ProductType);
        Assert.Equal([ConstraintId.BuyerNotAssociated, ConstraintId.CheckoutResultReturnUrlNotSet], session.Constraints);
    }

    [Fact]
    public void Create_WithoutReviewUrl_IsMissingParameter()
    {
        var error = CreateFails(Build.Create(web: new WebCheckoutDetails(null, Build.ResultUrl, null, null)));

        Assert.Equal(ErrorCode.MissingParameterValue, error.Code);
        Assert.Contains("checkoutReviewReturnUrl", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Create_ProcessOrderWithReviewUrl_IsInvalidCombination()
    {
        var error = CreateFails(Build.Create(
            web: new WebCheckoutDetails(Build.ReviewUrl, Build.ResultUrl, null, CheckoutMode.ProcessOrder),
            payment: Build.Payment(),
            productType: ProductType.PayOnly));

        Assert.Equal(ErrorCode.InvalidParameterCombination, error.Code);
    }

    [Theory]
    [InlineData(false, true, true, true, "checkoutResultReturnUrl")]
    [InlineData(true, false, true, true, "paymentIntent")]
    [InlineData(true, true, false, true, "chargeAmount")]
    [InlineData(true, true, true, false, "addressDetails")]
    public void Create_ProcessOrderWithoutARequiredPiece_IsMissingParameter(
        bool resultUrl, bool intent, bool amount, bool address, string missing)
    {
        var payment = new PaymentDetails(
            intent ? PaymentIntent.Authorize : null, false, amount ? Usd.Of(10m) : null, null, null, null, null, null);
        var error = CreateFails(Build.Create(
            web: new WebCheckoutDetails(null, resultUrl ? Build.ResultUrl : null, null, CheckoutMode.ProcessOrder),
            payment: payment,
            addressDetails: address ? Build.JaneHome : null));

        Assert.Equal(ErrorCode.MissingParameterValue, error.Code);
        Assert.Contains(missing, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Create_ProcessOrderComplete_LeavesOnlyTheBuyerConstraint()
    {
        var session = Build.NewSession(Build.Create(
            web: new WebCheckoutDetails(null, Build.ResultUrl, null, CheckoutMode.ProcessOrder),
            payment: Build.Payment(),
            addressDetails: Build.JaneHome));

        Assert.Equal([ConstraintId.BuyerNotAssociated], session.Constraints);
        Assert.Equal(Build.JaneHome, session.AddressDetails);
    }

    [Fact]
    public void Create_ProcessOrderPayOnly_NeedsNoAddressDetails()
    {
        var created = Build.TryCreate(Build.Create(
            web: new WebCheckoutDetails(null, Build.ResultUrl, null, CheckoutMode.ProcessOrder),
            payment: Build.Payment(),
            productType: ProductType.PayOnly));

        Assert.True(created.IsSuccess);
    }

    [Theory]
    [InlineData("http://shop.example/review", ReleaseEnvironment.Live)]
    [InlineData("http://localhost:5000/review", ReleaseEnvironment.Live)]
    [InlineData("http://shop.example/review", ReleaseEnvironment.Sandbox)]
    [InlineData("http://10.0.0.1/review", ReleaseEnvironment.Sandbox)]
    [InlineData("http://127.0.0.1/review", ReleaseEnvironment.Live)]
    [InlineData("ftp://shop.example/review", ReleaseEnvironment.Sandbox)]
    [InlineData("/review", ReleaseEnvironment.Sandbox)]
    [InlineData("review", ReleaseEnvironment.Sandbox)]
    [InlineData("https://", ReleaseEnvironment.Sandbox)]
    [InlineData("file:///etc/passwd", ReleaseEnvironment.Sandbox)]
    public void Create_NonHttpsOrRelativeReviewUrl_IsRefused(string url, ReleaseEnvironment environment)
    {
        var error = CreateFails(Build.Create(web: new WebCheckoutDetails(url, null, null, null)), environment);

        Assert.Equal(ErrorCode.InvalidParameterValue, error.Code);
        Assert.Contains("checkoutReviewReturnUrl", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("http://localhost:5000/review")]
    [InlineData("http://127.0.0.1/review")]
    [InlineData("http://[::1]:8080/review")]
    [InlineData("http://127.0.0.2/review")]
    [InlineData("http://[::ffff:127.0.0.1]/review")]
    public void Create_HttpLoopbackUrlInSandbox_IsAllowed(string url)
    {
        var created = Build.TryCreate(Build.Create(web: new WebCheckoutDetails(url, url, url, null)));

        Assert.True(created.IsSuccess);
    }

    [Fact]
    public void Create_HttpsUrlInLive_IsAllowed()
    {
        Assert.True(Build.TryCreate(Build.Create(), ReleaseEnvironment.Live).IsSuccess);
    }

    [Theory]
    [InlineData(null, null, "http://shop.example/cancel", "checkoutCancelUrl")]
    [InlineData(null, "http://shop.example/result", null, "checkoutResultReturnUrl")]
    public void Create_OtherUrlsAreCheckedToo(string? review, string? result, string? cancel, string field)
    {
        var error = CreateFails(Build.Create(web: new WebCheckoutDetails(review ?? Build.ReviewUrl, result, cancel, null)), ReleaseEnvironment.Live);

        Assert.Equal(ErrorCode.InvalidParameterValue, error.Code);
        Assert.Contains(field, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Create_UrlLongerThanTheLimit_IsRefused()
    {
        var prefix = Build.ReviewUrl + "?q=";
        var atLimit = prefix + new string('a', Limits.Default.UrlMaxLength - prefix.Length);

        Assert.True(Build.TryCreate(Build.Create(web: new WebCheckoutDetails(atLimit, null, null, null))).IsSuccess);
        var error = CreateFails(Build.Create(web: new WebCheckoutDetails(atLimit + "a", null, null, null)));
        Assert.Equal(ErrorCode.InvalidParameterValue, error.Code);
    }

    [Theory]
    [InlineData("merchantReferenceId", 256)]
    [InlineData("merchantStoreName", 50)]
    [InlineData("noteToBuyer", 255)]
    [InlineData("customInformation", 4096)]
    public void Create_MetadataFieldOverItsLimit_IsRefused(string field, int max)
    {
        static MerchantMetadata With(string field, string value) => field switch
        {
            "merchantReferenceId" => MerchantMetadata.Empty with { MerchantReferenceId = value },
            "merchantStoreName" => MerchantMetadata.Empty with { MerchantStoreName = value },
            "noteToBuyer" => MerchantMetadata.Empty with { NoteToBuyer = value },
            _ => MerchantMetadata.Empty with { CustomInformation = value },
        };

        Assert.True(Build.TryCreate(Build.Create(metadata: With(field, new string('x', max)))).IsSuccess);
        var error = CreateFails(Build.Create(metadata: With(field, new string('x', max + 1))));

        Assert.Equal(ErrorCode.InvalidParameterValue, error.Code);
        Assert.Contains($"merchantMetadata.{field}", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Create_PlatformIdOverItsLimit_IsRefused()
    {
        Assert.True(Build.TryCreate(Build.Create(platformId: new string('p', 64))).IsSuccess);
        var error = CreateFails(Build.Create(platformId: new string('p', 65)));

        Assert.Equal(ErrorCode.InvalidParameterValue, error.Code);
        Assert.Contains("platformId", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Create_SoftDescriptorOfSixteenCharactersWithAuthorizeWithCapture_IsAllowed()
    {
        var created = Build.TryCreate(Build.Create(payment: Build.Payment(PaymentIntent.AuthorizeWithCapture, softDescriptor: new string('D', 16))));

        Assert.True(created.IsSuccess);
    }

    [Fact]
    public void Create_SoftDescriptorLongerThanSixteen_IsRefused()
    {
        var error = CreateFails(Build.Create(payment: Build.Payment(PaymentIntent.AuthorizeWithCapture, softDescriptor: new string('D', 17))));

        Assert.Equal(ErrorCode.InvalidParameterValue, error.Code);
        Assert.Contains("softDescriptor", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(PaymentIntent.Authorize)]
    [InlineData(PaymentIntent.Confirm)]
    public void Create_SoftDescriptorWithoutCapture_IsInvalidCombination(PaymentIntent intent)
    {
        var error = CreateFails(Build.Create(payment: Build.Payment(intent, softDescriptor: "SHOP")));

        Assert.Equal(ErrorCode.InvalidParameterCombination, error.Code);
    }

    [Fact]
    public void Create_SoftDescriptorBeforeTheIntentIsKnown_IsAllowed()
    {
        Assert.True(Build.TryCreate(Build.Create(payment: Build.Payment(null, softDescriptor: "SHOP"))).IsSuccess);
    }

    [Fact]
    public void Create_CanHandlePendingAuthorizationWithAuthorizeWithCapture_IsInvalidCombination()
    {
        var error = CreateFails(Build.Create(payment: Build.Payment(PaymentIntent.AuthorizeWithCapture, canHandlePendingAuthorization: true)));

        Assert.Equal(ErrorCode.InvalidParameterCombination, error.Code);
    }

    [Theory]
    [InlineData(ChargePermissionType.Recurring)]
    [InlineData(ChargePermissionType.PaymentMethodOnFile)]
    public void Create_NonOneTimeChargePermission_IsAllowed(ChargePermissionType type)
    {
        var created = Build.TryCreate(Build.Create(type: type));

        Assert.Null(created.Error);
        Assert.Equal(type, created.Value.Value.ChargePermissionType);
    }

    [Fact]
    public void Create_ExplicitOneTime_IsAllowed()
    {
        Assert.True(Build.TryCreate(Build.Create(type: ChargePermissionType.OneTime)).IsSuccess);
    }

    [Fact]
    public void Create_MultiAddressProduct_IsAccepted()
    {
        var created = Build.TryCreate(Build.Create(productType: ProductType.PayAndShipMultiAddress));

        Assert.Null(created.Error);
        Assert.Equal(ProductType.PayAndShipMultiAddress, created.Value.Value.ProductType);
    }

    [Fact]
    public void Create_UnknownScope_IsRefused()
    {
        var error = CreateFails(Build.Create(scopes: ["name", "creditScore"]));

        Assert.Equal(ErrorCode.InvalidParameterValue, error.Code);
        Assert.Contains("creditScore", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Create_ScopesAreCaseSensitive()
    {
        Assert.Equal(ErrorCode.InvalidParameterValue, CreateFails(Build.Create(scopes: ["Email"])).Code);
    }

    [Fact]
    public void Create_EveryKnownScope_IsAllowed()
    {
        Assert.True(Build.TryCreate(Build.Create(scopes: [.. CreateCheckoutSession.KnownScopes])).IsSuccess);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("-5")]
    [InlineData("150000.01")]
    public void Create_ChargeAmountNotPositiveOrOverTheMaximum_IsRefused(string amount)
    {
        var error = CreateFails(Build.Create(payment: Build.Payment(chargeAmount: Usd.Of(decimal.Parse(amount, System.Globalization.CultureInfo.InvariantCulture)))));

        Assert.Equal(ErrorCode.InvalidParameterValue, error.Code);
        Assert.Contains("chargeAmount", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Create_ChargeAmountAtTheMaximum_IsAllowed()
    {
        Assert.True(Build.TryCreate(Build.Create(payment: Build.Payment(chargeAmount: Usd.Of(150_000m)))).IsSuccess);
    }

    [Fact]
    public void Create_ChargeAmountAboveTotalOrderAmount_IsRefused()
    {
        var error = CreateFails(Build.Create(payment: Build.Payment(chargeAmount: Usd.Of(20m), totalOrderAmount: Usd.Of(19.99m))));

        Assert.Equal(ErrorCode.InvalidParameterValue, error.Code);
    }

    [Fact]
    public void Create_TotalOrderAmountInAnotherCurrency_IsCurrencyMismatch()
    {
        var error = CreateFails(Build.Create(payment: Build.Payment(chargeAmount: Usd.Of(20m), totalOrderAmount: new Money(30m, Currency.EUR))));

        Assert.Equal(ErrorCode.CurrencyMismatch, error.Code);
    }

    [Fact]
    public void Create_PresentmentCurrencyOtherThanTheChargeCurrency_IsCurrencyMismatch()
    {
        var error = CreateFails(Build.Create(payment: Build.Payment() with { PresentmentCurrency = Currency.EUR }));

        Assert.Equal(ErrorCode.CurrencyMismatch, error.Code);
    }
}
