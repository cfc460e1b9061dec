using System.Net;
using System.Text;
using System.Text.Json;
using Tillpoint.Client;
using Tillpoint.Protocol.Json;
using Tillpoint.Server.Tests.Support;

// Not "…Tests.Operator": Operator is a keyword of Visual Basic (CA1716).
namespace Tillpoint.Server.Tests.OperatorEndpoints;

/// <summary>
/// The headless buyer (<c>/operator/checkoutSessions/{id}/approve|pay|cancel</c>) over HTTP: its authentication, its
/// input, its answers, and what a repeat or a session in the wrong state gets.
/// </summary>
public sealed class HeadlessBuyerTests(HostFixture fixture) : IClassFixture<HostFixture>
{
    private const string John = "amzn1.account.AH4TLNZ5TILLPOINTSANDBOXJOHN";

    private TillpointHost Host => fixture.Host;

    private TestMerchant Merchant => fixture.Merchant;

    // Few cases: wrong tokens from one address are throttled after five.
    [Theory]
    [InlineData("approve", null)]
    [InlineData("pay", "Bearer wrong-token")]
    [InlineData("cancel", "Basic " + TillpointHost.OperatorToken)]
    public async Task WithoutTheOperatorToken_IsUnauthorizedAccess_AndTheSessionStays(string step, string? authorization)
    {
        var id = await CreateAsync();

        var (status, body) = await PostAsync(Host, $"/operator/checkoutSessions/{id}/{step}", null, authorization);

        Assert.Equal(HttpStatusCode.Unauthorized, status);
        Assert.Equal("UnauthorizedAccess", body.GetProperty("reasonCode").GetString());
        Assert.Equal(("Open", null), await StateAsync(id));
    }

    [Theory]
    [InlineData("approve")]
    [InlineData("pay")]
    [InlineData("cancel")]
    public async Task AnUnknownSession_IsResourceNotFound(string step)
    {
        var (status, body) = await PostAsync(Host, $"/operator/checkoutSessions/{Guid.NewGuid()}/{step}");

        Assert.Equal(HttpStatusCode.NotFound, status);
        Assert.Equal(["reasonCode", "message"], body.EnumerateObject().Select(p => p.Name));
        Assert.Equal("ResourceNotFound", body.GetProperty("reasonCode").GetString());
    }

    [Fact]
    public async Task AnotherMethod_IsResourceNotFound_LikeEveryUnknownOperatorPath()
    {
        var id = await CreateAsync();
        using var http = RawRequests.Http(Host);
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(Host.HttpsBase, $"/operator/checkoutSessions/{id}/approve"));
        request.Headers.TryAddWithoutValidation("Authorization", $"Bearer {TillpointHost.OperatorToken}");

        using var response = await http.SendAsync(request);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal(("Open", null), await StateAsync(id));
    }

    [Fact]
    public async Task Approve_WithoutABody_IsTheFirstBuyer_TheirFirstAddress_AndACardThatSucceeds()
    {
        var id = await CreateAsync();

        var (status, body) = await PostAsync(Host, $"/operator/checkoutSessions/{id}/approve");
        using var client = Host.Client(Merchant);
        var session = (await client.GetCheckoutSessionAsync(id)).Value;

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(["redirectUrl"], body.EnumerateObject().Select(p => p.Name));
        Assert.Equal($"{Checkouts.ReviewUrl}?amazonCheckoutSessionId={id}", body.GetProperty("redirectUrl").GetString());
        Assert.Equal(HostedCheckout.Jane, session.Buyer!.BuyerId);
        Assert.Equal("410 Terry Ave N", session.ShippingAddress!.AddressLine1);
        Assert.Equal("Visa ****1111", session.PaymentPreferences![0].PaymentDescriptor);
    }

    [Theory]
    [InlineData("")]
    [InlineData("{}")]
    public async Task Approve_WithAnEmptyChoice_TakesTheDefaults(string body)
    {
        var id = await CreateAsync();

        var (status, _) = await PostAsync(Host, $"/operator/checkoutSessions/{id}/approve", body);
        using var client = Host.Client(Merchant);

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(HostedCheckout.Jane, (await client.GetCheckoutSessionAsync(id)).Value.Buyer!.BuyerId);
    }

    [Fact]
    public async Task Approve_WithAChoice_SavesThatBuyerAddressAndInstrument()
    {
        var id = await CreateAsync();
        using var client = Host.Client(Merchant);
        using var buyer = Host.Operator();

        var approved = await buyer.ApproveCheckoutAsync(
            id, new BuyerChoice { BuyerId = HostedCheckout.Jane, ShippingAddressId = "1", PaymentInstrumentId = "mastercard-4444" });
        var session = (await client.GetCheckoutSessionAsync(id)).Value;

        Assert.Equal(new BuyerRedirect(id, $"{Checkouts.ReviewUrl}?amazonCheckoutSessionId={id}"), approved);
        Assert.Equal("100 Main Street", session.ShippingAddress!.AddressLine1);
        Assert.Equal("Mastercard ****4444", session.PaymentPreferences![0].PaymentDescriptor);
    }

    [Fact]
    public async Task Approve_ByDefault_TakesTheFirstAddressTheMerchantShipsTo()
    {
        using var client = Host.Client(Merchant);
        var id = await CreateShippingOnlyToAsync(client, "OR");
        using var buyer = Host.Operator();

        await buyer.ApproveCheckoutAsync(id);

        Assert.Equal("Portland", (await client.GetCheckoutSessionAsync(id)).Value.ShippingAddress!.City);
    }

    [Fact]
    public async Task Approve_WhereTheMerchantShipsToNoneOfTheAddresses_IsInvalidParameterValue()
    {
        using var client = Host.Client(Merchant);
        var id = await CreateShippingOnlyToAsync(client, "AK");

        var (status, body) = await PostAsync(Host, $"/operator/checkoutSessions/{id}/approve");

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("InvalidParameterValue", body.GetProperty("reasonCode").GetString());
        Assert.Contains("does not ship", body.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Null((await client.GetCheckoutSessionAsync(id)).Value.Buyer);
    }

    [Theory]
    [InlineData("{\"buyerId\":\"amzn1.account.NOBODY\"}", "InvalidParameterValue")]
    [InlineData("{\"shippingAddressId\":\"3\"}", "InvalidParameterValue")]
    [InlineData("{\"shippingAddressId\":\"first\"}", "InvalidParameterValue")]
    [InlineData("{\"paymentInstrumentId\":\"visa-9999\"}", "InvalidParameterValue")]
    [InlineData("{\"buyerId\":\"amzn1.account.AH4TLNZ5TILLPOINTSANDBOXJOHN\",\"shippingAddressId\":\"1\"}", "InvalidParameterValue")]
    [InlineData("{\"shippingAddressId\":1}", "InvalidParameterValue")]
    [InlineData("{\"paymentInstrumentId\":\"visa-1111\",\"amount\":\"10.00\"}", "UnrecognizedField")]
    [InlineData("{\"buyerId\":", "InvalidRequestFormat")]
    [InlineData("[]", "InvalidRequestFormat")]
    [InlineData("null", "InvalidRequestFormat")]
    public async Task Approve_WithABadChoice_IsRefused_AndNothingIsChosen(string body, string reasonCode)
    {
        var id = await CreateAsync();

        var (status, answer) = await PostAsync(Host, $"/operator/checkoutSessions/{id}/approve", body);
        using var client = Host.Client(Merchant);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal(reasonCode, answer.GetProperty("reasonCode").GetString());
        Assert.Null((await client.GetCheckoutSessionAsync(id)).Value.Buyer);
    }

    [Fact]
    public async Task Approve_Twice_AnswersTheSameRedirect_AndAnotherBuyerIsRefused()
    {
        var id = await CreateAsync();
        using var buyer = Host.Operator();
        using var client = Host.Client(Merchant);

        var first = await buyer.ApproveCheckoutAsync(id);
        var second = await buyer.ApproveCheckoutAsync(id);
        var another = await Assert.ThrowsAsync<AmazonPayException>(() => buyer.ApproveCheckoutAsync(id, new BuyerChoice { BuyerId = John }));

        Assert.Equal(first, second);
        Assert.Equal((422, "InvalidCheckoutSessionStatus"), (another.StatusCode, another.ReasonCode));
        Assert.Equal(HostedCheckout.Jane, (await client.GetCheckoutSessionAsync(id)).Value.Buyer!.BuyerId);
    }

    [Fact]
    public async Task Pay_BeforeTheMerchantUpdatedTheSession_IsInvalidCheckoutSessionStatus()
    {
        var id = await CreateAsync();
        using var buyer = Host.Operator();
        await buyer.ApproveCheckoutAsync(id);

        var refused = await Assert.ThrowsAsync<AmazonPayException>(() => buyer.PayCheckoutAsync(id));

        Assert.Equal((422, "InvalidCheckoutSessionStatus"), (refused.StatusCode, refused.ReasonCode));
        Assert.Equal(("Open", null), await StateAsync(id));
    }

    [Fact]
    public async Task Pay_Twice_AnswersTheSameResult_AndAfterComplete_IsInvalidCheckoutSessionStatus()
    {
        var id = await CreateAsync();
        using var buyer = Host.Operator();
        using var client = Host.Client(Merchant);
        await buyer.ApproveCheckoutAsync(id);
        await Checkouts.UpdateAsync(client, id);

        var first = await buyer.PayCheckoutAsync(id);
        var second = await buyer.PayCheckoutAsync(id);
        var completed = (await Checkouts.CompleteAsync(client, id)).Value;
        var afterComplete = await Assert.ThrowsAsync<AmazonPayException>(() => buyer.PayCheckoutAsync(id));

        Assert.Equal($"{Checkouts.ResultUrl}?amazonCheckoutSessionId={id}", first.RedirectUrl);
        Assert.Equal(first, second);
        Assert.Equal("Completed", completed.StatusDetails!.State);
        Assert.Equal((422, "InvalidCheckoutSessionStatus"), (afterComplete.StatusCode, afterComplete.ReasonCode));
    }

    [Fact]
    public async Task Pay_SoftDeclined_AnswersTheHostedPage_ThenAnotherChoiceAndPayGoThrough()
    {
        var id = await CreateAsync();
        using var buyer = Host.Operator();
        using var client = Host.Client(Merchant);
        await buyer.ApproveCheckoutAsync(id, new BuyerChoice { PaymentInstrumentId = "visa-2222" });
        var redirect = (await Checkouts.UpdateAsync(client, id)).Value.WebCheckoutDetails!.AmazonPayRedirectUrl;

        var declined = await buyer.PayCheckoutAsync(id);
        var again = await buyer.PayCheckoutAsync(id);
        var chosen = await buyer.ApproveCheckoutAsync(id, new BuyerChoice { PaymentInstrumentId = "amex-0005" });
        var paid = await buyer.PayCheckoutAsync(id);
        var completed = (await Checkouts.CompleteAsync(client, id)).Value;

        Assert.Equal(redirect, declined.RedirectUrl);
        Assert.Equal(declined, again);
        Assert.Equal($"{Checkouts.ReviewUrl}?amazonCheckoutSessionId={id}", chosen.RedirectUrl);
        Assert.Equal($"{Checkouts.ResultUrl}?amazonCheckoutSessionId={id}", paid.RedirectUrl);
        Assert.Equal("American Express ****0005",
            (await client.GetChargePermissionAsync(completed.ChargePermissionId!)).Value.PaymentPreferences![0].PaymentDescriptor);
    }

    [Fact]
    public async Task Cancel_CancelsTheSession_AndTwice_AnswersTheSame()
    {
        using var client = Host.Client(Merchant);
        var id = (await client.CreateCheckoutSessionAsync(new CreateCheckoutSessionRequest
        {
            WebCheckoutDetails = new WebCheckoutDetailsDto { CheckoutReviewReturnUrl = Checkouts.ReviewUrl, CheckoutCancelUrl = "https://merchant.example/cart" },
            StoreId = Merchant.StoreId,
        })).Value.CheckoutSessionId!;
        using var buyer = Host.Operator();

        var first = await buyer.CancelCheckoutAsync(id);
        var second = await buyer.CancelCheckoutAsync(id);

        Assert.Equal("https://merchant.example/cart", first.RedirectUrl);
        Assert.Equal(first, second);
        Assert.Equal(("Canceled", "BuyerCanceled"), await StateAsync(id));
        Assert.Single(Host.Store.Read(reader => reader.GetEvents(Merchant.MerchantId, id)), e => e.Event.ToState == "Canceled");
    }

    [Fact]
    public async Task Cancel_WithoutACancelUrl_AnswersTheShop_AndACompletedSessionIsRefused()
    {
        var canceled = await CreateAsync();
        using var buyer = Host.Operator();
        using var client = Host.Client(Merchant);
        var completed = (await Checkouts.AuthorizedAsync(Host, client, Merchant)).CheckoutSessionId!;

        var back = await buyer.CancelCheckoutAsync(canceled);
        var refused = await Assert.ThrowsAsync<AmazonPayException>(() => buyer.CancelCheckoutAsync(completed));
        var approveRefused = await Assert.ThrowsAsync<AmazonPayException>(() => buyer.ApproveCheckoutAsync(canceled));

        Assert.Equal("https://merchant.example/", back.RedirectUrl);
        Assert.Equal((422, "InvalidCheckoutSessionStatus"), (refused.StatusCode, refused.ReasonCode));
        Assert.Equal((422, "InvalidCheckoutSessionStatus"), (approveRefused.StatusCode, approveRefused.ReasonCode));
        Assert.Equal(("Completed", null), await StateAsync(completed));
    }

    [Theory]
    [InlineData("approve")]
    [InlineData("pay")]
    [InlineData("cancel")]
    public async Task ALiveSession_IsRefused_AndStays(string step)
    {
        using var live = Host.Client(Merchant, Merchant.LiveKeyId);
        var id = (await Checkouts.CreateAsync(live, Merchant)).Value.CheckoutSessionId!;

        var (status, body) = await PostAsync(Host, $"/operator/checkoutSessions/{id}/{step}");
        var session = (await live.GetCheckoutSessionAsync(id)).Value;

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("InvalidRequest", body.GetProperty("reasonCode").GetString());
        Assert.Contains("Sandbox", body.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Equal("Open", session.StatusDetails!.State);
        Assert.Null(session.Buyer);
    }

    [Fact]
    public async Task AdditionalPaymentButton_Approve_GoesThroughProcessing_ToTheResult()
    {
        using var client = Host.Client(Merchant);
        using var buyer = Host.Operator();
        var id = (await client.CreateCheckoutSessionAsync(ProcessOrder())).Value.CheckoutSessionId!;

        var approved = await buyer.ApproveCheckoutAsync(id);
        var again = await Assert.ThrowsAsync<AmazonPayException>(() => buyer.ApproveCheckoutAsync(id));
        var paid = await buyer.PayCheckoutAsync(id);
        var completed = (await Checkouts.CompleteAsync(client, id, "25.00")).Value;

        Assert.Equal($"{Checkouts.ResultUrl}?amazonCheckoutSessionId={id}", approved.RedirectUrl);
        Assert.Equal((422, "InvalidCheckoutSessionStatus"), (again.StatusCode, again.ReasonCode));
        Assert.Equal(approved, paid);
        Assert.Equal("Captured", (await client.GetChargeAsync(completed.ChargeId!)).Value.StatusDetails!.State);
        Assert.Equal("1 Merchant Way", (await client.GetChargePermissionAsync(completed.ChargePermissionId!)).Value.ShippingAddress!.AddressLine1);
    }

    [Fact]
    public async Task AdditionalPaymentButton_SoftDecline_AnswersTheHostedPage()
    {
        using var client = Host.Client(Merchant);
        using var buyer = Host.Operator();
        var id = (await client.CreateCheckoutSessionAsync(ProcessOrder())).Value.CheckoutSessionId!;

        var declined = await buyer.ApproveCheckoutAsync(id, new BuyerChoice { PaymentInstrumentId = "visa-2222" });

        Assert.Equal($"{Host.HttpsBase.ToString().TrimEnd('/')}/checkout/processing?amazonCheckoutSessionId={id}", declined.RedirectUrl);
        Assert.Equal(("Open", null), await StateAsync(id));
    }

    [Fact]
    public async Task TheHostedPages_SeeWhatTheHeadlessBuyerChose()
    {
        var id = await CreateAsync();
        using var operatorClient = Host.Operator();
        using var browser = Host.Browser();
        var pages = new HostedCheckout(browser);
        await operatorClient.ApproveCheckoutAsync(id, new BuyerChoice { BuyerId = John });

        using var taken = await pages.SubmitAsync($"/checkout/{id}", "buyer-signin", ("buyerId", HostedCheckout.Jane));

        Assert.Equal(HttpStatusCode.Forbidden, taken.StatusCode);
        Assert.Contains("id=\"checkout-taken\"", await taken.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    /// <summary>A session whose merchant ships only to one US state.</summary>
    private async Task<string> CreateShippingOnlyToAsync(AmazonPayClient client, string state) =>
        (await client.CreateCheckoutSessionAsync(new CreateCheckoutSessionRequest
        {
            WebCheckoutDetails = new WebCheckoutDetailsDto { CheckoutReviewReturnUrl = Checkouts.ReviewUrl },
            StoreId = Merchant.StoreId,
            DeliverySpecifications = new DeliverySpecificationsDto
            {
                AddressRestrictions = new AddressRestrictionsDto
                {
                    Type = "Allowed",
                    Restrictions = new Dictionary<string, RestrictionDto> { ["US"] = new() { StatesOrRegions = [state] } },
                },
            },
        })).Value.CheckoutSessionId!;

    private CreateCheckoutSessionRequest ProcessOrder() => new()
    {
        WebCheckoutDetails = new WebCheckoutDetailsDto { CheckoutMode = "ProcessOrder", CheckoutResultReturnUrl = Checkouts.ResultUrl },
        StoreId = Merchant.StoreId,
        PaymentDetails = new PaymentDetailsDto
        {
            PaymentIntent = "AuthorizeWithCapture",
            ChargeAmount = new Price { Amount = "25.00", CurrencyCode = "USD" },
        },
        AddressDetails = new AddressDetailsDto
        {
            Name = "Sam Buyer",
            AddressLine1 = "1 Merchant Way",
            City = "Seattle",
            StateOrRegion = "WA",
            PostalCode = "98101",
            CountryCode = "US",
            PhoneNumber = "+1 206-555-0123",
        },
    };

    private async Task<string> CreateAsync()
    {
        using var client = Host.Client(Merchant);
        return (await Checkouts.CreateAsync(client, Merchant)).Value.CheckoutSessionId!;
    }

    private async Task<(string? State, string? ReasonCode)> StateAsync(string id)
    {
        using var client = Host.Client(Merchant);
        var status = (await client.GetCheckoutSessionAsync(id)).Value.StatusDetails!;
        return (status.State, status.ReasonCode);
    }

    private static async Task<(HttpStatusCode Status, JsonElement Body)> PostAsync(
        TillpointHost host, string path, string? body = null, string? authorization = "Bearer " + TillpointHost.OperatorToken)
    {
        using var http = RawRequests.Http(host);
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(host.HttpsBase, path));
        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8, "application/json");
        }

        if (authorization is not null)
        {
            request.Headers.TryAddWithoutValidation("Authorization", authorization);
        }

        using var response = await http.SendAsync(request);
        return (response.StatusCode, JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone());
    }
}
