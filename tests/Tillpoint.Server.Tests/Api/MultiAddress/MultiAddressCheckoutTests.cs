using System.Net;
using System.Text;
using System.Text.Json;
using Tillpoint.Client;
using Tillpoint.Protocol.Json;
using Tillpoint.Server.Tests.Support;

namespace Tillpoint.Server.Tests.Api.MultiAddress;

/// <summary>
/// A PayAndShipMultiAddress checkout over HTTP: the button starts it, the buyer chooses several addresses (headless or on
/// the hosted page), Get shows them as the SDKs parse them, the merchant splits the order (the prices add up to
/// chargeAmount), and Complete makes one charge for the total.
/// </summary>
public sealed class MultiAddressCheckoutTests(HostFixture fixture) : IClassFixture<HostFixture>
{
    private TillpointHost Host => fixture.Host;

    private TestMerchant Merchant => fixture.Merchant;

    /// <summary>Jane's Seattle, Portland and PO-box addresses are positions 0, 1 and 2.</summary>
    private static readonly List<string> SeattleAndPoBox = ["0", "2"];

    private async Task<string> StartAsync()
    {
        using var browser = Host.Browser();
        return await new HostedCheckout(browser).StartAsync(
            HostedCheckout.StartLink(Merchant, HostedCheckout.CheckoutPayload(Merchant), extra: ("productType", "PayAndShipMultiAddress")));
    }

    private async Task<string> ChosenAsync(List<string>? addressIds = null)
    {
        var id = await StartAsync();
        using var buyer = Host.Operator();
        await buyer.ApproveCheckoutAsync(id, new BuyerChoice { ShippingAddressIds = addressIds ?? SeattleAndPoBox });
        return id;
    }

    private static UpdateCheckoutSessionRequest Split(string chargeAmount, params (string AddressId, string Amount)[] prices) => new()
    {
        WebCheckoutDetails = new WebCheckoutDetailsDto { CheckoutResultReturnUrl = Checkouts.ResultUrl },
        PaymentDetails = new PaymentDetailsDto { PaymentIntent = "Authorize", ChargeAmount = Payments.Price(chargeAmount) },
        MultiAddressesCheckoutMetadata = [.. prices.Select(p => new MultiAddressesCheckoutMetadataDto { AddressId = p.AddressId, Price = Payments.Price(p.Amount) })],
    };

    private static async Task<(int Status, JsonElement Body)> RawAsync(AmazonPayClient client, HttpMethod method, string path, string? body = null)
    {
        var answer = await client.SendAsync(
            method, path, body is null ? null : Encoding.UTF8.GetBytes(body), new RequestOptions { IdempotencyKey = method == HttpMethod.Get ? null : Guid.NewGuid().ToString("N") });
        return (answer.StatusCode, JsonDocument.Parse(answer.Body).RootElement.Clone());
    }

    [Fact]
    public async Task AMultiAddressOrder_IsChosenSplitCompletedAndCapturedAsOneCharge()
    {
        using var client = Host.Client(Merchant);
        var id = await StartAsync();
        var started = (await client.GetCheckoutSessionAsync(id)).Value;
        Assert.Equal("PayAndShipMultiAddress", started.ProductType);
        Assert.Null(started.ShippingAddressList);

        using var buyer = Host.Operator();
        var review = await buyer.ApproveCheckoutAsync(id, new BuyerChoice { ShippingAddressIds = SeattleAndPoBox });
        Assert.Equal($"{Checkouts.ReviewUrl}?amazonCheckoutSessionId={id}", review.RedirectUrl);

        var chosen = (await client.GetCheckoutSessionAsync(id)).Value;
        Assert.Null(chosen.ShippingAddress);
        var addresses = chosen.ShippingAddresses()!;
        Assert.Equal(["0", "2"], addresses.Select(a => a.AddressId));
        Assert.Equal(["Seattle", "Bellevue"], addresses.Select(a => a.City));
        Assert.Equal("PO Box 1234", addresses[1].AddressLine1);

        var updated = (await client.UpdateCheckoutSessionAsync(id, Split("30.00", ("0", "12.50"), ("2", "17.50")))).Value;
        Assert.Equal(
            [("0", "12.50", "USD"), ("2", "17.50", "USD")],
            updated.MultiAddressesCheckoutMetadata!.Select(m => (m.AddressId!, m.Price!.Amount!, m.Price.CurrencyCode!)));
        Assert.NotNull(updated.WebCheckoutDetails!.AmazonPayRedirectUrl);

        var result = await buyer.PayCheckoutAsync(id);
        Assert.Equal($"{Checkouts.ResultUrl}?amazonCheckoutSessionId={id}", result.RedirectUrl);
        var completed = await Checkouts.CompleteAsync(client, id, "30.00");
        Assert.Equal(200, completed.StatusCode);
        Assert.Equal("Completed", completed.Value.StatusDetails!.State);
        Assert.Equal(2, completed.Value.MultiAddressesCheckoutMetadata!.Count);
        // Addresses are shown only while the session is Open, as the single shippingAddress is.
        Assert.Null(completed.Value.ShippingAddressList);

        var charge = (await client.GetChargeAsync(completed.Value.ChargeId!)).Value;
        Assert.Equal(("Authorized", "30.00"), (charge.StatusDetails!.State, charge.ChargeAmount!.Amount));
        var captured = (await Checkouts.CaptureAsync(client, charge.ChargeId!, "30.00")).Value;
        Assert.Equal("Captured", captured.StatusDetails!.State);
        var permission = (await client.GetChargePermissionAsync(completed.Value.ChargePermissionId!)).Value;
        Assert.Null(permission.ShippingAddress);
    }

    [Fact]
    public async Task Get_ShowsTheAddressesAsJsonStrings_AndTheSplitWhereTheSdkTypesPlaceThem()
    {
        using var client = Host.Client(Merchant);
        var id = await ChosenAsync();
        await client.UpdateCheckoutSessionAsync(id, Split("30.00", ("0", "10.00"), ("2", "20.00")));

        var (_, session) = await RawAsync(client, HttpMethod.Get, $"checkoutSessions/{id}");

        var keys = session.EnumerateObject().Select(p => p.Name).ToList();
        Assert.Equal(keys.IndexOf("paymentMethodOnFileMetadata") + 1, keys.IndexOf("multiAddressesCheckoutMetadata"));
        Assert.Equal(keys.IndexOf("shippingAddress") + 1, keys.IndexOf("shippingAddressList"));
        var list = session.GetProperty("shippingAddressList").EnumerateArray().ToList();
        Assert.All(list, element => Assert.Equal(JsonValueKind.String, element.ValueKind));
        var first = JsonDocument.Parse(list[0].GetString()!).RootElement;
        Assert.Equal(
            ["addressId", "name", "addressLine1", "addressLine2", "addressLine3", "city", "county", "district", "stateOrRegion", "postalCode", "countryCode", "phoneNumber"],
            first.EnumerateObject().Select(p => p.Name));
        Assert.Equal("0", first.GetProperty("addressId").GetString());
        var split = session.GetProperty("multiAddressesCheckoutMetadata")[1];
        Assert.Equal("2", split.GetProperty("addressId").GetString());
        Assert.Equal("20.00", split.GetProperty("price").GetProperty("amount").GetString());
    }

    [Fact]
    public async Task AnOrdinaryCheckout_HasNeitherKey()
    {
        using var client = Host.Client(Merchant);
        var id = (await Checkouts.CreateAsync(client, Merchant)).Value.CheckoutSessionId!;
        using var buyer = Host.Operator();
        await buyer.ApproveCheckoutAsync(id);

        var (_, session) = await RawAsync(client, HttpMethod.Get, $"checkoutSessions/{id}");

        Assert.False(session.TryGetProperty("shippingAddressList", out _));
        Assert.False(session.TryGetProperty("multiAddressesCheckoutMetadata", out _));
    }

    [Theory]
    [InlineData("10.00", "10.00")]
    [InlineData("10.00", "20.01")]
    public async Task ASplitThatDoesNotAddUp_IsAnAmountMismatch_AndChangesNothing(string first, string second)
    {
        using var client = Host.Client(Merchant);
        var id = await ChosenAsync();
        await client.UpdateCheckoutSessionAsync(id, Split("30.00", ("0", "10.00"), ("2", "20.00")));

        var refused = await Assert.ThrowsAsync<AmazonPayException>(() => client.UpdateCheckoutSessionAsync(id, Split("30.00", ("0", first), ("2", second))));

        Assert.Equal((409, "AmountMismatch"), (refused.StatusCode, refused.ReasonCode));
        Assert.Contains("chargeAmount", refused.Message, StringComparison.Ordinal);
        var kept = (await client.GetCheckoutSessionAsync(id)).Value.MultiAddressesCheckoutMetadata!;
        Assert.Equal(["10.00", "20.00"], kept.Select(m => m.Price!.Amount));
    }

    [Fact]
    public async Task AChargeAmountThatBreaksTheSplit_IsAnAmountMismatch()
    {
        using var client = Host.Client(Merchant);
        var id = await ChosenAsync();
        await client.UpdateCheckoutSessionAsync(id, Split("30.00", ("0", "10.00"), ("2", "20.00")));

        var refused = await Assert.ThrowsAsync<AmazonPayException>(() => client.UpdateCheckoutSessionAsync(
            id, new UpdateCheckoutSessionRequest { PaymentDetails = new PaymentDetailsDto { ChargeAmount = Payments.Price("31.00") } }));

        Assert.Equal((409, "AmountMismatch"), (refused.StatusCode, refused.ReasonCode));
        Assert.Equal("30.00", (await client.GetCheckoutSessionAsync(id)).Value.PaymentDetails!.ChargeAmount!.Amount);
    }

    [Theory]
    [InlineData("""[{"addressId": "1", "price": {"amount": "30.00", "currencyCode": "USD"}}]""", 400, "InvalidParameterValue", "multiAddressesCheckoutMetadata[0].addressId")]
    [InlineData("""[{"addressId": "0", "price": {"amount": "30.00", "currencyCode": "USD"}}, {"addressId": "0", "price": {"amount": "1", "currencyCode": "USD"}}]""", 400, "InvalidParameterValue", "has a price already")]
    [InlineData("""[{"addressId": "0"}]""", 400, "MissingParameterValue", "multiAddressesCheckoutMetadata[0].price")]
    [InlineData("""[{"price": {"amount": "30.00", "currencyCode": "USD"}}]""", 400, "MissingParameterValue", "multiAddressesCheckoutMetadata[0].addressId")]
    [InlineData("""[{"addressId": "0", "price": {"amount": "30.001", "currencyCode": "USD"}}]""", 400, "InvalidParameterValue", "multiAddressesCheckoutMetadata[0].price.amount")]
    [InlineData("""[{"addressId": "0", "price": {"amount": "0", "currencyCode": "USD"}}]""", 400, "InvalidParameterValue", "multiAddressesCheckoutMetadata[0].price")]
    [InlineData("""[{"addressId": "0", "price": {"amount": "30.00", "currencyCode": "EUR"}}]""", 400, "CurrencyMismatch", "EUR")]
    [InlineData("""[{"addressId": "0", "price": {"amount": "30.00", "currencyCode": "USD"}, "quantity": 1}]""", 400, "UnrecognizedField", "quantity")]
    [InlineData("""[]""", 400, "InvalidParameterValue", "multiAddressesCheckoutMetadata")]
    [InlineData("""[null]""", 400, "InvalidParameterValue", "multiAddressesCheckoutMetadata[0]")]
    [InlineData("""{"addressId": "0"}""", 400, "InvalidParameterValue", "multiAddressesCheckoutMetadata")]
    public async Task ABadSplit_IsRefusedInTheApiErrorFormat_AndChangesNothing(string metadata, int status, string reasonCode, string named)
    {
        using var client = Host.Client(Merchant);
        var id = await ChosenAsync();
        var (_, before) = await RawAsync(client, HttpMethod.Get, $"checkoutSessions/{id}");

        var (answered, error) = await RawAsync(client, HttpMethod.Patch, $"checkoutSessions/{id}", $$$"""
            {"paymentDetails": {"paymentIntent": "Authorize", "chargeAmount": {"amount": "30.00", "currencyCode": "USD"}},
             "multiAddressesCheckoutMetadata": {{{metadata}}}}
            """);

        Assert.Equal(status, answered);
        Assert.Equal(["reasonCode", "message"], error.EnumerateObject().Select(p => p.Name));
        Assert.Equal(reasonCode, error.GetProperty("reasonCode").GetString());
        Assert.Contains(named, error.GetProperty("message").GetString(), StringComparison.Ordinal);
        var (_, after) = await RawAsync(client, HttpMethod.Get, $"checkoutSessions/{id}");
        Assert.Equal(before.GetRawText(), after.GetRawText());
    }

    [Fact]
    public async Task ASplitOnAnOrdinaryCheckout_IsABadCombination()
    {
        using var client = Host.Client(Merchant);
        var id = (await Checkouts.CreateAsync(client, Merchant)).Value.CheckoutSessionId!;

        var refused = await Assert.ThrowsAsync<AmazonPayException>(() => client.UpdateCheckoutSessionAsync(id, Split("14.00", ("0", "14.00"))));

        Assert.Equal((400, "InvalidParameterCombination"), (refused.StatusCode, refused.ReasonCode));
    }

    [Theory]
    [InlineData("""{"shippingAddressIds": ["0", "7"]}""", "InvalidParameterValue", "'7'")]
    [InlineData("""{"shippingAddressIds": ["2", "2"]}""", "InvalidParameterValue", "chosen twice")]
    [InlineData("""{"shippingAddressIds": ["0"], "shippingAddressId": "1"}""", "InvalidParameterCombination", "not both")]
    [InlineData("""{"shippingAddressIds": [null]}""", "MissingParameterValue", "shippingAddressList")]
    public async Task TheHeadlessBuyer_RefusesABadChoiceOfAddresses(string body, string reasonCode, string named)
    {
        var id = await StartAsync();

        using var browser = Host.Browser();
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/operator/checkoutSessions/{id}/approve")
        {
            Content = new StringContent(body, Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", TillpointHost.OperatorToken);
        using var answer = await browser.SendAsync(request);

        Assert.Equal(HttpStatusCode.BadRequest, answer.StatusCode);
        var error = JsonDocument.Parse(await answer.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal(reasonCode, error.GetProperty("reasonCode").GetString());
        Assert.Contains(named, error.GetProperty("message").GetString(), StringComparison.Ordinal);
        using var client = Host.Client(Merchant);
        Assert.Contains((await client.GetCheckoutSessionAsync(id)).Value.Constraints!, c => c.ConstraintId == "BuyerNotAssociated");
    }

    [Fact]
    public async Task TheHeadlessBuyer_RefusesSeveralAddressesForAnOrdinaryCheckout()
    {
        using var client = Host.Client(Merchant);
        var id = (await Checkouts.CreateAsync(client, Merchant)).Value.CheckoutSessionId!;
        using var buyer = Host.Operator();

        var refused = await Assert.ThrowsAsync<AmazonPayException>(() => buyer.ApproveCheckoutAsync(id, new BuyerChoice { ShippingAddressIds = SeattleAndPoBox }));

        Assert.Equal((400, "InvalidParameterCombination"), (refused.StatusCode, refused.ReasonCode));
    }

    [Fact]
    public async Task TheHeadlessBuyer_WithoutAddresses_ChoosesTheFirstTheMerchantShipsTo()
    {
        var id = await StartAsync();
        using var buyer = Host.Operator();

        await buyer.ApproveCheckoutAsync(id);

        using var client = Host.Client(Merchant);
        Assert.Equal(["0"], (await client.GetCheckoutSessionAsync(id)).Value.ShippingAddresses()!.Select(a => a.AddressId));
    }

    [Fact]
    public async Task ChoosingOtherAddresses_DropsTheSplit()
    {
        using var client = Host.Client(Merchant);
        var id = await ChosenAsync();
        await client.UpdateCheckoutSessionAsync(id, Split("30.00", ("0", "10.00"), ("2", "20.00")));
        using var buyer = Host.Operator();

        await buyer.ApproveCheckoutAsync(id, new BuyerChoice { ShippingAddressIds = ["1"] });

        var session = (await client.GetCheckoutSessionAsync(id)).Value;
        Assert.Null(session.MultiAddressesCheckoutMetadata);
        Assert.Equal(["1"], session.ShippingAddresses()!.Select(a => a.AddressId));
    }

    [Fact]
    public async Task TheHostedChooser_OffersCheckboxes_AndKeepsEveryAddressTicked()
    {
        using var browser = Host.Browser();
        var pages = new HostedCheckout(browser);
        var (id, page) = await SignedInChooserAsync(pages);
        Assert.Contains("type=\"checkbox\" id=\"address-2\" name=\"shippingAddressIds\" value=\"2\"", page, StringComparison.Ordinal);
        Assert.DoesNotContain("name=\"shippingAddressId\"", page, StringComparison.Ordinal);
        var form = HostedCheckout.Form(page, "buyer-approve");

        using var approved = await pages.PostAsync(
            form.Action, form.Token, ("shippingAddressIds", "1"), ("shippingAddressIds", "2"), ("paymentInstrumentId", "visa-1111"));

        Assert.Equal(HttpStatusCode.SeeOther, approved.StatusCode);
        using var client = Host.Client(Merchant);
        Assert.Equal(["1", "2"], (await client.GetCheckoutSessionAsync(id)).Value.ShippingAddresses()!.Select(a => a.AddressId));
        var again = await pages.GetPageAsync($"/checkout/{id}");
        Assert.Contains("id=\"address-1\" name=\"shippingAddressIds\" value=\"1\" checked", again, StringComparison.Ordinal);
        Assert.DoesNotContain("value=\"0\" checked", again, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheReviewPagesChangeLink_OffersTheCheckboxes_AndReplacesTheAddresses()
    {
        using var browser = Host.Browser();
        var pages = new HostedCheckout(browser);
        var (id, page) = await SignedInChooserAsync(pages);
        var chosen = HostedCheckout.Form(page, "buyer-approve");
        using var approved = await pages.PostAsync(
            chosen.Action, chosen.Token, ("shippingAddressIds", "0"), ("shippingAddressIds", "1"), ("paymentInstrumentId", "visa-1111"));
        Assert.Equal(HttpStatusCode.SeeOther, approved.StatusCode);

        var change = await pages.GetPageAsync($"/checkout/{id}?change=address");
        Assert.Contains("id=\"address-1\" name=\"shippingAddressIds\" value=\"1\" checked", change, StringComparison.Ordinal);
        Assert.DoesNotContain("name=\"shippingAddressId\"", change, StringComparison.Ordinal);
        var form = HostedCheckout.Form(change, "buyer-change-address");
        using var changed = await pages.PostAsync(form.Action, form.Token, ("shippingAddressIds", "2"));

        Assert.Equal(HttpStatusCode.SeeOther, changed.StatusCode);
        using var client = Host.Client(Merchant);
        Assert.Equal(["2"], (await client.GetCheckoutSessionAsync(id)).Value.ShippingAddresses()!.Select(a => a.AddressId));
    }

    [Fact]
    public async Task TheHostedChooser_WithNoAddressTicked_SaysTheListIsMissing()
    {
        using var browser = Host.Browser();
        var pages = new HostedCheckout(browser);
        var (_, page) = await SignedInChooserAsync(pages);
        var form = HostedCheckout.Form(page, "buyer-approve");

        using var refused = await pages.PostAsync(form.Action, form.Token, ("paymentInstrumentId", "visa-1111"));

        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Contains("shippingAddressList", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    /// <summary>A new multi-address session's hosted chooser, the sandbox buyer signed in: its id and the page.</summary>
    private async Task<(string Id, string Page)> SignedInChooserAsync(HostedCheckout pages)
    {
        var id = await StartAsync();
        await pages.SignInAsync(id);
        return (id, await pages.GetPageAsync($"/checkout/{id}"));
    }
}
