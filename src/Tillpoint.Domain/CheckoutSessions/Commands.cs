namespace Tillpoint.Domain.CheckoutSessions;

/// <summary>A Create Checkout Session request in domain terms (already parsed from JSON at the edge).</summary>
public sealed record CreateCheckoutSession(
    WebCheckoutDetails WebCheckoutDetails,
    string StoreId,
    IReadOnlyList<string>? Scopes,
    ChargePermissionType? ChargePermissionType,
    PaymentDetails? PaymentDetails,
    Address? AddressDetails,
    MerchantMetadata? MerchantMetadata,
    DeliverySpecifications? DeliverySpecifications,
    string? PlatformId,
    string? ProviderReferenceId,
    ProductType? ProductType = null,
    RecurringMetadata? RecurringMetadata = null,
    PaymentMethodOnFileMetadata? PaymentMethodOnFileMetadata = null)
{
    /// <summary>
    /// Started by a Buy Now button: the buyer never leaves the merchant's page, so there are no return URLs to require,
    /// and the amounts come from the cart the buyer is shown, not from the payload.
    /// </summary>
    public bool BuyNow { get; init; }

    public static IReadOnlySet<string> KnownScopes { get; } = new HashSet<string>(StringComparer.Ordinal)
    {
        "name", "email", "phoneNumber", "billingAddress", "shippingAddress", "postalCode", "primeStatus",
    };

    public DomainError? Validate(ReleaseEnvironment environment, Limits limits)
    {
        var web = WebCheckoutDetails;
        var processOrder = web.CheckoutMode == CheckoutMode.ProcessOrder;
        if (BuyNow && processOrder)
        {
            return new DomainError(
                ErrorCode.InvalidParameterCombination, "a Buy Now checkout takes no checkoutMode: the buyer pays in the Buy Now dialog.");
        }

        if (BuyNow && (PaymentDetails?.ChargeAmount is not null || PaymentDetails?.TotalOrderAmount is not null))
        {
            return new DomainError(
                ErrorCode.InvalidParameterCombination,
                "a Buy Now checkout takes its chargeAmount and totalOrderAmount from the cart the buyer is shown, not from the payload.");
        }

        if (processOrder && web.CheckoutReviewReturnUrl is not null)
        {
            return new DomainError(
                ErrorCode.InvalidParameterCombination,
                "checkoutReviewReturnUrl must not be set when checkoutMode is ProcessOrder.");
        }

        if (!processOrder && !BuyNow && web.CheckoutReviewReturnUrl is null)
        {
            return DomainError.Missing("webCheckoutDetails.checkoutReviewReturnUrl");
        }

        if (processOrder && web.CheckoutResultReturnUrl is null)
        {
            return DomainError.Missing("webCheckoutDetails.checkoutResultReturnUrl");
        }

        if (processOrder && PaymentDetails?.PaymentIntent is null)
        {
            return DomainError.Missing("paymentDetails.paymentIntent");
        }

        if (processOrder && PaymentDetails?.ChargeAmount is null)
        {
            return DomainError.Missing("paymentDetails.chargeAmount");
        }

        var productType = ProductType ?? CheckoutSessions.ProductType.PayAndShip;
        var multiAddressError = MultiAddressRules.ValidateProduct(
            productType, ChargePermissionType ?? CheckoutSessions.ChargePermissionType.OneTime, processOrder || AddressDetails is not null);
        if (multiAddressError is not null)
        {
            return multiAddressError;
        }

        if (processOrder && productType != CheckoutSessions.ProductType.PayOnly && AddressDetails is null)
        {
            return DomainError.Missing("addressDetails");
        }

        foreach (var scope in Scopes ?? [])
        {
            if (scope is null || !KnownScopes.Contains(scope))
            {
                return DomainError.InvalidValue("scopes", $"'{scope ?? "null"}' is not a known scope.");
            }
        }

        return Urls.Validate("webCheckoutDetails.checkoutReviewReturnUrl", web.CheckoutReviewReturnUrl, environment, limits)
            ?? Urls.Validate("webCheckoutDetails.checkoutResultReturnUrl", web.CheckoutResultReturnUrl, environment, limits)
            ?? Urls.Validate("webCheckoutDetails.checkoutCancelUrl", web.CheckoutCancelUrl, environment, limits)
            ?? (PaymentDetails is null ? null : PaymentDetailsRules.Validate(PaymentDetails, limits, "paymentDetails"))
            ?? ChargePermissionTypeRules.Validate(
                ChargePermissionType ?? CheckoutSessions.ChargePermissionType.OneTime, RecurringMetadata, PaymentMethodOnFileMetadata,
                PaymentDetails ?? CheckoutSessions.PaymentDetails.Empty, limits)
            ?? MerchantMetadata?.Validate(limits)
            ?? DomainError.TooLong("platformId", PlatformId, limits.PlatformIdMaxLength);
    }
}

/// <summary>The payment fields an Update may change; null means "leave as is".</summary>
public sealed record PaymentDetailsUpdate(
    PaymentIntent? PaymentIntent,
    bool? CanHandlePendingAuthorization,
    Money? ChargeAmount,
    Money? TotalOrderAmount,
    string? SoftDescriptor,
    Currency? PresentmentCurrency);

public sealed record UpdateCheckoutSession(
    string? CheckoutReviewReturnUrl,
    string? CheckoutResultReturnUrl,
    string? CheckoutCancelUrl,
    PaymentDetailsUpdate? PaymentDetails,
    MerchantMetadata? MerchantMetadata,
    string? PlatformId,
    string? ProviderReferenceId,
    string? SupplementaryData,
    ChargePermissionType? ChargePermissionType = null,
    RecurringMetadata? RecurringMetadata = null,
    IReadOnlyList<MultiAddressesCheckoutMetadata>? MultiAddressesCheckoutMetadata = null)
{
    public DomainError? Validate(ReleaseEnvironment environment, Limits limits) =>
        Urls.Validate("webCheckoutDetails.checkoutReviewReturnUrl", CheckoutReviewReturnUrl, environment, limits)
        ?? Urls.Validate("webCheckoutDetails.checkoutResultReturnUrl", CheckoutResultReturnUrl, environment, limits)
        ?? Urls.Validate("webCheckoutDetails.checkoutCancelUrl", CheckoutCancelUrl, environment, limits)
        ?? MerchantMetadata?.Validate(limits)
        ?? DomainError.TooLong("platformId", PlatformId, limits.PlatformIdMaxLength)
        ?? DomainError.TooLong("supplementaryData", SupplementaryData, limits.SupplementaryDataMaxLength);
}

/// <summary>Rules that hold for a session's payment details however they were assembled.</summary>
public static class PaymentDetailsRules
{
    public static DomainError? Validate(PaymentDetails details, Limits limits, string prefix)
    {
        var error = Amounts.Validate($"{prefix}.chargeAmount", details.ChargeAmount, limits)
            ?? Amounts.Validate($"{prefix}.totalOrderAmount", details.TotalOrderAmount, limits);
        if (error is not null)
        {
            return error;
        }

        if (details is { ChargeAmount: { } charge, TotalOrderAmount: { } total })
        {
            if (charge.Currency != total.Currency)
            {
                return DomainError.CurrencyMismatch(charge.Currency, total.Currency);
            }

            if (charge > total)
            {
                return DomainError.InvalidValue($"{prefix}.chargeAmount", "it is larger than totalOrderAmount.");
            }
        }

        if (details is { PresentmentCurrency: { } presentment, ChargeAmount: { } amount } && presentment != amount.Currency)
        {
            return DomainError.CurrencyMismatch(amount.Currency, presentment);
        }

        if (details.SoftDescriptor is not null)
        {
            if (details.SoftDescriptor.Length > limits.SoftDescriptorMaxLength)
            {
                return DomainError.InvalidValue(
                    $"{prefix}.softDescriptor", $"it is longer than {limits.SoftDescriptorMaxLength} characters.");
            }

            if (details.PaymentIntent is not null and not PaymentIntent.AuthorizeWithCapture)
            {
                return new DomainError(
                    ErrorCode.InvalidParameterCombination, "softDescriptor can only be set with paymentIntent AuthorizeWithCapture.");
            }
        }

        if (details.CanHandlePendingAuthorization && details.PaymentIntent is not null and not PaymentIntent.Authorize)
        {
            return new DomainError(
                ErrorCode.InvalidParameterCombination,
                "canHandlePendingAuthorization can only be set with paymentIntent Authorize.");
        }

        return null;
    }
}

public static class Amounts
{
    /// <summary>Positive and within the per-transaction maximum (scale is checked when the text is parsed).</summary>
    public static DomainError? Validate(string field, Money? money, Limits limits)
    {
        if (money is not { } value)
        {
            return null;
        }

        if (!value.IsPositive)
        {
            return DomainError.InvalidValue(field, "the amount must be greater than zero.");
        }

        var max = limits.MaxTransaction(value.Currency);
        return value > max ? DomainError.InvalidValue(field, $"the amount exceeds the maximum of {max}.") : null;
    }
}

public static class Urls
{
    /// <summary>HTTPS URLs only; plain HTTP is allowed for loopback hosts in Sandbox so local shops work.</summary>
    public static DomainError? Validate(string field, string? url, ReleaseEnvironment environment, Limits limits)
    {
        if (url is null)
        {
            return null;
        }

        if (url.Length > limits.UrlMaxLength)
        {
            return DomainError.InvalidValue(field, $"it is longer than {limits.UrlMaxLength} characters.");
        }

        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || string.IsNullOrEmpty(uri.Host))
        {
            return DomainError.InvalidValue(field, "it is not an absolute URL.");
        }

        if (uri.Scheme == Uri.UriSchemeHttps)
        {
            return null;
        }

        // Uri.IsLoopback covers localhost and every loopback address however written (127.0.0.0/8, ::1, ::ffff:127.x).
        return uri.Scheme == Uri.UriSchemeHttp && uri.IsLoopback && environment == ReleaseEnvironment.Sandbox
            ? null
            : DomainError.InvalidValue(field, "it must be an https URL.");
    }
}
