using Microsoft.Playwright;
using Tillpoint.Client;
using Tillpoint.Protocol.Json;
using Tillpoint.Server.Tests.Support;
using static Microsoft.Playwright.Assertions;

namespace Tillpoint.Browser.Tests;

/// <summary>
/// The hosted buyer pages in a real browser: a buyer signs in, chooses, cancels or pays, while the merchant's side runs
/// through the API. Each test saves a screenshot of its final page.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class HostedCheckoutBrowserTests(BrowserFixture browser) : ServerWithMerchant
{
    [Fact]
    public async Task Buyer_SignsInApprovesAndPays_MerchantCompletes()
    {
        using var client = Host.Client(Merchant);
        var created = (await CreateAsync(client)).Value;
        await using var buyer = await BuyerBrowser.OpenAsync(browser);

        await buyer.RunAsync(async page =>
        {
            await SignInAsync(page, created.CheckoutSessionId!);
            await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToContainTextAsync("Choose the address and payment method");
            await buyer.ScreenshotAsync("hosted-checkout-approve");
            await page.Locator("#buyer-approve button[type=submit]").ClickAsync();
            await Expect(page.Locator("#landed")).ToBeVisibleAsync();
            Assert.StartsWith($"{Checkouts.ReviewUrl}?amazonCheckoutSessionId=", page.Url, StringComparison.Ordinal);

            var updated = (await Checkouts.UpdateAsync(client, buyer.Query("amazonCheckoutSessionId"))).Value;
            await page.GotoAsync(updated.WebCheckoutDetails!.AmazonPayRedirectUrl!);
            await Expect(page.Locator("#landed")).ToBeVisibleAsync();
            Assert.StartsWith($"{Checkouts.ResultUrl}?amazonCheckoutSessionId=", page.Url, StringComparison.Ordinal);
        });

        var completed = (await Checkouts.CompleteAsync(client, created.CheckoutSessionId!)).Value;
        Assert.Equal("Completed", completed.StatusDetails!.State);
        Assert.Equal("Authorized", (await client.GetChargeAsync(completed.ChargeId!)).Value.StatusDetails!.State);
    }

    [Fact]
    public async Task Buyer_Cancels_SessionIsCanceledBuyerCanceled()
    {
        using var client = Host.Client(Merchant);
        var created = (await CreateAsync(client)).Value;
        await using var buyer = await BuyerBrowser.OpenAsync(browser);

        await buyer.RunAsync(async page =>
        {
            await SignInAsync(page, created.CheckoutSessionId!);
            await page.Locator("#buyer-cancel button[type=submit]").ClickAsync();
            await Expect(page).ToHaveTitleAsync(new System.Text.RegularExpressions.Regex("canceled", System.Text.RegularExpressions.RegexOptions.IgnoreCase));
        });

        var session = (await client.GetCheckoutSessionAsync(created.CheckoutSessionId!)).Value;
        Assert.Equal(("Canceled", "BuyerCanceled"), (session.StatusDetails!.State, session.StatusDetails.ReasonCode));
    }

    [Fact]
    public async Task DecliningInstrument_SendsTheBuyerBack_SessionIsCanceledDeclined()
    {
        using var client = Host.Client(Merchant);
        var created = (await CreateAsync(client)).Value;
        await using var buyer = await BuyerBrowser.OpenAsync(browser);

        await buyer.RunAsync(async page =>
        {
            await SignInAsync(page, created.CheckoutSessionId!);
            await page.Locator("input[name=paymentInstrumentId][value=visa-3434]").CheckAsync();
            await page.Locator("#buyer-approve button[type=submit]").ClickAsync();
            var updated = (await Checkouts.UpdateAsync(client, created.CheckoutSessionId!)).Value;
            await page.GotoAsync(updated.WebCheckoutDetails!.AmazonPayRedirectUrl!);
            await Expect(page.Locator("#landed")).ToBeVisibleAsync();
        });

        var session = (await client.GetCheckoutSessionAsync(created.CheckoutSessionId!)).Value;
        Assert.Equal(("Canceled", "Declined"), (session.StatusDetails!.State, session.StatusDetails.ReasonCode));
    }

    [Fact]
    public async Task SoftDecline_BuyerRetriesWithAnotherInstrument_AndTheCheckoutCompletes()
    {
        using var client = Host.Client(Merchant);
        var created = (await CreateAsync(client)).Value;
        await using var buyer = await BuyerBrowser.OpenAsync(browser);

        await buyer.RunAsync(async page =>
        {
            await SignInAsync(page, created.CheckoutSessionId!);
            await page.Locator("input[name=paymentInstrumentId][value=visa-2222]").CheckAsync();
            await page.Locator("#buyer-approve button[type=submit]").ClickAsync();
            var updated = (await Checkouts.UpdateAsync(client, created.CheckoutSessionId!)).Value;
            await page.GotoAsync(updated.WebCheckoutDetails!.AmazonPayRedirectUrl!);
            await Expect(page.Locator("#payment-declined")).ToBeVisibleAsync();
            await buyer.ScreenshotAsync("hosted-checkout-soft-decline");
            await page.Locator("#buyer-retry-payment input[name=paymentInstrumentId][value=mastercard-4444]").CheckAsync();
            await page.Locator("#buyer-retry-payment button[type=submit]").ClickAsync();
            await Expect(page.Locator("#landed")).ToBeVisibleAsync();
            Assert.StartsWith($"{Checkouts.ResultUrl}?amazonCheckoutSessionId=", page.Url, StringComparison.Ordinal);
        });

        var completed = (await Checkouts.CompleteAsync(client, created.CheckoutSessionId!)).Value;
        Assert.Equal("Completed", completed.StatusDetails!.State);
        var permission = (await client.GetChargePermissionAsync(completed.ChargePermissionId!)).Value;
        Assert.Equal("Mastercard ****4444", permission.PaymentPreferences![0].PaymentDescriptor);
    }

    [Fact]
    public async Task PendingAuthorization_IsAuthorizedOnceTheSandboxClockMovesOn()
    {
        using var client = Host.Client(Merchant);
        var created = (await CreateAsync(client)).Value;
        await using var buyer = await BuyerBrowser.OpenAsync(browser);

        await buyer.RunAsync(async page =>
        {
            await SignInAsync(page, created.CheckoutSessionId!);
            await page.Locator("input[name=paymentInstrumentId][value=visa-0701]").CheckAsync();
            await page.Locator("#buyer-approve button[type=submit]").ClickAsync();
            var updated = (await Checkouts.UpdateAsync(client, created.CheckoutSessionId!, canHandlePending: true)).Value;
            await page.GotoAsync(updated.WebCheckoutDetails!.AmazonPayRedirectUrl!);
            await Expect(page.Locator("#landed")).ToBeVisibleAsync();
        });

        var completed = await Checkouts.CompleteAsync(client, created.CheckoutSessionId!);
        Assert.Equal(202, completed.StatusCode);
        Assert.Equal("AuthorizationInitiated", (await client.GetChargeAsync(completed.Value.ChargeId!)).Value.StatusDetails!.State);
        await Host.AdvanceSandboxAsync(TimeSpan.FromSeconds(30));
        Assert.Equal("Authorized", (await client.GetChargeAsync(completed.Value.ChargeId!)).Value.StatusDetails!.State);
    }

    [Fact]
    public async Task SignInOnly_ReturnsABuyerToken_TheMerchantExchangesForTheBuyer()
    {
        var payload = HostedSignIn.Payload(Merchant, scopes: ["name", "email"]);
        await using var buyer = await BuyerBrowser.OpenAsync(browser);
        string? token = null;

        await buyer.RunAsync(async page =>
        {
            await page.GotoAsync(new Uri(Host.HttpsBase, HostedSignIn.Link(Merchant, payload)).ToString());
            await page.Locator("#buyer-signin select[name=buyerId]").SelectOptionAsync(new SelectOptionValue { Index = 1 });
            await page.Locator("#buyer-signin button[type=submit]").ClickAsync();
            await Expect(page.Locator("#landed")).ToBeVisibleAsync();
            token = buyer.Query("buyerToken");
        });

        using var client = Host.Client(Merchant);
        var response = await client.GetBuyerAsync(token!);
        Assert.Equal(200, response.StatusCode);
        Assert.False(string.IsNullOrEmpty(response.Value.Name));
        Assert.Null(response.Value.ShippingAddress);
    }

    private Task<AmazonPayResponse<CheckoutSessionDto>> CreateAsync(AmazonPayClient client) => Checkouts.CreateAsync(client, Merchant);

    private async Task SignInAsync(IPage page, string checkoutSessionId)
    {
        await page.GotoAsync(new Uri(Host.HttpsBase, $"/checkout/{checkoutSessionId}").ToString());
        await page.Locator("#buyer-signin select[name=buyerId]").SelectOptionAsync(new SelectOptionValue { Index = 1 });
        await page.Locator("#buyer-signin button[type=submit]").ClickAsync();
        await Expect(page.Locator("#buyer-approve")).ToBeVisibleAsync();
    }
}
