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
    [InlineData("00010101T000000Z", 1, 1, 1, 0, 0, 0)]
    [InlineData("99991231T235959Z", 9999, 12, 31, 23, 59, 59)]
    [InlineData("0001-01-01T00:00:00Z", 1, 1, 1, 0, 0, 0)]
    [InlineData("9999-12-31T23:59:59Z", 9999, 12, 31, 23, 59, 59)]
    [InlineData("20260430T081726Z", 2026, 4, 30, 8, 17, 26)]
    [InlineData("2026-04-30T08:17:26Z", 2026, 4, 30, 8, 17, 26)]
    public void TryParse_EveryFieldAtItsBounds_IsAccepted(string value, int year, int month, int day, int hour, int minute, int second)
    {
        Assert.True(AmazonPayDate.TryParse(value, out var time));
        Assert.Equal(new DateTimeOffset(year, month, day, hour, minute, second, TimeSpan.Zero), time);
    }

    [Theory]
    [InlineData("2026x127T120000Z")]
    [InlineData("202611x7T120000Z")]
    [InlineData("20261127Tx20000Z")]
    [InlineData("20261127T12x000Z")]
    [InlineData("20261127T1200x0Z")]
    [InlineData("20261127T120000x")]
    [InlineData("20261127x120000Z")]
    [InlineData("x026-11-27T12:00:00Z")]
    [InlineData("2026-x1-27T12:00:00Z")]
    [InlineData("2026-11-x7T12:00:00Z")]
    [InlineData("2026-11-27Tx2:00:00Z")]
    [InlineData("2026-11-27T12:x0:00Z")]
    [InlineData("2026-11-27T12:00:x0Z")]
    [InlineData("2026/11-27T12:00:00Z")]
    [InlineData("2026-11/27T12:00:00Z")]
    [InlineData("2026-11-27T12-00:00Z")]
    [InlineData("2026-11-27T12:00-00Z")]
    [InlineData("2026-11-27T12:00:00z")]
    [InlineData("2026-11-27T24:00:00Z")]
    [InlineData("2026-04-31T12:00:00Z")]
    [InlineData("20260431T120000Z")]
    [InlineData("20261127T12:000Z")]
    public void TryParse_OneFieldOrSeparatorWrong_IsRefused(string value)
    {
        Assert.False(AmazonPayDate.TryParse(value, out var time));
        Assert.Equal(default, time);
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
