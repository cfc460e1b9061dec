using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Antiforgery;
using Tillpoint.Domain.Buyers;
using Tillpoint.Server.Hosting;

namespace Tillpoint.Server.Checkout;

/// <summary>
/// What every hosted buyer page shares (checkout and sign-in): the page frame, form fields, the buyer picker and the
/// redirects back to the merchant.
/// </summary>
internal static class HostedPage
{
    private const string CheckoutBanner = "Tillpoint sandbox checkout";
    private static readonly HtmlEncoder Html = HtmlEncoder.Default;

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
    public static string BackToShop(HttpContext context, string? merchantUrl)
    {
        if (!Uri.TryCreate(context.Request.Headers.Referer.ToString(), UriKind.Absolute, out var referer)
            || (referer.Scheme != Uri.UriSchemeHttps && referer.Scheme != Uri.UriSchemeHttp)
            || referer.Authority.Equals(context.Request.Host.Value, StringComparison.OrdinalIgnoreCase))
        {
            return "Use your browser's Back button to return to the shop, and let the shop know its button does not work.";
        }

        var origin = referer.GetLeftPart(UriPartial.Authority);
        var target = Uri.TryCreate(merchantUrl, UriKind.Absolute, out var page) && page.GetLeftPart(UriPartial.Authority) == origin
            ? page.AbsoluteUri
            : origin + "/";
        return $"<a id=\"back-to-shop\" href=\"{Html.Encode(target)}\">Go back to the shop</a> and try again later.";
    }

    public static IResult BadForm(string banner = CheckoutBanner) =>
        Page(StatusCodes.Status400BadRequest, "This form has expired", "<p>Go back, reload the page and try again.</p>", banner);

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
    /// A whole hosted page: one <c>h1</c> (the <paramref name="heading"/>, also the title), the banner, and a small
    /// mobile-first style sheet inline, since the pages load nothing else.
    /// </summary>
    public static IResult Page(int status, string heading, string body, string banner = CheckoutBanner) => HtmlDocument.Result(
        status,
        $"{Html.Encode(heading)} · {Html.Encode(banner)}",
        Styles,
        $"<header>{Html.Encode(banner)}</header>",
        Html.Encode(heading),
        body);

    private const string Styles =
        """
          *, *::before, *::after { box-sizing: border-box; }
          body { margin: 0; font: 1rem/1.5 system-ui, sans-serif; color: #111; background: #fff; }
          header { padding: .75rem 1rem; background: #232f3e; color: #fff; font-weight: 600; }
          main { max-width: 36rem; margin: 0 auto; padding: 1rem; }
          h1 { font-size: 1.5rem; line-height: 1.25; margin: .5rem 0 1rem; }
          fieldset { border: 1px solid #767676; border-radius: .5rem; margin: 1rem 0; padding: .5rem 1rem; }
          legend { font-weight: 600; padding: 0 .25rem; }
          .choice { display: flex; gap: .5rem; align-items: flex-start; padding: .375rem 0; }
          .choice input { flex: none; width: 1.25rem; height: 1.25rem; margin: .15rem 0 0; }
          .choice input:disabled + label { color: #595959; }
          .hint { display: block; color: #4a4a4a; font-size: .875rem; }
          .field-label { display: block; font-weight: 600; margin-bottom: .25rem; }
          select { font: inherit; width: 100%; padding: .5rem; border: 1px solid #767676; border-radius: .25rem; background: #fff; color: #111; }
          button { font: inherit; width: 100%; min-height: 2.75rem; padding: .5rem 1rem; margin: .5rem 0; background: #ffd814; border: 1px solid #8d6e00; border-radius: .5rem; color: #111; cursor: pointer; }
          button.secondary { background: #fff; border-color: #555; }
          a { color: #0050a8; }
          :focus-visible { outline: 3px solid #005fcc; outline-offset: 2px; }
          .alert { border-left: 4px solid #b00020; background: #fdecee; padding: .5rem 1rem; }
          @media (min-width: 40rem) { main { padding: 2rem 1rem; } button { width: auto; } }
        """;

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
