using System.Buffers;
using System.Text.Json;
using Tillpoint.Domain.CheckoutSessions;

namespace Tillpoint.Server.Api;

/// <summary>
/// <c>recurringMetadata</c> and <c>paymentMethodOnFileMetadata</c> as the responses carry them (raw JSON members of the
/// DTOs): <c>{"frequency":{"unit":"Month","value":"1"},"amount":{"amount":"14.00","currencyCode":"USD"}}</c>, the value
/// as the docs' string and a variable-amount subscription's amount null; <c>{"setupOnly":true}</c>.
/// </summary>
internal static partial class WireMapper
{
    public static JsonElement? ToJson(RecurringMetadata? recurring)
    {
        if (recurring is null)
        {
            return null;
        }

        return Write(writer =>
        {
            writer.WriteStartObject();
            writer.WriteStartObject("frequency");
            writer.WriteString("unit", recurring.Frequency.Unit.ToString());
            if (recurring.Frequency.Value is { } value)
            {
                writer.WriteString("value", value.ToString(System.Globalization.CultureInfo.InvariantCulture));
            }
            else
            {
                writer.WriteNull("value");
            }

            writer.WriteEndObject();
            if (recurring.Amount is { } amount)
            {
                writer.WriteStartObject("amount");
                writer.WriteString("amount", amount.ToAmountString());
                writer.WriteString("currencyCode", amount.Currency.ToString());
                writer.WriteEndObject();
            }
            else
            {
                writer.WriteNull("amount");
            }

            writer.WriteEndObject();
        });
    }

    public static JsonElement? ToJson(PaymentMethodOnFileMetadata? paymentMethodOnFile) => paymentMethodOnFile is null
        ? null
        : Write(writer =>
        {
            writer.WriteStartObject();
            writer.WriteBoolean("setupOnly", paymentMethodOnFile.SetupOnly);
            writer.WriteEndObject();
        });

    private static JsonElement Write(Action<Utf8JsonWriter> write)
    {
        var buffer = new ArrayBufferWriter<byte>(128);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            write(writer);
        }

        using var document = JsonDocument.Parse(buffer.WrittenMemory);
        return document.RootElement.Clone();
    }
}
