using System.Text.Json;
using System.Text.Json.Nodes;
using Tillpoint.Protocol.Json;

namespace Tillpoint.Server.Docs;

/// <summary>
/// The API reference's request and response examples: one checkout of the sandbox buyer Jane Doe, from the session's
/// creation to a refund, with the spec's sample values. They are built from the wire types and written by the server's
/// own serializers, so every example has exactly the keys, order and formats the API sends.
/// </summary>
internal static partial class ApiExamples
{
    private const string CheckoutSessionId = "bd504926-f659-4ad7-a1a9-9a747aaf5275";
    private const string StoreId = "amzn1.application-oa2-client.8b5e45312b5248b69eeaf43a6b9d0a0b";
    private const string ChargePermissionId = "S01-5105180-3221187";
    private const string ChargeId = ChargePermissionId + "-C056351";
    private const string RefundId = ChargePermissionId + "-R022311";
    private const string BuyerId = "amzn1.account.AH4TLNZ5TILLPOINTSANDBOXJANE";
    private const string MerchantAccountId = "AEXAMPLE7QK2M9";
    private const string Created = "20261207T101500Z";
    private const string SignedIn = "20261207T101612Z";
    private const string Updated = "20261207T101640Z";
    private const string Completed = "20261207T101705Z";
    private const string Captured = "20261208T090000Z";
    private const string Refunded = "20261210T143000Z";

    private static readonly Dictionary<string, (object? Request, Dictionary<int, object> Responses)> ByOperation = new()
    {
        ["CreateCheckoutSession"] = (
            new CreateCheckoutSessionRequest
            {
                WebCheckoutDetails = new WebCheckoutDetailsDto { CheckoutReviewReturnUrl = "https://shop.example.com/checkout/review" },
                StoreId = StoreId,
                Scopes = ["name", "email", "phoneNumber", "billingAddress"],
                DeliverySpecifications = new DeliverySpecificationsDto { SpecialRestrictions = ["RestrictPOBoxes"] },
            },
            new() { [201] = Session(SessionStage.Created) }),
        ["GetCheckoutSession"] = (null, new() { [200] = Session(SessionStage.SignedIn) }),
        ["UpdateCheckoutSession"] = (
            new UpdateCheckoutSessionRequest
            {
                WebCheckoutDetails = new WebCheckoutDetailsDto { CheckoutResultReturnUrl = "https://shop.example.com/checkout/result" },
                PaymentDetails = new PaymentDetailsDto
                {
                    PaymentIntent = "Authorize",
                    CanHandlePendingAuthorization = false,
                    ChargeAmount = Usd("14.00"),
                },
                MerchantMetadata = Metadata(),
            },
            new() { [200] = Session(SessionStage.Updated) }),
        ["CompleteCheckoutSession"] = (
            new CompleteCheckoutSessionRequest { ChargeAmount = Usd("14.00") },
            new() { [200] = Session(SessionStage.Completed), [202] = Session(SessionStage.Completed) }),
        ["FinalizeCheckoutSession"] = (
            new FinalizeCheckoutSessionRequest
            {
                ChargeAmount = Usd("14.00"),
                PaymentIntent = "Authorize",
                CanHandlePendingAuthorization = false,
                ShippingAddress = Address(),
            },
            new() { [200] = Finalized(), [202] = Finalized() }),
        ["GetChargePermission"] = (null, new() { [200] = Permission(closed: false) }),
        ["UpdateChargePermission"] = (
            new UpdateChargePermissionRequest { MerchantMetadata = Metadata() },
            new() { [200] = Permission(closed: false) }),
        ["CloseChargePermission"] = (
            new CloseChargePermissionRequest { ClosureReason = "The order was fulfilled.", CancelPendingCharges = false },
            new() { [200] = Permission(closed: true) }),
        ["CreateCharge"] = (
            new CreateChargeRequest
            {
                ChargePermissionId = ChargePermissionId,
                ChargeAmount = Usd("14.00"),
                CaptureNow = false,
                CanHandlePendingAuthorization = false,
            },
            new() { [201] = Charge("Authorized") }),
        ["GetCharge"] = (null, new() { [200] = Charge("Captured") }),
        ["CaptureCharge"] = (
            new CaptureChargeRequest { CaptureAmount = Usd("14.00"), SoftDescriptor = "TILLPOINT SHOP" },
            new() { [200] = Charge("Captured") }),
        ["CancelCharge"] = (
            new CancelChargeRequest { CancellationReason = "The buyer canceled the order." },
            new() { [200] = Charge("Canceled") }),
        ["CreateRefund"] = (
            new CreateRefundRequest { ChargeId = ChargeId, RefundAmount = Usd("14.00"), SoftDescriptor = "TILLPOINT REFUND" },
            new() { [201] = Refund() }),
        ["GetRefund"] = (null, new() { [200] = Refund() }),
        ["CreateDeliveryTracker"] = (Tracker(), new() { [200] = Tracker() }),
        ["GetBuyer"] = (
            null,
            new()
            {
                [200] = new BuyerProfileDto
                {
                    BuyerId = BuyerId,
                    Name = "Jane Doe",
                    Email = "jane.doe@buyers.tillpoint.test",
                    PostalCode = "98109",
                    CountryCode = "US",
                    PhoneNumber = "+1 206-555-0100",
                    ShippingAddress = Address(),
                    BillingAddress = Address(),
                },
            }),
        ["UpdateCharge"] = (
            new UpdateChargeRequest { StatusDetails = new UpdateChargeStatusDetails { State = "Canceled", ReasonCode = "MerchantCanceled" } },
            new() { [200] = Charge("Canceled") }),
        ["GetAuthorizationToken"] = (
            null,
            new()
            {
                [200] = new AuthorizationTokenDto
                {
                    AuthorizationToken = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJpc3MiOiJ0aWxscG9pbnQifQ.c2lnbmF0dXJlLW9mLXRoZS10b2tlbi1leGFtcGxlLTAx",
                },
            }),
    };

    /// <summary>The account APIs' and the in-store API's examples, with the official SDKs' sample values.</summary>
    private static readonly Dictionary<string, (object? Request, Dictionary<int, object> Responses)> PartnerAndInStore = new()
    {
        ["CreateMerchantAccount"] = (
            new MerchantAccountRequest
            {
                UniqueReferenceId = "ABCD12345CB",
                LedgerCurrency = "JPY",
                BusinessInfo = new BusinessInfoDto
                {
                    Email = "rufus@abc.com",
                    BusinessType = "CORPORATE",
                    CountryOfEstablishment = "JP",
                    BusinessLegalName = "Rufus Holdings",
                    BusinessDisplayName = "Rufus's Cafe",
                    BusinessAddress = new AccountAddressDto { AddressLine1 = "450", AddressLine2 = "Noda", City = "香取市", StateOrRegion = "千葉県", PostalCode = "289-0314", CountryCode = "JP" },
                },
            },
            new() { [201] = new CreatedMerchantAccountDto { UniqueReferenceId = "ABCD12345CB", MerchantAccountId = MerchantAccountId, AuthorizationToken = "b3JkZXItMTAwNDItc2FtcGxlLXRva2VuLWZvci1kb2Nz" } }),
        ["UpdateMerchantAccount"] = (
            new MerchantAccountRequest
            {
                BusinessInfo = new BusinessInfoDto
                {
                    BusinessAddress = new AccountAddressDto { AddressLine1 = "1-2-3", City = "Chiryushi", StateOrRegion = "AICHI", PostalCode = "4720021", CountryCode = "JP" },
                },
            },
            new() { [200] = AccountIds() }),
        ["DeleteAmazonPayAccount"] = (null, new() { [202] = AccountIds() }),
        ["MerchantAccountClaim"] = (new ClaimMerchantAccountRequest { UniqueReferenceId = "ABCD12345CB" }, new() { [303] = AccountIds() }),
        ["CreateStore"] = (
            new StoreRequest
            {
                AllowedOriginDomains = ["https://www.rufus.com"],
                AllowedRedirectUrls = ["https://www.rufus.com/checkout/review"],
                StoreName = "Rufus's Cafe",
                PrivacyPolicyUrl = "http://www.rufus.com/privacy",
                MerchantLogoUrl = "https://www.rufus.com/logo.png",
            },
            new() { [201] = Store("Rufus's Cafe") }),
        ["UpdateStore"] = (new StoreRequest { StoreName = "Rufus's Tea Room" }, new() { [200] = Store("Rufus's Tea Room") }),
        ["MerchantScan"] = (
            new MerchantScanRequest
            {
                ScanData = "UKhrmatMeKdlfY6b",
                ScanReferenceId = "0b8fb2712ae249a5b35d4",
                MerchantCOE = "US",
                LedgerCurrency = "USD",
                StoreLocation = new StoreLocationDto { CountryCode = "US" },
                Metadata = new InStoreMetadataDto
                {
                    MerchantNote = "Software Purchase",
                    CommunicationContext = new CommunicationContextDto { MerchantStoreName = "TESTSTORE", MerchantOrderId = "789123" },
                },
            },
            new() { [200] = new MerchantScanDto { ChargePermissionId = ChargePermissionId } }),
        ["InStoreCharge"] = (
            new InStoreChargeRequest
            {
                ChargePermissionId = ChargePermissionId,
                ChargeReferenceId = "9f1c2b7a0e6d4c3b8a5f2e1d0c9b8a7f",
                ChargeTotal = Usd("2.00"),
                SoftDescriptor = "amzn-store",
            },
            new() { [200] = new InStoreChargeDto { ChargeId = ChargeId, ChargeStatus = new InStoreStatusDto { State = "Completed" } } }),
        ["InStoreRefund"] = (
            new InStoreRefundRequest
            {
                ChargeId = ChargeId,
                RefundReferenceId = "4a7e1f0c9b8d4e2a9c3b5d6e7f8a9b0c",
                RefundTotal = Usd("2.00"),
                SoftDescriptor = "amzn-store",
            },
            new() { [200] = new InStoreRefundDto { RefundId = RefundId, RefundStatus = new InStoreStatusDto { State = "Pending" } } }),
    };

    /// <summary>One refusal per status, as the API words it.</summary>
    private static readonly Dictionary<int, ErrorResponse> Errors = new()
    {
        [400] = Error("InvalidParameterValue", "The value provided for 'paymentDetails.paymentIntent' is invalid: 'Maybe' is not one of Confirm, Authorize, AuthorizeWithCapture."),
        [401] = Error("UnauthorizedAccess", "The public key id 'SANDBOX-AHJ5KXNUFOSVJ2NTDQHW3XYZ' is not registered or was revoked."),
        [403] = Error(
            "InvalidRequestSignature",
            "Unable to verify signature, signing String [AMZN-PAY-RSASSA-PSS-V2\n1f0e1c5d…] , signature [hVRtNuQ9…]"),
        [404] = Error("ResourceNotFound", "The requested resource does not exist."),
        [409] = Error("AmountMismatch", "The chargeAmount 15.00 USD does not match the chargeAmount 14.00 USD of the Checkout Session."),
        [422] = Error("InvalidChargeStatus", "The Charge is in Captured state and cannot be captured."),
        [429] = Error("TooManyRequests", "Too many requests; retry after a short wait."),
        [500] = Error("InternalServerError", "An unexpected error occurred; request id 3f1c7be0a6d94c51b2e08d7a4f6c9e21."),
    };

    private enum SessionStage
    {
        Created,
        SignedIn,
        Updated,
        Completed,
    }

    /// <summary>The example request body of <paramref name="operation"/>, as a client sends it (no null members).</summary>
    public static JsonNode? Request(string operation) =>
        Find(operation).Request is { } request ? JsonSerializer.SerializeToNode(request, request.GetType(), ApiRequestJsonContext.Default) : null;

    /// <summary>The example body of <paramref name="operation"/>'s response with <paramref name="status"/>, as the API sends it.</summary>
    public static JsonNode? Response(string operation, int status)
    {
        object? body = status < 400
            ? Find(operation).Responses.GetValueOrDefault(status)
            : Errors.GetValueOrDefault(status);
        return body is null ? null : JsonSerializer.SerializeToNode(body, body.GetType(), ApiJsonContext.Default);
    }

    private static (object? Request, Dictionary<int, object> Responses) Find(string operation) =>
        ByOperation.TryGetValue(operation, out var examples) || ReportExamples.TryGetValue(operation, out examples)
            || PartnerAndInStore.TryGetValue(operation, out examples)
            || DisputeExamples.TryGetValue(operation, out examples)
            ? examples
            : throw new InvalidOperationException($"The operation {operation} has no examples in {nameof(ApiExamples)}; add them there.");

    private static CheckoutSessionDto Session(SessionStage stage)
    {
        var signedIn = stage is SessionStage.SignedIn or SessionStage.Updated;
        var updated = stage >= SessionStage.Updated;
        List<ConstraintDto> constraints = stage switch
        {
            SessionStage.Created =>
            [
                Constraint("BuyerNotAssociated", "There is no buyer associated with the Checkout Session. Return the checkout session id to the Amazon Pay Button to allow buyer to login."),
                Constraint("ChargeAmountNotSet", "chargeAmount is not set."),
                Constraint("CheckoutResultReturnUrlNotSet", "checkoutResultReturnUrl is not set."),
                Constraint("PaymentIntentNotSet", "paymentIntent is not set."),
            ],
            SessionStage.SignedIn =>
            [
                Constraint("ChargeAmountNotSet", "chargeAmount is not set."),
                Constraint("CheckoutResultReturnUrlNotSet", "checkoutResultReturnUrl is not set."),
                Constraint("PaymentIntentNotSet", "paymentIntent is not set."),
            ],
            _ => [],
        };
        return new CheckoutSessionDto
        {
            CheckoutSessionId = CheckoutSessionId,
            WebCheckoutDetails = new WebCheckoutDetailsDto
            {
                CheckoutReviewReturnUrl = "https://shop.example.com/checkout/review",
                CheckoutResultReturnUrl = updated ? "https://shop.example.com/checkout/result" : null,
                AmazonPayRedirectUrl = stage == SessionStage.Updated
                    ? $"https://127.0.0.1:8443/checkout/processing?amazonCheckoutSessionId={CheckoutSessionId}"
                    : null,
            },
            ProductType = "PayAndShip",
            PaymentDetails = new PaymentDetailsDto
            {
                PaymentIntent = updated ? "Authorize" : null,
                CanHandlePendingAuthorization = false,
                ChargeAmount = updated ? Usd("14.00") : null,
                PresentmentCurrency = updated ? "USD" : null,
            },
            ChargePermissionType = "OneTime",
            MerchantMetadata = updated ? Metadata() : new MerchantMetadataDto(),
            // Buyer details are shown only while the session is open; afterwards the charge permission has them.
            Buyer = signedIn ? Buyer() : null,
            BillingAddress = signedIn ? Address() : null,
            PaymentPreferences = signedIn ? [new PaymentPreferenceDto { PaymentDescriptor = "Visa ****1111" }] : null,
            StatusDetails = new StatusDetailsDto
            {
                State = stage == SessionStage.Completed ? "Completed" : "Open",
                LastUpdatedTimestamp = stage switch
                {
                    SessionStage.Created => Created,
                    SessionStage.SignedIn => SignedIn,
                    SessionStage.Updated => Updated,
                    SessionStage.Completed => Completed,
                },
            },
            ShippingAddress = signedIn ? Address() : null,
            ChargePermissionId = stage == SessionStage.Completed ? ChargePermissionId : null,
            ChargeId = stage == SessionStage.Completed ? ChargeId : null,
            Constraints = constraints,
            CreationTimestamp = Created,
            ExpirationTimestamp = "20261208T101500Z",
            StoreId = StoreId,
            ProviderMetadata = new ProviderMetadataDto(),
            ReleaseEnvironment = "Sandbox",
            DeliverySpecifications = new DeliverySpecificationsDto { SpecialRestrictions = ["RestrictPOBoxes"] },
        };
    }

    /// <summary>A session finalized in the JavaScript-only flow: the response adds cartDetails, as the real API does.</summary>
    private static CheckoutSessionDto Finalized()
    {
        var session = Session(SessionStage.Completed);
        session.CartDetails = JsonDocument.Parse("null").RootElement;
        return session;
    }

    private static ChargePermissionDto Permission(bool closed) => new()
    {
        ChargePermissionId = ChargePermissionId,
        Buyer = Buyer(),
        ShippingAddress = Address(),
        BillingAddress = Address(),
        PaymentPreferences = [new PaymentPreferenceDto { PaymentDescriptor = "Visa ****1111" }],
        StatusDetails = new ChargePermissionStatusDetailsDto
        {
            State = closed ? "Closed" : "Chargeable",
            Reasons = closed ? [new ReasonDto { ReasonCode = "MerchantClosed", ReasonDescription = "The order was fulfilled." }] : null,
            LastUpdatedTimestamp = closed ? Refunded : Completed,
        },
        CreationTimestamp = Completed,
        ExpirationTimestamp = "20270605T101705Z",
        MerchantMetadata = Metadata(),
        ReleaseEnvironment = "Sandbox",
        Limits = new LimitsDto { AmountLimit = Usd("16.10"), AmountBalance = Usd("2.10") },
        ChargePermissionType = "OneTime",
        PresentmentCurrency = "USD",
    };

    private static ChargeDto Charge(string state) => new()
    {
        ChargeId = ChargeId,
        ChargeAmount = Usd("14.00"),
        ChargePermissionId = ChargePermissionId,
        CaptureAmount = state == "Captured" ? Usd("14.00") : null,
        RefundedAmount = state == "Captured" ? Usd("0.00") : null,
        SoftDescriptor = state == "Captured" ? "TILLPOINT SHOP" : null,
        ProviderMetadata = new ProviderMetadataDto(),
        StatusDetails = new StatusDetailsDto
        {
            State = state,
            ReasonCode = state == "Canceled" ? "MerchantCanceled" : null,
            ReasonDescription = state == "Canceled" ? "The buyer canceled the order." : null,
            LastUpdatedTimestamp = state == "Authorized" ? Completed : Captured,
        },
        CreationTimestamp = Completed,
        ExpirationTimestamp = "20270106T101705Z",
        ReleaseEnvironment = "Sandbox",
    };

    private static RefundDto Refund() => new()
    {
        RefundId = RefundId,
        ChargeId = ChargeId,
        RefundAmount = Usd("14.00"),
        SoftDescriptor = "TILLPOINT REFUND",
        CreationTimestamp = Refunded,
        StatusDetails = new StatusDetailsDto { State = "RefundInitiated", LastUpdatedTimestamp = Refunded },
        ReleaseEnvironment = "Sandbox",
    };

    private static DeliveryTrackerRequest Tracker() => new()
    {
        ChargePermissionId = ChargePermissionId,
        DeliveryDetails = [new DeliveryDetailDto { TrackingNumber = "1Z999AA10123456784", CarrierCode = "UPS" }],
    };

    private static BuyerDto Buyer() => new() { Name = "Jane Doe", Email = "jane.doe@buyers.tillpoint.test", BuyerId = BuyerId, PhoneNumber = "+1 206-555-0100" };

    private static AddressDto Address() => new()
    {
        Name = "Jane Doe",
        AddressLine1 = "410 Terry Ave N",
        City = "Seattle",
        StateOrRegion = "WA",
        PostalCode = "98109",
        CountryCode = "US",
        PhoneNumber = "+1 206-555-0100",
    };

    private static MerchantMetadataDto Metadata() => new()
    {
        MerchantReferenceId = "Order-10042",
        MerchantStoreName = "Tillpoint Demo Shop",
        NoteToBuyer = "Thank you for your order.",
    };

    private static StoreDto Store(string name) => new()
    {
        StoreId = "amzn1.application-oa2-client.3f7c2b9e0a1d4c5b8e6f7a2b1c0d9e8f",
        MerchantAccountId = MerchantAccountId,
        StoreName = name,
        AllowedOriginDomains = ["https://www.rufus.com"],
        AllowedRedirectUrls = ["https://www.rufus.com/checkout/review"],
        PrivacyPolicyUrl = "http://www.rufus.com/privacy",
        MerchantLogoUrl = "https://www.rufus.com/logo.png",
    };

    private static MerchantAccountIdsDto AccountIds() => new() { UniqueReferenceId = "ABCD12345CB", MerchantAccountId = MerchantAccountId };

    private static Price Usd(string amount) => new() { Amount = amount, CurrencyCode = "USD" };

    private static ConstraintDto Constraint(string id, string description) => new() { ConstraintId = id, Description = description };

    private static ErrorResponse Error(string reasonCode, string message) => new() { ReasonCode = reasonCode, Message = message };
}
