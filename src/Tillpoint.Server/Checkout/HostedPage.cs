using System.Text.Encodings.Web;
using System.Text.Unicode;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Html;
using Tillpoint.Domain.Buyers;

namespace Tillpoint.Server.Checkout;

/// <summary>
/// What every hosted buyer page shares (checkout and sign-in): rendering a page's template in its language, the
/// notices, the redirects back to the merchant. The pages' markup is in <c>Pages/</c> (one template per page and one
/// layout); the helpers that build HTML as strings (<see cref="Page"/>, <see cref="TokenField"/>,
/// <see cref="BuyerSignInForm"/>, <see cref="BackToShop"/>) remain for pages written that way, in English, in the
/// same layout.
/// </summary>
internal static class HostedPage
{
    private const string CheckoutBanner = "Tillpoint sandbox checkout";
    private static readonly HtmlEncoder Html = HtmlEncoder.Default;

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

    public static string TokenField(AntiforgeryTokenSet tokens) =>
        $"<input type=\"hidden\" name=\"{Html.Encode(tokens.FormFieldName)}\" value=\"{Html.Encode(tokens.RequestToken ?? string.Empty)}\">";

    /// <summary>
    /// The form that signs the buyer in as a sandbox test buyer: posted to <paramref name="action"/> (HTML already) with
    /// the hidden fields in <paramref name="state"/>.
    /// </summary>
    public static string BuyerSignInForm(string action, AntiforgeryTokenSet tokens, string state) =>
        $"""
        <form id="buyer-signin" method="post" action="{action}">
          {TokenField(tokens)}
          {state}
          {BuyerChoice()}
          <button type="submit">Continue</button>
        </form>
        """;

    /// <summary>The label and drop-down that let the buyer sign in as one of the sandbox test buyers (field <c>buyerId</c>).</summary>
    public static string BuyerChoice()
    {
        var options = new StringBuilder();
        foreach (var buyer in SandboxBuyers.All)
        {
            options.Append($"<option value=\"{Html.Encode(buyer.BuyerId)}\">{Html.Encode(buyer.Name)} ({Html.Encode(buyer.Email)})</option>");
        }

        return $"""
            <label class="field-label" for="buyerId">Test buyer</label>
              <select id="buyerId" name="buyerId" required><option value="">Choose a buyer…</option>{options}</select>
            """;
    }

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
    /// The way back from a refused button, as HTML: a link to the page the buyer came from when the browser said so
    /// (<c>Referer</c>), reduced to its origin, or to <paramref name="merchantUrl"/> (from the button's payload) when that
    /// is on the same origin. The payload alone is never enough: its signature may be what failed, and a crafted link
    /// must not get a "back to the shop" of its choosing. Without a Referer the page says what to do instead.
    /// </summary>
    public static string BackToShop(HttpContext context, string? merchantUrl) =>
        BackToShopTarget(context, merchantUrl) is { } target
            ? $"<a id=\"back-to-shop\" href=\"{Html.Encode(target)}\">Go back to the shop</a> and try again later."
            : "Use your browser's Back button to return to the shop, and let the shop know its button does not work.";

    /// <summary>Where <see cref="BackToShop"/> links to, or null when the browser did not say where the buyer came from.</summary>
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

    /// <summary>A posted form whose anti-forgery token is missing or stale, in English under <paramref name="banner"/>.</summary>
    public static IResult BadForm(string banner = CheckoutBanner) =>
        Expired(new PageFrame(HostedLanguage.EnglishUS, PageText.Given(banner), PageText.Of("FormExpired")));

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
    /// A whole hosted page in English whose <paramref name="body"/> is HTML already (every value in it encoded by the
    /// caller), in the layout every hosted page has: one <c>h1</c> (the <paramref name="heading"/>, also the title) and
    /// the banner.
    /// </summary>
    public static IResult Page(int status, string heading, string body, string banner = CheckoutBanner) => Render(
        Pages.HtmlBody.Create(new HtmlBodyPage(new PageFrame(HostedLanguage.EnglishUS, PageText.Given(banner), PageText.Given(heading)), new HtmlString(body))),
        status,
        HostedLanguage.EnglishUS);

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
