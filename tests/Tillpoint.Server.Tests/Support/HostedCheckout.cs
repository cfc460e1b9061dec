using System.Net;
using System.Text.RegularExpressions;

namespace Tillpoint.Server.Tests.Support;

/// <summary>Drives the hosted buyer pages with plain HTTP, as a script or a browser without JavaScript would.</summary>
public sealed partial class HostedCheckout(HttpClient browser)
{
    /// <summary>Signs in as the first test buyer and approves with the given instrument; returns the redirect.</summary>
    public async Task<Uri> ApproveAsync(string checkoutSessionId, string instrumentId = "visa-1111", int addressIndex = 0)
    {
        var page = await GetPageAsync($"/checkout/{checkoutSessionId}");
        var signIn = Form(page, "buyer-signin");
        var buyerId = BuyerOption().Match(page).Groups[1].Value;
        var signedIn = await PostAsync(signIn.Action, signIn.Token, ("buyerId", buyerId));
        Assert.Equal(HttpStatusCode.SeeOther, signedIn.StatusCode);

        page = await GetPageAsync($"/checkout/{checkoutSessionId}");
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
        using var response = await browser.GetAsync(new Uri(amazonPayRedirectUrl));
        Assert.True(response.StatusCode is HttpStatusCode.Redirect or HttpStatusCode.SeeOther, $"processing answered {response.StatusCode}");
        return response.Headers.Location!;
    }

    public async Task<string> GetPageAsync(string path)
    {
        using var response = await browser.GetAsync(new Uri(path, UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
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

    [GeneratedRegex("<option value=\"(amzn1[^\"]+)\"")]
    private static partial Regex BuyerOption();
}
