using Tillpoint.Protocol.Signing;

namespace Tillpoint.Protocol.Tests.Signing;

public sealed class AmazonPayDateTests
{
    [Theory]
    [InlineData("20261127T120000Z")]
    [InlineData("2026-11-27T12:00:00Z")]
    public void TryParse_EitherFormat_IsUtcInstant(string value)
    {
        Assert.True(AmazonPayDate.TryParse(value, out var time));
        Assert.Equal(new DateTimeOffset(2026, 11, 27, 12, 0, 0, TimeSpan.Zero), time);
        Assert.Equal(TimeSpan.Zero, time.Offset);
    }

    [Fact]
    public void TryParse_LeapDay_IsAccepted()
    {
        Assert.True(AmazonPayDate.TryParse("20280229T235959Z", out var time));
        Assert.Equal(new DateTimeOffset(2028, 2, 29, 23, 59, 59, TimeSpan.Zero), time);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("20261127T120000")]
    [InlineData("20261127t120000Z")]
    [InlineData("20261127T120000z")]
    [InlineData(" 20261127T120000Z")]
    [InlineData("20261127T120000Z ")]
    [InlineData("2026-11-27T12:00:00.000Z")]
    [InlineData("2026-11-27T12:00:00+00:00")]
    [InlineData("2026-11-27 12:00:00Z")]
    [InlineData("2026-11-27T12:00:00")]
    [InlineData("20261127T12:00:00Z")]
    [InlineData("20270229T120000Z")]
    [InlineData("20261301T120000Z")]
    [InlineData("20261100T120000Z")]
    [InlineData("20261127T240000Z")]
    [InlineData("20261127T126000Z")]
    [InlineData("20261127T120060Z")]
    [InlineData("00001127T120000Z")]
    [InlineData("2026112٧T120000Z")]
    [InlineData("+0261127T120000Z")]
    public void TryParse_AnythingElse_IsRefused(string? value)
    {
        Assert.False(AmazonPayDate.TryParse(value!, out var time));
        Assert.Equal(default, time);
    }
}
