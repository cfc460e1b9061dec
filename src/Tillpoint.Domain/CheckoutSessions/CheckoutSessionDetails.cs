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

/// <summary>Reason codes of a canceled checkout session.</summary>
public static class CheckoutSessionReasons
{
    public const string Expired = nameof(Expired);
    public const string BuyerCanceled = nameof(BuyerCanceled);
    public const string Declined = nameof(Declined);
    public const string AmazonCanceled = nameof(AmazonCanceled);

    public static string Describe(string reasonCode) => reasonCode switch
    {
        Expired => "The Checkout Session expired before it was completed.",
        BuyerCanceled => "The buyer canceled checkout.",
        Declined => "The payment authorization was declined.",
        AmazonCanceled => "Amazon canceled the Checkout Session.",
        _ => reasonCode,
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

/// <summary>What the buyer chose on the hosted page.</summary>
public sealed record BuyerSelection(
    BuyerDetails Buyer,
    Address? ShippingAddress,
    Address BillingAddress,
    string InstrumentId,
    string PaymentDescriptor,
    InstrumentBehavior Behavior);
