using Microsoft.Playwright;
using Tillpoint.Protocol.Json;
using Tillpoint.Server.Tests.Support;
using static Microsoft.Playwright.Assertions;

namespace Tillpoint.Browser.Tests;

/// <summary>
/// A PayAndShipMultiAddress checkout in a real browser: the button starts it, the buyer ticks several addresses on the
/// hosted page, the merchant splits the order and completes it. The chooser is saved as a screenshot.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class MultiAddressBrowserTests(BrowserFixture browser) : ServerWithMerchant
{
    [Fact]
    public async Task Buyer_TicksSeveralAddresses_MerchantSplitsAndCompletesOneCharge()
    {
        using var client = Host.Client(Merchant);
        await using var buyer = await BuyerBrowser.OpenAsync(browser);
        string? id = null;

        await buyer.RunAsync(async page =>
        {
            var start = HostedCheckout.StartLink(Merchant, HostedCheckout.CheckoutPayload(Merchant), extra: ("productType", "PayAndShipMultiAddress"));
            await page.GotoAsync(new Uri(Host.HttpsBase, start).ToString());
            await page.Locator("#buyer-signin select[name=buyerId]").SelectOptionAsync(new SelectOptionValue { Index = 1 });
            await page.Locator("#buyer-signin button[type=submit]").ClickAsync();
            await Expect(page.Locator("#ship-to-several")).ToBeVisibleAsync();
            await Expect(page.Locator("input[name=shippingAddressIds][value='0']")).ToBeCheckedAsync();
            await page.Locator("input[name=shippingAddressIds][value='2']").CheckAsync();
            await buyer.ScreenshotAsync("hosted-checkout-multi-address");
            await page.Locator("#buyer-approve button[type=submit]").ClickAsync();
            await Expect(page.Locator("#landed")).ToBeVisibleAsync();
            id = buyer.Query("amazonCheckoutSessionId");

            var chosen = (await client.GetCheckoutSessionAsync(id)).Value;
            Assert.Equal(["0", "2"], chosen.ShippingAddresses()!.Select(a => a.AddressId));
            var updated = (await client.UpdateCheckoutSessionAsync(id, new UpdateCheckoutSessionRequest
            {
                WebCheckoutDetails = new WebCheckoutDetailsDto { CheckoutResultReturnUrl = Checkouts.ResultUrl },
                PaymentDetails = new PaymentDetailsDto { PaymentIntent = "AuthorizeWithCapture", ChargeAmount = Payments.Price("30.00") },
                MultiAddressesCheckoutMetadata =
                [
                    new MultiAddressesCheckoutMetadataDto { AddressId = "0", Price = Payments.Price("12.00") },
                    new MultiAddressesCheckoutMetadataDto { AddressId = "2", Price = Payments.Price("18.00") },
                ],
            })).Value;
            await page.GotoAsync(updated.WebCheckoutDetails!.AmazonPayRedirectUrl!);
            await Expect(page.Locator("#landed")).ToBeVisibleAsync();
            Assert.StartsWith($"{Checkouts.ResultUrl}?amazonCheckoutSessionId=", page.Url, StringComparison.Ordinal);
        });

        var completed = (await Checkouts.CompleteAsync(client, id!, "30.00")).Value;
        Assert.Equal("Completed", completed.StatusDetails!.State);
        Assert.Equal(("Captured", "30.00"), ((await client.GetChargeAsync(completed.ChargeId!)).Value.StatusDetails!.State, completed.PaymentDetails!.ChargeAmount!.Amount));
    }
}
