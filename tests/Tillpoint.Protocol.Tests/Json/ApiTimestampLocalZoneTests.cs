using Tillpoint.Protocol.Json;

namespace Tillpoint.Protocol.Tests.Json;

/// <summary>Tests that change the process's local time zone; they run alone, after every other test.</summary>
[CollectionDefinition(nameof(LocalTimeZoneCollection), DisableParallelization = true)]
public sealed class LocalTimeZoneCollection;

[Collection(nameof(LocalTimeZoneCollection))]
public sealed class ApiTimestampLocalZoneTests
{
    [Fact]
    public void TryParse_WhereTheLocalZoneIsNotUtc_IsStillTheUtcInstant()
    {
        var before = Environment.GetEnvironmentVariable("TZ");
        Environment.SetEnvironmentVariable("TZ", "Asia/Tokyo");
        TimeZoneInfo.ClearCachedData();
        try
        {
            // Needs the tz database (/usr/share/zoneinfo); without it the local zone stays UTC and this test says so.
            Assert.Equal(TimeSpan.FromHours(9), TimeZoneInfo.Local.BaseUtcOffset);

            Assert.True(ApiTimestamp.TryParse("20261127T120005Z", out var time));
            Assert.Equal(new DateTimeOffset(2026, 11, 27, 12, 0, 5, TimeSpan.Zero), time);
            Assert.Equal(TimeSpan.Zero, time.Offset);
        }
        finally
        {
            Environment.SetEnvironmentVariable("TZ", before);
            TimeZoneInfo.ClearCachedData();
        }
    }
}
