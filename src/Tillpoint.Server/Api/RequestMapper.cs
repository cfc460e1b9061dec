using Tillpoint.Domain.CheckoutSessions;
using Tillpoint.Protocol.Json;

namespace Tillpoint.Server.Api;

/// <summary>Turns wire requests into domain commands, refusing malformed values with the field's name.</summary>
internal static partial class RequestMapper
{
    public static Result<CreateCheckoutSession> ToCreate(CreateCheckoutSessionRequest request)
    {
        if (request.WebCheckoutDetails is null)
        {
            return DomainError.Missing("webCheckoutDetails");
        }

        if (string.IsNullOrEmpty(request.StoreId))
        {
            return DomainError.Missing("storeId");
        }

        if (request.WebCheckoutDetails.AmazonPayRedirectUrl is not null)
        {
            return DomainError.InvalidValue("webCheckoutDetails.amazonPayRedirectUrl", "it is set by the server, not by requests.");
        }

        if (request.ChargePermissionId is not null)
        {
            return DomainError.InvalidValue(
                "chargePermissionId", "a checkout on an existing Charge Permission is not offered by this server; start a new checkout.");
        }

        var mode = Enum<CheckoutMode>(request.WebCheckoutDetails.CheckoutMode, "webCheckoutDetails.checkoutMode");
        var type = Enum<ChargePermissionType>(request.ChargePermissionType, "chargePermissionType");
        var recurring = ToRecurringMetadata(request.RecurringMetadata);
        var paymentMethodOnFile = ToPaymentMethodOnFileMetadata(request.PaymentMethodOnFileMetadata);
        Result<PaymentDetails>? payment = request.PaymentDetails is null ? (Result<PaymentDetails>?)null : ToPaymentDetails(request.PaymentDetails, "paymentDetails");
        var delivery = ToDeliverySpecifications(request.DeliverySpecifications);
        var error = mode.Error ?? type.Error ?? recurring.Error ?? paymentMethodOnFile.Error ?? payment?.Error ?? delivery.Error;
        if (error is not null)
        {
            return error;
        }

        var web = request.WebCheckoutDetails;
        return new CreateCheckoutSession(
            new WebCheckoutDetails(web.CheckoutReviewReturnUrl, web.CheckoutResultReturnUrl, web.CheckoutCancelUrl, mode.Value),
            request.StoreId,
            request.Scopes,
            type.Value,
            payment?.Value,
            ToAddress(request.AddressDetails),
            ToMetadata(request.MerchantMetadata),
            delivery.Value,
            request.PlatformId,
            request.ProviderMetadata?.ProviderReferenceId,
            RecurringMetadata: recurring.Value,
            PaymentMethodOnFileMetadata: paymentMethodOnFile.Value);
    }

    public static Result<UpdateCheckoutSession> ToUpdate(UpdateCheckoutSessionRequest request)
    {
        var web = request.WebCheckoutDetails;
        if (web?.AmazonPayRedirectUrl is not null)
        {
            return DomainError.InvalidValue("webCheckoutDetails.amazonPayRedirectUrl", "it is set by the server, not by requests.");
        }

        if (web?.CheckoutMode is not null)
        {
            return DomainError.InvalidValue("webCheckoutDetails.checkoutMode", "it can only be set when the session is created.");
        }

        var type = Enum<ChargePermissionType>(request.ChargePermissionType, "chargePermissionType");
        var recurring = ToRecurringMetadata(request.RecurringMetadata);
        var multiAddress = ToMultiAddressesCheckoutMetadata(request.MultiAddressesCheckoutMetadata);
        if ((type.Error ?? recurring.Error ?? multiAddress.Error) is { } typeError)
        {
            return typeError;
        }

        PaymentDetailsUpdate? payment = null;
        if (request.PaymentDetails is { } details)
        {
            if (details.AllowOvercharge is not null || details.ExtendExpiration is not null)
            {
                return DomainError.InvalidValue(
                    details.AllowOvercharge is not null ? "paymentDetails.allowOvercharge" : "paymentDetails.extendExpiration",
                    "it can only be set when the session is created.");
            }

            var parsed = ToPaymentDetails(details, "paymentDetails");
            if (!parsed.IsSuccess)
            {
                return parsed.Error;
            }

            var p = parsed.Value;
            payment = new PaymentDetailsUpdate(
                p.PaymentIntent, details.CanHandlePendingAuthorization, p.ChargeAmount, p.TotalOrderAmount, p.SoftDescriptor,
                p.PresentmentCurrency);
        }

        return new UpdateCheckoutSession(
            web?.CheckoutReviewReturnUrl,
            web?.CheckoutResultReturnUrl,
            web?.CheckoutCancelUrl,
            payment,
            ToMetadata(request.MerchantMetadata),
            request.PlatformId,
            request.ProviderMetadata?.ProviderReferenceId,
            request.SupplementaryData,
            type.Value,
            recurring.Value,
            multiAddress.Value);
    }

    /// <summary>
    /// Each entry needs its address id and its price; the domain judges the ids against the buyer's addresses and the
    /// prices against chargeAmount.
    /// </summary>
    private static Result<List<MultiAddressesCheckoutMetadata>?> ToMultiAddressesCheckoutMetadata(
        List<MultiAddressesCheckoutMetadataDto>? entries)
    {
        if (entries is null)
        {
            return (List<MultiAddressesCheckoutMetadata>?)null;
        }

        var metadata = new List<MultiAddressesCheckoutMetadata>(entries.Count);
        for (var i = 0; i < entries.Count; i++)
        {
            var field = $"multiAddressesCheckoutMetadata[{i}]";
            if (entries[i] is not { } entry)
            {
                return DomainError.InvalidValue(field, "it must be an object with addressId and price.");
            }

            if (string.IsNullOrEmpty(entry.AddressId))
            {
                return DomainError.Missing($"{field}.addressId");
            }

            if (entry.Price is null)
            {
                return DomainError.Missing($"{field}.price");
            }

            var price = ToMoney(entry.Price, $"{field}.price");
            if (!price.IsSuccess)
            {
                return price.Error;
            }

            metadata.Add(new MultiAddressesCheckoutMetadata(entry.AddressId, price.Value));
        }

        return metadata;
    }

    /// <summary>A required amount: both members present, a supported currency, exact to its scale, positive.</summary>
    public static Result<Money> RequiredMoney(Price? price, string field, Limits limits)
    {
        if (price is null)
        {
            return DomainError.Missing(field);
        }

        var money = ToMoney(price, field);
        if (!money.IsSuccess)
        {
            return money.Error;
        }

        var error = Amounts.Validate(field, money.Value, limits);
        return error is null ? money.Value : error;
    }

    public static Result<Money?> OptionalMoney(Price? price, string field, Limits limits)
    {
        if (price is null)
        {
            return (Money?)null;
        }

        var money = RequiredMoney(price, field, limits);
        return money.Error is null ? money.Value : money.Error;
    }

    /// <summary>An amount read and checked for its currency and scale only: zero and negative amounts pass.</summary>
    public static Result<Money?> ToOptionalMoney(Price? price, string field)
    {
        if (price is null)
        {
            return (Money?)null;
        }

        var money = ToMoney(price, field);
        return money.Error is null ? money.Value : money.Error;
    }

    private static Result<Money> ToMoney(Price price, string field)
    {
        if (price.Amount is null)
        {
            return DomainError.Missing($"{field}.amount");
        }

        if (price.CurrencyCode is null)
        {
            return DomainError.Missing($"{field}.currencyCode");
        }

        if (!Currencies.TryParse(price.CurrencyCode, out var currency))
        {
            return DomainError.InvalidValue($"{field}.currencyCode", $"'{price.CurrencyCode}' is not a supported currency.");
        }

        return Money.TryParse(price.Amount, currency, out var money)
            ? money
            : DomainError.InvalidValue(
                $"{field}.amount",
                $"'{price.Amount}' is not a valid {currency} amount (digits with at most {Currencies.Scale(currency)} decimal places).");
    }

    private static Result<PaymentDetails> ToPaymentDetails(PaymentDetailsDto dto, string prefix)
    {
        var intent = Enum<PaymentIntent>(dto.PaymentIntent, $"{prefix}.paymentIntent");
        var charge = ToOptionalMoney(dto.ChargeAmount, $"{prefix}.chargeAmount");
        var total = ToOptionalMoney(dto.TotalOrderAmount, $"{prefix}.totalOrderAmount");
        Currency? presentment = null;
        if (dto.PresentmentCurrency is not null)
        {
            if (!Currencies.TryParse(dto.PresentmentCurrency, out var parsed))
            {
                return DomainError.InvalidValue($"{prefix}.presentmentCurrency", $"'{dto.PresentmentCurrency}' is not a supported currency.");
            }

            presentment = parsed;
        }

        var error = intent.Error ?? charge.Error ?? total.Error;
        if (error is not null)
        {
            return error;
        }

        return new PaymentDetails(
            intent.Value,
            dto.CanHandlePendingAuthorization ?? false,
            charge.Value,
            total.Value,
            dto.SoftDescriptor,
            presentment,
            dto.AllowOvercharge,
            dto.ExtendExpiration);
    }

    private static Result<DeliverySpecifications?> ToDeliverySpecifications(DeliverySpecificationsDto? dto)
    {
        if (dto is null)
        {
            return (DeliverySpecifications?)null;
        }

        var special = new List<SpecialRestriction>();
        foreach (var name in dto.SpecialRestrictions ?? [])
        {
            var parsed = Enum<SpecialRestriction>(name ?? "null", "deliverySpecifications.specialRestrictions");
            if (!parsed.IsSuccess)
            {
                return parsed.Error;
            }

            special.Add(parsed.Value.Value);
        }

        var type = Enum<AddressRestrictionType>(dto.AddressRestrictions?.Type, "deliverySpecifications.addressRestrictions.type");
        if (!type.IsSuccess)
        {
            return type.Error;
        }

        Dictionary<string, AddressRestriction>? restrictions = null;
        foreach (var (country, rule) in dto.AddressRestrictions?.Restrictions ?? [])
        {
            restrictions ??= new Dictionary<string, AddressRestriction>(StringComparer.OrdinalIgnoreCase);
            if (country.Length != 2 || !country.All(char.IsAsciiLetter) || !restrictions.TryAdd(
                country, new AddressRestriction(rule?.StatesOrRegions?.OfType<string>().ToList() ?? [], rule?.ZipCodes?.OfType<string>().ToList() ?? [])))
            {
                return DomainError.InvalidValue(
                    "deliverySpecifications.addressRestrictions.restrictions", $"'{country}' is not a distinct two-letter country code.");
            }
        }

        return new DeliverySpecifications(special, type.Value, restrictions);
    }

    private static Address? ToAddress(AddressDetailsDto? dto) => dto is null
        ? null
        : new Address(
            dto.Name, dto.AddressLine1, dto.AddressLine2, dto.AddressLine3, dto.City, dto.DistrictOrCounty, null,
            dto.StateOrRegion, dto.PostalCode, dto.CountryCode, dto.PhoneNumber);

    private static MerchantMetadata? ToMetadata(MerchantMetadataDto? dto) => dto is null
        ? null
        : new MerchantMetadata(dto.MerchantReferenceId, dto.MerchantStoreName, dto.NoteToBuyer, dto.CustomInformation);

    /// <summary>Enum values are the API's exact, case-sensitive names.</summary>
    internal static Result<T?> Enum<T>(string? value, string field)
        where T : struct, System.Enum
    {
        if (value is null)
        {
            return (T?)null;
        }

        foreach (var candidate in System.Enum.GetValues<T>())
        {
            if (candidate.ToString() == value)
            {
                return (T?)candidate;
            }
        }

        return DomainError.InvalidValue(field, $"'{value}' is not one of {string.Join(", ", System.Enum.GetNames<T>())}.");
    }
}
