using System.Net;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Tillpoint.Client;
using Tillpoint.Protocol.Json;
using Tillpoint.Server.Tests.Support;

namespace Tillpoint.Server.Tests.Checkout;

/// <summary>
/// The hosted pages beyond the first choice: changing the address or the payment method from the merchant's review
/// page, a soft decline at processing and the retry with another instrument, the Additional Payment Button flow, and
/// what every page must be (accessible, self-contained).
/// </summary>
public sealed partial class HostedCheckoutPagesTests(HostFixture fixture) : IClassFixture<HostFixture>
{
    private const string John = "amzn1.account.AH4TLNZ5TILLPOINTSANDBOXJOHN";

    private TillpointHost Host => fixture.Host;

    private TestMerchant Merchant => fixture.Merchant;

    [Fact]
    public async Task ChangeAddress_FromTheReviewPage_ReplacesTheAddress_AndReturnsToReview()
    {
        using var client = Host.Client(Merchant);
        using var browser = Host.Browser();
        var pages = new HostedCheckout(browser);
        var id = (await Checkouts.CreateAsync(client, Merchant)).Value.CheckoutSessionId!;
        await pages.ApproveAsync(id);

        var page = await pages.GetPageAsync($"/checkout/{id}?change=address");
        using var changed = await pages.SubmitAsync($"/checkout/{id}?change=address", "buyer-change-address", ("shippingAddressId", "1"));

        Assert.Contains("<h1>Change the shipping address</h1>", page, StringComparison.Ordinal);
        Assert.Contains("id=\"address-0\" name=\"shippingAddressId\" value=\"0\" checked", page, StringComparison.Ordinal);
        Assert.DoesNotContain("paymentInstrumentId", page, StringComparison.Ordinal);
        Assert.Contains($"id=\"keep-current\" href=\"{Checkouts.ReviewUrl}?amazonCheckoutSessionId={id}\"", page, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.SeeOther, changed.StatusCode);
        Assert.Equal(new Uri($"{Checkouts.ReviewUrl}?amazonCheckoutSessionId={id}"), changed.Headers.Location);
        var session = (await client.GetCheckoutSessionAsync(id)).Value;
        Assert.Equal("100 Main Street", session.ShippingAddress!.AddressLine1);
        Assert.Equal("Portland", session.ShippingAddress.City);
        Assert.Equal("Visa ****1111", session.PaymentPreferences![0].PaymentDescriptor);
    }

    [Fact]
    public async Task ChangePayment_FromTheReviewPage_ReplacesTheInstrument_AndKeepsTheAddress()
    {
        using var client = Host.Client(Merchant);
        using var browser = Host.Browser();
        var pages = new HostedCheckout(browser);
        var id = (await Checkouts.CreateAsync(client, Merchant)).Value.CheckoutSessionId!;
        await pages.ApproveAsync(id, addressIndex: 1);

        var page = await pages.GetPageAsync($"/checkout/{id}?change=payment");
        using var changed = await pages.SubmitAsync($"/checkout/{id}?change=payment", "buyer-change-payment", ("paymentInstrumentId", "mastercard-4444"));

        Assert.Contains("<h1>Change the payment method</h1>", page, StringComparison.Ordinal);
        Assert.Contains("value=\"visa-1111\" checked", page, StringComparison.Ordinal);
        Assert.DoesNotContain("shippingAddressId", page, StringComparison.Ordinal);
        Assert.Equal(new Uri($"{Checkouts.ReviewUrl}?amazonCheckoutSessionId={id}"), changed.Headers.Location);
        var session = (await client.GetCheckoutSessionAsync(id)).Value;
        Assert.Equal("Mastercard ****4444", session.PaymentPreferences![0].PaymentDescriptor);
        Assert.Equal("Portland", session.ShippingAddress!.City);
    }

    [Fact]
    public async Task ChangedPayment_IsWhatProcessingAndCompletionUse()
    {
        using var client = Host.Client(Merchant);
        using var browser = Host.Browser();
        var pages = new HostedCheckout(browser);
        var id = (await Checkouts.CreateAsync(client, Merchant)).Value.CheckoutSessionId!;
        await pages.ApproveAsync(id, instrumentId: "visa-3434");
        using var changed = await pages.SubmitAsync($"/checkout/{id}?change=payment", "buyer-change-payment", ("paymentInstrumentId", "visa-1111"));

        var updated = (await Checkouts.UpdateAsync(client, id)).Value;
        await pages.ProcessAsync(updated.WebCheckoutDetails!.AmazonPayRedirectUrl!);
        var completed = (await Checkouts.CompleteAsync(client, id)).Value;

        Assert.Equal("Completed", completed.StatusDetails!.State);
        Assert.Equal("Authorized", (await client.GetChargeAsync(completed.ChargeId!)).Value.StatusDetails!.State);
    }

    [Fact]
    public async Task ChangeAddress_ToAnAddressTheMerchantDoesNotShipTo_IsRefused_AndKeepsTheFormer()
    {
        using var client = Host.Client(Merchant);
        using var browser = Host.Browser();
        var pages = new HostedCheckout(browser);
        var id = (await client.CreateCheckoutSessionAsync(new CreateCheckoutSessionRequest
        {
            WebCheckoutDetails = new WebCheckoutDetailsDto { CheckoutReviewReturnUrl = Checkouts.ReviewUrl },
            StoreId = Merchant.StoreId,
            DeliverySpecifications = new DeliverySpecificationsDto { SpecialRestrictions = ["RestrictPOBoxes"] },
        })).Value.CheckoutSessionId!;
        await pages.ApproveAsync(id);

        var page = await pages.GetPageAsync($"/checkout/{id}?change=address");
        using var refused = await pages.SubmitAsync($"/checkout/{id}?change=address", "buyer-change-address", ("shippingAddressId", "2"));

        Assert.Contains("id=\"address-2\" name=\"shippingAddressId\" value=\"2\" disabled", page, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Contains("does not ship", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal("410 Terry Ave N", (await client.GetCheckoutSessionAsync(id)).Value.ShippingAddress!.AddressLine1);
    }

    [Fact]
    public async Task ChangeLink_InAFreshBrowser_SignsInFirst_ThenShowsTheChange()
    {
        using var client = Host.Client(Merchant);
        var id = (await Checkouts.CreateAsync(client, Merchant)).Value.CheckoutSessionId!;
        using (var first = Host.Browser())
        {
            await new HostedCheckout(first).ApproveAsync(id);
        }

        using var browser = Host.Browser();
        var pages = new HostedCheckout(browser);
        var signedIn = await pages.SignInAsync(id, HostedCheckout.Jane, change: "payment");
        var page = await pages.GetPageAsync(signedIn.ToString());

        Assert.Equal($"/checkout/{id}?change=payment", signedIn.ToString());
        HostedCheckout.Form(page, "buyer-change-payment");
    }

    [Theory]
    [InlineData(null)]
    [InlineData("address")]
    public async Task AnotherBuyer_SigningInToAChosenSession_IsRefused_AndChangesNothing(string? change)
    {
        using var client = Host.Client(Merchant);
        var id = await ChosenByJaneAsync(client);

        var cookies = new CookieContainer();
        using var browser = Host.Browser(cookies);
        var path = change is null ? $"/checkout/{id}" : $"/checkout/{id}?change={change}";
        var signIn = HostedCheckout.Form(await new HostedCheckout(browser).GetPageAsync(path), "buyer-signin");
        using var refused = await new HostedCheckout(browser).PostAsync(signIn.Action, signIn.Token, ("buyerId", John));

        await AssertTakenAsync(refused);
        Assert.DoesNotContain(cookies.GetCookies(new Uri(Host.HttpsBase, "/checkout/")), c => c.Name == "tillpoint_buyer");
        await AssertStillJanesChoiceAsync(client, id);
    }

    [Theory]
    [InlineData("approve")]
    [InlineData("address")]
    [InlineData("payment")]
    public async Task AnotherBuyer_SignedInElsewhere_CannotSeeOrChangeAChosenSession(string action)
    {
        using var client = Host.Client(Merchant);
        var id = await ChosenByJaneAsync(client);

        // The second buyer signs in on a session of their own, so their browser has the buyer cookie and a form token.
        using var browser = Host.Browser();
        var pages = new HostedCheckout(browser);
        var own = (await Checkouts.CreateAsync(client, Merchant)).Value.CheckoutSessionId!;
        await pages.SignInAsync(own, John);
        var token = HostedCheckout.Form(await pages.GetPageAsync($"/checkout/{own}"), "buyer-approve").Token;

        using var shown = await browser.GetAsync(new Uri($"/checkout/{id}?change=payment", UriKind.Relative));
        using var posted = await pages.PostAsync(
            $"/checkout/{id}/{action}", token, ("shippingAddressId", "1"), ("paymentInstrumentId", "mastercard-4444"));

        await AssertTakenAsync(shown);
        await AssertTakenAsync(posted);
        await AssertStillJanesChoiceAsync(client, id);
    }

    /// <summary>A session for which Jane chose her first address and Visa ****1111, in a browser of her own.</summary>
    private async Task<string> ChosenByJaneAsync(AmazonPayClient client)
    {
        var id = (await Checkouts.CreateAsync(client, Merchant)).Value.CheckoutSessionId!;
        using var first = Host.Browser();
        await new HostedCheckout(first).ApproveAsync(id);
        return id;
    }

    private static async Task AssertStillJanesChoiceAsync(AmazonPayClient client, string id)
    {
        var session = (await client.GetCheckoutSessionAsync(id)).Value;
        Assert.Equal(HostedCheckout.Jane, session.Buyer!.BuyerId);
        Assert.Equal("Seattle", session.ShippingAddress!.City);
        Assert.Equal("Visa ****1111", session.PaymentPreferences![0].PaymentDescriptor);
    }

    private static async Task AssertTakenAsync(HttpResponseMessage response)
    {
        var page = await response.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Contains("<h1>This checkout belongs to another buyer</h1>", page, StringComparison.Ordinal);
        Assert.Contains("id=\"checkout-taken\"", page, StringComparison.Ordinal);
        Assert.DoesNotContain("<form", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ChangeLink_WithAnUnknownChange_IsABadRequestPage()
    {
        using var client = Host.Client(Merchant);
        using var browser = Host.Browser();
        var id = (await Checkouts.CreateAsync(client, Merchant)).Value.CheckoutSessionId!;

        using var response = await browser.GetAsync(new Uri($"/checkout/{id}?change=everything", UriKind.Relative));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("&#x27;change&#x27;", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ChangePost_WithoutAnEarlierChoice_IsRefused()
    {
        using var client = Host.Client(Merchant);
        using var browser = Host.Browser();
        var pages = new HostedCheckout(browser);
        var id = (await Checkouts.CreateAsync(client, Merchant)).Value.CheckoutSessionId!;
        await pages.SignInAsync(id);
        var approve = HostedCheckout.Form(await pages.GetPageAsync($"/checkout/{id}"), "buyer-approve");

        using var refused = await pages.PostAsync($"/checkout/{id}/payment", approve.Token, ("paymentInstrumentId", "visa-1111"));

        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Contains((await client.GetCheckoutSessionAsync(id)).Value.Constraints!, c => c.ConstraintId == "BuyerNotAssociated");
    }

    [Fact]
    public async Task SoftDecline_ThenAnotherInstrument_ProcessingGoesOn_AndCompletes()
    {
        using var client = Host.Client(Merchant);
        using var browser = Host.Browser();
        var pages = new HostedCheckout(browser);
        var id = (await Checkouts.CreateAsync(client, Merchant)).Value.CheckoutSessionId!;
        await pages.ApproveAsync(id, instrumentId: "visa-2222");
        var redirect = (await Checkouts.UpdateAsync(client, id)).Value.WebCheckoutDetails!.AmazonPayRedirectUrl!;

        var page = await pages.GetPageAsync(redirect);
        var whileDeclined = (await client.GetCheckoutSessionAsync(id)).Value;
        var early = await Payments.OutcomeAsync(() => Checkouts.CompleteAsync(client, id));
        using var retried = await pages.RetryAsync(redirect, "visa-1111");
        var completed = (await Checkouts.CompleteAsync(client, id)).Value;

        Assert.Contains("<h1>Your payment method was declined</h1>", page, StringComparison.Ordinal);
        Assert.Contains("Visa ****2222 was declined", page, StringComparison.Ordinal);
        Assert.Matches("value=\"visa-2222\" disabled", page);
        Assert.Equal("Open", whileDeclined.StatusDetails!.State);
        Assert.Equal(new Outcome(422, "InvalidCheckoutSessionStatus"), early);
        Assert.Equal(HttpStatusCode.SeeOther, retried.StatusCode);
        Assert.Equal(new Uri($"{Checkouts.ResultUrl}?amazonCheckoutSessionId={id}"), retried.Headers.Location);
        Assert.Equal("Completed", completed.StatusDetails!.State);
        Assert.Equal("Visa ****1111", (await client.GetChargePermissionAsync(completed.ChargePermissionId!)).Value.PaymentPreferences![0].PaymentDescriptor);
        Assert.Equal("Authorized", (await client.GetChargeAsync(completed.ChargeId!)).Value.StatusDetails!.State);
    }

    [Fact]
    public async Task SoftDecline_ProcessingPageOpenedAgain_StillAsksForAnotherInstrument()
    {
        using var browser = Host.Browser();
        var (client, pages, id, redirect) = await SoftDeclinedAsync(browser);
        using (client)
        {
            await pages.GetPageAsync(redirect);

            var again = await pages.GetPageAsync(redirect);

            HostedCheckout.Form(again, "buyer-retry-payment");
            Assert.Equal("Open", (await client.GetCheckoutSessionAsync(id)).Value.StatusDetails!.State);
        }
    }

    [Fact]
    public async Task SoftDecline_RetryWithTheDeclinedInstrument_IsRefused_AndAsksAgain()
    {
        using var browser = Host.Browser();
        var (client, pages, id, redirect) = await SoftDeclinedAsync(browser);
        using (client)
        {
            using var refused = await pages.RetryAsync(redirect, "visa-2222");
            var page = await refused.Content.ReadAsStringAsync();

            Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
            Assert.Contains("paymentInstrumentId", page, StringComparison.Ordinal);
            HostedCheckout.Form(page, "buyer-retry-payment");
            Assert.Equal("Open", (await client.GetCheckoutSessionAsync(id)).Value.StatusDetails!.State);
        }
    }

    [Fact]
    public async Task SoftDecline_RetryWithADecliningInstrument_CancelsWithDeclined()
    {
        using var browser = Host.Browser();
        var (client, pages, id, redirect) = await SoftDeclinedAsync(browser);
        using (client)
        {
            using var retried = await pages.RetryAsync(redirect, "visa-3434");

            Assert.Equal(new Uri($"{Checkouts.ResultUrl}?amazonCheckoutSessionId={id}"), retried.Headers.Location);
            var session = (await client.GetCheckoutSessionAsync(id)).Value;
            Assert.Equal("Canceled", session.StatusDetails!.State);
            Assert.Equal("Declined", session.StatusDetails.ReasonCode);
        }
    }

    [Fact]
    public async Task SoftDecline_RetrySubmittedTwice_SendsBothToTheResult()
    {
        using var browser = Host.Browser();
        var (client, pages, id, redirect) = await SoftDeclinedAsync(browser);
        using (client)
        {
            var page = await pages.GetPageAsync(redirect);
            var retry = HostedCheckout.Form(page, "buyer-retry-payment");

            using var first = await pages.PostAsync(retry.Action, retry.Token, ("paymentInstrumentId", "visa-1111"));
            using var second = await pages.PostAsync(retry.Action, retry.Token, ("paymentInstrumentId", "amex-0005"));

            Assert.Equal(first.Headers.Location, second.Headers.Location);
            Assert.Equal(HttpStatusCode.SeeOther, second.StatusCode);
            Assert.Equal("Visa ****1111", (await client.GetCheckoutSessionAsync(id)).Value.PaymentPreferences![0].PaymentDescriptor);
        }
    }

    [Fact]
    public async Task SoftDecline_ThenCancel_CancelsWithBuyerCanceled()
    {
        using var browser = Host.Browser();
        var (client, pages, id, redirect) = await SoftDeclinedAsync(browser);
        using (client)
        {
            using var canceled = await pages.SubmitAsync(redirect, "buyer-cancel");

            Assert.Equal(HttpStatusCode.OK, canceled.StatusCode);
            var session = (await client.GetCheckoutSessionAsync(id)).Value;
            Assert.Equal("Canceled", session.StatusDetails!.State);
            Assert.Equal("BuyerCanceled", session.StatusDetails.ReasonCode);
        }
    }

    [Fact]
    public async Task Retry_WithoutASoftDecline_IsAConflict_AndChangesNothing()
    {
        using var client = Host.Client(Merchant);
        using var browser = Host.Browser();
        var pages = new HostedCheckout(browser);
        var id = (await Checkouts.CreateAsync(client, Merchant)).Value.CheckoutSessionId!;
        await pages.ApproveAsync(id);
        await Checkouts.UpdateAsync(client, id);
        var token = HostedCheckout.Form(await pages.GetPageAsync($"/checkout/{id}"), "buyer-approve").Token;

        using var refused = await pages.PostAsync($"/checkout/{id}/retry", token, ("paymentInstrumentId", "amex-0005"));

        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        var session = (await client.GetCheckoutSessionAsync(id)).Value;
        Assert.Equal("Visa ****1111", session.PaymentPreferences![0].PaymentDescriptor);
        Assert.Equal(new Outcome(422, "InvalidCheckoutSessionStatus"), await Payments.OutcomeAsync(() => Checkouts.CompleteAsync(client, id)));
    }

    [Fact]
    public async Task SoftDeclineInstrument_WithConfirm_IsAccepted_ButItsFirstChargeIsSoftDeclined()
    {
        using var client = Host.Client(Merchant);

        var permission = await Payments.ChargePermissionAsync(Host, client, Merchant, instrumentId: "visa-2222");
        var charge = await Payments.OutcomeAsync(() => Payments.CreateChargeAsync(client, permission, "10.00"));

        Assert.Equal(new Outcome(422, "SoftDeclined"), charge);
        Assert.Equal("NonChargeable PaymentMethodInvalid", await Payments.PermissionStateAsync(client, permission));
    }

    [Fact]
    public async Task AdditionalPaymentButton_TheBuyerSignsInAndPays_ThenGoesStraightToProcessing()
    {
        using var client = Host.Client(Merchant);
        using var browser = Host.Browser();
        var pages = new HostedCheckout(browser);
        var id = await pages.StartAsync(HostedCheckout.StartLink(Merchant, ProcessOrderPayload()));
        await pages.SignInAsync(id);

        var page = await pages.GetPageAsync($"/checkout/{id}");
        using var approved = await pages.SubmitAsync($"/checkout/{id}", "buyer-approve", ("paymentInstrumentId", "visa-1111"));
        var processing = approved.Headers.Location!.ToString();
        var result = await pages.ProcessAsync(processing);
        var completed = (await Checkouts.CompleteAsync(client, id, "25.00")).Value;

        Assert.DoesNotContain("shippingAddressId", page, StringComparison.Ordinal);
        Assert.Contains("Pay now", page, StringComparison.Ordinal);
        Assert.Contains("$25.00", page, StringComparison.Ordinal);
        Assert.Equal($"/checkout/processing?amazonCheckoutSessionId={id}", processing);
        Assert.Equal(new Uri($"{Checkouts.ResultUrl}?amazonCheckoutSessionId={id}"), result);
        Assert.Equal("Completed", completed.StatusDetails!.State);
        Assert.Equal("Captured", (await client.GetChargeAsync(completed.ChargeId!)).Value.StatusDetails!.State);
        Assert.Equal("1 Merchant Way", (await client.GetChargePermissionAsync(completed.ChargePermissionId!)).Value.ShippingAddress!.AddressLine1);
    }

    [Fact]
    public async Task AdditionalPaymentButton_SoftDecline_RetriesAtProcessing()
    {
        using var client = Host.Client(Merchant);
        using var browser = Host.Browser();
        var pages = new HostedCheckout(browser);
        var id = await pages.StartAsync(HostedCheckout.StartLink(Merchant, ProcessOrderPayload()));
        await pages.SignInAsync(id);
        using var approved = await pages.SubmitAsync($"/checkout/{id}", "buyer-approve", ("paymentInstrumentId", "visa-2222"));

        using var retried = await pages.RetryAsync(approved.Headers.Location!.ToString(), "discover-9424");
        var completed = (await Checkouts.CompleteAsync(client, id, "25.00")).Value;

        Assert.Equal(new Uri($"{Checkouts.ResultUrl}?amazonCheckoutSessionId={id}"), retried.Headers.Location);
        Assert.Equal("Discover ****9424", (await client.GetChargePermissionAsync(completed.ChargePermissionId!)).Value.PaymentPreferences![0].PaymentDescriptor);
    }

    [Fact]
    public async Task AdditionalPaymentButton_ChangeLinks_OfferTheWholeChoice()
    {
        using var browser = Host.Browser();
        var pages = new HostedCheckout(browser);
        var id = await pages.StartAsync(HostedCheckout.StartLink(Merchant, ProcessOrderPayload()));
        await pages.SignInAsync(id);

        var page = await pages.GetPageAsync($"/checkout/{id}?change=payment");

        HostedCheckout.Form(page, "buyer-approve");
    }

    [Fact]
    public async Task HostedPages_AreAccessibleAndSelfContained()
    {
        using var client = Host.Client(Merchant);
        using var browser = Host.Browser();
        var pages = new HostedCheckout(browser);
        var id = (await Checkouts.CreateAsync(client, Merchant)).Value.CheckoutSessionId!;
        var signIn = await pages.GetPageAsync($"/checkout/{id}");
        await pages.SignInAsync(id);
        var choose = await pages.GetPageAsync($"/checkout/{id}");
        await pages.ApproveAsync(id, instrumentId: "visa-2222");
        var changeAddress = await pages.GetPageAsync($"/checkout/{id}?change=address");
        var changePayment = await pages.GetPageAsync($"/checkout/{id}?change=payment");
        var redirect = (await Checkouts.UpdateAsync(client, id)).Value.WebCheckoutDetails!.AmazonPayRedirectUrl!;
        var retry = await pages.GetPageAsync(redirect);

        foreach (var page in new[] { signIn, choose, changeAddress, changePayment, retry })
        {
            Assert.Contains("<html lang=\"en-US\">", page, StringComparison.Ordinal);
            Assert.Equal(1, Regex.Count(page, "<h1>"));
            Assert.Contains("name=\"viewport\"", page, StringComparison.Ordinal);
            Assert.Contains(":focus-visible", page, StringComparison.Ordinal);
            Assert.DoesNotContain("<script", page, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotMatch("(src|href)=\"https?://(?!merchant\\.example/)", page);
            // Every control has a label; every group of radios a fieldset with a legend.
            foreach (Match input in Regex.Matches(page, "<(input|select) [^>]*>"))
            {
                if (input.Value.Contains("type=\"hidden\"", StringComparison.Ordinal))
                {
                    continue;
                }

                var controlId = Regex.Match(input.Value, "id=\"([^\"]+)\"").Groups[1].Value;
                Assert.Matches($"<label[^>]* for=\"{controlId}\"", page);
            }

            Assert.Equal(Regex.Count(page, "<fieldset>"), Regex.Count(page, "<fieldset><legend>"));
        }

        Assert.Contains("<fieldset><legend>Ship to</legend>", choose, StringComparison.Ordinal);
        Assert.Contains("<fieldset><legend>Pay with</legend>", choose, StringComparison.Ordinal);
    }

    /// <summary>A session whose buyer chose the soft-declining instrument, ready for processing.</summary>
    private async Task<(AmazonPayClient Client, HostedCheckout Pages, string Id, string Redirect)> SoftDeclinedAsync(HttpClient browser)
    {
        var client = Host.Client(Merchant);
        var pages = new HostedCheckout(browser);
        var id = (await Checkouts.CreateAsync(client, Merchant)).Value.CheckoutSessionId!;
        await pages.ApproveAsync(id, instrumentId: "visa-2222");
        var redirect = (await Checkouts.UpdateAsync(client, id)).Value.WebCheckoutDetails!.AmazonPayRedirectUrl!;
        return (client, pages, id, redirect);
    }

    /// <summary>An Additional Payment Button payload: the merchant has the address and the amount already.</summary>
    private string ProcessOrderPayload() => HostedCheckout.CheckoutPayload(Merchant, payload =>
    {
        payload["webCheckoutDetails"] = new JsonObject
        {
            ["checkoutMode"] = "ProcessOrder",
            ["checkoutResultReturnUrl"] = Checkouts.ResultUrl,
        };
        payload["paymentDetails"] = new JsonObject
        {
            ["paymentIntent"] = "AuthorizeWithCapture",
            ["chargeAmount"] = new JsonObject { ["amount"] = "25.00", ["currencyCode"] = "USD" },
        };
        payload["addressDetails"] = new JsonObject
        {
            ["name"] = "Sam Buyer",
            ["addressLine1"] = "1 Merchant Way",
            ["city"] = "Seattle",
            ["stateOrRegion"] = "WA",
            ["postalCode"] = "98101",
            ["countryCode"] = "US",
            ["phoneNumber"] = "+1 206-555-0123",
        };
    });
}
