using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Tillpoint.Client;
using Tillpoint.Protocol.Json;
using Tillpoint.Protocol.Signing;

namespace Tillpoint.Server.Tests.Support;

/// <summary>
/// The merchant's sign-in button (a signed payload) and the buyer on the hosted sign-in page, driven with plain HTTP
/// as a script or a browser without JavaScript would.
/// </summary>
public sealed partial class HostedSignIn(HttpClient browser)
{
    public const string ReturnUrl = "https://merchant.example/signed-in";
    public const string CancelUrl = "https://merchant.example/sign-in-canceled";

    public static readonly IReadOnlyList<string> AllScopes = ["name", "email", "postalCode", "shippingAddress", "billingAddress", "phoneNumber"];

    /// <summary>The sign-in <c>payloadJSON</c> as a merchant's server builds it; null scopes leave the key out.</summary>
    public static string Payload(
        TestMerchant merchant, string returnUrl = ReturnUrl, IEnumerable<string>? scopes = null, string? cancelUrl = null, string? storeId = null)
    {
        var payload = new JsonObject { ["signInReturnUrl"] = returnUrl, ["storeId"] = storeId ?? merchant.StoreId };
        if (scopes is not null)
        {
            payload["signInScopes"] = new JsonArray([.. scopes.Select(s => JsonValue.Create(s))]);
        }

        if (cancelUrl is not null)
        {
            payload["signInCancelUrl"] = cancelUrl;
        }

        return payload.ToJsonString();
    }

    /// <summary>
    /// Where the sign-in button sends the browser: the payload signed with the merchant's private key as the button
    /// signature scheme says. A null algorithm signs with AMZN-PAY-RSASSA-PSS and leaves <c>algorithm</c> out.
    /// </summary>
    public static string Link(
        TestMerchant merchant,
        string payload,
        string? keyId = null,
        SignatureAlgorithm? algorithm = SignatureAlgorithm.RsassaPssV2,
        string? signature = null,
        string? sandbox = null) =>
        HostedCheckout.ButtonLink("/signin", merchant, payload, keyId, algorithm, signature, sandbox);

    public Task<HttpResponseMessage> OpenAsync(string link) => browser.GetAsync(new Uri(link, UriKind.Relative));

    /// <summary>Opens the link, signs in as the given test buyer (the first by default) and returns where the buyer is sent.</summary>
    public async Task<Uri> SignInAsync(string link, string? buyerId = null)
    {
        using var response = await SubmitAsync(link, "buyer-signin", buyerId);
        Assert.Equal(HttpStatusCode.SeeOther, response.StatusCode);
        return response.Headers.Location!;
    }

    /// <summary>Opens the link and submits one of its forms (<c>buyer-signin</c> or <c>buyer-cancel</c>) as the page gave it.</summary>
    public async Task<HttpResponseMessage> SubmitAsync(string link, string formId, string? buyerId = null)
    {
        var page = await new HostedCheckout(browser).GetPageAsync(link);
        var form = HostedCheckout.Form(page, formId);
        var fields = new List<(string, string)> { ("signInRequest", RequestState(page)) };
        if (formId == "buyer-signin")
        {
            fields.Add(("buyerId", buyerId ?? BuyerOption().Match(page).Groups[1].Value));
        }

        return await new HostedCheckout(browser).PostAsync(form.Action, form.Token, [.. fields]);
    }

    /// <summary>The protected sign-in request the page put in its forms.</summary>
    public static string RequestState(string page)
    {
        var match = RequestStateField().Match(page);
        Assert.True(match.Success, "the sign-in request field is missing from the page");
        return WebUtility.HtmlDecode(match.Groups[1].Value);
    }

    public static string BuyerToken(Uri returnedTo) =>
        System.Web.HttpUtility.ParseQueryString(returnedTo.Query)["buyerToken"] ?? throw new InvalidOperationException($"no buyerToken in {returnedTo}");

    /// <summary>Get Buyer through the client's raw call, as no typed method exists yet.</summary>
    public static Task<AmazonPayRawResponse> GetBuyerAsync(AmazonPayClient client, string buyerToken) =>
        client.SendAsync(HttpMethod.Get, "buyers/" + Uri.EscapeDataString(buyerToken), null);

    public static BuyerProfileDto Buyer(AmazonPayRawResponse response)
    {
        Assert.True(response.StatusCode == 200, $"Get Buyer answered {response.StatusCode}: {System.Text.Encoding.UTF8.GetString(response.Body)}");
        return JsonSerializer.Deserialize(response.Body, ApiJsonContext.Default.BuyerProfileDto)!;
    }

    [GeneratedRegex("<option value=\"(amzn1[^\"]+)\"")]
    private static partial Regex BuyerOption();

    [GeneratedRegex("<input type=\"hidden\" name=\"signInRequest\" value=\"([^\"]+)\">")]
    private static partial Regex RequestStateField();
}
