using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Tillpoint.Server.Tests.Support;
using Tillpoint.Shop;
using static Microsoft.Playwright.Assertions;

namespace Tillpoint.Browser.Tests;

/// <summary>
/// The reference shop bought from in a real browser: Tillpoint's checkout.js renders the button on the cart, the buyer
/// pays on the hosted pages, the shop does step 5 (complete, verify, capture) and the order page ships and refunds.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class ShopBrowserTests(BrowserFixture browser) : IAsyncLifetime
{
    private TillpointHost _tillpoint = null!;
    private WebApplication _shop = null!;
    private string _shopDirectory = null!;
    private Uri _shopBase = null!;

    public async Task InitializeAsync()
    {
        _tillpoint = await TillpointHost.StartAsync();
        var merchant = await _tillpoint.CreateMerchantAsync();
        _shopDirectory = Directory.CreateTempSubdirectory("tillpoint-shop-browser-").FullName;
        _shop = ShopApp.Build(
            [
                "--urls", "http://127.0.0.1:0",
                "--tillpoint-url", _tillpoint.HttpsBase.AbsoluteUri,
                "--merchant-id", merchant.MerchantId,
                "--store-id", merchant.StoreId,
                "--public-key-id", merchant.SandboxKeyId,
                "--private-key", merchant.PrivateKeyPath,
                "--tillpoint-certificate", Path.Combine(_tillpoint.DataDirectory, "tillpoint-https.pem"),
                "--contentRoot", _shopDirectory,
                "--data-dir", _shopDirectory,
                "--Logging:LogLevel:Default", "Warning",
            ],
            // The test server checks x-amz-pay-date against its test clock, so the shop signs with that clock.
            services => services.AddSingleton<TimeProvider>(_tillpoint.SignatureClock));
        await _shop.StartAsync();
        _shopBase = ShopApp.ListeningAddress(_shop);
    }

    public async Task DisposeAsync()
    {
        await _shop.DisposeAsync();
        await _tillpoint.DisposeAsync();
        Directory.Delete(_shopDirectory, recursive: true);
    }

    [Fact]
    public async Task Buyer_PaysWithTheButton_ShopCapturesShipsAndRefunds()
    {
        await using var buyer = await BuyerBrowser.OpenAsync(browser);

        await buyer.RunAsync(async page =>
        {
            await page.GotoAsync(_shopBase.AbsoluteUri);
            await page.Locator("#add-mug").ClickAsync();
            await page.GotoAsync(new Uri(_shopBase, "/cart").AbsoluteUri);
            // checkout.js, loaded from Tillpoint, replaces the placeholder with its button.
            await Expect(page.Locator("#AmazonPayButton button")).ToBeVisibleAsync();
            await buyer.ScreenshotAsync("shop-cart");
            await PayWithTheButtonAsync(page);

            await page.Locator("#viewOrder").ClickAsync();
            await page.Locator("#ship").ClickAsync();
            await Expect(page.Locator("#trackingNumber")).Not.ToBeEmptyAsync();
            await page.Locator("#refund").ClickAsync();
            await Expect(page.Locator("#refunds li").First).ToHaveAttributeAsync("data-state", "RefundInitiated");

            // Refunds settle after the sandbox delay; moving the sandbox clock settles this one now.
            await _tillpoint.AdvanceSandboxAsync(TimeSpan.FromSeconds(31));
            await page.ReloadAsync();
            await Expect(page.Locator("#refunds li").First).ToHaveAttributeAsync("data-state", "Refunded");
            await Expect(page.Locator("#amountRefunded")).ToContainTextAsync("17.50");
            await buyer.ScreenshotAsync("shop-order");
        });
    }

    [Fact]
    public async Task Buyer_BuysNowOnAProductPage_ShopFinalizesAndCapturesThePricedTotal()
    {
        await using var buyer = await BuyerBrowser.OpenAsync(browser);

        await buyer.RunAsync(async page =>
        {
            await page.GotoAsync(_shopBase.AbsoluteUri);
            await page.Locator("#product-mug").ClickAsync();
            var button = page.Locator("#BuyNowButton button");
            await Expect(button).ToContainTextAsync("Buy Now");
            await Expect(button).ToContainTextAsync("$17.50");

            await button.ClickAsync();
            var dialog = page.GetByRole(AriaRole.Dialog);
            await dialog.Locator("[data-tillpoint=sign-in]").ClickAsync();
            // The mug ($12.50) shipped within the US ($5.00), then by express ($10.00 more).
            await Expect(dialog.Locator("[data-tillpoint=total]")).ToContainTextAsync("$17.50");
            await dialog.Locator("[data-tillpoint=deliveryOptionId]").SelectOptionAsync("express");
            await Expect(dialog.Locator("[data-tillpoint=total]")).ToContainTextAsync("$27.50");
            await buyer.ScreenshotAsync("shop-buy-now");
            await dialog.Locator("[data-tillpoint=pay]").ClickAsync();

            await Expect(page.Locator("#orderState")).ToHaveAttributeAsync("data-state", "Paid");
            await Expect(page.Locator("main")).ToContainTextAsync("27.50");
        });
    }

    [Fact]
    public async Task Buyer_SubscribesToTheCoffeeClub_ThenCancelsAtAmazonPay()
    {
        await using var buyer = await BuyerBrowser.OpenAsync(browser);

        await buyer.RunAsync(async page =>
        {
            await page.GotoAsync(_shopBase.AbsoluteUri);
            await page.Locator("#subscriptionsLink").ClickAsync();
            await page.Locator("#AmazonPayButton button").ClickAsync();
            await page.Locator("#buyer-signin select[name=buyerId]").SelectOptionAsync(new SelectOptionValue { Index = 1 });
            await page.Locator("#buyer-signin button[type=submit]").ClickAsync();
            await Expect(page.Locator("#agreement-terms")).ToContainTextAsync("$14.00 every month");
            await page.Locator("#buyer-approve button[type=submit]").ClickAsync();

            await Expect(page.Locator("#monthlyPrice")).ToContainTextAsync("$14.00 a month");
            await page.Locator("#subscribe").ClickAsync();
            await Expect(page.Locator("#subscriptionState")).ToHaveAttributeAsync("data-state", "Active");
            await Expect(page.Locator("#subscriptionCharges li")).ToHaveCountAsync(1);
            await buyer.ScreenshotAsync("shop-subscription");

            var subscription = page.Url;
            await page.Locator("#manageSubscription").ClickAsync();
            await page.Locator("#agreement-close button[type=submit]").ClickAsync();
            await Expect(page.Locator("#agreement-closed")).ToBeVisibleAsync();
            await page.GotoAsync(subscription);
            await Expect(page.Locator("#subscriptionState")).ToHaveAttributeAsync("data-state", "Canceled");
            await Expect(page.Locator("#subscriptionProblem")).ToHaveTextAsync("BuyerClosed");
        });
    }

    /// <summary>
    /// On the shop's cart: clicks the button checkout.js rendered, signs in and approves on Tillpoint's pages as the first
    /// test buyer, places the order on the review page and waits for the result page to say Paid.
    /// </summary>
    /// <returns>The address of Tillpoint's sign-in page.</returns>
    internal static async Task<Uri> PayWithTheButtonAsync(IPage page)
    {
        await page.Locator("#AmazonPayButton button").ClickAsync();
        await page.Locator("#buyer-signin select[name=buyerId]").SelectOptionAsync(new SelectOptionValue { Index = 1 });
        var tillpoint = new Uri(page.Url);
        await page.Locator("#buyer-signin button[type=submit]").ClickAsync();
        await page.Locator("#buyer-approve button[type=submit]").ClickAsync();

        await Expect(page.Locator("#shippingAddress")).ToContainTextAsync("Seattle");
        await page.Locator("#placeOrder").ClickAsync();

        await Expect(page.Locator("#orderState")).ToHaveAttributeAsync("data-state", "Paid");
        return tillpoint;
    }
}
