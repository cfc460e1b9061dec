using System.Net;
using Tillpoint.Shop.Tests.Support;

namespace Tillpoint.Shop.Tests;

/// <summary>The files every page uses: cacheable, unlike the pages themselves.</summary>
public sealed class AssetTests(ShopFixture fixture) : IClassFixture<ShopFixture>
{
    [Fact]
    public async Task Favicon_IsAnIcon_CacheableForADay()
    {
        using var browser = new HttpClient { BaseAddress = fixture.Host.ShopBase };

        using var response = await browser.GetAsync(new Uri("/favicon.ico", UriKind.Relative));
        var icon = await response.Content.ReadAsByteArrayAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("image/x-icon", response.Content.Headers.ContentType?.MediaType);
        Assert.True(response.Headers.CacheControl?.Public);
        Assert.Equal(TimeSpan.FromDays(1), response.Headers.CacheControl?.MaxAge);
        Assert.Equal(new byte[] { 0, 0, 1, 0 }, icon[..4]);
    }

    [Fact]
    public async Task Pages_AreNotCached_AndTellOtherSitesOnlyTheShopsOrigin()
    {
        using var browser = new HttpClient { BaseAddress = fixture.Host.ShopBase };

        using var response = await browser.GetAsync(new Uri("/", UriKind.Relative));

        Assert.True(response.Headers.CacheControl?.NoStore);
        // Tillpoint's error pages link back to the shop by its origin; paths (order numbers) stay with the shop.
        Assert.Equal("strict-origin-when-cross-origin", response.Headers.GetValues("Referrer-Policy").Single());
    }
}
