using System.Text.Json;
using System.Text.Json.Serialization;

namespace Tillpoint.Protocol.Json;

/// <summary>
/// Reads a flag sent as a JSON boolean or as the string <c>"true"</c> or <c>"false"</c>, as the PHP and Java samples
/// send <c>canHandlePendingAuthorization</c> to Finalize Checkout Session. Anything else is a type error, reported
/// with the field's path. Always writes a boolean. A JSON null never reaches the converter.
/// </summary>
public sealed class BooleanTextConverter : JsonConverter<bool?>
{
    /// <inheritdoc />
    public override bool? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        reader.TokenType switch
        {
            JsonTokenType.True => true,
            JsonTokenType.False => false,
            JsonTokenType.String when reader.ValueTextEquals("true"u8) => true,
            JsonTokenType.String when reader.ValueTextEquals("false"u8) => false,
            _ => throw new JsonException("A flag must be true or false (a boolean, or the string \"true\" or \"false\")."),
        };

    /// <inheritdoc />
    public override void Write(Utf8JsonWriter writer, bool? value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        if (value is { } flag)
        {
            writer.WriteBooleanValue(flag);
        }
        else
        {
            writer.WriteNullValue();
        }
    }
}
