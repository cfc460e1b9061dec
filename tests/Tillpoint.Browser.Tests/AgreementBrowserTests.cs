using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Playwright;
using Tillpoint.Client;
using Tillpoint.Protocol.Signing;
using Tillpoint.Server.Tests.Api.Recurring;
using Tillpoint.Server.Tests.Support;
using static Microsoft.Playwright.Assertions;

namespace Tillpoint.Browser.Tests;

/// <summary>
/// Subscriptions in a real browser: a merchant page's Recurring button signs the buyer up through the hosted pages, the
/// buyer cancels the agreement on the agreement page, and a buyer whose subscription was HardDeclined gives it another
/// payment method there.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class AgreementBrowserTests(BrowserFixture browser) : ServerWithMerchant
{
    [Fact]
    public async Task Buyer_SubscribesWithTheRecurringButton_ThenCancelsTheAgreement()
    {
        using var client = Host.Client(Merchant);
        await using var buyer = await BuyerBrowser.OpenAsync(browser);
        string? chargePermissionId = null;

        await buyer.RunAsync(async page =>
        {
            await using var subscribe = await SubscribePageAsync();
            await page.GotoAsync(subscribe.Url);
            await page.Locator("#AmazonPayButton button").ClickAsync();
            await page.Locator("#buyer-signin select[name=buyerId]").SelectOptionAsync(new SelectOptionValue { Index = 1 });
            await page.Locator("#buyer-signin button[type=submit]").ClickAsync();
            await Expect(page.Locator("#agreement-terms")).ToContainTextAsync("This is a subscription: $14.00 every month");
            await buyer.ScreenshotAsync("agreement-sign-up");
            await page.Locator("#buyer-approve button[type=submit]").ClickAsync();
            await Expect(page.Locator("#landed")).ToBeVisibleAsync();

            // The merchant's review page sets the first period's payment, charged at checkout.
            var sessionId = buyer.Query("amazonCheckoutSessionId");
            var updated = (await Checkouts.UpdateAsync(client, sessionId, "14.00", "AuthorizeWithCapture")).Value;
            await page.GotoAsync(updated.WebCheckoutDetails!.AmazonPayRedirectUrl!);
            await Expect(page.Locator("#landed")).ToBeVisibleAsync();
            var completed = (await Checkouts.CompleteAsync(client, sessionId, "14.00")).Value;
            Assert.Equal("Captured", (await client.GetChargeAsync(completed.ChargeId!)).Value.StatusDetails!.State);
            chargePermissionId = completed.ChargePermissionId!;

            // Where Amazon sends the buyer to manage the agreement, on Tillpoint's host; the buyer is still signed in.
            await page.GotoAsync(new Uri(Host.HttpsBase, $"/jr/your-account/ba/{chargePermissionId}").AbsoluteUri);
            await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToContainTextAsync("Your subscription with");
            await page.Locator("#agreement-close button[type=submit]").ClickAsync();
            await Expect(page.Locator("#agreement-closed")).ToBeVisibleAsync();
        });

        var permission = (await client.GetChargePermissionAsync(chargePermissionId!)).Value;
        Assert.Equal("Recurring", permission.ChargePermissionType);
        Assert.Equal(("Closed", "BuyerClosed"), (permission.StatusDetails!.State, Assert.Single(permission.StatusDetails.Reasons!).ReasonCode));
    }

    [Fact]
    public async Task AfterAHardDecline_TheBuyerChoosesAnotherPaymentMethod_AndTheNextChargeSucceeds()
    {
        using var client = Host.Client(Merchant);
        var id = (await Agreements.CompletedAsync(Host, client, Merchant, "Recurring", "Confirm", Agreements.Monthly)).ChargePermissionId!;
        await Assert.ThrowsAsync<AmazonPayException>(() => Agreements.ChargeAsync(client, id, "14.00", "MITR", simulationCode: "HardDeclined"));
        await using var buyer = await BuyerBrowser.OpenAsync(browser);

        await buyer.RunAsync(async page =>
        {
            await page.GotoAsync(new Uri(Host.HttpsBase, $"/checkout/chargePermissions/{id}").AbsoluteUri);
            await page.Locator("#buyer-signin select[name=buyerId]").SelectOptionAsync(HostedCheckout.Jane);
            await page.Locator("#buyer-signin button[type=submit]").ClickAsync();
            await Expect(page.Locator("#payment-method-invalid")).ToBeVisibleAsync();
            await buyer.ScreenshotAsync("agreement-payment-method-invalid");
            await page.Locator("#agreement-payment-method input[name=paymentInstrumentId][value=mastercard-4444]").CheckAsync();
            await page.Locator("#agreement-payment-method button[type=submit]").ClickAsync();
            await Expect(page.Locator("#agreement-updated")).ToContainTextAsync("Mastercard ****4444");
        });

        Assert.Equal("Chargeable", (await client.GetChargePermissionAsync(id)).Value.StatusDetails!.State);
        var charge = (await Agreements.ChargeAsync(client, id, "14.00", "MITR")).Value;
        Assert.Equal("Captured", charge.StatusDetails!.State);
    }

    /// <summary>
    /// The merchant's subscription page: Tillpoint's checkout.js renders a button whose signed payload asks for a monthly
    /// Recurring agreement of 14.00 USD. Served on loopback, as Chromium lets only such a page load Tillpoint's script
    /// from a loopback address.
    /// </summary>
    private async Task<SubscribePage> SubscribePageAsync()
    {
        var payload = HostedCheckout.CheckoutPayload(Merchant, p =>
        {
            p["chargePermissionType"] = "Recurring";
            p["recurringMetadata"] = JsonNode.Parse("""{"frequency":{"unit":"Month","value":"1"},"amount":{"amount":"14.00","currencyCode":"USD"}}""");
        });
        using var key = RsaSigningKey.FromPem(Merchant.PrivateKeyPem);
        var config = new JsonObject
        {
            ["merchantId"] = Merchant.MerchantId,
            ["publicKeyId"] = Merchant.SandboxKeyId,
            ["ledgerCurrency"] = "USD",
            ["placement"] = "Checkout",
            ["sandbox"] = true,
            ["createCheckoutSessionConfig"] = new JsonObject
            {
                ["payloadJSON"] = payload,
                ["signature"] = ButtonSignature.Sign(key, SignatureAlgorithm.RsassaPssV2, payload),
                ["algorithm"] = SignatureAlgorithms.Name(SignatureAlgorithm.RsassaPssV2),
            },
        };
        var html = $"""
            <!doctype html><html lang="en"><title>Subscribe</title>
            <h1>Coffee every month</h1>
            <div id="AmazonPayButton"></div>
            <script src="{new Uri(Host.HttpsBase, "/checkout.js").AbsoluteUri}"></script>
            <script>amazon.Pay.renderButton('#AmazonPayButton', {config.ToJsonString()});</script>
            </html>
            """;
        var builder = WebApplication.CreateSlimBuilder();
        builder.Configuration["AllowedHosts"] = "*";
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        app.MapGet("/subscribe", () => Results.Content(html, "text/html; charset=utf-8"));
        await app.StartAsync();
        return new SubscribePage(app, new Uri(new Uri(app.Urls.Single()), "/subscribe").AbsoluteUri);
    }

    private sealed record SubscribePage(WebApplication App, string Url) : IAsyncDisposable
    {
        public ValueTask DisposeAsync() => App.DisposeAsync();
    }
}
