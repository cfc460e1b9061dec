using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Tillpoint.Client;
using Tillpoint.Protocol.Signing;
using Tillpoint.Shop.Catalog;
using Tillpoint.Shop.Checkout;
using Tillpoint.Shop.Configuration;
using Tillpoint.Shop.Orders;
using Tillpoint.Shop.Payments;
using Tillpoint.Shop.Subscriptions;
using Tillpoint.Shop.Web;

namespace Tillpoint.Shop;

/// <summary>The shop's table of contents: configuration, services, then one <c>MapX()</c> per area.</summary>
public static class ShopApp
{
    /// <summary>Builds the shop from the command line (and appsettings, environment); see <see cref="ShopConfiguration"/>.</summary>
    /// <param name="args">The command line.</param>
    /// <param name="configureServices">Lets tests swap services, e.g. the clock.</param>
    /// <exception cref="ShopConfigurationException">The settings are missing or invalid.</exception>
    public static WebApplication Build(string[] args, Action<IServiceCollection>? configureServices = null)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            Args = args,
            // Tests host the shop from another assembly; the name keeps the shop's own identity (data protection, logs).
            ApplicationName = typeof(ShopApp).Assembly.GetName().Name,
        });
        var contentRoot = builder.Environment.ContentRootPath;
        builder.Configuration.AddShopSources(args, contentRoot);
        var options = ShopConfiguration.Read(builder.Configuration, contentRoot);
        if (string.IsNullOrEmpty(builder.Configuration["urls"]) && string.IsNullOrEmpty(builder.Configuration["ASPNETCORE_URLS"]))
        {
            builder.WebHost.UseUrls("http://127.0.0.1:5080");
        }

        builder.Services.AddSingleton(options);
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton(sp => new TillpointTrust(options.CertificatePath, sp.GetRequiredService<TimeProvider>()));
        builder.Services.AddKeyedSingleton(TillpointHttpClient, (sp, _) => sp.GetRequiredService<TillpointTrust>().CreateHttpClient());
        builder.Services.AddSingleton(sp => CreateAmazonPayClient(options, sp));
        builder.Services.AddSingleton(_ => new OrderStore(options.DataDirectory));
        builder.Services.AddSingleton<OrderPayments>();
        builder.Services.AddSingleton(_ => new SubscriptionStore(options.DataDirectory));
        builder.Services.AddSingleton<SubscriptionPayments>();
        builder.Services.AddSingleton<TillpointCheck>();
        builder.Services.AddHostedService<TillpointCheckAtStart>();
        builder.Services.AddAntiforgery(a => a.Cookie.Name = "shop_antiforgery");
        // Kept with the orders, so forms still work after a restart.
        builder.Services.AddDataProtection().PersistKeysToFileSystem(new DirectoryInfo(Path.Combine(options.DataDirectory, "keys")));
        configureServices?.Invoke(builder.Services);

        var app = builder.Build();
        CheckKeyAndStore(app.Services, options);
        app.UseExceptionHandler(new ExceptionHandlerOptions { ExceptionHandler = ShowFailureAsync });
        app.Use(SecurityHeaders(options));
        app.MapAssets();
        app.MapStorefront();
        app.MapCheckout();
        app.MapBuyNow();
        app.MapOrders();
        app.MapSubscriptions();
        return app;
    }

    /// <summary>The address Kestrel listens on once started (useful with port 0).</summary>
    public static Uri ListeningAddress(WebApplication app) =>
        new(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());

    /// <summary>A key or data folder that does not work stops the shop at start-up, not at the first buyer.</summary>
    private static void CheckKeyAndStore(IServiceProvider services, ShopOptions options)
    {
        try
        {
            services.GetRequiredService<AmazonPayClient>();
        }
        catch (Exception e) when (e is ArgumentException or System.Security.Cryptography.CryptographicException)
        {
            throw new ShopConfigurationException([$"Tillpoint:PrivateKeyPath: {options.PrivateKeyPath} is not an unencrypted RSA private key in PEM ({e.Message})"]);
        }

        try
        {
            services.GetRequiredService<OrderStore>();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or Microsoft.Data.Sqlite.SqliteException)
        {
            throw new ShopConfigurationException([$"Shop:DataDirectory: the orders database in {options.DataDirectory} cannot be opened ({e.Message})"]);
        }
    }

    private const string TillpointHttpClient = "tillpoint";

    private static AmazonPayClient CreateAmazonPayClient(ShopOptions options, IServiceProvider services)
    {
        // The HTTP client is a service of its own so the container disposes it; the API client does not own it.
        return new AmazonPayClient(services.GetRequiredKeyedService<HttpClient>(TillpointHttpClient), new AmazonPayClientOptions
        {
            Endpoint = options.TillpointUrl,
            PublicKeyId = options.PublicKeyId,
            PrivateKeyPem = File.ReadAllText(options.PrivateKeyPath),
            Algorithm = SignatureAlgorithm.RsassaPssV2,
            Sandbox = options.Sandbox,
            TimeProvider = services.GetRequiredService<TimeProvider>(),
        });
    }

    /// <summary>
    /// The buyer always gets a page. Amazon Pay refusing a call is a 502 with its reason code; Amazon Pay out of reach
    /// (down, timed out, certificate not trusted) a 503. Anything else is a bug in the shop: a 500, logged.
    /// </summary>
    private static Task ShowFailureAsync(HttpContext context)
    {
        var error = context.Features.Get<IExceptionHandlerFeature>()?.Error;
        var result = error switch
        {
            AmazonPayException e => Layout.Problem(
                context, StatusCodes.Status502BadGateway, "Payment service error", $"Amazon Pay could not handle the request ({e.ReasonCode}). Please try again in a moment."),
            HttpRequestException or TaskCanceledException => Layout.Problem(
                context, StatusCodes.Status503ServiceUnavailable, "Payment service unavailable", "Amazon Pay cannot be reached right now. Please try again in a moment."),
            _ => Layout.Problem(context, StatusCodes.Status500InternalServerError, "Something went wrong", "Sorry, something went wrong on our side. Please try again."),
        };
        return result.ExecuteAsync(context);
    }

    /// <summary>
    /// Scripts only from the shop and Tillpoint's public address (checkout.js); forms may post to the shop and lead to
    /// Tillpoint (the 303 to amazonPayRedirectUrl after "Place order" counts as the form's target).
    /// </summary>
    private static Func<HttpContext, RequestDelegate, Task> SecurityHeaders(ShopOptions options)
    {
        var tillpoint = options.TillpointPublicUrl.GetLeftPart(UriPartial.Authority);
        var policy = $"default-src 'self'; script-src 'self' {tillpoint}; style-src 'self' 'unsafe-inline' {tillpoint}; img-src 'self' data: {tillpoint}; "
            + $"connect-src 'self' {tillpoint}; frame-src {tillpoint}; form-action 'self' {tillpoint}; base-uri 'none'; frame-ancestors 'none'";
        return (context, next) =>
        {
            var headers = context.Response.Headers;
            headers.ContentSecurityPolicy = policy;
            headers.XContentTypeOptions = "nosniff";
            // Tillpoint learns only the shop's origin, so its error pages can link back to the shop.
            headers["Referrer-Policy"] = "strict-origin-when-cross-origin";
            if (!AssetEndpoints.IsAsset(context.Request.Path))
            {
                // Pages carry buyers' addresses and order details.
                headers.CacheControl = "no-store";
            }

            return next(context);
        };
    }
}
