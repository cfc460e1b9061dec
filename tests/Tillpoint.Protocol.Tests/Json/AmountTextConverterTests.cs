using System.Buffers;
using System.Text;
using System.Text.Json;
using Tillpoint.Protocol.Json;

namespace Tillpoint.Protocol.Tests.Json;

public sealed class AmountTextConverterTests
{
    [Theory]
    [InlineData("""{"amount":"14.00","currencyCode":"USD"}""", "14.00")]
    [InlineData("""{"amount":50,"currencyCode":"USD"}""", "50")]
    [InlineData("""{"amount":1.50,"currencyCode":"USD"}""", "1.50")]
    [InlineData("""{"amount":1e2,"currencyCode":"USD"}""", "1e2")]
    [InlineData("""{"amount":null,"currencyCode":"USD"}""", null)]
    public void Read_StringOrNumber_KeepsTheExactText(string json, string? expected)
    {
        var price = JsonSerializer.Deserialize(json, ApiJsonContext.Default.Price)!;

        Assert.Equal(expected, price.Amount);
        Assert.Equal("USD", price.CurrencyCode);
    }

    [Theory]
    [InlineData("""{"amount":true}""")]
    [InlineData("""{"amount":{"value":"1.00"}}""")]
    [InlineData("""{"amount":["1.00"]}""")]
    public void Read_AnythingButStringOrNumber_IsAJsonError(string json)
    {
        Assert.Throws<JsonException>(() => JsonSerializer.Deserialize(json, ApiJsonContext.Default.Price));
    }

    [Fact]
    public void Read_NumberSplitAcrossBufferSegments_KeepsTheWholeText()
    {
        var reader = new Utf8JsonReader(TwoSegments("12", "3.45"));
        Assert.True(reader.Read());
        Assert.True(reader.HasValueSequence);

        var text = new AmountTextConverter().Read(ref reader, typeof(string), JsonSerializerOptions.Default);

        Assert.Equal("123.45", text);
    }

    [Theory]
    [InlineData("50", """{"amount":"50","currencyCode":"JPY"}""")]
    [InlineData(null, """{"amount":null,"currencyCode":"JPY"}""")]
    public void Write_IsAlwaysAStringOrNull(string? amount, string expected)
    {
        var json = JsonSerializer.Serialize(new Price { Amount = amount, CurrencyCode = "JPY" }, ApiJsonContext.Default.Price);

        Assert.Equal(expected, json);
    }

    [Fact]
    public void Write_WithoutAWriter_Throws()
    {
        Assert.Throws<ArgumentNullException>(() => new AmountTextConverter().Write(null!, "1.00", JsonSerializerOptions.Default));
    }

    private static ReadOnlySequence<byte> TwoSegments(string first, string second)
    {
        var head = new Segment(Encoding.UTF8.GetBytes(first), 0);
        var tail = head.Append(Encoding.UTF8.GetBytes(second));
        return new ReadOnlySequence<byte>(head, 0, tail, tail.Memory.Length);
    }

    private sealed class Segment : ReadOnlySequenceSegment<byte>
    {
        public Segment(byte[] bytes, long runningIndex)
        {
            Memory = bytes;
            RunningIndex = runningIndex;
        }

        public Segment Append(byte[] bytes)
        {
            var next = new Segment(bytes, RunningIndex + Memory.Length);
            Next = next;
            return next;
        }
    }
}
