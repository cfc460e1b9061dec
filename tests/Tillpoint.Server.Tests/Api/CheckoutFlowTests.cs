using System.Net;
using Tillpoint.Client;
using Tillpoint.Protocol.Json;
using Tillpoint.Protocol.Signing;
using Tillpoint.Server.Tests.Support;

namespace Tillpoint.Server.Tests.Api;

/// <summary>The standard web checkout through "Verify &amp; complete checkout", through Tillpoint.Client and the hosted pages.</summary>
public sealed class CheckoutFlowTests(HostFixture fixture) : IClassFixture<HostFixture>
{
    private TillpointHost Host => fixture.Host;

    private TestMerchant Merchant => fixture.Merchant;

    [Theory]
    [InlineData(SignatureAlgorithm.RsassaPssV2, false)]
    [InlineData(SignatureAlgorithm.RsassaPss, false)]
    [InlineData(SignatureAlgorithm.RsassaPssV2, true)]
    public async Task StandardCheckout_VerifyAndComplete_ThenCapture(SignatureAlgorithm algorithm, bool plainKey)
    {
        using var client = Host.Client(Merchant, plainKey ? Merchant.PlainKeyId : null, algorithm);

        var created = await Checkouts.CreateAsync(client, Merchant);
        Assert.Equal(201, created.StatusCode);
        Assert.Equal("Open", created.Value.StatusDetails!.State);
        Assert.Contains(created.Value.Constraints!, c => c.ConstraintId == "BuyerNotAssociated");
        Assert.Null(created.Value.WebCheckoutDetails!.AmazonPayRedirectUrl);
        Assert.Equal("Sandbox", created.Value.ReleaseEnvironment);
        Assert.Equal("20261127T120000Z", created.Value.CreationTimestamp);
        Assert.Equal("20261128T120000Z", created.Value.ExpirationTimestamp);
        var id = created.Value.CheckoutSessionId!;

        using var browser = Host.Browser();
        var pages = new HostedCheckout(browser);
        var review = await pages.ApproveAsync(id);
        Assert.Equal(new Uri($"{Checkouts.ReviewUrl}?amazonCheckoutSessionId={id}"), review);

        var reviewed = (await client.GetCheckoutSessionAsync(id)).Value;
        Assert.StartsWith("amzn1.account.", reviewed.Buyer!.BuyerId, StringComparison.Ordinal);
        Assert.Equal("Visa ****1111", reviewed.PaymentPreferences![0].PaymentDescriptor);
        Assert.NotNull(reviewed.ShippingAddress);
        Assert.DoesNotContain(reviewed.Constraints!, c => c.ConstraintId == "BuyerNotAssociated");

        var updated = (await Checkouts.UpdateAsync(client, id)).Value;
        Assert.Empty(updated.Constraints!);
        var redirect = updated.WebCheckoutDetails!.AmazonPayRedirectUrl!;
        Assert.StartsWith(Host.HttpsBase.ToString(), redirect, StringComparison.Ordinal);

        var result = await pages.ProcessAsync(redirect);
        Assert.Equal(new Uri($"{Checkouts.ResultUrl}?amazonCheckoutSessionId={id}"), result);

        var completed = await Checkouts.CompleteAsync(client, id);
        Assert.Equal(200, completed.StatusCode);

        // Step 5: verify the session is Completed and keep its ids.
        var verified = (await client.GetCheckoutSessionAsync(id)).Value;
        Assert.Equal("Completed", verified.StatusDetails!.State);
        Assert.Null(verified.StatusDetails.ReasonCode);
        Assert.Matches("^S01-\\d{7}-\\d{7}$", verified.ChargePermissionId);
        Assert.Matches($"^{verified.ChargePermissionId}-C\\d{{6}}$", verified.ChargeId);

        var charge = (await client.GetChargeAsync(verified.ChargeId!)).Value;
        Assert.Equal("Authorized", charge.StatusDetails!.State);
        Assert.Equal("14.00", charge.ChargeAmount!.Amount);
        Assert.Null(charge.CaptureAmount);
        Assert.Equal("20261227T120000Z", charge.ExpirationTimestamp);

        var captured = await Checkouts.CaptureAsync(client, verified.ChargeId!, softDescriptor: "Descriptor");
        Assert.Equal(200, captured.StatusCode);
        Assert.Equal("Captured", captured.Value.StatusDetails!.State);
        Assert.Equal("14.00", captured.Value.CaptureAmount!.Amount);
        Assert.Equal("0.00", captured.Value.RefundedAmount!.Amount);
        Assert.Equal("Descriptor", captured.Value.SoftDescriptor);

        var permission = (await client.GetChargePermissionAsync(verified.ChargePermissionId!)).Value;
        Assert.Equal("Chargeable", permission.StatusDetails!.State);
        Assert.Null(permission.StatusDetails.Reasons);
        Assert.Equal(reviewed.Buyer.BuyerId, permission.Buyer!.BuyerId);
        Assert.Equal("order-1001", permission.MerchantMetadata!.MerchantReferenceId);
        Assert.Equal("16.10", permission.Limits!.AmountLimit!.Amount);
        Assert.Equal("2.10", permission.Limits.AmountBalance!.Amount);
        Assert.Equal("20270526T120000Z", permission.ExpirationTimestamp);
    }

    [Fact]
    public async Task DeclinedInstrument_CancelsTheSession_AndCompleteSaysCheckoutSessionCanceled()
    {
        using var client = Host.Client(Merchant);
        var session = await Checkouts.ProcessedAsync(Host, client, Merchant, instrumentId: "visa-3434");

        var canceled = (await client.GetCheckoutSessionAsync(session.CheckoutSessionId!)).Value;
        Assert.Equal("Canceled", canceled.StatusDetails!.State);
        Assert.Equal("Declined", canceled.StatusDetails.ReasonCode);

        var error = await Assert.ThrowsAsync<AmazonPayException>(() => Checkouts.CompleteAsync(client, session.CheckoutSessionId!));
        Assert.Equal(422, error.StatusCode);
        Assert.Equal("CheckoutSessionCanceled", error.ReasonCode);
    }

    [Fact]
    public async Task BuyerCancelOnTheHostedPage_CancelsWithBuyerCanceled()
    {
        using var client = Host.Client(Merchant);
        var created = (await Checkouts.CreateAsync(client, Merchant)).Value;
        using var browser = Host.Browser();

        using var response = await new HostedCheckout(browser).CancelAsync(created.CheckoutSessionId!);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var canceled = (await client.GetCheckoutSessionAsync(created.CheckoutSessionId!)).Value;
        Assert.Equal("Canceled", canceled.StatusDetails!.State);
        Assert.Equal("BuyerCanceled", canceled.StatusDetails.ReasonCode);
    }

    [Fact]
    public async Task ConfirmIntent_CompletesWithAPermissionButNoCharge()
    {
        using var client = Host.Client(Merchant);
        var session = await Checkouts.ProcessedAsync(Host, client, Merchant, intent: "Confirm");

        var completed = (await Checkouts.CompleteAsync(client, session.CheckoutSessionId!)).Value;

        Assert.Equal("Completed", completed.StatusDetails!.State);
        Assert.NotNull(completed.ChargePermissionId);
        Assert.Null(completed.ChargeId);
    }

    [Fact]
    public async Task AuthorizeWithCapture_CompletesWithACapturedCharge()
    {
        using var client = Host.Client(Merchant);
        var session = await Checkouts.ProcessedAsync(Host, client, Merchant, intent: "AuthorizeWithCapture", amount: "20.00");

        var completed = (await Checkouts.CompleteAsync(client, session.CheckoutSessionId!, "20.00")).Value;
        var charge = (await client.GetChargeAsync(completed.ChargeId!)).Value;

        Assert.Equal("Captured", charge.StatusDetails!.State);
        Assert.Equal("20.00", charge.CaptureAmount!.Amount);
    }

    [Fact]
    public async Task Complete_BeforeTheBuyerReturns_IsInvalidCheckoutSessionStatus()
    {
        using var client = Host.Client(Merchant);
        var created = (await Checkouts.CreateAsync(client, Merchant)).Value;
        await Checkouts.UpdateAsync(client, created.CheckoutSessionId!);

        var error = await Assert.ThrowsAsync<AmazonPayException>(() => Checkouts.CompleteAsync(client, created.CheckoutSessionId!));

        Assert.Equal(422, error.StatusCode);
        Assert.Equal("InvalidCheckoutSessionStatus", error.ReasonCode);
    }

    [Fact]
    public async Task Complete_WithAnotherAmount_IsAmountMismatch_AndLeavesTheSessionOpen()
    {
        using var client = Host.Client(Merchant);
        var session = await Checkouts.ProcessedAsync(Host, client, Merchant);

        var error = await Assert.ThrowsAsync<AmazonPayException>(() => Checkouts.CompleteAsync(client, session.CheckoutSessionId!, "15.00"));

        Assert.Equal(409, error.StatusCode);
        Assert.Equal("AmountMismatch", error.ReasonCode);
        Assert.Equal("Open", (await client.GetCheckoutSessionAsync(session.CheckoutSessionId!)).Value.StatusDetails!.State);
    }

    [Fact]
    public async Task Complete_Twice_IsInvalidCheckoutSessionStatus()
    {
        using var client = Host.Client(Merchant);
        var completed = await Checkouts.AuthorizedAsync(Host, client, Merchant);

        var error = await Assert.ThrowsAsync<AmazonPayException>(() => Checkouts.CompleteAsync(client, completed.CheckoutSessionId!));

        Assert.Equal("InvalidCheckoutSessionStatus", error.ReasonCode);
    }

    [Fact]
    public async Task Update_AfterCompletion_IsInvalidCheckoutSessionStatus()
    {
        using var client = Host.Client(Merchant);
        var completed = await Checkouts.AuthorizedAsync(Host, client, Merchant);

        var error = await Assert.ThrowsAsync<AmazonPayException>(() => Checkouts.UpdateAsync(client, completed.CheckoutSessionId!));

        Assert.Equal(422, error.StatusCode);
        Assert.Equal("InvalidCheckoutSessionStatus", error.ReasonCode);
    }

    [Fact]
    public async Task Capture_OverTheAllowance_IsTransactionAmountExceeded_WithinItSucceeds()
    {
        using var client = Host.Client(Merchant);
        var first = await Checkouts.AuthorizedAsync(Host, client, Merchant, "100.00");
        var second = await Checkouts.AuthorizedAsync(Host, client, Merchant, "100.00");

        var error = await Assert.ThrowsAsync<AmazonPayException>(() => Checkouts.CaptureAsync(client, first.ChargeId!, "115.01"));
        var captured = await Checkouts.CaptureAsync(client, second.ChargeId!, "115.00");

        Assert.Equal("TransactionAmountExceeded", error.ReasonCode);
        Assert.Equal("Authorized", (await client.GetChargeAsync(first.ChargeId!)).Value.StatusDetails!.State);
        Assert.Equal("115.00", captured.Value.CaptureAmount!.Amount);
    }

    [Fact]
    public async Task Capture_Twice_IsInvalidChargeStatus()
    {
        using var client = Host.Client(Merchant);
        var completed = await Checkouts.AuthorizedAsync(Host, client, Merchant);
        await Checkouts.CaptureAsync(client, completed.ChargeId!);

        var error = await Assert.ThrowsAsync<AmazonPayException>(() => Checkouts.CaptureAsync(client, completed.ChargeId!));

        Assert.Equal(422, error.StatusCode);
        Assert.Equal("InvalidChargeStatus", error.ReasonCode);
    }

    [Fact]
    public async Task HostedPage_HonoursDeliverySpecifications()
    {
        using var client = Host.Client(Merchant);
        var created = (await client.CreateCheckoutSessionAsync(new CreateCheckoutSessionRequest
        {
            WebCheckoutDetails = new WebCheckoutDetailsDto { CheckoutReviewReturnUrl = Checkouts.ReviewUrl },
            StoreId = Merchant.StoreId,
            DeliverySpecifications = new DeliverySpecificationsDto { SpecialRestrictions = ["RestrictPOBoxes"] },
        })).Value;
        using var browser = Host.Browser();
        var pages = new HostedCheckout(browser);

        // Jane's third address is a PO box: the page disables it and the server refuses it if posted anyway.
        var page = await pages.GetPageAsync($"/checkout/{created.CheckoutSessionId}");
        var signIn = HostedCheckout.Form(page, "buyer-signin");
        await pages.PostAsync(signIn.Action, signIn.Token, ("buyerId", "amzn1.account.AH4TLNZ5TILLPOINTSANDBOXJANE"));
        page = await pages.GetPageAsync($"/checkout/{created.CheckoutSessionId}");
        Assert.Contains("id=\"address-2\" name=\"shippingAddressId\" value=\"2\" disabled", page, StringComparison.Ordinal);
        var approve = HostedCheckout.Form(page, "buyer-approve");
        using var refused = await pages.PostAsync(approve.Action, approve.Token, ("shippingAddressId", "2"), ("paymentInstrumentId", "visa-1111"));

        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Contains(
            (await client.GetCheckoutSessionAsync(created.CheckoutSessionId!)).Value.Constraints!, c => c.ConstraintId == "BuyerNotAssociated");
    }

    [Fact]
    public async Task HostedPage_RefusesAPostWithoutAntiforgeryToken()
    {
        using var client = Host.Client(Merchant);
        var created = (await Checkouts.CreateAsync(client, Merchant)).Value;
        using var browser = Host.Browser();

        using var response = await browser.PostAsync(
            new Uri($"/checkout/{created.CheckoutSessionId}/cancel", UriKind.Relative), new FormUrlEncodedContent([]));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("Open", (await client.GetCheckoutSessionAsync(created.CheckoutSessionId!)).Value.StatusDetails!.State);
    }

    [Fact]
    public async Task HostedPage_SendsSecurityHeadersAndARequestId()
    {
        using var client = Host.Client(Merchant);
        var created = (await Checkouts.CreateAsync(client, Merchant)).Value;
        using var browser = Host.Browser();

        using var response = await browser.GetAsync(new Uri($"/checkout/{created.CheckoutSessionId}", UriKind.Relative));

        Assert.Contains("frame-ancestors 'none'", response.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);
        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Single(response.Headers.GetValues("x-amz-pay-request-id"));
    }

    [Fact]
    public async Task NonAsciiReturnUrls_AreSentAsAsciiRedirects()
    {
        // Location is an ASCII header: the path is percent-encoded and the host sent in punycode, never a 500.
        using var client = fixture.Host.Client(fixture.Merchant);
        var created = (await client.CreateCheckoutSessionAsync(
            new CreateCheckoutSessionRequest
            {
                WebCheckoutDetails = new WebCheckoutDetailsDto { CheckoutReviewReturnUrl = "https://bücher.example/prüfen" },
                StoreId = fixture.Merchant.StoreId,
            })).Value;
        using var browser = fixture.Host.Browser();

        var review = await new HostedCheckout(browser).ApproveAsync(created.CheckoutSessionId!);

        Assert.Equal(
            $"https://xn--bcher-kva.example/pr%C3%BCfen?amazonCheckoutSessionId={created.CheckoutSessionId}",
            review.AbsoluteUri);
    }
}
