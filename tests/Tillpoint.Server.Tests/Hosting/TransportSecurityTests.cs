using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;
using Tillpoint.Server.Tests.Support;

namespace Tillpoint.Server.Tests.Hosting;

/// <summary>
/// What keeps the operator's and buyers' secrets off plain HTTP: cookies marked <c>Secure</c> over HTTPS, HSTS on HTTPS
/// answers, and the dashboard refused over plain HTTP beyond loopback unless the operator asks for it.
/// </summary>
public sealed class TransportSecurityTests(HostFixture fixture) : IClassFixture<HostFixture>
{
    private const string DashboardOverHttpRefusal = "id=\"dashboard-https-required\"";

    private TillpointHost Host => fixture.Host;

    [Theory]
    [InlineData("/dashboard/login")]
    [InlineData("/checkout/{id}")]
    public async Task AntiforgeryCookie_OverHttps_IsSecure_AndOverLoopbackHttp_IsNot(string path)
    {
        using var client = Host.Client(fixture.Merchant);
        var id = (await Checkouts.CreateAsync(client, fixture.Merchant)).Value.CheckoutSessionId!;
        var page = path.Replace("{id}", id, StringComparison.Ordinal);

        var overHttps = await AntiforgeryCookieAsync(new Uri(Host.HttpsBase, page));
        var overHttp = await AntiforgeryCookieAsync(new Uri(Host.HttpBase, page));

        Assert.Contains("; secure", overHttps, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("; httponly", overHttps, StringComparison.OrdinalIgnoreCase);
        // A browser keeps no Secure cookie it got over plain HTTP: the form on that page could not be posted.
        Assert.DoesNotContain("; secure", overHttp, StringComparison.OrdinalIgnoreCase);
    }

    [Theory]
    [InlineData("/healthz")]
    [InlineData("/dashboard/login")]
    public async Task HttpsAnswer_ToANamedHost_CarriesHsts(string path)
    {
        using var http = Http();
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(Host.HttpsBase, path));
        request.Headers.Host = "pay.example.test";

        using var response = await http.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("max-age=2592000", Assert.Single(response.Headers.GetValues("Strict-Transport-Security")));
    }

    [Fact]
    public async Task PlainHttpAnswer_AndHttpsToLoopback_CarryNoHsts()
    {
        using var http = Http();
        using var plain = new HttpRequestMessage(HttpMethod.Get, new Uri(Host.HttpBase, "/healthz"));
        plain.Headers.Host = "pay.example.test";

        using var overHttp = await http.SendAsync(plain);
        using var toLoopback = await http.GetAsync(new Uri(Host.HttpsBase, "/healthz"));

        Assert.False(overHttp.Headers.Contains("Strict-Transport-Security"));
        // HSTS holds for every port of a host: sent to 127.0.0.1 or localhost it would shut the local plain-HTTP listener.
        Assert.False(toLoopback.Headers.Contains("Strict-Transport-Security"));
    }

    [Fact]
    public async Task Dashboard_OverPlainHttpBeyondLoopback_IsRefused_WhileLoopbackAndTheRestAreServed()
    {
        await using var host = await TillpointHost.StartAsync(options => options with { Urls = ["https://127.0.0.1:0", "http://0.0.0.0:0"] });
        var external = new Uri($"http://{NonLoopbackAddress()}:{host.HttpBase.Port}");
        var loopback = new Uri($"http://127.0.0.1:{host.HttpBase.Port}");
        using var http = Http();

        using var login = await http.GetAsync(new Uri(external, "/dashboard/login"));
        using var overview = await http.GetAsync(new Uri(external, "/dashboard"));
        using var signIn = await http.PostAsync(
            new Uri(external, "/dashboard/login"), new FormUrlEncodedContent([new("token", TillpointHost.OperatorToken)]));
        using var health = await http.GetAsync(new Uri(external, "/healthz"));
        using var local = await http.GetAsync(new Uri(loopback, "/dashboard/login"));

        foreach (var refused in new[] { login, overview, signIn })
        {
            Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
            var page = await refused.Content.ReadAsStringAsync();
            Assert.Contains(DashboardOverHttpRefusal, page, StringComparison.Ordinal);
            Assert.Contains("--dashboard-over-http", page, StringComparison.Ordinal);
            Assert.False(refused.Headers.Contains("Set-Cookie"), "a refused request sets no cookie");
        }

        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        Assert.Equal(HttpStatusCode.OK, local.StatusCode);
        Assert.DoesNotContain(DashboardOverHttpRefusal, await local.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Dashboard_OverPlainHttpBeyondLoopback_IsServed_WhenTheOperatorAsks()
    {
        await using var host = await TillpointHost.StartAsync(options => options with
        {
            Urls = ["https://127.0.0.1:0", "http://0.0.0.0:0"],
            DashboardOverHttp = true,
        });
        using var http = Http();

        using var login = await http.GetAsync(new Uri($"http://{NonLoopbackAddress()}:{host.HttpBase.Port}/dashboard/login"));

        Assert.Equal(HttpStatusCode.OK, login.StatusCode);
        Assert.Contains("<form", await login.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    private async Task<string> AntiforgeryCookieAsync(Uri page)
    {
        using var http = Http();
        using var response = await http.GetAsync(page);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return Assert.Single(response.Headers.GetValues("Set-Cookie"), c => c.StartsWith("tillpoint_antiforgery=", StringComparison.Ordinal));
    }

    /// <summary>A client without cookies or redirects that trusts exactly the test server's certificate.</summary>
    private HttpClient Http() => new(new SocketsHttpHandler
    {
        AllowAutoRedirect = false,
        UseCookies = false,
        SslOptions = { RemoteCertificateValidationCallback = (_, certificate, _, _) => certificate?.GetCertHashString() == Host.CertificateThumbprint },
    });

    /// <summary>An address of this machine that is not loopback: a request to it arrives as from the network would.</summary>
    private static IPAddress NonLoopbackAddress() =>
        NetworkInterface.GetAllNetworkInterfaces()
            .SelectMany(network => network.GetIPProperties().UnicastAddresses)
            .Select(unicast => unicast.Address)
            .FirstOrDefault(address => address.AddressFamily == AddressFamily.InterNetwork && !IPAddress.IsLoopback(address))
        ?? throw new InvalidOperationException("This test needs an IPv4 address on this machine that is not loopback; it found none.");
}
