using Tillpoint.Domain.ChargePermissions;
using Tillpoint.Domain.Charges;
using Tillpoint.Domain.CheckoutSessions;
using Tillpoint.Domain.Disputes;
using Tillpoint.Domain.Refunds;
using Tillpoint.Domain.Reports;
using Tillpoint.Protocol.Json;

namespace Tillpoint.Server.Api;

/// <summary>Turns domain objects into the API's JSON shapes, formatting amounts and timestamps only here.</summary>
internal static partial class WireMapper
{
    /// <summary>Buyer and address details of a charge permission are readable for this long (spec §1.7).</summary>
    private static readonly TimeSpan BuyerDataRetention = TimeSpan.FromDays(30);

    public static CheckoutSessionDto ToDto(CheckoutSession session, string publicBaseUrl)
    {
        var open = session.State == CheckoutSessionState.Open;
        // Buyer data is only shown while the session is Open; afterwards the charge permission carries it.
        var selection = open ? session.Selection : null;
        var payment = session.PaymentDetails;
        return new CheckoutSessionDto
        {
            CheckoutSessionId = session.CheckoutSessionId,
            WebCheckoutDetails = new WebCheckoutDetailsDto
            {
                CheckoutReviewReturnUrl = session.WebCheckoutDetails.CheckoutReviewReturnUrl,
                CheckoutResultReturnUrl = session.WebCheckoutDetails.CheckoutResultReturnUrl,
                CheckoutCancelUrl = session.WebCheckoutDetails.CheckoutCancelUrl,
                // A Buy Now buyer pays in the dialog and is never redirected; the merchant finalizes instead.
                AmazonPayRedirectUrl = session.IsReadyForProcessing && !session.BuyNow
                    ? $"{publicBaseUrl}/checkout/processing?amazonCheckoutSessionId={session.CheckoutSessionId}"
                    : null,
                CheckoutMode = session.WebCheckoutDetails.CheckoutMode?.ToString(),
            },
            ProductType = session.ProductType.ToString(),
            PaymentDetails = new PaymentDetailsDto
            {
                PaymentIntent = payment.PaymentIntent?.ToString(),
                CanHandlePendingAuthorization = payment.CanHandlePendingAuthorization,
                ChargeAmount = ToPrice(payment.ChargeAmount),
                TotalOrderAmount = ToPrice(payment.TotalOrderAmount),
                SoftDescriptor = payment.SoftDescriptor,
                PresentmentCurrency = (payment.PresentmentCurrency ?? payment.ChargeAmount?.Currency)?.ToString(),
                AllowOvercharge = payment.AllowOvercharge,
                ExtendExpiration = payment.ExtendExpiration,
            },
            ChargePermissionType = session.ChargePermissionType.ToString(),
            RecurringMetadata = ToJson(session.RecurringMetadata),
            PaymentMethodOnFileMetadata = ToJson(session.PaymentMethodOnFileMetadata),
            MultiAddressesCheckoutMetadata = ToDto(session.MultiAddressesCheckoutMetadata),
            MerchantMetadata = ToDto(session.MerchantMetadata),
            SupplementaryData = session.SupplementaryData,
            Buyer = selection is null ? null : ToDto(selection.Buyer, session.Scopes),
            BillingAddress = selection is not null && HasScope(session.Scopes, "billingAddress") ? ToDto(selection.BillingAddress) : null,
            PaymentPreferences = selection is null ? null : [new PaymentPreferenceDto { PaymentDescriptor = selection.PaymentDescriptor }],
            StatusDetails = Status(session.State.ToString(), session.ReasonCode?.ToString(), session.ReasonDescription, session.LastUpdatedTimestamp),
            ShippingAddress = selection?.ShippingAddress is { } shipping ? ToDto(shipping) : null,
            ShippingAddressList = ToShippingAddressList(selection?.ShippingAddressList),
            PlatformId = session.PlatformId,
            ChargePermissionId = session.ChargePermissionId,
            ChargeId = session.ChargeId,
            Constraints = [.. session.Constraints.Select(c => new ConstraintDto { ConstraintId = c.ToString(), Description = Describe(c) })],
            CreationTimestamp = ApiTimestamp.ToText(session.CreationTimestamp),
            ExpirationTimestamp = ApiTimestamp.ToText(session.ExpirationTimestamp),
            StoreId = session.StoreId,
            ProviderMetadata = new ProviderMetadataDto { ProviderReferenceId = session.ProviderReferenceId },
            ReleaseEnvironment = session.Environment.ToString(),
            DeliverySpecifications = ToDto(session.DeliverySpecifications),
        };
    }

    public static ChargeDto ToDto(Charge charge) => new()
    {
        ChargeId = charge.ChargeId,
        ChargeAmount = ToPrice(charge.ChargeAmount),
        ChargePermissionId = charge.ChargePermissionId,
        CaptureAmount = ToPrice(charge.CaptureAmount),
        RefundedAmount = ToPrice(charge.RefundedAmount),
        SoftDescriptor = charge.SoftDescriptor,
        ProviderMetadata = new ProviderMetadataDto { ProviderReferenceId = charge.ProviderReferenceId },
        Channel = charge.Channel,
        ChargeInitiator = charge.ChargeInitiator,
        StatusDetails = Status(charge.State.ToString(), charge.ReasonCode?.ToString(), charge.ReasonDescription, charge.LastUpdatedTimestamp),
        CreationTimestamp = ApiTimestamp.ToText(charge.CreationTimestamp),
        ExpirationTimestamp = ApiTimestamp.ToText(charge.ExpirationTimestamp),
        ReleaseEnvironment = charge.Environment.ToString(),
        MerchantMetadata = charge.MerchantMetadata is null ? null : ToDto(charge.MerchantMetadata),
        PlatformId = charge.PlatformId,
    };

    public static RefundDto ToDto(Refund refund) => new()
    {
        RefundId = refund.RefundId,
        ChargeId = refund.ChargeId,
        RefundAmount = ToPrice(refund.RefundAmount),
        SoftDescriptor = refund.SoftDescriptor,
        CreationTimestamp = ApiTimestamp.ToText(refund.CreationTimestamp),
        StatusDetails = Status(refund.State.ToString(), refund.ReasonCode?.ToString(), refund.ReasonDescription, refund.LastUpdatedTimestamp),
        ReleaseEnvironment = refund.Environment.ToString(),
    };

    public static ChargePermissionDto ToDto(PaymentLedger ledger, DateTimeOffset now)
    {
        var permission = ledger.ChargePermission;
        var buyerDataVisible = now - permission.CreationTimestamp < BuyerDataRetention;
        return new ChargePermissionDto
        {
            ChargePermissionId = permission.ChargePermissionId,
            PlatformId = permission.PlatformId,
            Buyer = buyerDataVisible ? ToDto(permission.Buyer, null) : null,
            ShippingAddress = buyerDataVisible && permission.ShippingAddress is { } shipping ? ToDto(shipping) : null,
            BillingAddress = buyerDataVisible && permission.BillingAddress is { } billing ? ToDto(billing) : null,
            PaymentPreferences = [new PaymentPreferenceDto { PaymentDescriptor = permission.PaymentDescriptor }],
            StatusDetails = new ChargePermissionStatusDetailsDto
            {
                State = permission.State.ToString(),
                Reasons = permission.Reasons.Count == 0
                    ? null
                    : [.. permission.Reasons.Select(r => new ReasonDto { ReasonCode = r.ReasonCode.ToString(), ReasonDescription = r.ReasonDescription })],
                LastUpdatedTimestamp = ApiTimestamp.ToText(permission.LastUpdatedTimestamp),
            },
            CreationTimestamp = ApiTimestamp.ToText(permission.CreationTimestamp),
            ExpirationTimestamp = ApiTimestamp.ToText(permission.ExpirationTimestamp),
            PaymentMethodOnFileMetadata = ToJson(permission.PaymentMethodOnFileMetadata),
            MerchantMetadata = ToDto(permission.MerchantMetadata),
            ReleaseEnvironment = permission.Environment.ToString(),
            // Recurring and saved-wallet permissions have a monthly cap, not a total: Amazon sends both limits null.
            Limits = permission.HasMonthlyLimit
                ? new LimitsDto()
                : new LimitsDto
                {
                    AmountLimit = ToPrice(permission.AmountLimit),
                    AmountBalance = ToPrice(ledger.AmountBalance),
                },
            ChargePermissionType = permission.ChargePermissionType.ToString(),
            RecurringMetadata = ToJson(permission.RecurringMetadata),
            PresentmentCurrency = permission.PresentmentCurrency.ToString(),
        };
    }

    public static Price? ToPrice(Money? money) => money is { } m
        ? new Price { Amount = m.ToAmountString(), CurrencyCode = m.Currency.ToString() }
        : null;

    private static StatusDetailsDto Status(string state, string? reasonCode, string? reasonDescription, DateTimeOffset lastUpdated) => new()
    {
        State = state,
        ReasonCode = reasonCode,
        ReasonDescription = reasonDescription,
        LastUpdatedTimestamp = ApiTimestamp.ToText(lastUpdated),
    };

    private static bool HasScope(IReadOnlyList<string>? scopes, string scope) =>
        scopes is null || scopes.Contains(scope, StringComparer.Ordinal);

    public static BuyerDto ToDto(BuyerDetails buyer, IReadOnlyList<string>? scopes) => new()
    {
        Name = HasScope(scopes, "name") ? buyer.Name : null,
        Email = HasScope(scopes, "email") ? buyer.Email : null,
        BuyerId = buyer.BuyerId,
        PhoneNumber = HasScope(scopes, "phoneNumber") ? buyer.PhoneNumber : null,
    };

    public static AddressDto ToDto(Address address) => new()
    {
        Name = address.Name,
        AddressLine1 = address.AddressLine1,
        AddressLine2 = address.AddressLine2,
        AddressLine3 = address.AddressLine3,
        City = address.City,
        County = address.County,
        District = address.District,
        StateOrRegion = address.StateOrRegion,
        PostalCode = address.PostalCode,
        CountryCode = address.CountryCode,
        PhoneNumber = address.PhoneNumber,
    };

    private static MerchantMetadataDto ToDto(MerchantMetadata metadata) => new()
    {
        MerchantReferenceId = metadata.MerchantReferenceId,
        MerchantStoreName = metadata.MerchantStoreName,
        NoteToBuyer = metadata.NoteToBuyer,
        CustomInformation = metadata.CustomInformation,
    };

    private static DeliverySpecificationsDto? ToDto(DeliverySpecifications? specifications) => specifications is null
        ? null
        : new DeliverySpecificationsDto
        {
            SpecialRestrictions = specifications.SpecialRestrictions?.Select(r => r.ToString()).ToList(),
            AddressRestrictions = specifications.AddressRestrictionType is null
                ? null
                : new AddressRestrictionsDto
                {
                    Type = specifications.AddressRestrictionType.ToString(),
                    Restrictions = specifications.AddressRestrictions?.ToDictionary(
                        r => r.Key,
                        r => new RestrictionDto { StatesOrRegions = [.. r.Value.StatesOrRegions], ZipCodes = [.. r.Value.ZipCodes] }),
                },
        };

    private static string Describe(ConstraintId constraint) => constraint switch
    {
        ConstraintId.BuyerNotAssociated =>
            "There is no buyer associated with the Checkout Session. Return the checkout session id to the Amazon Pay Button to allow buyer to login.",
        ConstraintId.ChargeAmountNotSet => "chargeAmount is not set.",
        ConstraintId.CheckoutResultReturnUrlNotSet => "checkoutResultReturnUrl is not set.",
        ConstraintId.PaymentIntentNotSet => "paymentIntent is not set.",
    };

    public static DisputeDto ToDto(Dispute dispute) => new()
    {
        DisputeId = dispute.DisputeId,
        ReleaseEnvironment = dispute.Environment.ToString(),
        ChargeId = dispute.ChargeId,
        DisputeType = "Chargeback",
        DisputeAmount = WireMapper.ToPrice(dispute.DisputeAmount),
        FilingReason = dispute.FilingReason.ToString(),
        StatusDetails = new DisputeStatusDetailsDto
        {
            State = dispute.State.ToString(),
            ReasonCode = dispute.ReasonCode?.ToString(),
            ReasonDescription = dispute.ReasonDescription,
            Resolution = dispute.Resolution?.ToString(),
            LastUpdatedTimestamp = ApiTimestamp.ToText(dispute.LastUpdatedTimestamp),
        },
        MerchantEvidences = [.. dispute.MerchantEvidences.Select(e => new MerchantEvidenceDto
        {
            EvidenceType = e.EvidenceType.ToString(),
            FileId = e.FileId,
            EvidenceText = e.EvidenceText,
        })],
        MerchantResponseDeadline = ApiTimestamp.ToText(dispute.MerchantResponseDeadline),
        ResolutionAuthority = DisputeReasons.AmazonPay,
        CreationTimestamp = ApiTimestamp.ToText(dispute.CreationTimestamp),
    };

    /// <summary>The wire names of <see cref="ProcessingStatus"/>, in its order.</summary>
    public static readonly string[] ProcessingStatusNames = ["IN_PROGRESS", "COMPLETED", "FAILED", "CANCELLED"];

    /// <summary>A report's processing status as the API writes it.</summary>
    public static string WireName(ProcessingStatus status) => ProcessingStatusNames[(int)status];
}
