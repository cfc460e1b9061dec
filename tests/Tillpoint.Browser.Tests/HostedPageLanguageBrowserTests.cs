using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Tillpoint.Server.Tests.Support;
using static Microsoft.Playwright.Assertions;

namespace Tillpoint.Browser.Tests;

/// <summary>
/// The hosted checkout in each of its seven languages, as a buyer sees it: the button's <c>checkoutLanguage</c> names
/// it, the pages say everything in it and write the amount its way. Each language's choice page is saved as a
/// screenshot (<c>hosted-checkout-{language}.png</c>).
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class HostedPageLanguageBrowserTests(BrowserFixture browser) : IAsyncLifetime
{
    private TillpointHost _host = null!;

    public async Task InitializeAsync() => _host = await TillpointHost.StartAsync();

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Theory]
    [InlineData("en_US", "na", "1234.50", "USD", "Sign in to pay", "Choose the address and payment method", @"\$1,234\.50")]
    [InlineData("en_GB", "uk", "1234.50", "GBP", "Sign in to pay", "Choose the address and payment method", @"£1,234\.50")]
    [InlineData("de_DE", "eu", "1234.50", "EUR", "Anmelden und bezahlen", "Adresse und Zahlungsart auswählen", @"1\.234,50\s€")]
    [InlineData("fr_FR", "eu", "1234.50", "EUR", "Connectez-vous pour payer", "Choisissez l'adresse et le mode de paiement", @"1\s234,50\s€")]
    [InlineData("it_IT", "eu", "1234.50", "EUR", "Accedi per pagare", "Scegli l'indirizzo e il metodo di pagamento", @"1\.234,50\s€")]
    [InlineData("es_ES", "eu", "1234.50", "EUR", "Inicia sesión para pagar", "Elige la dirección y el método de pago", @"1\.234,50\s€")]
    [InlineData("ja_JP", "jp", "1000", "JPY", "サインインしてお支払い", "お届け先とお支払い方法の選択", "¥1,000")]
    public async Task TheCheckout_SpeaksTheButtonsLanguage(
        string language, string region, string amount, string currency, string signInHeading, string chooseHeading, string written)
    {
        var merchant = await _host.CreateMerchantAsync(region);
        var payload = HostedCheckout.CheckoutPayload(merchant, payload => payload["paymentDetails"] = new JsonObject
        {
            ["paymentIntent"] = "Authorize",
            ["chargeAmount"] = new JsonObject { ["amount"] = amount, ["currencyCode"] = currency },
        });
        var start = HostedCheckout.StartLink(merchant, payload, extra: ("checkoutLanguage", language));
        await using var buyer = await BuyerBrowser.OpenAsync(browser);

        await buyer.RunAsync(async page =>
        {
            await page.GotoAsync(new Uri(_host.HttpsBase, start).ToString());
            await Expect(page.Locator("html")).ToHaveAttributeAsync("lang", language.Replace('_', '-'));
            await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync(signInHeading);
            await Expect(page.Locator("main p").First).ToContainTextAsync(new Regex(written));
            await page.Locator("#buyer-signin select[name=buyerId]").SelectOptionAsync(new SelectOptionValue { Index = 1 });
            await page.Locator("#buyer-signin button[type=submit]").ClickAsync();

            await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync(chooseHeading);
            await Expect(page.Locator("main p").First).ToContainTextAsync(new Regex(written));
            await buyer.ScreenshotAsync($"hosted-checkout-{language}");
        });
    }
}
