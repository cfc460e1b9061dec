using System.Net;
using System.Text;
using System.Text.Json;
using Tillpoint.Client;
using Tillpoint.Protocol.Json;
using Tillpoint.Server.Tests.Support;

namespace Tillpoint.Server.Tests.Api.Recurring;

/// <summary>
/// Recurring (subscriptions) and PaymentMethodOnFile (saved wallets) over HTTP: checkout, the charges of each cycle on
/// the advanced sandbox clock, the monthly cap, the 13-month expiry, the buyer closing the agreement, and refusals.
/// </summary>
public sealed class RecurringCheckoutTests(HostFixture fixture) : IClassFixture<HostFixture>
{
    private TillpointHost Shared => fixture.Host;

    [Fact]
    public async Task AYearOfMonthlyCharges_OnTheAdvancedClock_HitsTheMonthlyCapOnceAndExpiresThirteenMonthsAfterTheLast()
    {
        await using var host = await TillpointHost.StartAsync();
        var merchant = await host.CreateMerchantAsync();
        using var client = host.Client(merchant);

        var completed = await Agreements.CompletedAsync(host, client, merchant, "Recurring", "AuthorizeWithCapture", Agreements.Monthly);
        var id = completed.ChargePermissionId!;
        Assert.Equal("Captured", (await client.GetChargeAsync(completed.ChargeId!)).Value.StatusDetails!.State);

        var capped = 0;
        for (var month = 1; month <= 12; month++)
        {
            await host.AdvanceSandboxAsync(TimeSpan.FromDays(30));
            var charge = (await Agreements.ChargeAsync(client, id, "14.00", "MITR")).Value;
            Assert.Equal(("Captured", "MITR", "Web"), (charge.StatusDetails!.State, charge.ChargeInitiator, charge.Channel));
            if (month == 6)
            {
                var over = await Assert.ThrowsAsync<AmazonPayException>(() => Agreements.ChargeAsync(client, id, "986.01", "CITU"));
                Assert.Equal((422, "TransactionAmountExceeded"), (over.StatusCode, over.ReasonCode));
                Assert.Contains("monthly limit", over.Message, StringComparison.Ordinal);
                capped++;
                Assert.Equal("Captured", (await Agreements.ChargeAsync(client, id, "986.00", "CITU")).Value.StatusDetails!.State);
            }
        }

        Assert.Equal(1, capped);
        var permission = (await client.GetChargePermissionAsync(id)).Value;
        Assert.Equal(("Chargeable", "Recurring"), (permission.StatusDetails!.State, permission.ChargePermissionType));
        Assert.Null(permission.Limits!.AmountLimit);
        Assert.Null(permission.Limits.AmountBalance);
        var terms = permission.RecurringMetadata!.Value;
        Assert.Equal("Month", terms.GetProperty("frequency").GetProperty("unit").GetString());
        Assert.Equal("1", terms.GetProperty("frequency").GetProperty("value").GetString());
        Assert.Equal("14.00", terms.GetProperty("amount").GetProperty("amount").GetString());
        var lastCharge = TillpointHost.Start.AddDays(360);
        Assert.Equal(lastCharge.AddDays(396).ToString("yyyyMMdd'T'HHmmss'Z'", System.Globalization.CultureInfo.InvariantCulture), permission.ExpirationTimestamp);

        await host.AdvanceSandboxAsync(TimeSpan.FromDays(396));
        var expired = (await client.GetChargePermissionAsync(id)).Value;
        Assert.Equal("Closed", expired.StatusDetails!.State);
        Assert.Equal("Expired", Assert.Single(expired.StatusDetails.Reasons!).ReasonCode);
        var refused = await Assert.ThrowsAsync<AmazonPayException>(() => Agreements.ChargeAsync(client, id, "14.00", "MITR"));
        Assert.Equal((422, "InvalidChargePermissionStatus"), (refused.StatusCode, refused.ReasonCode));
    }

    [Fact]
    public async Task ASavedWallet_IsChargedAdHocByMerchantAndBuyer_UpToItsMonthlyCap_AndNeverExpires()
    {
        await using var host = await TillpointHost.StartAsync();
        var merchant = await host.CreateMerchantAsync();
        using var client = host.Client(merchant);

        var completed = await Agreements.CompletedAsync(
            host, client, merchant, "PaymentMethodOnFile", "Confirm", paymentMethodOnFileMetadata: Agreements.Json("""{"setupOnly": true}"""));
        Assert.Null(completed.ChargeId);
        var id = completed.ChargePermissionId!;

        var permission = (await client.GetChargePermissionAsync(id)).Value;
        Assert.Equal("PaymentMethodOnFile", permission.ChargePermissionType);
        Assert.True(permission.PaymentMethodOnFileMetadata!.Value.GetProperty("setupOnly").GetBoolean());
        Assert.Null(permission.ExpirationTimestamp);
        Assert.Null(permission.Limits!.AmountLimit);

        Assert.Equal("MITU", (await Agreements.ChargeAsync(client, id, "14999.99", "MITU", "Phone")).Value.ChargeInitiator);
        Assert.Equal("CITU", (await Agreements.ChargeAsync(client, id, "0.01", "CITU", "App")).Value.ChargeInitiator);
        var over = await Assert.ThrowsAsync<AmazonPayException>(() => Agreements.ChargeAsync(client, id, "0.01", "MITU"));
        Assert.Equal((422, "TransactionAmountExceeded"), (over.StatusCode, over.ReasonCode));

        await host.AdvanceSandboxAsync(TimeSpan.FromDays(800));
        Assert.Equal("Chargeable", (await client.GetChargePermissionAsync(id)).Value.StatusDetails!.State);
        Assert.Equal("Captured", (await Agreements.ChargeAsync(client, id, "100.00", "MITU")).Value.StatusDetails!.State);
    }

    [Fact]
    public async Task TheSessionAndItsUpdate_ShowTheTermsAsTheDocsWriteThem()
    {
        var host = Shared;
        var merchant = fixture.Merchant;
        using var client = host.Client(merchant);

        var created = (await client.CreateCheckoutSessionAsync(new CreateCheckoutSessionRequest
        {
            WebCheckoutDetails = new WebCheckoutDetailsDto { CheckoutReviewReturnUrl = Checkouts.ReviewUrl },
            StoreId = merchant.StoreId,
            ChargePermissionType = "Recurring",
            // The .NET SDK sends the frequency's value as a number.
            RecurringMetadata = Agreements.Json("""{"frequency": {"unit": "Week", "value": 2}, "amount": null}"""),
        })).Value;
        Assert.Equal("""{"frequency":{"unit":"Week","value":"2"},"amount":null}""", created.RecurringMetadata!.Value.GetRawText());
        Assert.Null(created.PaymentMethodOnFileMetadata);

        var updated = (await client.UpdateCheckoutSessionAsync(created.CheckoutSessionId!, new UpdateCheckoutSessionRequest
        {
            RecurringMetadata = Agreements.Json("""{"frequency": {"unit": "Variable"}}"""),
        })).Value;
        Assert.Equal("""{"frequency":{"unit":"Variable","value":null},"amount":null}""", updated.RecurringMetadata!.Value.GetRawText());
        Assert.Equal("Recurring", updated.ChargePermissionType);
    }

    [Fact]
    public async Task UpdateChargePermission_ChangesTheSubscriptionTerms()
    {
        var host = Shared;
        var merchant = fixture.Merchant;
        using var client = host.Client(merchant);
        var id = (await Agreements.CompletedAsync(host, client, merchant, "Recurring", "Confirm", Agreements.Monthly)).ChargePermissionId!;

        var updated = (await client.UpdateChargePermissionAsync(id, new UpdateChargePermissionRequest
        {
            RecurringMetadata = Agreements.Json("""{"frequency": {"unit": "Year", "value": "1"}, "amount": {"amount": "140", "currencyCode": "USD"}}"""),
        })).Value;

        Assert.Equal("""{"frequency":{"unit":"Year","value":"1"},"amount":{"amount":"140.00","currencyCode":"USD"}}""", updated.RecurringMetadata!.Value.GetRawText());
    }

    [Fact]
    public async Task TheBuyerClosingTheAgreement_ClosesItForCharges_AndAHardDeclineIsRecoveredWithANewPaymentMethod_EachWithItsIpn()
    {
        await using var receiver = await IpnReceiver.StartAsync();
        await using var host = await TillpointHost.StartAsync(Ipn.IpnTestSupport.Fast());
        var merchant = await host.CreateMerchantAsync();
        await Ipn.IpnTestSupport.AddEndpointAsync(host, merchant, receiver.Url);
        using var client = host.Client(merchant);
        using var operatorClient = host.Operator();
        var id = (await Agreements.CompletedAsync(host, client, merchant, "Recurring", "Confirm", Agreements.Monthly)).ChargePermissionId!;

        var declined = await Assert.ThrowsAsync<AmazonPayException>(() => Agreements.ChargeAsync(client, id, "14.00", "MITR", simulationCode: "HardDeclined"));
        Assert.Equal((422, "HardDeclined"), (declined.StatusCode, declined.ReasonCode));
        var invalid = (await client.GetChargePermissionAsync(id)).Value.StatusDetails!;
        Assert.Equal(("NonChargeable", "PaymentMethodInvalid"), (invalid.State, Assert.Single(invalid.Reasons!).ReasonCode));

        var notified = Ipn.IpnTestSupport.Outbox(host, merchant, id).Count;
        var recovered = await operatorClient.UpdateChargePermissionPaymentMethodAsync(id, "amex-0005");
        Assert.Equal("Chargeable", recovered.StatusDetails!.State);
        var recoveryNotice = Assert.Single(Ipn.IpnTestSupport.Outbox(host, merchant, id).Skip(notified));
        Assert.Equal((Domain.ObjectType.ChargePermission, id), (recoveryNotice.ObjectType, recoveryNotice.ObjectId));
        Assert.Equal("Captured", (await Agreements.ChargeAsync(client, id, "14.00", "MITR")).Value.StatusDetails!.State);

        notified = Ipn.IpnTestSupport.Outbox(host, merchant, id).Count;
        var closed = await operatorClient.CloseChargePermissionAsBuyerAsync(id);
        var closingNotice = Assert.Single(Ipn.IpnTestSupport.Outbox(host, merchant, id).Skip(notified));
        Assert.Equal((Domain.ObjectType.ChargePermission, id), (closingNotice.ObjectType, closingNotice.ObjectId));
        Assert.Equal(("Closed", "BuyerClosed"), (closed.StatusDetails!.State, Assert.Single(closed.StatusDetails.Reasons!).ReasonCode));
        var shown = (await client.GetChargePermissionAsync(id)).Value.StatusDetails!;
        Assert.Equal("BuyerClosed", Assert.Single(shown.Reasons!).ReasonCode);
        var refused = await Assert.ThrowsAsync<AmazonPayException>(() => Agreements.ChargeAsync(client, id, "14.00", "MITR"));
        Assert.Equal((422, "InvalidChargePermissionStatus"), (refused.StatusCode, refused.ReasonCode));
        var again = await Assert.ThrowsAsync<AmazonPayException>(() => operatorClient.CloseChargePermissionAsBuyerAsync(id));
        Assert.Equal((422, "InvalidChargePermissionStatus"), (again.StatusCode, again.ReasonCode));
    }

    [Fact]
    public async Task TheBuyerClosing_RefusesOneTimeUnknownUnauthorizedAndBadBodies()
    {
        var host = Shared;
        var merchant = fixture.Merchant;
        using var client = host.Client(merchant);
        using var operatorClient = host.Operator();
        var oneTime = await Payments.ChargePermissionAsync(host, client, merchant);
        var recurring = (await Agreements.CompletedAsync(host, client, merchant, "Recurring", "Confirm", Agreements.Monthly)).ChargePermissionId!;

        var ofOneTime = await Assert.ThrowsAsync<AmazonPayException>(() => operatorClient.CloseChargePermissionAsBuyerAsync(oneTime));
        Assert.Equal((422, "InvalidChargePermissionStatus"), (ofOneTime.StatusCode, ofOneTime.ReasonCode));
        var unknown = await Assert.ThrowsAsync<AmazonPayException>(() => operatorClient.CloseChargePermissionAsBuyerAsync("S01-0000000-0000000"));
        Assert.Equal((404, "ResourceNotFound"), (unknown.StatusCode, unknown.ReasonCode));
        var badInstrument = await Assert.ThrowsAsync<AmazonPayException>(() => operatorClient.UpdateChargePermissionPaymentMethodAsync(recurring, "visa-9999"));
        Assert.Equal((400, "InvalidParameterValue"), (badInstrument.StatusCode, badInstrument.ReasonCode));

        using var http = RawRequests.Http(host);
        Assert.Equal((HttpStatusCode.Unauthorized, "UnauthorizedAccess"), await PostAsync(http, host, recurring, """{"closedBy":"Buyer"}""", token: null));
        Assert.Equal((HttpStatusCode.BadRequest, "InvalidParameterValue"), await PostAsync(http, host, recurring, """{"closedBy":"Amazon"}"""));
        Assert.Equal((HttpStatusCode.BadRequest, "MissingParameterValue"), await PostAsync(http, host, recurring, "{}"));
        Assert.Equal((HttpStatusCode.BadRequest, "UnrecognizedField"), await PostAsync(http, host, recurring, """{"closedBy":"Buyer","why":1}"""));
        Assert.Equal((HttpStatusCode.BadRequest, "InvalidRequestFormat"), await PostAsync(http, host, recurring, "{"));
        Assert.Equal("Chargeable", (await client.GetChargePermissionAsync(recurring)).Value.StatusDetails!.State);
    }

    public static TheoryData<string, string, string> BadCreates => new()
    {
        { """{"chargePermissionType":"OneTime","recurringMetadata":{"frequency":{"unit":"Month","value":"1"}}}""", "InvalidParameterCombination", "recurringMetadata" },
        { """{"chargePermissionType":"Recurring","paymentMethodOnFileMetadata":{"setupOnly":false}}""", "InvalidParameterCombination", "paymentMethodOnFileMetadata" },
        { """{"chargePermissionType":"Recurring","recurringMetadata":{"frequency":{"unit":"Month","value":"one"}}}""", "InvalidParameterValue", "recurringMetadata.frequency.value" },
        { """{"chargePermissionType":"Recurring","recurringMetadata":{"frequency":{"unit":"Month","value":1.5}}}""", "InvalidParameterValue", "recurringMetadata.frequency.value" },
        { """{"chargePermissionType":"Recurring","recurringMetadata":{"frequency":{"unit":"Fortnight","value":"1"}}}""", "InvalidParameterValue", "recurringMetadata.frequency.unit" },
        { """{"chargePermissionType":"Recurring","recurringMetadata":{"frequency":{"value":"1"}}}""", "MissingParameterValue", "recurringMetadata.frequency.unit" },
        { """{"chargePermissionType":"Recurring","recurringMetadata":{"amount":{"amount":"1","currencyCode":"USD"}}}""", "MissingParameterValue", "recurringMetadata.frequency" },
        { """{"chargePermissionType":"Recurring","recurringMetadata":{"frequency":{"unit":"Month","value":"1"},"period":2}}""", "UnrecognizedField", "recurringMetadata.period" },
        { """{"chargePermissionType":"Recurring","recurringMetadata":{"frequency":{"unit":"Month","value":"1"},"amount":{"amount":"1.001","currencyCode":"USD"}}}""", "InvalidParameterValue", "recurringMetadata.amount.amount" },
        { """{"chargePermissionType":"Recurring","recurringMetadata":"monthly"}""", "InvalidParameterValue", "recurringMetadata" },
        { """{"chargePermissionType":"PaymentMethodOnFile","paymentMethodOnFileMetadata":{"setupOnly":"yes"}}""", "InvalidParameterValue", "paymentMethodOnFileMetadata.setupOnly" },
        { """{"chargePermissionType":"PaymentMethodOnFile","paymentMethodOnFileMetadata":{}}""", "MissingParameterValue", "paymentMethodOnFileMetadata.setupOnly" },
        { """{"chargePermissionType":"PaymentMethodOnFile","paymentMethodOnFileMetadata":{"setupOnly":true},"paymentDetails":{"paymentIntent":"Authorize"}}""", "InvalidParameterCombination", "setupOnly" },
        { """{"chargePermissionType":"Recurring","paymentDetails":{"paymentIntent":"Authorize","chargeAmount":{"amount":"1000.01","currencyCode":"USD"}}}""", "InvalidParameterValue", "monthly limit" },
        { """{"chargePermissionId":"S01-0000000-0000001"}""", "InvalidParameterValue", "chargePermissionId" },
    };

    [Theory]
    [MemberData(nameof(BadCreates))]
    public async Task CreateCheckoutSession_WithBadAgreementFields_IsRefusedAndCreatesNothing(string fields, string reasonCode, string named)
    {
        var host = Shared;
        var merchant = fixture.Merchant;
        using var client = host.Client(merchant);
        var body = $$"""{"webCheckoutDetails":{"checkoutReviewReturnUrl":"{{Checkouts.ReviewUrl}}"},"storeId":"{{merchant.StoreId}}",{{fields[1..]}}""";

        var raw = await client.SendAsync(HttpMethod.Post, "checkoutSessions", Encoding.UTF8.GetBytes(body));

        Assert.Equal(400, raw.StatusCode);
        var error = JsonDocument.Parse(raw.Body).RootElement;
        Assert.Equal(reasonCode, error.GetProperty("reasonCode").GetString());
        Assert.Contains(named, error.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task UpdateChargePermission_TermsOfAOneTimePermission_IsRefused()
    {
        var host = Shared;
        var merchant = fixture.Merchant;
        using var client = host.Client(merchant);
        var id = await Payments.ChargePermissionAsync(host, client, merchant);

        var error = await Assert.ThrowsAsync<AmazonPayException>(() => client.UpdateChargePermissionAsync(
            id, new UpdateChargePermissionRequest { RecurringMetadata = Agreements.Monthly }));

        Assert.Equal((400, "InvalidParameterValue"), (error.StatusCode, error.ReasonCode));
        Assert.Contains("OneTime", error.Message, StringComparison.Ordinal);
    }

    private static async Task<(HttpStatusCode, string?)> PostAsync(
        HttpClient http, TillpointHost host, string id, string body, string? token = TillpointHost.OperatorToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(host.HttpsBase, $"/operator/chargePermissions/{id}/close"))
        {
            Content = new StringContent(body, Encoding.UTF8, "application/json"),
        };
        if (token is not null)
        {
            request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        }

        using var response = await http.SendAsync(request);
        var error = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        return (response.StatusCode, error.GetProperty("reasonCode").GetString());
    }
}
