using Tillpoint.Domain.Buyers;
using Tillpoint.Domain.ChargePermissions;
using Tillpoint.Domain.Charges;
using Tillpoint.Domain.InStore;
using Tillpoint.Domain.Refunds;

namespace Tillpoint.Domain.Tests.InStore;

public sealed class InStorePurchaseTests
{
    private const string PermissionId = "S01-0000000-0000009";

    /// <summary>The payload of the official SDKs' own in-store test and README.</summary>
    private static MerchantScan SdkScan(Money? chargeTotal = null, string scanData = "UKhrmatMeKdlfY6b") => new(
        scanData,
        "0b8fb2712ae249a5b35d4",
        "US",
        Currency.USD,
        chargeTotal,
        "US",
        new InStoreMetadata("Software Purchase", "in-store Software Purchase", "TESTSTORE", "789123"));

    private static PaymentLedger Scanned(MerchantScan? scan = null) =>
        new(InStorePurchases.Scan(scan ?? SdkScan(), PermissionId, "MERCHANT", "store", ReleaseEnvironment.Sandbox, Times.T0, Limits.Default).Value, [], []);

    private static (PaymentLedger Ledger, Charge Charge) Charge(PaymentLedger ledger, decimal amount, string reference = "c0ffee")
    {
        var created = ledger.CreateCharge(
            $"{PermissionId}-C00000{ledger.Charges.Count + 1}",
            InStorePurchases.ChargeRequest(Usd.Of(amount), reference, "amzn-store", null),
            null,
            Times.T0.AddMinutes(1),
            Limits.Default);
        Assert.True(created.IsSuccess, created.Error?.Message);
        return (created.Value.Ledger.Value, created.Value.Charge);
    }

    [Fact]
    public void Validate_TheSdkSamplePayload_IsAccepted()
    {
        Assert.Null(InStorePurchases.Validate(SdkScan(), Limits.Default));
        Assert.Null(InStorePurchases.Validate(SdkScan(Usd.Of(2m)), Limits.Default));
    }

    [Theory]
    [InlineData("", "scanReferenceId", ErrorCode.MissingParameterValue)]
    [InlineData("has space", "scanReferenceId", ErrorCode.InvalidParameterValue)]
    [InlineData("a-b_C9", null, null)]
    public void Validate_ScanReferenceId_IsLettersDigitsDashAndUnderscore(string reference, string? field, ErrorCode? code)
    {
        var error = InStorePurchases.Validate(SdkScan() with { ScanReferenceId = reference }, Limits.Default);

        Assert.Equal(code, error?.Code);
        if (field is not null)
        {
            Assert.Contains(field, error!.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void ReferenceId_AtItsLengthLimit_IsAcceptedAndOneMoreIsNot()
    {
        Assert.Null(InStorePurchases.ReferenceId("r", new string('a', InStorePurchases.ReferenceIdMaxLength)));
        Assert.Equal(
            ErrorCode.InvalidParameterValue,
            InStorePurchases.ReferenceId("r", new string('a', InStorePurchases.ReferenceIdMaxLength + 1))?.Code);
        Assert.Equal(ErrorCode.MissingParameterValue, InStorePurchases.ReferenceId("r", null)?.Code);
    }

    [Fact]
    public void Validate_EachFieldOverItsLimitOrMalformed_IsRefusedNamingIt()
    {
        var limits = Limits.Default;
        var cases = new (MerchantScan Scan, string Field)[]
        {
            (SdkScan(scanData: ""), "scanData"),
            (SdkScan(scanData: new string('x', InStorePurchases.ScanDataMaxLength + 1)), "scanData"),
            (SdkScan() with { MerchantCountryOfEstablishment = "us" }, "merchantCOE"),
            (SdkScan() with { MerchantCountryOfEstablishment = "USA" }, "merchantCOE"),
            (SdkScan() with { StoreCountryCode = "U" }, "storeLocation.countryCode"),
            (SdkScan(Usd.Of(0m)), "chargeTotal"),
            (SdkScan() with { Metadata = new InStoreMetadata(new string('n', 256), null, null, null) }, "metadata.merchantNote"),
            (SdkScan() with { Metadata = new InStoreMetadata(null, new string('c', limits.CustomInformationMaxLength + 1), null, null) }, "metadata.customInformation"),
            (SdkScan() with { Metadata = new InStoreMetadata(null, null, new string('s', limits.MerchantStoreNameMaxLength + 1), null) }, "metadata.communicationContext.merchantStoreName"),
            (SdkScan() with { Metadata = new InStoreMetadata(null, null, null, new string('o', limits.MerchantReferenceIdMaxLength + 1)) }, "metadata.communicationContext.merchantOrderId"),
        };

        foreach (var (scan, field) in cases)
        {
            var error = InStorePurchases.Validate(scan, limits);
            Assert.NotNull(error);
            Assert.Contains($"'{field}'", error.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Validate_WithoutStoreLocationOrMetadata_IsAccepted() =>
        Assert.Null(InStorePurchases.Validate(SdkScan() with { StoreCountryCode = null, Metadata = null }, Limits.Default));

    [Fact]
    public void Validate_SeveralBadFields_NamesThemInTheOrderOfTheBody()
    {
        var limits = Limits.Default;
        var scan = SdkScan(Usd.Of(0m)) with
        {
            Metadata = new InStoreMetadata(
                new string('n', 256), new string('c', limits.CustomInformationMaxLength + 1), new string('s', limits.MerchantStoreNameMaxLength + 1),
                new string('o', limits.MerchantReferenceIdMaxLength + 1)),
        };
        var fixes = new (string Field, Func<MerchantScan, MerchantScan> Fix)[]
        {
            ("chargeTotal", s => s with { ChargeTotal = null }),
            ("metadata.merchantNote", s => s with { Metadata = s.Metadata! with { MerchantNote = null } }),
            ("metadata.customInformation", s => s with { Metadata = s.Metadata! with { CustomInformation = null } }),
            ("metadata.communicationContext.merchantStoreName", s => s with { Metadata = s.Metadata! with { MerchantStoreName = null } }),
            ("metadata.communicationContext.merchantOrderId", s => s with { Metadata = s.Metadata! with { MerchantOrderId = null } }),
        };
        foreach (var (field, fix) in fixes)
        {
            var error = InStorePurchases.Validate(scan, limits);
            Assert.True(error?.Message.Contains($"'{field}'", StringComparison.Ordinal) == true, $"expected {field} named first: {error?.Message}");
            scan = fix(scan);
        }

        Assert.Null(InStorePurchases.Validate(scan, limits));
    }

    [Fact]
    public void ChargeRequest_IsCapturedAtOnce_AndNeverPending()
    {
        var request = InStorePurchases.ChargeRequest(Usd.Of(2m), "c0ffee", "amzn-store", null);

        Assert.True(request.CaptureNow);
        Assert.False(request.CanHandlePendingAuthorization);
        Assert.Equal(InStorePurchases.Channel, request.Channel);
    }

    [Fact]
    public void Validate_ScanDataAtItsLimit_IsAccepted() =>
        Assert.Null(InStorePurchases.Validate(SdkScan(scanData: new string('x', InStorePurchases.ScanDataMaxLength)), Limits.Default));

    [Fact]
    public void Validate_ChargeTotalInAnotherCurrency_IsCurrencyMismatch() =>
        Assert.Equal(
            ErrorCode.CurrencyMismatch,
            InStorePurchases.Validate(SdkScan(new Money(2m, Currency.EUR)), Limits.Default)?.Code);

    [Fact]
    public void ScannedBuyer_AnyCode_IsTheFirstTestBuyerPayingWithTheVisaThatSucceeds()
    {
        var (buyer, instrument) = InStorePurchases.ScannedBuyer("UKhrmatMeKdlfY6b");

        Assert.Equal(SandboxBuyers.All[0], buyer);
        Assert.Equal("visa-1111", instrument.InstrumentId);
        Assert.Equal(InstrumentBehavior.Succeeds, instrument.Behavior);
    }

    [Fact]
    public void ScannedBuyer_ATestInstrumentId_PaysWithThatInstrument() =>
        Assert.Equal(InstrumentBehavior.Declines, InStorePurchases.ScannedBuyer("visa-3434").Instrument.Behavior);

    [Fact]
    public void Scan_MakesAChargeablePermissionForTheBuyer_WithTheScanReferenceAndALifetimeOfADay()
    {
        var scanned = InStorePurchases.Scan(SdkScan(), PermissionId, "MERCHANT", "store", ReleaseEnvironment.Sandbox, Times.T0, Limits.Default);
        var permission = scanned.Value;

        Assert.Equal(ChargePermissionState.Chargeable, permission.State);
        Assert.Equal(SandboxBuyers.All[0].BuyerId, permission.Buyer.BuyerId);
        Assert.Equal("Visa ****1111", permission.PaymentDescriptor);
        Assert.Equal("0b8fb2712ae249a5b35d4", permission.MerchantMetadata.MerchantReferenceId);
        Assert.Equal("TESTSTORE", permission.MerchantMetadata.MerchantStoreName);
        Assert.Equal(Times.T0 + TimeSpan.FromDays(1), permission.ExpirationTimestamp);
        Assert.Equal(string.Empty, permission.CheckoutSessionId);
        Assert.Equal(Currency.USD, permission.PresentmentCurrency);
        var created = Assert.Single(scanned.Events);
        Assert.Equal((ObjectType.ChargePermission, PermissionId, "Chargeable"), (created.ObjectType, created.ObjectId, created.ToState));
    }

    [Fact]
    public void Scan_WithoutChargeTotal_LimitsToTheLargestSingleTransaction() =>
        Assert.Equal(Limits.Default.MaxTransaction(Currency.USD), Scanned().ChargePermission.AmountLimit);

    [Fact]
    public void Scan_WithChargeTotal_LimitsToItPlusTheAllowance() =>
        Assert.Equal(Usd.Of(2.30m), Scanned(SdkScan(Usd.Of(2m))).ChargePermission.AmountLimit);

    [Fact]
    public void Charge_IsCapturedAtOnce_CompletedOnThePointOfSaleChannel_AndHeldByTheLedger()
    {
        var (ledger, charge) = Charge(Scanned(), 2m);

        Assert.Equal(ChargeState.Captured, charge.State);
        Assert.Equal("Completed", InStorePurchases.ChargeStatus(charge));
        Assert.Equal(InStorePurchases.Channel, charge.Channel);
        Assert.Equal("c0ffee", charge.MerchantMetadata?.MerchantReferenceId);
        Assert.Equal(Usd.Of(2m), ledger.AmountCharged);
    }

    [Fact]
    public void Charge_OverTheScannedTotalAndAllowance_IsRefusedByTheLedger()
    {
        var ledger = Scanned(SdkScan(Usd.Of(2m)));

        var refused = ledger.CreateCharge(
            $"{PermissionId}-C000001", InStorePurchases.ChargeRequest(Usd.Of(2.31m), "r", null, null), null, Times.T0, Limits.Default);

        Assert.Equal(ErrorCode.TransactionAmountExceeded, refused.Error?.Code);
    }

    [Fact]
    public void Charge_WithADecliningCode_IsDeclined()
    {
        var ledger = Scanned(SdkScan(scanData: "visa-3434"));

        var created = ledger.CreateCharge(
            $"{PermissionId}-C000001", InStorePurchases.ChargeRequest(Usd.Of(2m), "r", null, null), null, Times.T0, Limits.Default);

        Assert.Equal("Declined", InStorePurchases.ChargeStatus(created.Value!.Charge));
        Assert.Equal(ErrorCode.HardDeclined, created.Value.Decline?.Code);
    }

    [Fact]
    public void Refund_OfAnInStoreCharge_IsPendingAndFollowsTheLedgersMoneyRules()
    {
        var (ledger, charge) = Charge(Scanned(), 2m);

        var refunded = ledger.CreateRefund(charge.ChargeId, $"{PermissionId}-R000001", Usd.Of(2m), "amzn-store", null, Times.T0.AddMinutes(2), Limits.Default);
        Assert.True(refunded.IsSuccess);
        Assert.Equal("Pending", InStorePurchases.RefundStatus(refunded.Value.Refund));

        // Refunds not declined never pass the capture plus its allowance: 2.00 + 0.30.
        var more = refunded.Value.Ledger.Value.CreateRefund(
            charge.ChargeId, $"{PermissionId}-R000002", Usd.Of(0.31m), null, null, Times.T0.AddMinutes(3), Limits.Default);
        Assert.Equal(ErrorCode.TransactionAmountExceeded, more.Error?.Code);
    }

    [Theory]
    [InlineData(ChargeState.Captured, "Completed")]
    [InlineData(ChargeState.Declined, "Declined")]
    [InlineData(ChargeState.Canceled, "Canceled")]
    [InlineData(ChargeState.AuthorizationInitiated, "Pending")]
    [InlineData(ChargeState.Authorized, "Pending")]
    [InlineData(ChargeState.CaptureInitiated, "Pending")]
    public void ChargeStatus_OfEveryState(ChargeState state, string expected)
    {
        var charge = Charge(Scanned(), 1m).Charge with { State = state };
        Assert.Equal(expected, InStorePurchases.ChargeStatus(charge));
    }

    [Theory]
    [InlineData(RefundState.RefundInitiated, "Pending")]
    [InlineData(RefundState.Refunded, "Completed")]
    [InlineData(RefundState.Declined, "Declined")]
    public void RefundStatus_OfEveryState(RefundState state, string expected)
    {
        var (ledger, charge) = Charge(Scanned(), 1m);
        var refund = ledger.CreateRefund(charge.ChargeId, $"{PermissionId}-R000001", Usd.Of(1m), null, null, Times.T0.AddMinutes(2), Limits.Default)
            .Value.Refund with { State = state };
        Assert.Equal(expected, InStorePurchases.RefundStatus(refund));
    }
}
