using Tillpoint.Domain;
using Tillpoint.Domain.Buyers;
using Tillpoint.Domain.ChargePermissions;
using Tillpoint.Domain.Charges;
using Tillpoint.Domain.CheckoutSessions;
using Tillpoint.Domain.Refunds;

namespace Tillpoint.Storage.Tests.Golden;

/// <summary>
/// What the version 1 golden documents hold, as domain records: the rich ones set every optional field (with values
/// other than the defaults), the minimal ones only what is required. These literals describe files that never change;
/// when the domain gains a field, leave them as they are (a version 1 document does not have it).
/// </summary>
internal static class GoldenRecordsV1
{
    private static readonly DateTimeOffset Created = new DateTimeOffset(2026, 3, 1, 10, 0, 0, TimeSpan.Zero).AddTicks(1_234_567);

    private static readonly DateTimeOffset Updated = new(2026, 3, 1, 10, 15, 30, 250, TimeSpan.Zero);

    private static readonly Address Shipping = new(
        "Zoë Doe", "Danke-Straße 5", "Hinterhaus", "3. OG", "Berlin", "Mitte", "Tiergarten", "BE", "10115", "DE", "+49 30 1234567");

    private static readonly Address Billing = new(
        "Jane Doe", "410 Terry Ave N", "Suite 100", "Floor 2", "Seattle", "King", "South Lake Union", "WA", "98109", "US", "+1 206 555 0100");

    private static readonly BuyerDetails Buyer = new("amzn1.account.AH2GOLDENBUYER", "Zoë Doe", "zoe@example.test", "+49 30 1234567");

    private static readonly MerchantMetadata Metadata = new("order-1", "Golden Shop", "Danke schön\0!", "{\"cart\":[1,2]}");

    public static CheckoutSession RichCheckoutSession { get; } = new()
    {
        CheckoutSessionId = "4f7c0e16-9a0b-4c8e-8f1d-2a9d1e3b5c70",
        MerchantId = "MERCHANT-GOLDEN",
        Environment = ReleaseEnvironment.Live,
        StoreId = "amzn1.application-oa2-client.golden",
        WebCheckoutDetails = new WebCheckoutDetails(
            "https://shop.example/review", "https://shop.example/result", "https://shop.example/cancel", CheckoutMode.ProcessOrder),
        ProductType = ProductType.PayOnly,
        PaymentDetails = new PaymentDetails(
            PaymentIntent.AuthorizeWithCapture,
            CanHandlePendingAuthorization: true,
            new Money(14.00m, Currency.EUR),
            new Money(20.50m, Currency.EUR),
            "GOLDEN*SHOP",
            Currency.GBP,
            AllowOvercharge: true,
            ExtendExpiration: true),
        ChargePermissionType = ChargePermissionType.Recurring,
        MerchantMetadata = Metadata,
        Scopes = ["name", "email", "phoneNumber", "billingAddress"],
        PlatformId = "SPID-GOLDEN",
        ProviderReferenceId = "provider-1",
        SupplementaryData = "{\"custom\":true}",
        DeliverySpecifications = new DeliverySpecifications(
            [SpecialRestriction.RestrictPOBoxes, SpecialRestriction.RestrictPackstations],
            AddressRestrictionType.NotAllowed,
            new Dictionary<string, AddressRestriction>
            {
                ["US"] = new(["WA", "OR"], ["98109"]),
                ["DE"] = new(["BE"], ["10115", "10117"]),
            }),
        AddressDetails = Billing,
        Selection = new BuyerSelection(Buyer, Shipping, Billing, "visa-1111", "Visa ****1111", InstrumentBehavior.PendingThenAuthorized),
        Processed = true,
        SoftDeclinedInstrumentId = "mastercard-4444",
        SimulatedCancellation = CheckoutSessionReasonCode.AmazonCanceled,
        State = CheckoutSessionState.Canceled,
        ReasonCode = CheckoutSessionReasonCode.BuyerCanceled,
        ReasonDescription = "The buyer canceled checkout.",
        LastUpdatedTimestamp = Updated,
        ChargePermissionId = "P01-1234567-1234567",
        ChargeId = "P01-1234567-1234567-C000001",
        CreationTimestamp = Created,
        ExpirationTimestamp = Created.AddHours(24),
        Version = 7,
    };

    public static CheckoutSession MinimalCheckoutSession { get; } = new()
    {
        CheckoutSessionId = "0b1d7a52-3c9e-4f60-a8b2-5e6f7a8b9c0d",
        MerchantId = "MERCHANT-GOLDEN",
        Environment = ReleaseEnvironment.Sandbox,
        StoreId = "amzn1.application-oa2-client.golden",
        WebCheckoutDetails = WebCheckoutDetails.Empty,
        PaymentDetails = PaymentDetails.Empty,
        LastUpdatedTimestamp = Created,
        CreationTimestamp = Created,
        ExpirationTimestamp = Created.AddHours(24),
        Version = 1,
    };

    public static ChargePermission RichChargePermission { get; } = new()
    {
        ChargePermissionId = "P01-1234567-1234567",
        MerchantId = "MERCHANT-GOLDEN",
        Environment = ReleaseEnvironment.Live,
        CheckoutSessionId = "4f7c0e16-9a0b-4c8e-8f1d-2a9d1e3b5c70",
        StoreId = "amzn1.application-oa2-client.golden",
        Buyer = Buyer,
        ShippingAddress = Shipping,
        BillingAddress = Billing,
        PaymentDescriptor = "Visa ****1111",
        InstrumentId = "visa-1111",
        InstrumentBehavior = InstrumentBehavior.SoftDeclines,
        State = ChargePermissionState.Closed,
        Reasons =
        [
            new ChargePermissionReason(ChargePermissionReasonCode.MerchantClosed, "No longer needed"),
            new ChargePermissionReason(ChargePermissionReasonCode.PaymentMethodInvalid, "The last charge was declined."),
        ],
        LastUpdatedTimestamp = Updated,
        CreationTimestamp = Created,
        ExpirationTimestamp = Created.AddDays(180),
        MerchantMetadata = Metadata,
        PaymentMethodProblem = ChargePermissionReasonCode.PaymentMethodInvalid,
        ClosureReason = "No longer needed",
        PlatformId = "SPID-GOLDEN",
        ChargePermissionType = ChargePermissionType.PaymentMethodOnFile,
        PresentmentCurrency = Currency.GBP,
        AmountLimit = new Money(16.10m, Currency.EUR),
        Version = 4,
    };

    public static ChargePermission MinimalChargePermission { get; } = new()
    {
        ChargePermissionId = "S01-7654321-7654321",
        MerchantId = "MERCHANT-GOLDEN",
        Environment = ReleaseEnvironment.Sandbox,
        CheckoutSessionId = "0b1d7a52-3c9e-4f60-a8b2-5e6f7a8b9c0d",
        StoreId = "amzn1.application-oa2-client.golden",
        Buyer = new BuyerDetails("amzn1.account.AH2GOLDENBUYER", null, null, null),
        PaymentDescriptor = "Visa ****1111",
        InstrumentId = "visa-1111",
        LastUpdatedTimestamp = Created,
        CreationTimestamp = Created,
        ExpirationTimestamp = Created.AddDays(180),
        PresentmentCurrency = Currency.USD,
        AmountLimit = new Money(100.00m, Currency.USD),
        Version = 1,
    };

    public static Charge RichCharge { get; } = new()
    {
        ChargeId = "P01-1234567-1234567-C000001",
        ChargePermissionId = "P01-1234567-1234567",
        MerchantId = "MERCHANT-GOLDEN",
        Environment = ReleaseEnvironment.Live,
        ChargeAmount = new Money(14.00m, Currency.EUR),
        CaptureAmount = new Money(12.50m, Currency.EUR),
        RefundedAmount = new Money(2.25m, Currency.EUR),
        SoftDescriptor = "GOLDEN*SHOP",
        CaptureNow = true,
        CanHandlePendingAuthorization = true,
        ProviderReferenceId = "provider-charge-1",
        MerchantMetadata = Metadata,
        PlatformId = "SPID-GOLDEN",
        Channel = "Web",
        ChargeInitiator = "CITU",
        State = ChargeState.CaptureInitiated,
        ReasonCode = ChargeReasonCode.SoftDeclined,
        ReasonDescription = "The payment method declined the charge; a retry may succeed.",
        LastUpdatedTimestamp = Updated,
        CreationTimestamp = Created,
        ExpirationTimestamp = Created.AddDays(30),
        AuthorizedAt = Created.AddSeconds(30),
        PendingUntil = Updated.AddSeconds(30),
        PendingOutcome = PendingOutcome.Decline,
        PendingDeclineReason = ChargeReasonCode.MFANotCompleted,
        Version = 5,
    };

    public static Charge MinimalCharge { get; } = new()
    {
        ChargeId = "S01-7654321-7654321-C000002",
        ChargePermissionId = "S01-7654321-7654321",
        MerchantId = "MERCHANT-GOLDEN",
        Environment = ReleaseEnvironment.Sandbox,
        ChargeAmount = new Money(1500m, Currency.JPY),
        RefundedAmount = new Money(0m, Currency.JPY),
        LastUpdatedTimestamp = Created,
        CreationTimestamp = Created,
        ExpirationTimestamp = Created.AddDays(30),
        Version = 1,
    };

    public static Refund RichRefund { get; } = new()
    {
        RefundId = "P01-1234567-1234567-R000001",
        ChargeId = "P01-1234567-1234567-C000001",
        ChargePermissionId = "P01-1234567-1234567",
        MerchantId = "MERCHANT-GOLDEN",
        Environment = ReleaseEnvironment.Live,
        RefundAmount = new Money(2.25m, Currency.EUR),
        SoftDescriptor = "GOLDEN*REFUND",
        State = RefundState.Declined,
        ReasonCode = RefundReasonCode.ProcessingFailure,
        ReasonDescription = "The refund could not be processed.",
        LastUpdatedTimestamp = Updated,
        CreationTimestamp = Created,
        PendingUntil = Created.AddSeconds(30),
        PendingDeclineReason = RefundReasonCode.AmazonRejected,
        Version = 2,
    };

    public static Refund MinimalRefund { get; } = new()
    {
        RefundId = "S01-7654321-7654321-R000003",
        ChargeId = "S01-7654321-7654321-C000002",
        ChargePermissionId = "S01-7654321-7654321",
        MerchantId = "MERCHANT-GOLDEN",
        Environment = ReleaseEnvironment.Sandbox,
        RefundAmount = new Money(500m, Currency.JPY),
        LastUpdatedTimestamp = Created,
        CreationTimestamp = Created,
        Version = 1,
    };
}
