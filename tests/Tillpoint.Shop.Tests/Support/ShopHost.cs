using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Tillpoint.Client;
using Tillpoint.Server.Tests.Support;

namespace Tillpoint.Shop.Tests.Support;

/// <summary>
/// A real Tillpoint server with one merchant, and the shop in-process on a loopback port, configured through its
/// command line as a developer would start it. The shop signs with the server's signature clock.
/// </summary>
public sealed class ShopHost : IAsyncDisposable
{
    private readonly WebApplication _shop;

    private ShopHost(TillpointHost tillpoint, TestMerchant merchant, WebApplication shop, string shopDirectory)
    {
        Tillpoint = tillpoint;
        Merchant = merchant;
        _shop = shop;
        ShopDirectory = shopDirectory;
        ShopBase = ShopApp.ListeningAddress(shop);
    }

    public TillpointHost Tillpoint { get; }

    public TestMerchant Merchant { get; }

    public Uri ShopBase { get; }

    /// <summary>The shop's content root and data folder.</summary>
    public string ShopDirectory { get; }

    public IServiceProvider ShopServices => _shop.Services;

    public static Task<ShopHost> StartAsync() => StartAsync([]);

    /// <summary>As <see cref="StartAsync()"/>, with more switches for the shop (later ones win) and services to swap.</summary>
    public static async Task<ShopHost> StartAsync(IEnumerable<string> moreArguments, Action<IServiceCollection>? configureServices = null)
    {
        var tillpoint = await TillpointHost.StartAsync();
        var merchant = await tillpoint.CreateMerchantAsync();
        var shop = await StartShopAsync(tillpoint, [.. ShopArguments(tillpoint, merchant), .. moreArguments], configureServices);
        return new ShopHost(tillpoint, merchant, shop.App, shop.Directory);
    }

    /// <summary>The command line of a shop pointed at <paramref name="tillpoint"/>, pinning its certificate.</summary>
    public static List<string> ShopArguments(TillpointHost tillpoint, TestMerchant merchant) =>
    [
        "--urls", "http://127.0.0.1:0",
        "--tillpoint-url", tillpoint.HttpsBase.AbsoluteUri,
        "--merchant-id", merchant.MerchantId,
        "--store-id", merchant.StoreId,
        "--public-key-id", merchant.SandboxKeyId,
        "--private-key", merchant.PrivateKeyPath,
        "--tillpoint-certificate", Path.Combine(tillpoint.DataDirectory, "tillpoint-https.pem"),
    ];

    /// <summary>Starts a shop with its own temp folder as content root and data folder (so no appsettings file leaks in).</summary>
    public static async Task<(WebApplication App, string Directory)> StartShopAsync(
        TillpointHost tillpoint, IEnumerable<string> arguments, Action<IServiceCollection>? configureServices = null)
    {
        var directory = System.IO.Directory.CreateTempSubdirectory("tillpoint-shop-test-").FullName;
        var app = ShopApp.Build(
            [.. arguments, "--contentRoot", directory, "--data-dir", directory, "--Logging:LogLevel:Default", "Warning"],
            services =>
            {
                services.AddSingleton<TimeProvider>(tillpoint.SignatureClock);
                configureServices?.Invoke(services);
            });
        await app.StartAsync();
        return (app, directory);
    }

    /// <summary>A buyer's browser: one cookie jar for the shop and Tillpoint's pages, redirects not followed.</summary>
    public Buyer NewBuyer() => new(this);

    /// <summary>The merchant's API client, to check what the shop did.</summary>
    public AmazonPayClient AmazonPay() => Tillpoint.Client(Merchant);

    public async ValueTask DisposeAsync()
    {
        await _shop.StopAsync();
        await _shop.DisposeAsync();
        await Tillpoint.DisposeAsync();
        try
        {
            Directory.Delete(ShopDirectory, recursive: true);
        }
        catch (IOException)
        {
            // A temp folder; a file the OS still holds is no reason to fail a test.
        }
    }
}

/// <summary>One host per test class: starting Tillpoint and the shop is the slow part.</summary>
public sealed class ShopFixture : IAsyncLifetime
{
    public ShopHost Host { get; private set; } = null!;

    public async Task InitializeAsync() => Host = await ShopHost.StartAsync();

    public async Task DisposeAsync() => await Host.DisposeAsync();
}

internal static class CookieJars
{
    public static HttpClient Browser(Uri baseAddress, CookieContainer cookies, string tillpointThumbprint) => new(new SocketsHttpHandler
    {
        AllowAutoRedirect = false,
        UseCookies = true,
        CookieContainer = cookies,
        SslOptions = { RemoteCertificateValidationCallback = (_, certificate, _, _) => certificate?.GetCertHashString() == tillpointThumbprint },
    })
    {
        BaseAddress = baseAddress,
    };
}
