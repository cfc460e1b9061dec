namespace Tillpoint.Server.Checkout;

/// <summary>
/// <c>/favicon.ico</c>: browsers ask for it on every hosted page, the dashboard and the API reference, and a 404 there
/// is noise in their consoles and in access logs. Shipped inside the executable like checkout.js.
/// </summary>
internal static class Favicon
{
    private static readonly Lazy<EmbeddedFile> Icon = new(
        () => EmbeddedFile.Load("Tillpoint.Server.Checkout.favicon.ico", "image/x-icon", TimeSpan.FromDays(1)));

    public static void MapFavicon(this WebApplication app) =>
        app.MapMethods("/favicon.ico", [HttpMethods.Get, HttpMethods.Head], (HttpContext context) => Icon.Value.Serve(context));
}
