using System.Net;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Tillpoint.Protocol.Signing;

namespace Tillpoint.Server.Tests.Support;

/// <summary>
/// Drives the checkout button's landing (<c>/checkout/start</c>) and the hosted buyer pages with plain HTTP, as a
/// script or a browser without JavaScript would.
/// </summary>
public sealed partial class HostedCheckout(HttpClient browser)
{
    public const string Jane = "amzn1.account.AH4TLNZ5TILLPOINTSANDBOXJANE";

    /// <summary>
    /// The checkout button's <c>payloadJSON</c> as a merchant's server builds it: a Create Checkout Session body.
    /// <paramref name="change"/> may add or replace members.
    /// </summary>
    public static string CheckoutPayload(TestMerchant merchant, Action<JsonObject>? change = null)
    {
        var payload = new JsonObject
        {
            ["webCheckoutDetails"] = new JsonObject { ["checkoutReviewReturnUrl"] = Checkouts.ReviewUrl },
            ["storeId"] = merchant.StoreId,
        };
        change?.Invoke(payload);
        return payload.ToJsonString();
    }

    /// <summary>
    /// Where checkout.js sends the browser for a signed button (<c>/checkout/start</c> or <c>/signin</c>): the payload
    /// signed with the merchant's private key as the button signature scheme says. A null algorithm signs with
    /// AMZN-PAY-RSASSA-PSS and leaves <c>algorithm</c> out, as checkout.js does when the merchant gives none.
    /// </summary>
    public static string ButtonLink(
        string path,
        TestMerchant merchant,
        string payload,
        string? keyId = null,
        SignatureAlgorithm? algorithm = SignatureAlgorithm.RsassaPssV2,
        string? signature = null,
        string? sandbox = null,
        params (string Name, string Value)[] extra)
    {
        using var key = RsaSigningKey.FromPem(merchant.PrivateKeyPem);
        signature ??= ButtonSignature.Sign(key, algorithm ?? SignatureAlgorithm.RsassaPss, payload);
        var query = new List<string>
        {
            $"payload={Uri.EscapeDataString(payload)}",
            $"signature={Uri.EscapeDataString(signature)}",
            $"publicKeyId={Uri.EscapeDataString(keyId ?? merchant.SandboxKeyId)}",
        };
        if (algorithm is { } declared)
        {
            query.Add($"algorithm={SignatureAlgorithms.Name(declared)}");
        }

        if (sandbox is not null)
        {
            query.Add($"sandbox={sandbox}");
        }

        query.AddRange(extra.Select(e => $"{Uri.EscapeDataString(e.Name)}={Uri.EscapeDataString(e.Value)}"));
        return path + "?" + string.Join('&', query);
    }

    /// <summary>The checkout button's link for <paramref name="payload"/>.</summary>
    public static string StartLink(
        TestMerchant merchant,
        string payload,
        string? keyId = null,
        SignatureAlgorithm? algorithm = SignatureAlgorithm.RsassaPssV2,
        string? signature = null,
        string? sandbox = null,
        params (string Name, string Value)[] extra) =>
        ButtonLink("/checkout/start", merchant, payload, keyId, algorithm, signature, sandbox, extra);

    /// <summary>Opens a checkout button's link: it must answer 303 to a new session's page, whose id is returned.</summary>
    public async Task<string> StartAsync(string link)
    {
        using var response = await browser.GetAsync(new Uri(link, UriKind.Relative));
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.SeeOther, $"/checkout/start answered {response.StatusCode}: {body}");
        var location = response.Headers.Location!.ToString();
        Assert.StartsWith("/checkout/", location, StringComparison.Ordinal);
        return Uri.UnescapeDataString(location["/checkout/".Length..]);
    }

    /// <summary>Signs in on the session's page as a test buyer (Jane Doe unless told); returns where the form sent the browser.</summary>
    public async Task<Uri> SignInAsync(string checkoutSessionId, string buyerId = Jane, string? change = null)
    {
        var page = await GetPageAsync(change is null ? $"/checkout/{checkoutSessionId}" : $"/checkout/{checkoutSessionId}?change={change}");
        var signIn = Form(page, "buyer-signin");
        Assert.Contains($"<option value=\"{buyerId}\"", page, StringComparison.Ordinal);
        List<(string, string)> fields = [("buyerId", buyerId)];
        if (change is not null)
        {
            fields.Add(("change", change));
        }

        using var signedIn = await PostAsync(signIn.Action, signIn.Token, [.. fields]);
        Assert.Equal(HttpStatusCode.SeeOther, signedIn.StatusCode);
        return signedIn.Headers.Location!;
    }

    /// <summary>Opens <paramref name="path"/> and posts its form <paramref name="formId"/> with the given fields and the page's token.</summary>
    public async Task<HttpResponseMessage> SubmitAsync(string path, string formId, params (string Name, string Value)[] fields)
    {
        var page = await GetPageAsync(path);
        var form = Form(page, formId);
        return await PostAsync(form.Action, form.Token, fields);
    }

    /// <summary>
    /// Signs in as the first test buyer (unless a buyer is signed in already) and approves with the given instrument;
    /// returns the redirect.
    /// </summary>
    public async Task<Uri> ApproveAsync(string checkoutSessionId, string instrumentId = "visa-1111", int addressIndex = 0)
    {
        var page = await GetPageAsync($"/checkout/{checkoutSessionId}");
        if (page.Contains("<form id=\"buyer-signin\"", StringComparison.Ordinal))
        {
            await SignInAsync(checkoutSessionId, BuyerOption().Match(page).Groups[1].Value);
            page = await GetPageAsync($"/checkout/{checkoutSessionId}");
        }

        var approve = Form(page, "buyer-approve");
        var fields = new List<(string, string)> { ("paymentInstrumentId", instrumentId) };
        if (page.Contains("name=\"shippingAddressId\"", StringComparison.Ordinal))
        {
            fields.Add(("shippingAddressId", addressIndex.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        }

        var approved = await PostAsync(approve.Action, approve.Token, [.. fields]);
        Assert.Equal(HttpStatusCode.SeeOther, approved.StatusCode);
        return approved.Headers.Location!;
    }

    public async Task<HttpResponseMessage> CancelAsync(string checkoutSessionId)
    {
        var page = await GetPageAsync($"/checkout/{checkoutSessionId}");
        var cancel = Form(page, "buyer-cancel");
        return await PostAsync(cancel.Action, cancel.Token);
    }

    /// <summary>Follows amazonPayRedirectUrl and returns where the buyer is sent.</summary>
    public async Task<Uri> ProcessAsync(string amazonPayRedirectUrl)
    {
        using var response = await browser.GetAsync(Address(amazonPayRedirectUrl));
        Assert.True(response.StatusCode is HttpStatusCode.Redirect or HttpStatusCode.SeeOther, $"processing answered {response.StatusCode}");
        return response.Headers.Location!;
    }

    /// <summary>
    /// Follows amazonPayRedirectUrl when it soft-declines: the page asks for another payment method, and choosing
    /// <paramref name="instrumentId"/> (form <c>buyer-retry-payment</c>) answers with the returned response.
    /// </summary>
    public async Task<HttpResponseMessage> RetryAsync(string amazonPayRedirectUrl, string instrumentId)
    {
        var page = await GetPageAsync(amazonPayRedirectUrl);
        Assert.Contains("id=\"payment-declined\"", page, StringComparison.Ordinal);
        var retry = Form(page, "buyer-retry-payment");
        return await PostAsync(retry.Action, retry.Token, ("paymentInstrumentId", instrumentId));
    }

    public async Task<string> GetPageAsync(string path)
    {
        using var response = await browser.GetAsync(Address(path));
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"GET {path} answered {response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        return await response.Content.ReadAsStringAsync();
    }

    public Task<HttpResponseMessage> PostAsync(string action, string token, params (string Name, string Value)[] fields) =>
        browser.PostAsync(
            new Uri(action, UriKind.Relative),
            new FormUrlEncodedContent([new("__RequestVerificationToken", token), .. fields.Select(f => new KeyValuePair<string, string>(f.Name, f.Value))]));

    public static (string Action, string Token) Form(string page, string id)
    {
        var match = Regex.Match(page, $"<form id=\"{id}\" method=\"post\" action=\"([^\"]+)\">\\s*<input type=\"hidden\" name=\"__RequestVerificationToken\" value=\"([^\"]+)\">");
        Assert.True(match.Success, $"form {id} not found in the page");
        return (WebUtility.HtmlDecode(match.Groups[1].Value), WebUtility.HtmlDecode(match.Groups[2].Value));
    }

    /// <summary>A path of this server or an absolute URL ("/x" alone would parse as an absolute file URI on Unix).</summary>
    private static Uri Address(string pathOrUrl) =>
        pathOrUrl.StartsWith('/') ? new Uri(pathOrUrl, UriKind.Relative) : new Uri(pathOrUrl, UriKind.Absolute);

    [GeneratedRegex("<option value=\"(amzn1[^\"]+)\"")]
    private static partial Regex BuyerOption();
}
