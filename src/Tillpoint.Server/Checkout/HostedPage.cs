using System.Text.Encodings.Web;
using System.Text.Unicode;

namespace Tillpoint.Server.Checkout;

/// <summary>
/// What every hosted buyer page shares (checkout and sign-in): rendering a page's template in its language, the
/// notices, the redirects back to the merchant. The pages' markup is in <c>Pages/</c>: one template per page and one
/// layout.
/// </summary>
internal static class HostedPage
{
    /// <summary>The templates encode what HTML needs and write every language's letters as themselves.</summary>
    private static readonly HtmlEncoder PageEncoder = HtmlEncoder.Create(UnicodeRanges.All);

    /// <summary>A page's template, rendered in <paramref name="language"/> (its texts and its numbers).</summary>
    public static IResult Render(RazorSlices.RazorSlice page, int status, HostedLanguage language)
    {
        page.StatusCode = status;
        page.HtmlEncoder = PageEncoder;
        return new InLanguage(page, language);
    }

    /// <summary>A page of a message and a way on (<c>Pages/Notice.cshtml</c>).</summary>
    public static IResult Notice(int status, PageFrame frame, params NoticeLine[] lines) =>
        Render(Pages.Notice.Create(new NoticePage(frame, lines)), status, frame.Language);

    /// <summary>A posted form whose anti-forgery token is missing or stale.</summary>
    public static IResult Expired(PageFrame frame) =>
        Notice(StatusCodes.Status400BadRequest, frame with { Heading = PageText.Of("FormExpired") }, new NoticeLine(PageText.Of("FormExpiredText")));

    /// <summary>
    /// The way back from a refused button: a link (<c>back-to-shop</c>) when <see cref="BackToShopTarget"/> finds one,
    /// else what to do instead.
    /// </summary>
    public static NoticeLine BackToShopLine(HttpContext context, string? merchantUrl, PageText before) =>
        BackToShopTarget(context, merchantUrl) is { } target
            ? new NoticeLine(before, target, PageText.Of("GoBackToShop"), PageText.Of("AndTryAgainLater")) { LinkId = "back-to-shop" }
            : new NoticeLine(before, After: PageText.Of("UseBackButton"));

    /// <summary>
    /// <paramref name="url"/> with one more query parameter: after <c>&amp;</c> when it has a query already, and before
    /// any fragment, which the browser would otherwise keep to itself.
    /// </summary>
    public static string WithQuery(string url, string name, string value)
    {
        var hash = url.IndexOf('#', StringComparison.Ordinal);
        var (beforeFragment, fragment) = hash < 0 ? (url, string.Empty) : (url[..hash], url[hash..]);
        var separator = beforeFragment.Contains('?', StringComparison.Ordinal) ? '&' : '?';
        return $"{beforeFragment}{separator}{Uri.EscapeDataString(name)}={Uri.EscapeDataString(value)}{fragment}";
    }

    /// <summary>The merchant's site root, guessed from one of its URLs, for "return to the shop" links.</summary>
    public static string SiteHome(string? merchantUrl) =>
        merchantUrl is not null && Uri.TryCreate(merchantUrl, UriKind.Absolute, out var uri) ? uri.GetLeftPart(UriPartial.Authority) + "/" : "/";

    /// <summary>
    /// Where a refused button's "back to the shop" leads: to the page the buyer came from when the browser said so
    /// (<c>Referer</c>), reduced to its origin, or to <paramref name="merchantUrl"/> (from the button's payload) when that
    /// is on the same origin. The payload alone is never enough: its signature may be what failed, and a crafted link
    /// must not get a "back to the shop" of its choosing. Null when the browser did not say where the buyer came from.
    /// </summary>
    public static string? BackToShopTarget(HttpContext context, string? merchantUrl)
    {
        if (!Uri.TryCreate(context.Request.Headers.Referer.ToString(), UriKind.Absolute, out var referer)
            || (referer.Scheme != Uri.UriSchemeHttps && referer.Scheme != Uri.UriSchemeHttp)
            || referer.Authority.Equals(context.Request.Host.Value, StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        var origin = referer.GetLeftPart(UriPartial.Authority);
        return Uri.TryCreate(merchantUrl, UriKind.Absolute, out var page) && page.GetLeftPart(UriPartial.Authority) == origin
            ? page.AbsoluteUri
            : origin + "/";
    }

    public static IResult SeeOther(string location) => new SeeOtherResult(AsciiLocation(location));

    /// <summary>A 302 for a plain link (no form was posted).</summary>
    public static IResult Found(string location) => Results.Redirect(AsciiLocation(location));

    /// <summary>
    /// HTTP headers are ASCII: merchants' absolute URLs may hold non-ASCII paths or an internationalized host, so they
    /// are sent percent-encoded with the host in punycode. Relative paths are ours and already ASCII.
    /// </summary>
    internal static string AsciiLocation(string location)
    {
        // "/checkout/…" parses as an absolute file: URI on Unix, so only web URLs are rewritten.
        if (!Uri.TryCreate(location, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp))
        {
            return location;
        }

        var ascii = new UriBuilder(uri) { Host = uri.IdnHost };
        return ascii.Uri.AbsoluteUri;
    }

    /// <summary>
    /// Renders a page with its language's culture as the current one, which its texts are looked up in; the culture
    /// set here stays with this rendering and ends with it.
    /// </summary>
    private sealed class InLanguage(IResult page, HostedLanguage language) : IResult
    {
        public async Task ExecuteAsync(HttpContext httpContext)
        {
            // An async method: the culture flows into the rendering and is undone when it returns.
            CultureInfo.CurrentCulture = language.Culture;
            CultureInfo.CurrentUICulture = language.Culture;
            await page.ExecuteAsync(httpContext);
        }
    }

    /// <summary>303: after a form POST the browser must follow with a GET.</summary>
    private sealed class SeeOtherResult(string location) : IResult
    {
        public Task ExecuteAsync(HttpContext httpContext)
        {
            httpContext.Response.StatusCode = StatusCodes.Status303SeeOther;
            httpContext.Response.Headers.Location = location;
            return Task.CompletedTask;
        }
    }
}
