using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Tillpoint.Protocol.Json;

/// <summary>
/// Reads an amount sent as a JSON string ("14.00") or number (50, as the .NET and Node SDKs send it) into its exact
/// text, so the scale can be checked without a round trip through binary floating point. Always writes a string.
/// A JSON null never reaches the converter: the serializer reads and writes it itself.
/// </summary>
public sealed class AmountTextConverter : JsonConverter<string?>
{
    /// <inheritdoc />
    public override string? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        reader.TokenType switch
        {
            JsonTokenType.String => reader.GetString(),
            JsonTokenType.Number => Encoding.UTF8.GetString(reader.HasValueSequence ? System.Buffers.BuffersExtensions.ToArray(reader.ValueSequence) : reader.ValueSpan),
            _ => throw new JsonException("An amount must be a string or a number."),
        };

    /// <inheritdoc />
    public override void Write(Utf8JsonWriter writer, string? value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStringValue(value);
    }
}
