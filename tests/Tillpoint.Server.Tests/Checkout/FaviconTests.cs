using System.Net;
using Tillpoint.Server.Tests.Support;

namespace Tillpoint.Server.Tests.Checkout;

/// <summary><c>/favicon.ico</c>, which browsers ask for on every hosted page, the dashboard and the API reference.</summary>
public sealed class FaviconTests(HostFixture fixture) : IClassFixture<HostFixture>
{
    [Fact]
    public async Task Favicon_IsAnIcon_CacheableForADay()
    {
        using var browser = fixture.Host.Browser();

        using var response = await browser.GetAsync(new Uri("/favicon.ico", UriKind.Relative));
        var icon = await response.Content.ReadAsByteArrayAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("image/x-icon", response.Content.Headers.ContentType?.MediaType);
        Assert.True(response.Headers.CacheControl?.Public);
        Assert.Equal(TimeSpan.FromDays(1), response.Headers.CacheControl?.MaxAge);
        Assert.NotNull(response.Headers.ETag);
        // An ICO file: reserved 0, type 1 (icon), then at least one image.
        Assert.Equal(new byte[] { 0, 0, 1, 0 }, icon[..4]);
        Assert.True(icon[4] > 0);
    }

    [Fact]
    public async Task Favicon_WithItsETag_IsNotModified_AndOverHttpToo()
    {
        using var browser = fixture.Host.Browser();
        using var first = await browser.GetAsync(new Uri("/favicon.ico", UriKind.Relative));
        using var plain = new HttpClient { BaseAddress = fixture.Host.HttpBase };
        using var again = new HttpRequestMessage(HttpMethod.Get, new Uri("/favicon.ico", UriKind.Relative));
        again.Headers.IfNoneMatch.Add(first.Headers.ETag!);

        using var revalidated = await plain.SendAsync(again);

        Assert.Equal(HttpStatusCode.NotModified, revalidated.StatusCode);
        Assert.Empty(await revalidated.Content.ReadAsByteArrayAsync());
    }
}
