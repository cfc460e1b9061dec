using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Tillpoint.Protocol.Signing;
using Tillpoint.Server.Tests.Support;

namespace Tillpoint.Shop.Tests.Support;

/// <summary>What the cart page hands the Amazon Pay button, read back from its HTML.</summary>
public sealed record ButtonConfig(string MerchantId, string PublicKeyId, string PayloadJson, string Signature, string Algorithm, string Sandbox, Uri FallbackLink);

/// <summary>
/// A buyer with a browser that runs no JavaScript: plain HTTP with one cookie jar for the shop and Tillpoint's hosted
/// pages, following redirects by hand so each hop can be checked.
/// </summary>
public sealed class Buyer : IDisposable
{
    private readonly ShopHost _host;

    public Buyer(ShopHost host)
    {
        _host = host;
        var cookies = new CookieContainer();
        Shop = CookieJars.Browser(host.ShopBase, cookies, host.Tillpoint.CertificateThumbprint);
        TillpointPages = CookieJars.Browser(host.Tillpoint.HttpsBase, cookies, host.Tillpoint.CertificateThumbprint);
        Pages = new HostedCheckout(TillpointPages);
    }

    public HttpClient Shop { get; }

    public HttpClient TillpointPages { get; }

    /// <summary>The hosted pages' driver of the server's own tests.</summary>
    public HostedCheckout Pages { get; }

    /// <summary>GETs a shop page and checks its status.</summary>
    public async Task<string> GetAsync(string pathOrUrl, HttpStatusCode expected = HttpStatusCode.OK)
    {
        using var response = await Shop.GetAsync(new Uri(pathOrUrl, UriKind.RelativeOrAbsolute));
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(expected == response.StatusCode, $"GET {pathOrUrl} answered {(int)response.StatusCode}, expected {(int)expected}: {Excerpt(body)}");
        return body;
    }

    /// <summary>Submits the form with <paramref name="formId"/> from <paramref name="page"/>, token included.</summary>
    public async Task<HttpResponseMessage> SubmitAsync(string page, string formId, params (string Name, string Value)[] fields)
    {
        var (action, token) = HostedCheckout.Form(page, formId);
        return await PostAsync(action, token, fields);
    }

    public Task<HttpResponseMessage> PostAsync(string action, string token, params (string Name, string Value)[] fields) =>
        Shop.PostAsync(
            new Uri(action, UriKind.Relative),
            new FormUrlEncodedContent([new("__RequestVerificationToken", token), .. fields.Select(f => new KeyValuePair<string, string>(f.Name, f.Value))]));

    public async Task AddToCartAsync(string sku, int quantity = 1)
    {
        var page = await GetAsync("/");
        using var response = await SubmitAsync(page, $"add-form-{sku}", ("sku", sku), ("quantity", quantity.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        Assert.Equal(HttpStatusCode.SeeOther, response.StatusCode);
        Assert.Equal("/cart", response.Headers.Location?.OriginalString);
    }

    public async Task<ButtonConfig> CartButtonAsync()
    {
        var cart = await GetAsync("/cart");
        return new ButtonConfig(
            HtmlPage.Attribute(cart, "AmazonPayButton", "data-merchant-id"),
            HtmlPage.Attribute(cart, "AmazonPayButton", "data-public-key-id"),
            HtmlPage.Attribute(cart, "AmazonPayButton", "data-payload-json"),
            HtmlPage.Attribute(cart, "AmazonPayButton", "data-signature"),
            HtmlPage.Attribute(cart, "AmazonPayButton", "data-algorithm"),
            HtmlPage.Attribute(cart, "AmazonPayButton", "data-sandbox"),
            new Uri(HtmlPage.Attribute(cart, "AmazonPayLink", "href")));
    }

    /// <summary>
    /// What clicking the button does on Tillpoint's side (checkout.js or the <c>/checkout/start</c> link): check the
    /// signature over the exact payload with the merchant's public key, then create the checkout session from that
    /// payload. Done here through the API, so these tests rely only on what the server has had for long.
    /// </summary>
    public async Task<string> ClickAmazonPayButtonAsync()
    {
        var button = await CartButtonAsync();
        using var publicKey = RsaVerificationKey.FromPem(RsaSigningKey.FromPem(_host.Merchant.PrivateKeyPem).ExportPublicKeyPem());
        Assert.True(SignatureAlgorithms.TryParse(button.Algorithm, out var algorithm));
        Assert.True(ButtonSignature.Verify(publicKey, algorithm, button.PayloadJson, button.Signature), "the button payload's signature does not verify");

        using var amazonPay = _host.AmazonPay();
        var created = await amazonPay.SendAsync(HttpMethod.Post, "checkoutSessions", Encoding.UTF8.GetBytes(button.PayloadJson));
        Assert.True(created.StatusCode == 201, $"Create Checkout Session from the button payload answered {created.StatusCode}: {Encoding.UTF8.GetString(created.Body)}");
        return JsonDocument.Parse(created.Body).RootElement.GetProperty("checkoutSessionId").GetString()!;
    }

    /// <summary>
    /// On Tillpoint's page: signs in as the named test buyer (unless this browser already is signed in, as on a second
    /// visit) and approves with an address and instrument; returns where Tillpoint sends the buyer (the shop's review page).
    /// </summary>
    public async Task<Uri> ApproveAsync(string checkoutSessionId, string instrumentId = "visa-1111", string buyerName = "Jane Doe", int addressIndex = 0)
    {
        var page = await Pages.GetPageAsync($"/checkout/{checkoutSessionId}");
        if (page.Contains("id=\"buyer-signin\"", StringComparison.Ordinal))
        {
            if (buyerName == "Jane Doe")
            {
                // The shared driver signs in as the first test buyer.
                return await Pages.ApproveAsync(checkoutSessionId, instrumentId, addressIndex);
            }

            var buyerId = Regex.Match(page, $"<option value=\"(amzn1[^\"]+)\">{Regex.Escape(buyerName)} ").Groups[1].Value;
            var signIn = HostedCheckout.Form(page, "buyer-signin");
            using (var signedIn = await Pages.PostAsync(signIn.Action, signIn.Token, ("buyerId", buyerId)))
            {
                Assert.Equal(HttpStatusCode.SeeOther, signedIn.StatusCode);
            }

            page = await Pages.GetPageAsync($"/checkout/{checkoutSessionId}");
        }

        var approve = HostedCheckout.Form(page, "buyer-approve");
        using var approved = await Pages.PostAsync(
            approve.Action, approve.Token, ("paymentInstrumentId", instrumentId), ("shippingAddressId", addressIndex.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        Assert.Equal(HttpStatusCode.SeeOther, approved.StatusCode);
        return approved.Headers.Location!;
    }

    /// <summary>"Place order" on the review page; returns amazonPayRedirectUrl, where the shop sends the buyer.</summary>
    public async Task<string> PlaceOrderAsync(string reviewPage)
    {
        using var response = await SubmitAsync(reviewPage, "placeOrderForm", ("amazonCheckoutSessionId", HtmlPage.Attribute(reviewPage, "changeAddress", "data-amazon-checkout-session-id")));
        Assert.True(response.StatusCode == HttpStatusCode.SeeOther, $"Place order answered {(int)response.StatusCode}: {Excerpt(await response.Content.ReadAsStringAsync())}");
        return response.Headers.Location!.OriginalString;
    }

    /// <summary>
    /// The whole purchase from the cart: button, Tillpoint's pages, review, place order, processing, and the result
    /// page (step 5). Returns the session id and the result page.
    /// </summary>
    public async Task<(string CheckoutSessionId, string ReviewPage, string ResultPage)> CheckoutAsync(string instrumentId = "visa-1111", string buyerName = "Jane Doe")
    {
        var checkoutSessionId = await ClickAmazonPayButtonAsync();
        var review = await ApproveAsync(checkoutSessionId, instrumentId, buyerName);
        Assert.Equal(new Uri(_host.ShopBase, $"checkout/review?amazonCheckoutSessionId={checkoutSessionId}"), review);
        var reviewPage = await GetAsync(review.AbsoluteUri);
        var redirect = await PlaceOrderAsync(reviewPage);
        var result = await Pages.ProcessAsync(redirect);
        Assert.Equal(new Uri(_host.ShopBase, $"checkout/result?amazonCheckoutSessionId={checkoutSessionId}"), result);
        return (checkoutSessionId, reviewPage, await GetAsync(result.AbsoluteUri));
    }

    /// <summary>The order page's number from a result page's "View order" link.</summary>
    public static string OrderPath(string resultPage) => HtmlPage.Attribute(resultPage, "viewOrder", "href");

    public void Dispose()
    {
        Shop.Dispose();
        TillpointPages.Dispose();
    }

    private static string Excerpt(string body) => body.Length > 600 ? body[..600] + "…" : body;
}

/// <summary>Reads the shop's HTML by element id: the ids are the shop's documented contract.</summary>
public static partial class HtmlPage
{
    public static string Attribute(string page, string id, string attribute)
    {
        var match = Regex.Match(page, $"id=\"{Regex.Escape(id)}\"[^>]*?\\s{Regex.Escape(attribute)}=\"([^\"]*)\"");
        Assert.True(match.Success, $"no {attribute} on #{id} in the page");
        return WebUtility.HtmlDecode(match.Groups[1].Value);
    }

    /// <summary>The text of the element with <paramref name="id"/>, tags inside it removed.</summary>
    public static string Text(string page, string id)
    {
        var match = Regex.Match(page, $"<(\\w+)[^>]*\\sid=\"{Regex.Escape(id)}\"[^>]*>(.*?)</\\1>", RegexOptions.Singleline);
        Assert.True(match.Success, $"no #{id} in the page");
        return WebUtility.HtmlDecode(Tags().Replace(match.Groups[2].Value, string.Empty)).Trim();
    }

    public static bool Has(string page, string id) => page.Contains($"id=\"{id}\"", StringComparison.Ordinal);

    public static string State(string page) => Attribute(page, "orderState", "data-state");

    [GeneratedRegex("<[^>]+>")]
    private static partial Regex Tags();
}
