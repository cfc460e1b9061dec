using System.Net;
using System.Text.RegularExpressions;
using Tillpoint.Client;
using Tillpoint.Protocol.Json;
using Tillpoint.Server.Tests.Support;

namespace Tillpoint.Server.Tests.Dashboard;

/// <summary>A browser-like client of the dashboard: cookies kept, redirects not followed, forms posted with their token.</summary>
public sealed partial class DashboardClient(TillpointHost host, CookieContainer cookies) : IDisposable
{
    private readonly Uri _dashboard = new(host.HttpsBase, "/dashboard");
    private readonly CookieContainer _cookies = cookies;
    private readonly HttpClient _browser = host.Browser(cookies);

    public DashboardClient(TillpointHost host)
        : this(host, new CookieContainer())
    {
    }

    /// <summary>
    /// A client that presents a copy of <paramref name="session"/>, as someone who copied the cookie would: it keeps
    /// sending it whatever the server later tells the browser that signed in.
    /// </summary>
    public static DashboardClient Replaying(TillpointHost host, Cookie session)
    {
        var cookies = new CookieContainer();
        cookies.Add(new Uri(host.HttpsBase, "/dashboard"), new Cookie(session.Name, session.Value, "/dashboard"));
        return new DashboardClient(host, cookies);
    }

    /// <summary>The dashboard's session cookie as this client holds it.</summary>
    public Cookie SessionCookie() =>
        _cookies.GetCookies(_dashboard)["tillpoint_dashboard"] ?? throw new InvalidOperationException("this client is not signed in");

    /// <summary>Signs out through the page's own form.</summary>
    public async Task<HttpResponseMessage> SignOutAsync()
    {
        var (status, page) = await GetAsync("/dashboard");
        Assert.Equal(HttpStatusCode.OK, status);
        return await PostAsync("/dashboard/logout", Token(page));
    }

    public static async Task<DashboardClient> SignedInAsync(TillpointHost host)
    {
        var client = new DashboardClient(host);
        var response = await client.SignInAsync(TillpointHost.OperatorToken);
        Assert.Equal(HttpStatusCode.SeeOther, response.StatusCode);
        return client;
    }

    public async Task<HttpResponseMessage> SignInAsync(string token, string returnUrl = "/dashboard")
    {
        var (_, page) = await GetAsync("/dashboard/login");
        return await PostAsync("/dashboard/login", Token(page), ("token", token), ("returnUrl", returnUrl));
    }

    public async Task<(HttpStatusCode Status, string Html)> GetAsync(string path)
    {
        using var response = await _browser.GetAsync(new Uri(path, UriKind.Relative));
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    public Task<HttpResponseMessage> GetResponseAsync(string path) => _browser.GetAsync(new Uri(path, UriKind.Relative));

    public Task<HttpResponseMessage> PostAsync(string path, string? token, params (string Name, string Value)[] fields) =>
        _browser.PostAsync(
            new Uri(path, UriKind.Relative),
            new FormUrlEncodedContent(
                [.. token is null ? [] : new[] { new KeyValuePair<string, string>("__RequestVerificationToken", token) },
                 .. fields.Select(f => new KeyValuePair<string, string>(f.Name, f.Value))]));

    /// <summary>Opens a confirmation page and posts its form with the given fields (the form's own hidden fields kept).</summary>
    public async Task<HttpResponseMessage> ConfirmAsync(string path, params (string Name, string Value)[] fields)
    {
        var (status, page) = await GetAsync(path);
        Assert.True(status == HttpStatusCode.OK, $"GET {path} answered {status}");
        var formKey = FormKey().Match(page);
        (string, string)[] hidden = formKey.Success ? [("formKey", formKey.Groups[1].Value)] : [];
        return await PostAsync(path, Token(page), [.. hidden, .. fields]);
    }

    public static string Token(string page)
    {
        var match = AntiforgeryField().Match(page);
        Assert.True(match.Success, "the page has no anti-forgery token");
        return WebUtility.HtmlDecode(match.Groups[1].Value);
    }

    public static string Path(string kind, TestMerchant merchant, string id) => $"/dashboard/{kind}/{merchant.MerchantId}/{id}";

    public void Dispose() => _browser.Dispose();

    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryField();

    [GeneratedRegex("name=\"formKey\" value=\"([^\"]+)\"")]
    private static partial Regex FormKey();
}

/// <summary>Objects made through the API for dashboard tests.</summary>
public static class DashboardData
{
    /// <summary>An authorized charge of <paramref name="amount"/> with its own merchant reference; returns the charge.</summary>
    public static async Task<ChargeDto> AuthorizedChargeAsync(
        TillpointHost host, AmazonPayClient client, TestMerchant merchant, string amount, string reference, bool captureNow = false)
    {
        var permissionId = await Payments.ChargePermissionAsync(host, client, merchant, "500.00");
        var created = await client.CreateChargeAsync(
            new CreateChargeRequest
            {
                ChargePermissionId = permissionId,
                ChargeAmount = Payments.Price(amount),
                CaptureNow = captureNow,
                MerchantMetadata = new MerchantMetadataDto { MerchantReferenceId = reference },
            },
            new RequestOptions { IdempotencyKey = Guid.NewGuid().ToString("N") });
        return created.Value;
    }
}
