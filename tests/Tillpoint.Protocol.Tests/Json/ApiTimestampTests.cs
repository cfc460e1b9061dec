using Tillpoint.Protocol.Json;

namespace Tillpoint.Protocol.Tests.Json;

public sealed class ApiTimestampTests
{
    [Fact]
    public void ToText_IsUtcBasicFormat_WithoutFractions()
    {
        var local = new DateTimeOffset(2026, 11, 27, 13, 0, 5, 999, TimeSpan.FromHours(1));

        Assert.Equal("20261127T120005Z", ApiTimestamp.ToText(local));
    }

    [Fact]
    public void ToText_OfNullableTime_IsTheTextOrNull()
    {
        Assert.Equal("20261127T120005Z", ApiTimestamp.ToText((DateTimeOffset?)new DateTimeOffset(2026, 11, 27, 12, 0, 5, TimeSpan.Zero)));
        Assert.Null(ApiTimestamp.ToText((DateTimeOffset?)null));
    }

    [Fact]
    public void TryParse_ItsOwnFormat_IsTheUtcInstant()
    {
        Assert.True(ApiTimestamp.TryParse("20261127T120005Z", out var time));
        Assert.Equal(new DateTimeOffset(2026, 11, 27, 12, 0, 5, TimeSpan.Zero), time);
        Assert.Equal(TimeSpan.Zero, time.Offset);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("2026-11-27T12:00:05Z")]
    [InlineData("20261127T120005")]
    public void TryParse_AnythingElse_IsRefused(string? text)
    {
        Assert.False(ApiTimestamp.TryParse(text, out _));
    }

    [Theory]
    [InlineData("20261127T120005Z")]
    [InlineData("20261127T120005.000Z")]
    [InlineData("2026-11-27T12:00:05Z")]
    [InlineData("2026-11-27T12:00:05.0Z")]
    [InlineData("2026-11-27T21:00:05+09:00")]
    [InlineData("2026-11-27T07:00:05.000-05:00")]
    [InlineData("2026-11-27T12-00-05Z")]
    public void TryParseIso8601_EveryFormTheSdksAndTheReferenceSend_IsTheSameUtcInstant(string text)
    {
        Assert.True(ApiTimestamp.TryParseIso8601(text, out var time));
        Assert.Equal(new DateTimeOffset(2026, 11, 27, 12, 0, 5, TimeSpan.Zero), time);
        Assert.Equal(TimeSpan.Zero, time.Offset);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("2026-11-27")]
    [InlineData("27 Nov 2026 12:00:05")]
    public void TryParseIso8601_AnythingElse_IsRefused(string? text) => Assert.False(ApiTimestamp.TryParseIso8601(text, out _));
}
