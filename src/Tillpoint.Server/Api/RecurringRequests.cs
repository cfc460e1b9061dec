using System.Text.Json;
using Tillpoint.Domain.CheckoutSessions;
using Tillpoint.Protocol.Json;

namespace Tillpoint.Server.Api;

/// <summary>
/// <c>recurringMetadata</c> and <c>paymentMethodOnFileMetadata</c>, which the request types carry as raw JSON: the SDKs
/// send <c>frequency.value</c> as a string ("1", the docs) or a number (.NET), and both are accepted; any other key is
/// refused as the strict parser refuses one elsewhere.
/// </summary>
internal static partial class RequestMapper
{
    private const string RecurringField = "recurringMetadata";

    private const string PaymentMethodOnFileField = "paymentMethodOnFileMetadata";

    /// <summary>Absent or JSON null: no metadata.</summary>
    public static Result<RecurringMetadata?> ToRecurringMetadata(JsonElement? element)
    {
        if (element is not { ValueKind: not JsonValueKind.Null } value)
        {
            return (RecurringMetadata?)null;
        }

        var error = RequireObject(value, RecurringField, ["frequency", "amount"]);
        if (error is not null)
        {
            return error;
        }

        if (!value.TryGetProperty("frequency", out var frequency) || frequency.ValueKind == JsonValueKind.Null)
        {
            return DomainError.Missing($"{RecurringField}.frequency");
        }

        var parsedFrequency = ToFrequency(frequency, $"{RecurringField}.frequency");
        if (!parsedFrequency.IsSuccess)
        {
            return parsedFrequency.Error;
        }

        var amount = value.TryGetProperty("amount", out var price) ? ToRawPrice(price, $"{RecurringField}.amount") : (Result<Price?>)(Price?)null;
        if (!amount.IsSuccess)
        {
            return amount.Error;
        }

        var money = ToOptionalMoney(amount.Value, $"{RecurringField}.amount");
        return money.IsSuccess ? new RecurringMetadata(parsedFrequency.Value, money.Value) : money.Error;
    }

    public static Result<PaymentMethodOnFileMetadata?> ToPaymentMethodOnFileMetadata(JsonElement? element)
    {
        if (element is not { ValueKind: not JsonValueKind.Null } value)
        {
            return (PaymentMethodOnFileMetadata?)null;
        }

        var error = RequireObject(value, PaymentMethodOnFileField, ["setupOnly"]);
        if (error is not null)
        {
            return error;
        }

        if (!value.TryGetProperty("setupOnly", out var setupOnly) || setupOnly.ValueKind == JsonValueKind.Null)
        {
            return DomainError.Missing($"{PaymentMethodOnFileField}.setupOnly");
        }

        return setupOnly.ValueKind switch
        {
            JsonValueKind.True => new PaymentMethodOnFileMetadata(true),
            JsonValueKind.False => new PaymentMethodOnFileMetadata(false),
            _ => DomainError.InvalidValue($"{PaymentMethodOnFileField}.setupOnly", "it must be true or false."),
        };
    }

    private static Result<Frequency> ToFrequency(JsonElement frequency, string field)
    {
        var error = RequireObject(frequency, field, ["unit", "value"]);
        if (error is not null)
        {
            return error;
        }

        if (!frequency.TryGetProperty("unit", out var unitElement) || unitElement.ValueKind == JsonValueKind.Null)
        {
            return DomainError.Missing($"{field}.unit");
        }

        var unit = unitElement.ValueKind == JsonValueKind.String
            ? Enum<FrequencyUnit>(unitElement.GetString(), $"{field}.unit")
            : DomainError.InvalidValue($"{field}.unit", $"it must be one of {string.Join(", ", System.Enum.GetNames<FrequencyUnit>())}.");
        if (!unit.IsSuccess)
        {
            return unit.Error;
        }

        int? count = null;
        if (frequency.TryGetProperty("value", out var valueElement) && valueElement.ValueKind != JsonValueKind.Null)
        {
            var text = valueElement.ValueKind switch
            {
                JsonValueKind.String => valueElement.GetString(),
                JsonValueKind.Number => valueElement.GetRawText(),
                _ => null,
            };
            if (text is null || text.Length > 9 || !int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed))
            {
                return DomainError.InvalidValue($"{field}.value", "it must be a whole number, as a string or a number.");
            }

            count = parsed;
        }

        return new Frequency(unit.Value!.Value, count);
    }

    /// <summary>A Price read from raw JSON: amount as a string or a number (its exact text), currencyCode a string.</summary>
    private static Result<Price?> ToRawPrice(JsonElement price, string field)
    {
        if (price.ValueKind == JsonValueKind.Null)
        {
            return (Price?)null;
        }

        var error = RequireObject(price, field, ["amount", "currencyCode"]);
        if (error is not null)
        {
            return error;
        }

        string? amount = null;
        if (price.TryGetProperty("amount", out var amountElement))
        {
            amount = amountElement.ValueKind switch
            {
                JsonValueKind.String => amountElement.GetString(),
                JsonValueKind.Number => amountElement.GetRawText(),
                JsonValueKind.Null => null,
                _ => "",
            };
        }

        string? currency = null;
        if (price.TryGetProperty("currencyCode", out var currencyElement) && currencyElement.ValueKind != JsonValueKind.Null)
        {
            if (currencyElement.ValueKind != JsonValueKind.String)
            {
                return DomainError.InvalidValue($"{field}.currencyCode", "it must be a string.");
            }

            currency = currencyElement.GetString();
        }

        return new Price { Amount = amount, CurrencyCode = currency };
    }

    /// <summary>An object whose keys are all among <paramref name="known"/>.</summary>
    private static DomainError? RequireObject(JsonElement element, string field, string[] known)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            return DomainError.InvalidValue(field, "it must be an object.");
        }

        foreach (var property in element.EnumerateObject())
        {
            if (!known.Contains(property.Name, StringComparer.Ordinal))
            {
                return new DomainError(ErrorCode.UnrecognizedField, $"The field '{field}.{property.Name}' is invalid for this API.");
            }
        }

        return null;
    }
}
