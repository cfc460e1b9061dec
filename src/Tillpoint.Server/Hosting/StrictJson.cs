using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace Tillpoint.Server.Hosting;

/// <summary>
/// The strict reading of a JSON request body, the same for the merchant API, the button's payloads and the operator
/// endpoints: malformed JSON is InvalidRequestFormat, an unknown key UnrecognizedField, a value of the wrong type
/// InvalidParameterValue naming the field.
/// </summary>
internal static class StrictJson
{
    public static Result<T> Parse<T>(ReadOnlySpan<byte> body, JsonTypeInfo<T> typeInfo)
        where T : class, new()
    {
        if (body.IsEmpty)
        {
            return new DomainError(ErrorCode.InvalidRequestFormat, "The request body is empty; a JSON object is required.");
        }

        if (!IsJsonObject(body))
        {
            return new DomainError(ErrorCode.InvalidRequestFormat, "The request body is not a valid JSON object.");
        }

        try
        {
            return JsonSerializer.Deserialize(body, typeInfo) ?? new T();
        }
        catch (JsonException e)
        {
            var field = FieldName(e.Path);
            return e.Message.Contains("could not be mapped", StringComparison.Ordinal)
                ? new DomainError(ErrorCode.UnrecognizedField, $"The field '{UnmappedName(e.Message) ?? field}' is invalid for this API.")
                : DomainError.InvalidValue(field, "it has the wrong type.");
        }
    }

    private static bool IsJsonObject(ReadOnlySpan<byte> body)
    {
        try
        {
            var reader = new Utf8JsonReader(body, new JsonReaderOptions { MaxDepth = 16 });
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return false;
            }

            reader.Skip();
            return !reader.Read();
        }
        catch (JsonException)
        {
            return false;
        }
    }

    /// <summary>"$.captureAmount.amount" becomes "captureAmount.amount".</summary>
    private static string FieldName(string? path) => path is null or "$" ? "body" : path.TrimStart('$', '.');

    private static string? UnmappedName(string message)
    {
        // System.Text.Json: "The JSON property 'x' could not be mapped to any .NET member contained in type '…'."
        var start = message.IndexOf('\'', StringComparison.Ordinal);
        var end = start < 0 ? -1 : message.IndexOf('\'', start + 1);
        return end > start ? message[(start + 1)..end] : null;
    }
}
