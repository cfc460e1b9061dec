using Tillpoint.Domain.Buyers;

namespace Tillpoint.Domain.CheckoutSessions;

public enum CheckoutSessionState
{
    Open,
    Completed,
    Canceled,
}

public enum PaymentIntent
{
    Confirm,
    Authorize,
    AuthorizeWithCapture,
}

public enum ProductType
{
    PayAndShip,
    PayOnly,
    PayAndShipMultiAddress,
}

public enum ChargePermissionType
{
    OneTime,
    Recurring,
    PaymentMethodOnFile,
}

public enum CheckoutMode
{
    ProcessOrder,
}

/// <summary>Why a checkout session was Canceled. Each name is the reasonCode on the wire and in stored documents.</summary>
public enum CheckoutSessionReasonCode
{
    Expired,
    BuyerCanceled,
    Declined,
    AmazonCanceled,
}

public static class CheckoutSessionReasons
{
    public static string Describe(CheckoutSessionReasonCode reasonCode) => reasonCode switch
    {
        CheckoutSessionReasonCode.Expired => "The Checkout Session expired before it was completed.",
        CheckoutSessionReasonCode.BuyerCanceled => "The buyer canceled checkout.",
        CheckoutSessionReasonCode.Declined => "The payment authorization was declined.",
        CheckoutSessionReasonCode.AmazonCanceled => "Amazon canceled the Checkout Session.",
    };
}

/// <summary>A constraint that keeps the buyer from being sent to processing.</summary>
public enum ConstraintId
{
    BuyerNotAssociated,
    ChargeAmountNotSet,
    CheckoutResultReturnUrlNotSet,
    PaymentIntentNotSet,
}

public sealed record WebCheckoutDetails(
    string? CheckoutReviewReturnUrl,
    string? CheckoutResultReturnUrl,
    string? CheckoutCancelUrl,
    CheckoutMode? CheckoutMode)
{
    public static WebCheckoutDetails Empty { get; } = new(null, null, null, null);
}

public sealed record PaymentDetails(
    PaymentIntent? PaymentIntent,
    bool CanHandlePendingAuthorization,
    Money? ChargeAmount,
    Money? TotalOrderAmount,
    string? SoftDescriptor,
    Currency? PresentmentCurrency,
    bool? AllowOvercharge,
    bool? ExtendExpiration)
{
    public static PaymentDetails Empty { get; } = new(null, false, null, null, null, null, null, null);
}

/// <summary>
/// What the buyer chose on the hosted page: one shipping address, or in a PayAndShipMultiAddress checkout the list
/// of them (and then no single one).
/// </summary>
public sealed record BuyerSelection(
    BuyerDetails Buyer,
    Address? ShippingAddress,
    Address BillingAddress,
    string InstrumentId,
    string PaymentDescriptor,
    InstrumentBehavior Behavior,
    IReadOnlyList<AddressWithId>? ShippingAddressList = null);
