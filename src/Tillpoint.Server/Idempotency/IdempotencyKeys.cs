using System.Buffers;
using System.Security.Cryptography;
using System.Text.Json;

namespace Tillpoint.Server.Idempotency;

/// <summary>Idempotency keys (spec §3): at most 32 characters of A–Z, a–z, 0–9, '-' and '_'.</summary>
internal static class IdempotencyKeys
{
    public const string Header = "x-amz-pay-idempotency-key";
    private const int MaxLength = 32;
    private static readonly SearchValues<char> Allowed =
        SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_");

    /// <summary>The key from the request; required keys must be present, optional ones are validated when given.</summary>
    public static Result<string?> Read(HttpRequest request, bool required)
    {
        if (!request.Headers.TryGetValue(Header, out var values))
        {
            return required ? new DomainError(ErrorCode.MissingHeader, $"The required header '{Header}' is missing.") : (string?)null;
        }

        var key = values.ToString();
        if (key.Length == 0)
        {
            return new DomainError(ErrorCode.MissingHeaderValue, $"The header '{Header}' has no value.");
        }

        if (key.Length > MaxLength || key.AsSpan().ContainsAnyExcept(Allowed))
        {
            return new DomainError(
                ErrorCode.InvalidHeaderValue,
                $"The value provided for '{Header}' must be 1 to {MaxLength} characters of A-Z, a-z, 0-9, '-' and '_'.");
        }

        return key;
    }

    /// <summary>
    /// A hash of what the request asks for. JSON is compared semantically (key order and white space do not
    /// matter), so a client that re-serializes its retry is not accused of changing it.
    /// </summary>
    public static byte[] RequestHash(ReadOnlySpan<byte> body, string? simulationCode)
    {
        var buffer = new ArrayBufferWriter<byte>(body.Length + 64);
        if (!body.IsEmpty)
        {
            using var document = JsonDocument.Parse(body.ToArray());
            using var writer = new Utf8JsonWriter(buffer);
            WriteCanonical(writer, document.RootElement);
        }

        buffer.Write("\n"u8);
        buffer.Write(Encoding.UTF8.GetBytes(simulationCode ?? string.Empty));
        return SHA256.HashData(buffer.WrittenSpan);
    }

    private static void WriteCanonical(Utf8JsonWriter writer, JsonElement element)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                writer.WriteStartObject();
                foreach (var property in element.EnumerateObject().OrderBy(p => p.Name, StringComparer.Ordinal))
                {
                    writer.WritePropertyName(property.Name);
                    WriteCanonical(writer, property.Value);
                }

                writer.WriteEndObject();
                break;
            case JsonValueKind.Array:
                writer.WriteStartArray();
                foreach (var item in element.EnumerateArray())
                {
                    WriteCanonical(writer, item);
                }

                writer.WriteEndArray();
                break;
            case JsonValueKind.Undefined:
            case JsonValueKind.String:
            case JsonValueKind.Number:
            case JsonValueKind.True:
            case JsonValueKind.False:
            case JsonValueKind.Null:
                element.WriteTo(writer);
                break;
        }
    }
}
