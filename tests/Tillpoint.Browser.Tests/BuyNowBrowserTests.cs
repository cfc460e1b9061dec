using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Playwright;
using Tillpoint.Client;
using Tillpoint.Protocol.Json;
using Tillpoint.Protocol.Signing;
using static Microsoft.Playwright.Assertions;

namespace Tillpoint.Browser.Tests;

/// <summary>
/// Buy Now in a real browser: a product page of the made-up merchant (<c>https://merchant.example</c>) loads Tillpoint's
/// checkout.js and renders a Buy Now button with every handler; the buyer cancels once, then buys in the dialog, and the
/// merchant's server finalizes the checkout with what the buyer saw.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class BuyNowBrowserTests(BrowserFixture browser) : ServerWithMerchant
{
    private const string ProductPath = "/product/tea";
    private const string ProductPage = "https://merchant.example" + ProductPath;
    private const string FinalizeUrl = "https://merchant.example/finalize";

    [Fact]
    public async Task Buyer_CancelsThenBuysInTheDialog_EveryHandlerRuns_AndTheMerchantsFinalizeCapturesTheShownTotal()
    {
        using var client = Host.Client(Merchant);
        await using var buyer = await BuyerBrowser.OpenAsync(browser);
        var finalized = new List<CheckoutSessionDto>();
        var scriptErrors = new List<string>();
        buyer.Page.PageError += (_, error) => scriptErrors.Add(error);
        buyer.Page.Console += (_, message) => scriptErrors.Add($"console {message.Type}: {message.Text}");
        buyer.Page.RequestFailed += (_, request) => scriptErrors.Add($"failed {request.Url}: {request.Failure}");
        browser.MerchantSite.AddPage(ProductPath, ProductHtml());
        // The merchant's server: Finalize with the amounts and address the dialog handed to onCompleteCheckout.
        await buyer.Page.RouteAsync(FinalizeUrl, async route =>
        {
            var answer = await FinalizeAsync(client, JsonNode.Parse(route.Request.PostData!)!);
            finalized.Add(answer);
            await route.FulfillAsync(new() { ContentType = "application/json", Body = JsonSerializer.Serialize(new { chargeId = answer.ChargeId }) });
        });

        await buyer.RunAsync(async page =>
        {
            await page.GotoAsync(ProductPage);
            await page.WaitForLoadStateAsync(LoadState.NetworkIdle);
            Assert.True(scriptErrors.Count == 0, string.Join("\n", scriptErrors));
            var button = page.Locator("#AmazonPayButton button");
            await Expect(button).ToContainTextAsync("Buy Now · Amazon Pay");
            await Expect(button).ToContainTextAsync("Estimated total: $20.00");

            Assert.True(scriptErrors.Count == 0, string.Join("\n", scriptErrors));
            await button.ClickAsync();
            var dialog = page.GetByRole(AriaRole.Dialog);
            await Expect(dialog).ToContainTextAsync("Buy Now with Amazon Pay");
            await dialog.Locator("[data-tillpoint=cancel]").ClickAsync();
            await Expect(dialog).ToHaveCountAsync(0);
            await Expect(page.Locator("#log")).ToContainTextAsync("cancel:");

            await button.ClickAsync();
            await dialog.Locator("[data-tillpoint=buyerId]").SelectOptionAsync(new SelectOptionValue { Label = "Jane Doe" });
            await dialog.Locator("[data-tillpoint=sign-in]").ClickAsync();
            await Expect(dialog.Locator("[data-tillpoint=total]")).ToContainTextAsync("$21.80");
            await buyer.ScreenshotAsync("buy-now-dialog");

            // The merchant does not ship to PO boxes: its handler answers an error, which the dialog shows.
            await dialog.Locator("[data-tillpoint=shippingAddressId]").SelectOptionAsync("2");
            await Expect(dialog.Locator("[data-tillpoint=error]")).ToContainTextAsync("shippingAddressInvalid");
            await dialog.Locator("[data-tillpoint=shippingAddressId]").SelectOptionAsync("1");
            await Expect(dialog.Locator("[data-tillpoint=total]")).ToContainTextAsync("$20.00");
            await dialog.Locator("[data-tillpoint=deliveryOptionId]").SelectOptionAsync("express");
            await Expect(dialog.Locator("[data-tillpoint=total]")).ToContainTextAsync("$26.00");

            await dialog.Locator("[data-tillpoint=pay]").ClickAsync();
            await Expect(page.Locator("#status")).ToContainTextAsync("Thank you");
            await Expect(dialog).ToHaveCountAsync(0);
            var log = await page.Locator("#log").TextContentAsync();
            Assert.Equal(
                ["cancel", "init en_US Seattle", "address Bellevue", "error shippingAddressInvalid", "address Portland", "delivery express", "complete"],
                log!.Split('|', StringSplitOptions.RemoveEmptyEntries).Select(entry => entry.Split(':')[0]).ToArray());
        });

        var completed = Assert.Single(finalized);
        Assert.Equal("Completed", completed.StatusDetails!.State);
        var charge = (await client.GetChargeAsync(completed.ChargeId!)).Value;
        Assert.Equal("Captured", charge.StatusDetails!.State);
        Assert.Equal("26.00", charge.CaptureAmount!.Amount);
        var permission = (await client.GetChargePermissionAsync(completed.ChargePermissionId!)).Value;
        Assert.Equal("Portland", permission.ShippingAddress!.City);
    }

    private static async Task<CheckoutSessionDto> FinalizeAsync(AmazonPayClient client, JsonNode completeEvent)
    {
        var address = completeEvent["shippingAddress"]!;
        var request = new FinalizeCheckoutSessionRequest
        {
            ChargeAmount = Price(completeEvent["totalChargeAmount"]!),
            TotalOrderAmount = Price(completeEvent["totalOrderAmount"]!),
            PaymentIntent = "AuthorizeWithCapture",
            ShippingAddress = new AddressDto
            {
                Name = (string?)address["name"],
                AddressLine1 = (string?)address["addressLine1"],
                AddressLine2 = (string?)address["addressLine2"],
                City = (string?)address["city"],
                StateOrRegion = (string?)address["stateOrRegion"],
                PostalCode = (string?)address["postalCode"],
                CountryCode = (string?)address["countryCode"],
            },
        };
        return (await client.FinalizeCheckoutSessionAsync((string)completeEvent["amazonCheckoutSessionId"]!, request)).Value;
    }

    private static Price Price(JsonNode price) => new() { Amount = (string?)price["amount"], CurrencyCode = (string?)price["currencyCode"] };

    /// <summary>
    /// The merchant's product page: tea at $10.00 a pack, two packs; shipping free or $6.00 express; Washington's tax
    /// of 9 % on the goods; no delivery to PO boxes. Every handler writes a line to #log.
    /// </summary>
    private string ProductHtml()
    {
        var payload = $$$"""{"storeId":"{{{Merchant.StoreId}}}","scopes":["name","email","shippingAddress"],"paymentDetails":{"paymentIntent":"AuthorizeWithCapture"}}""";
        using var key = RsaSigningKey.FromPem(Merchant.PrivateKeyPem);
        var signature = ButtonSignature.Sign(key, SignatureAlgorithm.RsassaPssV2, payload);
        var config = new JsonObject
        {
            ["merchantId"] = Merchant.MerchantId,
            ["publicKeyId"] = Merchant.SandboxKeyId,
            ["ledgerCurrency"] = "USD",
            ["checkoutLanguage"] = "en_US",
            ["productType"] = "PayAndShip",
            ["placement"] = "Product",
            ["sandbox"] = true,
            ["estimatedOrderAmount"] = new JsonObject { ["amount"] = "20.00", ["currencyCode"] = "USD" },
            ["createCheckoutSessionConfig"] = new JsonObject { ["payloadJSON"] = payload, ["signature"] = signature, ["algorithm"] = "AMZN-PAY-RSASSA-PSS-V2" },
        };
        return $$"""
            <!doctype html>
            <html lang="en">
            <title>Tea</title>
            <h1>Tea, two packs</h1>
            <div id="AmazonPayButton"></div>
            <p id="status"></p>
            <p id="log"></p>
            <script src="{{new Uri(Host.HttpsBase, "/checkout.js")}}"></script>
            <script>
              const log = (line) => { document.getElementById('log').textContent += line + '|'; };
              const usd = (amount) => ({ amount: amount.toFixed(2), currencyCode: 'USD' });
              let delivery = 'standard';
              function cart(event) {
                const goods = 20;
                const shipping = delivery === 'express' ? 6 : 0;
                const tax = event.shippingAddress.stateOrRegion === 'WA' ? 1.8 : 0;
                return {
                  totalBaseAmount: usd(goods), totalShippingAmount: usd(shipping), totalTaxAmount: usd(tax),
                  totalChargeAmount: usd(goods + shipping + tax), totalOrderAmount: usd(goods + shipping + tax),
                  lineItems: [{ id: 'tea', title: 'Tea', quantity: 2, listPrice: usd(10), totalListPrice: usd(20) }],
                  deliveryOptions: [
                    { id: 'standard', price: usd(0), shippingMethod: { shippingMethodName: 'Standard', shippingMethodCode: 'std' }, isDefault: delivery === 'standard' },
                    { id: 'express', price: usd(6), shippingMethod: { shippingMethodName: 'Express', shippingMethodCode: 'exp' }, isDefault: delivery === 'express' },
                  ],
                };
              }
              const config = {{config.ToJsonString()}};
              Object.assign(config, {
                onInitCheckout: (event) => { log(`init ${event.checkoutLanguage} ${event.shippingAddress.city}:`); return cart(event); },
                onShippingAddressSelection: (event) => {
                  log(`address ${event.shippingAddress.city}:`);
                  return /^PO Box/.test(event.shippingAddress.addressLine1) ? { status: 'error', reasonCode: 'shippingAddressInvalid' } : cart(event);
                },
                onDeliveryOptionSelection: (event) => { delivery = event.deliveryOptions[0].id; log(`delivery ${delivery}:`); return cart(event); },
                onCompleteCheckout: (event) => fetch('/finalize', { method: 'POST', body: JSON.stringify(event) })
                  .then((response) => response.json())
                  .then((paid) => { log('complete:'); document.getElementById('status').textContent = `Thank you, charge ${paid.chargeId}`; }),
                onCancel: (event) => log(`cancel:${event.amazonCheckoutSessionId}`),
                onError: (error) => log(`error ${error.reasonCode}:`),
              });
              amazon.Pay.renderButton('#AmazonPayButton', config);
            </script>
            </html>
            """;
    }
}
