using System.Net;
using Tillpoint.Protocol.Signing;
using Tillpoint.Server.Tests.Support;
using Tillpoint.Shop.Tests.Support;
using static Tillpoint.Shop.Tests.Support.HtmlPage;

namespace Tillpoint.Shop.Tests;

/// <summary>When Amazon Pay (Tillpoint) cannot be reached or not trusted, the buyer gets a page saying so.</summary>
public sealed class OutageTests
{
    [Fact]
    public async Task TillpointUnreachable_BrowsingWorks_AndCheckoutPagesSayThePaymentServiceIsUnavailable()
    {
        var directory = Directory.CreateTempSubdirectory("tillpoint-shop-outage-").FullName;
        var keyPath = Path.Combine(directory, "key.pem");
        using (var key = RsaSigningKey.Generate())
        {
            await File.WriteAllTextAsync(keyPath, key.ExportPrivateKeyPem());
        }

        // Port 1 on loopback: nothing listens there.
        await using var app = Shop.ShopApp.Build(
        [
            "--urls", "http://127.0.0.1:0", "--tillpoint-url", "https://127.0.0.1:1", "--merchant-id", "M1", "--store-id", "S1",
            "--public-key-id", "SANDBOX-K1", "--private-key", keyPath, "--contentRoot", directory, "--data-dir", directory,
            "--Logging:LogLevel:Default", "None",
        ]);
        await app.StartAsync();
        using var browser = new HttpClient { BaseAddress = Shop.ShopApp.ListeningAddress(app) };

        using var products = await browser.GetAsync(new Uri("/", UriKind.Relative));
        using var review = await browser.GetAsync(new Uri("/checkout/review?amazonCheckoutSessionId=0b5e8c0e-7f5f-4a7e-9a52-1f0e5c2d9a11", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, products.StatusCode);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, review.StatusCode);
        Assert.Contains("Amazon Pay cannot be reached", await review.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        await app.StopAsync();
        Directory.Delete(directory, recursive: true);
    }

    [Fact]
    public async Task TillpointsCertificateNotPinned_IsNotTrusted()
    {
        await using var tillpoint = await TillpointHost.StartAsync();
        var merchant = await tillpoint.CreateMerchantAsync();
        var (app, directory) = await ShopHost.StartShopAsync(tillpoint, [.. ShopHost.ShopArguments(tillpoint, merchant), "--tillpoint-certificate", ""]);
        await using (app)
        {
            using var browser = new HttpClient { BaseAddress = Shop.ShopApp.ListeningAddress(app) };

            using var review = await browser.GetAsync(new Uri("/checkout/review?amazonCheckoutSessionId=0b5e8c0e-7f5f-4a7e-9a52-1f0e5c2d9a11", UriKind.Relative));

            // The self-signed certificate is refused: the shop never turns certificate validation off.
            Assert.Equal(HttpStatusCode.ServiceUnavailable, review.StatusCode);
            await app.StopAsync();
        }

        Directory.Delete(directory, recursive: true);
    }

    [Fact]
    public async Task TillpointDownAfterThePurchase_TheOrderPageShowsTheLastKnownState()
    {
        await using var host = await ShopHost.StartAsync();
        using var buyer = host.NewBuyer();
        await buyer.AddToCartAsync("mug");
        var (_, _, result) = await buyer.CheckoutAsync();

        await host.Tillpoint.StopAsync();
        var order = await buyer.GetAsync(Buyer.OrderPath(result));

        Assert.Equal("Paid", State(order));
        Assert.Contains("could not be reached", Text(order, "problem"), StringComparison.Ordinal);
    }
}

/// <summary>A shop that cannot work refuses to start, saying why.</summary>
public sealed class StartupTests
{
    [Fact]
    public void Build_WithAFileThatIsNoPrivateKey_StopsWithTheSettingToFix()
    {
        var directory = Directory.CreateTempSubdirectory("tillpoint-shop-startup-").FullName;
        var keyPath = Path.Combine(directory, "key.pem");
        File.WriteAllText(keyPath, "-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n");

        var error = Assert.Throws<Configuration.ShopConfigurationException>(() => Shop.ShopApp.Build(
        [
            "--urls", "http://127.0.0.1:0", "--merchant-id", "M1", "--store-id", "S1", "--public-key-id", "SANDBOX-K1",
            "--private-key", keyPath, "--contentRoot", directory, "--data-dir", directory,
        ]));

        Assert.StartsWith("Tillpoint:PrivateKeyPath", Assert.Single(error.Problems), StringComparison.Ordinal);
        Directory.Delete(directory, recursive: true);
    }
}
