using System.Text.Json;

namespace Tillpoint.Protocol.Json;

/// <summary>The Refund object, in the real API's key order.</summary>
public sealed class RefundDto
{
    /// <summary>{chargePermissionId}-R{6 digits}.</summary>
    public string? RefundId { get; set; }

    /// <summary>The captured charge this refund returns money from.</summary>
    public string? ChargeId { get; set; }

    /// <summary>The amount refunded.</summary>
    public Price? RefundAmount { get; set; }

    /// <summary>Statement text.</summary>
    public string? SoftDescriptor { get; set; }

    /// <summary>yyyyMMddTHHmmssZ.</summary>
    public string? CreationTimestamp { get; set; }

    /// <summary>RefundInitiated, Refunded or Declined.</summary>
    public StatusDetailsDto? StatusDetails { get; set; }

    /// <summary>Sandbox or Live.</summary>
    public string? ReleaseEnvironment { get; set; }
}

/// <summary>Create Charge request body.</summary>
public sealed class CreateChargeRequest
{
    /// <summary>Required: the permission to charge.</summary>
    public string? ChargePermissionId { get; set; }

    /// <summary>Required: the amount to authorize.</summary>
    public Price? ChargeAmount { get; set; }

    /// <summary>Capture at once.</summary>
    public bool? CaptureNow { get; set; }

    /// <summary>Statement text (at most 16 characters); only with captureNow.</summary>
    public string? SoftDescriptor { get; set; }

    /// <summary>Accept an asynchronous authorization (AuthorizationInitiated).</summary>
    public bool? CanHandlePendingAuthorization { get; set; }

    /// <summary>Merchant-owned text.</summary>
    public MerchantMetadataDto? MerchantMetadata { get; set; }

    /// <summary>Payment-service-provider reference.</summary>
    public ProviderMetadataDto? ProviderMetadata { get; set; }

    /// <summary>Solution provider id.</summary>
    public string? PlatformId { get; set; }

    /// <summary>CITU, MITU, CITR or MITR.</summary>
    public string? ChargeInitiator { get; set; }

    /// <summary>Web, Phone, App, Alexa, PointOfSale, FireTv, Offline or Amazon.</summary>
    public string? Channel { get; set; }

    /// <summary>Buyer-present recovery URLs.</summary>
    public JsonElement? WebCheckoutDetails { get; set; }
}

/// <summary>Cancel Charge request body.</summary>
public sealed class CancelChargeRequest
{
    /// <summary>Free text, at most 255 characters.</summary>
    public string? CancellationReason { get; set; }
}

/// <summary>Update Charge Permission request body.</summary>
public sealed class UpdateChargePermissionRequest
{
    /// <summary>Merchant-owned text; given fields replace the stored ones.</summary>
    public MerchantMetadataDto? MerchantMetadata { get; set; }

    /// <summary>Recurring permissions only.</summary>
    public JsonElement? RecurringMetadata { get; set; }
}

/// <summary>Close Charge Permission request body.</summary>
public sealed class CloseChargePermissionRequest
{
    /// <summary>Free text, at most 255 characters.</summary>
    public string? ClosureReason { get; set; }

    /// <summary>Cancel the permission's open charges too.</summary>
    public bool? CancelPendingCharges { get; set; }
}

/// <summary>Create Refund request body.</summary>
public sealed class CreateRefundRequest
{
    /// <summary>Required: the captured charge.</summary>
    public string? ChargeId { get; set; }

    /// <summary>Required: the amount to refund.</summary>
    public Price? RefundAmount { get; set; }

    /// <summary>Statement text (at most 16 characters).</summary>
    public string? SoftDescriptor { get; set; }
}

/// <summary>Finalize Checkout Session request body.</summary>
public sealed class FinalizeCheckoutSessionRequest
{
    /// <summary>Required: must equal the session's chargeAmount.</summary>
    public Price? ChargeAmount { get; set; }

    /// <summary>Required when the session has one.</summary>
    public Price? TotalOrderAmount { get; set; }

    /// <summary>Required: Confirm, Authorize or AuthorizeWithCapture.</summary>
    public string? PaymentIntent { get; set; }

    /// <summary>Accept an asynchronous authorization: a boolean, or the string "true" or "false" the PHP and Java samples send.</summary>
    [System.Text.Json.Serialization.JsonConverter(typeof(BooleanTextConverter))]
    public bool? CanHandlePendingAuthorization { get; set; }

    /// <summary>Required when the session has it.</summary>
    public string? SupplementaryData { get; set; }

    /// <summary>Required for PayAndShip: the address the buyer chose.</summary>
    public AddressDto? ShippingAddress { get; set; }

    /// <summary>Required for PayOnly: the buyer's billing address.</summary>
    public AddressDto? BillingAddress { get; set; }
}

/// <summary>Delivery Trackers request and response body.</summary>
public sealed class DeliveryTrackerRequest
{
    /// <summary>A v1 order reference (not kept by this server).</summary>
    public string? AmazonOrderReferenceId { get; set; }

    /// <summary>The permission the shipment belongs to.</summary>
    public string? ChargePermissionId { get; set; }

    /// <summary>The shipments.</summary>
    public List<DeliveryDetailDto>? DeliveryDetails { get; set; }
}

/// <summary>One shipment.</summary>
public sealed class DeliveryDetailDto
{
    /// <summary>The carrier's tracking number.</summary>
    public string? TrackingNumber { get; set; }

    /// <summary>A carrier code from the published list, e.g. UPS.</summary>
    public string? CarrierCode { get; set; }
}

/// <summary>Get Buyer response (Sign in with Amazon Pay).</summary>
public sealed class BuyerProfileDto
{
    /// <summary>Stable buyer id.</summary>
    public string? BuyerId { get; set; }

    /// <summary>Buyer name (name scope).</summary>
    public string? Name { get; set; }

    /// <summary>Buyer email (email scope).</summary>
    public string? Email { get; set; }

    /// <summary>Postal code of the default address (postalCode scope).</summary>
    public string? PostalCode { get; set; }

    /// <summary>Country of the default address.</summary>
    public string? CountryCode { get; set; }

    /// <summary>Phone number (phoneNumber scope).</summary>
    public string? PhoneNumber { get; set; }

    /// <summary>Default shipping address (shippingAddress scope).</summary>
    public AddressDto? ShippingAddress { get; set; }

    /// <summary>Billing address (billingAddress scope).</summary>
    public AddressDto? BillingAddress { get; set; }

    /// <summary>Null unless the merchant is allow-listed.</summary>
    public List<string>? PrimeMembershipTypes { get; set; }
}

/// <summary>The sandbox clock, as the operator endpoints report it.</summary>
public sealed class OperatorClockDto
{
    /// <summary>The sandbox's current time, ISO 8601 UTC.</summary>
    public string? Now { get; set; }

    /// <summary>How far the sandbox clock is ahead of the server's real clock, in seconds.</summary>
    public long OffsetSeconds { get; set; }
}

/// <summary>Body of POST /operator/clock/advance.</summary>
public sealed class AdvanceClockRequest
{
    /// <summary>Required: how many seconds to move the sandbox clock forward (positive).</summary>
    public long? Seconds { get; set; }
}

/// <summary>
/// What the headless buyer chooses (body of POST /operator/checkoutSessions/{checkoutSessionId}/approve); every member
/// may be left out for its default.
/// </summary>
public sealed class BuyerChoice
{
    /// <summary>A sandbox test buyer's id; default the buyer who chose already, else the first test buyer.</summary>
    public string? BuyerId { get; set; }

    /// <summary>
    /// The buyer's address by its position in the buyer's list, "0" first; default the first one the merchant ships to.
    /// </summary>
    public string? ShippingAddressId { get; set; }

    /// <summary>
    /// PayAndShipMultiAddress: the buyer's addresses by their positions, as <see cref="ShippingAddressId"/>; default the
    /// first one the merchant ships to. Not with <see cref="ShippingAddressId"/>.
    /// </summary>
    public List<string>? ShippingAddressIds { get; set; }

    /// <summary>A sandbox instrument id, e.g. "visa-3434"; default "visa-1111", which succeeds.</summary>
    public string? PaymentInstrumentId { get; set; }
}

/// <summary>Where a step of the headless buyer sends the buyer's browser: the answer of the operator's checkout endpoints.</summary>
public sealed class BuyerRedirectDto
{
    /// <summary>The merchant's return URL with <c>amazonCheckoutSessionId</c>, or the hosted page the buyer is left on.</summary>
    public string? RedirectUrl { get; set; }
}

/// <summary>What a step of the headless buyer did: the checkout session it acted on and where the buyer was sent.</summary>
/// <param name="CheckoutSessionId">The checkout session.</param>
/// <param name="RedirectUrl">Where the buyer's browser would go next, as <see cref="BuyerRedirectDto.RedirectUrl"/>.</param>
public sealed record BuyerRedirect(string CheckoutSessionId, string RedirectUrl);

/// <summary>Body of POST /operator/chargePermissions/{id}/close: the sandbox acting for the buyer.</summary>
public sealed class OperatorCloseChargePermissionRequest
{
    /// <summary>Required: who closes the agreement; only <c>Buyer</c> (Amazon closing is the <c>AmazonClosed</c> simulation code).</summary>
    public string? ClosedBy { get; set; }
}

/// <summary>Body of POST /operator/chargePermissions/{id}/paymentMethod: the buyer gives the agreement another instrument.</summary>
public sealed class OperatorPaymentMethodRequest
{
    /// <summary>Required: one of the permission's sandbox buyer's instruments, e.g. <c>visa-1111</c>.</summary>
    public string? InstrumentId { get; set; }
}
