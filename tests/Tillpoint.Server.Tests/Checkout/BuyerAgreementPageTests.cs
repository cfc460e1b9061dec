using System.Net;
using Tillpoint.Client;
using Tillpoint.Server.Tests.Api.Recurring;
using Tillpoint.Server.Tests.Support;

namespace Tillpoint.Server.Tests.Checkout;

/// <summary>
/// The buyer's agreement page: after a HardDeclined charge the buyer chooses another payment method there (the
/// permission is Chargeable again, with its IPN), or cancels the agreement; every refusal changes nothing.
/// </summary>
public sealed class BuyerAgreementPageTests(HostFixture fixture) : IClassFixture<HostFixture>
{
    private const string John = "amzn1.account.AH4TLNZ5TILLPOINTSANDBOXJOHN";

    [Fact]
    public async Task AfterAHardDecline_TheBuyerChoosesAnotherPaymentMethod_AndThePermissionIsChargeableAgainWithItsIpn()
    {
        await using var receiver = await IpnReceiver.StartAsync();
        await using var host = await TillpointHost.StartAsync(Ipn.IpnTestSupport.Fast());
        var merchant = await host.CreateMerchantAsync();
        await Ipn.IpnTestSupport.AddEndpointAsync(host, merchant, receiver.Url);
        using var client = host.Client(merchant);
        var id = await DeclinedAgreementAsync(host, client, merchant);
        using var browser = host.Browser();
        var pages = new HostedCheckout(browser);

        await SignInAsync(pages, id);
        var page = await pages.GetPageAsync($"/checkout/chargePermissions/{id}");
        Assert.Contains("Your subscription with", page, StringComparison.Ordinal);
        Assert.Contains("<p id=\"agreement-terms\">$14.00 every month, charged to Visa ****1111.</p>", page, StringComparison.Ordinal);
        Assert.Contains("id=\"payment-method-invalid\"", page, StringComparison.Ordinal);
        var notified = Ipn.IpnTestSupport.Outbox(host, merchant, id).Count;

        var form = HostedCheckout.Form(page, "agreement-payment-method");
        using var updated = await pages.PostAsync(form.Action, form.Token, ("paymentInstrumentId", "amex-0005"));

        Assert.Equal(HttpStatusCode.OK, updated.StatusCode);
        Assert.Contains("id=\"agreement-updated\"", await updated.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var permission = (await client.GetChargePermissionAsync(id)).Value;
        Assert.Equal("Chargeable", permission.StatusDetails!.State);
        Assert.Equal("American Express ****0005", permission.PaymentPreferences![0].PaymentDescriptor);
        var notice = Assert.Single(Ipn.IpnTestSupport.Outbox(host, merchant, id).Skip(notified));
        Assert.Equal((Domain.ObjectType.ChargePermission, id), (notice.ObjectType, notice.ObjectId));
        Assert.Equal("Captured", (await Agreements.ChargeAsync(client, id, "14.00", "MITR")).Value.StatusDetails!.State);
    }

    [Fact]
    public async Task TheBuyerCancelsTheAgreement_ClosedBuyerClosed_AndThePageThenRefusesChanges()
    {
        using var client = fixture.Host.Client(fixture.Merchant);
        var id = (await Agreements.CompletedAsync(fixture.Host, client, fixture.Merchant, "PaymentMethodOnFile", "Confirm",
            paymentMethodOnFileMetadata: Agreements.Json("""{"setupOnly": true}"""))).ChargePermissionId!;
        using var browser = fixture.Host.Browser();
        var pages = new HostedCheckout(browser);
        await SignInAsync(pages, id);
        var page = await pages.GetPageAsync($"/checkout/chargePermissions/{id}");
        Assert.Contains("Your saved payment method at", page, StringComparison.Ordinal);
        Assert.DoesNotContain("payment-method-invalid", page, StringComparison.Ordinal);
        var update = HostedCheckout.Form(page, "agreement-payment-method");

        var close = HostedCheckout.Form(page, "agreement-close");
        using var closed = await pages.PostAsync(close.Action, close.Token);

        Assert.Equal(HttpStatusCode.OK, closed.StatusCode);
        Assert.Contains("id=\"agreement-closed\"", await closed.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var status = (await client.GetChargePermissionAsync(id)).Value.StatusDetails!;
        Assert.Equal(("Closed", "BuyerClosed"), (status.State, Assert.Single(status.Reasons!).ReasonCode));

        using var shown = await browser.GetAsync(new Uri($"/checkout/chargePermissions/{id}", UriKind.Relative));
        Assert.Equal(HttpStatusCode.Conflict, shown.StatusCode);
        Assert.Contains("already Closed (BuyerClosed)", await shown.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        using var late = await pages.PostAsync(update.Action, update.Token, ("paymentInstrumentId", "amex-0005"));
        Assert.Equal(HttpStatusCode.Conflict, late.StatusCode);
        Assert.Contains("id=\"agreement-refused\"", await late.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal("Visa ****1111", (await client.GetChargePermissionAsync(id)).Value.PaymentPreferences![0].PaymentDescriptor);
    }

    [Fact]
    public async Task AmazonsAgreementPath_LeadsToThePage()
    {
        using var browser = fixture.Host.Browser();

        using var response = await browser.GetAsync(new Uri("/jr/your-account/ba/S01-1234567-7654321", UriKind.Relative));

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/checkout/chargePermissions/S01-1234567-7654321", response.Headers.Location!.ToString());
    }

    [Fact]
    public async Task WithoutASignedInBuyer_ThePageAsksToSignIn()
    {
        using var client = fixture.Host.Client(fixture.Merchant);
        var id = (await Agreements.CompletedAsync(fixture.Host, client, fixture.Merchant, "Recurring", "Confirm", Agreements.Monthly)).ChargePermissionId!;
        using var browser = fixture.Host.Browser();

        var page = await new HostedCheckout(browser).GetPageAsync($"/checkout/chargePermissions/{id}");

        Assert.Contains("<form id=\"buyer-signin\"", page, StringComparison.Ordinal);
        Assert.DoesNotContain("agreement-payment-method", page, StringComparison.Ordinal);
        Assert.DoesNotContain("agreement-close", page, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("S01-0000000-0000000")]
    [InlineData("not-a-permission")]
    public async Task AnUnknownId_IsNotFound(string id)
    {
        using var browser = fixture.Host.Browser();

        using var response = await browser.GetAsync(new Uri($"/checkout/chargePermissions/{id}", UriKind.Relative));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Contains("Agreement not found", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AOneTimePermission_IsRefused()
    {
        using var client = fixture.Host.Client(fixture.Merchant);
        var id = await Payments.ChargePermissionAsync(fixture.Host, client, fixture.Merchant);
        using var browser = fixture.Host.Browser();

        using var response = await browser.GetAsync(new Uri($"/checkout/chargePermissions/{id}", UriKind.Relative));

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Contains("The Charge Permission is OneTime", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AFormWithoutItsAntiForgeryToken_IsRefusedAndChangesNothing()
    {
        using var client = fixture.Host.Client(fixture.Merchant);
        var id = await DeclinedAgreementAsync(fixture.Host, client, fixture.Merchant);
        using var browser = fixture.Host.Browser();
        var pages = new HostedCheckout(browser);
        await SignInAsync(pages, id);

        foreach (var (action, fields) in new[]
        {
            ("paymentMethod", new Dictionary<string, string> { ["paymentInstrumentId"] = "amex-0005" }),
            ("close", new Dictionary<string, string>()),
        })
        {
            using var response = await browser.PostAsync(
                new Uri($"/checkout/chargePermissions/{id}/{action}", UriKind.Relative), new FormUrlEncodedContent(fields));
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.Contains("This form has expired", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        var status = (await client.GetChargePermissionAsync(id)).Value.StatusDetails!;
        Assert.Equal(("NonChargeable", "PaymentMethodInvalid"), (status.State, Assert.Single(status.Reasons!).ReasonCode));
    }

    [Fact]
    public async Task AnInstrumentTheBuyerDoesNotHave_IsRefusedAndChangesNothing()
    {
        using var client = fixture.Host.Client(fixture.Merchant);
        var id = await DeclinedAgreementAsync(fixture.Host, client, fixture.Merchant);
        using var browser = fixture.Host.Browser();
        var pages = new HostedCheckout(browser);
        await SignInAsync(pages, id);
        var form = HostedCheckout.Form(await pages.GetPageAsync($"/checkout/chargePermissions/{id}"), "agreement-payment-method");

        using var response = await pages.PostAsync(form.Action, form.Token, ("paymentInstrumentId", "visa-9999"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var page = await response.Content.ReadAsStringAsync();
        Assert.Contains("visa-9999", page, StringComparison.Ordinal);
        Assert.Contains("is not one of the buyer", page, StringComparison.Ordinal);
        Assert.Equal("NonChargeable", (await client.GetChargePermissionAsync(id)).Value.StatusDetails!.State);
    }

    [Fact]
    public async Task AnotherBuyer_CannotChangeTheAgreement()
    {
        using var client = fixture.Host.Client(fixture.Merchant);
        var id = await DeclinedAgreementAsync(fixture.Host, client, fixture.Merchant);
        using var browser = fixture.Host.Browser();
        var pages = new HostedCheckout(browser);
        await SignInAsync(pages, id);
        var form = HostedCheckout.Form(await pages.GetPageAsync($"/checkout/chargePermissions/{id}"), "agreement-close");
        using (var switched = await pages.PostAsync($"/checkout/chargePermissions/{id}/sign-in", form.Token, ("buyerId", John)))
        {
            Assert.Equal(HttpStatusCode.SeeOther, switched.StatusCode);
        }

        using var shown = await browser.GetAsync(new Uri($"/checkout/chargePermissions/{id}", UriKind.Relative));
        Assert.Equal(HttpStatusCode.Forbidden, shown.StatusCode);
        Assert.Contains("<form id=\"buyer-signin\"", await shown.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        using var posted = await pages.PostAsync(form.Action, form.Token);

        Assert.Equal(HttpStatusCode.Forbidden, posted.StatusCode);
        Assert.Contains("id=\"agreement-taken\"", await posted.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal("NonChargeable", (await client.GetChargePermissionAsync(id)).Value.StatusDetails!.State);
    }

    /// <summary>A monthly subscription whose first merchant-initiated charge was HardDeclined: NonChargeable/PaymentMethodInvalid.</summary>
    private static async Task<string> DeclinedAgreementAsync(TillpointHost host, AmazonPayClient client, TestMerchant merchant)
    {
        var id = (await Agreements.CompletedAsync(host, client, merchant, "Recurring", "Confirm", Agreements.Monthly)).ChargePermissionId!;
        var declined = await Assert.ThrowsAsync<AmazonPayException>(() => Agreements.ChargeAsync(client, id, "14.00", "MITR", simulationCode: "HardDeclined"));
        Assert.Equal("HardDeclined", declined.ReasonCode);
        return id;
    }

    /// <summary>Signs in on the agreement page's form as <paramref name="buyerId"/> (Jane Doe, who made every agreement here, unless told).</summary>
    private static async Task SignInAsync(HostedCheckout pages, string id, string buyerId = HostedCheckout.Jane)
    {
        var page = await pages.GetPageAsync($"/checkout/chargePermissions/{id}");
        var form = HostedCheckout.Form(page, "buyer-signin");
        using var signedIn = await pages.PostAsync(form.Action, form.Token, ("buyerId", buyerId));
        Assert.Equal(HttpStatusCode.SeeOther, signedIn.StatusCode);
        Assert.Equal($"/checkout/chargePermissions/{id}", signedIn.Headers.Location!.ToString());
    }
}
