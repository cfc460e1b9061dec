namespace Tillpoint.Domain.CheckoutSessions;

/// <summary>One of the addresses a buyer chose in a PayAndShipMultiAddress checkout, with the id the merchant prices it by.</summary>
public sealed record AddressWithId(string AddressId, Address Address);

/// <summary>The amount of a PayAndShipMultiAddress order that ships to one of the buyer's chosen addresses.</summary>
public sealed record MultiAddressesCheckoutMetadata(string AddressId, Money Price);

/// <summary>
/// The rules of a checkout that ships to several addresses. The buyer chooses the addresses on the hosted page; the
/// merchant then splits <c>chargeAmount</c> among them with <c>multiAddressesCheckoutMetadata</c>, whose prices must
/// add up to it. The payment itself is one charge permission and (with Authorize) one charge for the total.
/// </summary>
public static class MultiAddressRules
{
    /// <summary>At creation: the buyer chooses the addresses, so the merchant supplies none; and it is a one-time payment.</summary>
    public static DomainError? ValidateProduct(ProductType productType, ChargePermissionType chargePermissionType, bool merchantSuppliesAddress)
    {
        if (productType != ProductType.PayAndShipMultiAddress)
        {
            return null;
        }

        if (merchantSuppliesAddress)
        {
            return new DomainError(
                ErrorCode.InvalidParameterCombination,
                "With productType PayAndShipMultiAddress the buyer chooses the addresses: addressDetails and checkoutMode ProcessOrder cannot be set.");
        }

        return chargePermissionType == ChargePermissionType.OneTime
            ? null
            : new DomainError(
                ErrorCode.InvalidParameterCombination, "productType PayAndShipMultiAddress can only be used with chargePermissionType OneTime.");
    }

    /// <summary>The buyer's choice of addresses: at least one, each once, each one the merchant ships to.</summary>
    public static DomainError? ValidateChoice(IReadOnlyList<AddressWithId>? addresses, DeliverySpecifications? deliverySpecifications)
    {
        if (addresses is null || addresses.Count == 0)
        {
            return DomainError.Missing("shippingAddressList");
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var address in addresses)
        {
            if (!seen.Add(address.AddressId))
            {
                return DomainError.InvalidValue("shippingAddressList", $"the address '{address.AddressId}' is chosen twice.");
            }

            if (deliverySpecifications?.Permits(address.Address) == false)
            {
                return DomainError.InvalidValue("shippingAddressList", $"the merchant does not ship to the address '{address.AddressId}'.");
            }
        }

        return null;
    }

    /// <summary>
    /// The merchant's split of the order, checked on the session as an update leaves it: only for PayAndShipMultiAddress,
    /// each price positive, for an address the buyer chose and priced once, in the charge's currency, and the prices
    /// add up to <c>chargeAmount</c> once that is set.
    /// </summary>
    public static DomainError? ValidateMetadata(
        ProductType productType,
        IReadOnlyList<AddressWithId>? addresses,
        IReadOnlyList<MultiAddressesCheckoutMetadata>? metadata,
        Money? chargeAmount,
        Limits limits)
    {
        if (metadata is null)
        {
            return null;
        }

        if (productType != ProductType.PayAndShipMultiAddress)
        {
            return new DomainError(
                ErrorCode.InvalidParameterCombination,
                "multiAddressesCheckoutMetadata can only be set with productType PayAndShipMultiAddress.");
        }

        if (metadata.Count == 0)
        {
            return DomainError.InvalidValue("multiAddressesCheckoutMetadata", "it must price at least one address.");
        }

        var currency = chargeAmount?.Currency ?? metadata[0].Price.Currency;
        var priced = new HashSet<string>(StringComparer.Ordinal);
        var sum = Money.Zero(currency);
        for (var i = 0; i < metadata.Count; i++)
        {
            var entry = metadata[i];
            var field = $"multiAddressesCheckoutMetadata[{i}]";
            if (addresses?.Any(a => a.AddressId == entry.AddressId) != true)
            {
                return DomainError.InvalidValue($"{field}.addressId", $"'{entry.AddressId}' is not one of the addresses in shippingAddressList.");
            }

            if (!priced.Add(entry.AddressId))
            {
                return DomainError.InvalidValue($"{field}.addressId", $"the address '{entry.AddressId}' has a price already.");
            }

            if (Amounts.Validate($"{field}.price", entry.Price, limits) is { } invalid)
            {
                return invalid;
            }

            if (entry.Price.Currency != currency)
            {
                return DomainError.CurrencyMismatch(currency, entry.Price.Currency);
            }

            sum += entry.Price;
        }

        return chargeAmount is { } charge && sum != charge
            ? new DomainError(
                ErrorCode.AmountMismatch,
                $"The prices of multiAddressesCheckoutMetadata add up to {sum}, not to the chargeAmount {charge} of the Checkout Session.")
            : null;
    }
}
