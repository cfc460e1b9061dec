using System.Text.Json;
using Tillpoint.Domain.CheckoutSessions;
using Tillpoint.Protocol.Json;
using Tillpoint.Server.Api;

namespace Tillpoint.Server.Checkout;

/// <summary>
/// The cart a merchant's Buy Now handler returns (<c>onInitCheckout</c>, <c>onShippingAddressSelection</c>,
/// <c>onDeliveryOptionSelection</c>), checked and written back as Tillpoint's <c>cartDetails</c>: the same members,
/// amounts in their currency's scale, and the delivery option the buyer picked. Amazon documents the members' names but
/// not their shapes; the shapes here are Tillpoint's (docs/checkout.md).
/// </summary>
internal static class BuyNowCart
{
    private const int MaxLineItems = 100;
    private const int MaxDeliveryOptions = 20;
    private const int MaxTextLength = 255;

    /// <summary>The cart as shown: its amounts for Finalize and its details as JSON text.</summary>
    public static Result<ShownCart> ToShownCart(CartDetailsDto? cart, string? deliveryOptionId, Limits limits)
    {
        if (cart is null)
        {
            return DomainError.Missing("cart");
        }

        var charge = RequestMapper.RequiredMoney(cart.TotalChargeAmount, "cart.totalChargeAmount", limits);
        if (!charge.IsSuccess)
        {
            return charge.Error;
        }

        var currency = charge.Value.Currency;
        var total = RequestMapper.OptionalMoney(cart.TotalOrderAmount, "cart.totalOrderAmount", limits);
        var error = total.Error
            ?? NotNegative(cart.TotalOrderAmount, "cart.totalOrderAmount", currency)
            ?? NotNegative(cart.TotalBaseAmount, "cart.totalBaseAmount", currency)
            ?? NotNegative(cart.TotalTaxAmount, "cart.totalTaxAmount", currency)
            ?? NotNegative(cart.TotalShippingAmount, "cart.totalShippingAmount", currency)
            ?? NotNegative(cart.TotalDiscountAmount, "cart.totalDiscountAmount", currency)
            ?? CheckLineItems(cart.LineItems, currency)
            ?? CheckDeliveryOptions(cart.DeliveryOptions, currency);
        if (error is not null)
        {
            return error;
        }

        var options = cart.DeliveryOptions ?? [];
        if (deliveryOptionId is not null && options.All(o => o.Id != deliveryOptionId))
        {
            return DomainError.InvalidValue("deliveryOptionId", $"'{deliveryOptionId}' is not one of the cart's deliveryOptions.");
        }

        var selected = deliveryOptionId ?? (options.FirstOrDefault(o => o.IsDefault == true) ?? options.FirstOrDefault())?.Id;
        var details = new CartDetailsDto
        {
            TotalBaseAmount = Canonical(cart.TotalBaseAmount),
            TotalTaxAmount = Canonical(cart.TotalTaxAmount),
            TotalShippingAmount = Canonical(cart.TotalShippingAmount),
            TotalDiscountAmount = Canonical(cart.TotalDiscountAmount),
            TotalChargeAmount = WireMapper.ToPrice(charge.Value),
            TotalOrderAmount = WireMapper.ToPrice(total.Value),
            LineItems = cart.LineItems?.Select(item => new CartLineItemDto
            {
                Id = item.Id,
                Title = item.Title,
                Quantity = item.Quantity ?? 1,
                ListPrice = Canonical(item.ListPrice),
                TotalListPrice = Canonical(item.TotalListPrice),
            }).ToList(),
            DeliveryOptions = cart.DeliveryOptions?.Select(option => new CartDeliveryOptionDto
            {
                Id = option.Id,
                Price = Canonical(option.Price),
                ShippingMethod = option.ShippingMethod,
                IsDefault = option.IsDefault ?? false,
            }).ToList(),
            SelectedDeliveryOptionId = selected,
        };
        return new ShownCart(charge.Value, total.Value, selected, JsonSerializer.Serialize(details, BuyNowJsonContext.Default.CartDetailsDto));
    }

    private static DomainError? CheckLineItems(List<CartLineItemDto>? items, Currency currency)
    {
        if (items is not { Count: > 0 })
        {
            return null;
        }

        if (items.Count > MaxLineItems)
        {
            return DomainError.InvalidValue("cart.lineItems", $"a cart has at most {MaxLineItems} line items.");
        }

        for (var i = 0; i < items.Count; i++)
        {
            var item = items[i];
            var field = $"cart.lineItems[{i}]";
            var error = Text(item.Title, $"{field}.title", required: true)
                ?? Text(item.Id, $"{field}.id", required: false)
                ?? (item.Quantity is < 1 ? DomainError.InvalidValue($"{field}.quantity", "it must be at least 1.") : null)
                ?? NotNegative(item.ListPrice, $"{field}.listPrice", currency)
                ?? NotNegative(item.TotalListPrice, $"{field}.totalListPrice", currency);
            if (error is not null)
            {
                return error;
            }
        }

        return null;
    }

    private static DomainError? CheckDeliveryOptions(List<CartDeliveryOptionDto>? options, Currency currency)
    {
        if (options is not { Count: > 0 })
        {
            return null;
        }

        if (options.Count > MaxDeliveryOptions)
        {
            return DomainError.InvalidValue("cart.deliveryOptions", $"a cart has at most {MaxDeliveryOptions} delivery options.");
        }

        for (var i = 0; i < options.Count; i++)
        {
            var option = options[i];
            var field = $"cart.deliveryOptions[{i}]";
            var error = Text(option.Id, $"{field}.id", required: true)
                ?? (options.Take(i).Any(o => o.Id == option.Id) ? DomainError.InvalidValue($"{field}.id", $"'{option.Id}' is given twice.") : null)
                ?? (option.Price is null ? DomainError.Missing($"{field}.price") : NotNegative(option.Price, $"{field}.price", currency))
                ?? Text(option.ShippingMethod?.ShippingMethodName, $"{field}.shippingMethod.shippingMethodName", required: false)
                ?? Text(option.ShippingMethod?.ShippingMethodCode, $"{field}.shippingMethod.shippingMethodCode", required: false);
            if (error is not null)
            {
                return error;
            }
        }

        return options.Count(o => o.IsDefault == true) > 1
            ? DomainError.InvalidValue("cart.deliveryOptions", "at most one delivery option can be isDefault.")
            : null;
    }

    private static DomainError? Text(string? value, string field, bool required) => value switch
    {
        null or "" when required => DomainError.Missing(field),
        { Length: > MaxTextLength } => DomainError.InvalidValue(field, $"it is longer than {MaxTextLength} characters."),
        _ => null,
    };

    /// <summary>A cart's part: in the cart's currency, exact to its scale, zero or more (a discount is stated as a positive amount).</summary>
    private static DomainError? NotNegative(Price? price, string field, Currency currency)
    {
        var money = RequestMapper.ToOptionalMoney(price, field);
        return money.Error
            ?? (money.Value is { } value && value.Currency != currency ? DomainError.CurrencyMismatch(currency, value.Currency) : null)
            ?? (money.Value is { Amount: < 0m } ? DomainError.InvalidValue(field, "the amount must not be negative.") : null);
    }

    private static Price? Canonical(Price? price) => price is null ? null : WireMapper.ToPrice(RequestMapper.ToOptionalMoney(price, "price").Value);
}

/// <summary>The cart as merchants' handlers return it and as <c>cartDetails</c> answers it.</summary>
internal sealed class CartDetailsDto
{
    public Price? TotalBaseAmount { get; set; }

    public Price? TotalTaxAmount { get; set; }

    public Price? TotalShippingAmount { get; set; }

    public Price? TotalDiscountAmount { get; set; }

    public Price? TotalChargeAmount { get; set; }

    public Price? TotalOrderAmount { get; set; }

    public List<CartLineItemDto>? LineItems { get; set; }

    public List<CartDeliveryOptionDto>? DeliveryOptions { get; set; }

    /// <summary>Written by Tillpoint: the delivery option the buyer picked. A handler's value is ignored.</summary>
    public string? SelectedDeliveryOptionId { get; set; }
}

internal sealed class CartLineItemDto
{
    public string? Id { get; set; }

    public string? Title { get; set; }

    public int? Quantity { get; set; }

    public Price? ListPrice { get; set; }

    public Price? TotalListPrice { get; set; }
}

internal sealed class CartDeliveryOptionDto
{
    public string? Id { get; set; }

    public Price? Price { get; set; }

    public ShippingMethodDto? ShippingMethod { get; set; }

    public bool? IsDefault { get; set; }
}

internal sealed class ShippingMethodDto
{
    public string? ShippingMethodName { get; set; }

    public string? ShippingMethodCode { get; set; }
}
