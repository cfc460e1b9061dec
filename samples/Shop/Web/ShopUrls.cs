using Tillpoint.Shop.Configuration;

namespace Tillpoint.Shop.Web;

public static class ShopUrls
{
    /// <summary>
    /// The shop's address as buyers reach it, ending in a slash: <c>Shop:PublicUrl</c> when set (behind a proxy, say),
    /// else the scheme and host of the buyer's request. These URLs are signed into the button payload, so a shop that
    /// is reachable under other names sets <c>Shop:PublicUrl</c> (or <c>AllowedHosts</c>) rather than sign whatever host
    /// a request claims.
    /// </summary>
    public static Uri Base(HttpContext context, ShopOptions options) =>
        options.ShopUrl ?? new Uri($"{context.Request.Scheme}://{context.Request.Host}{context.Request.PathBase}/");
}
