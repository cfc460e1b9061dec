using System.Net;
using System.Text;
using Tillpoint.Protocol.Json;

namespace Tillpoint.Client.Tests;

/// <summary>The headless buyer's calls of <see cref="TillpointOperatorClient"/>: what they send and how they read the answer.</summary>
public sealed class HeadlessBuyerClientTests
{
    private const string SessionId = "bd504926-f659-4ad7-a1a9-9a747aaf5275";
    private const string Redirect = """{"redirectUrl":"https://merchant.example/review?amazonCheckoutSessionId=bd504926-f659-4ad7-a1a9-9a747aaf5275"}""";

    [Fact]
    public async Task Approve_posts_to_the_sessions_approve_path_with_the_bearer_token_and_no_body_for_the_defaults()
    {
        using var harness = new OperatorHarness(new CapturingHandler(HttpStatusCode.OK, Redirect));

        var approved = await harness.Client.ApproveCheckoutAsync(SessionId);

        var request = harness.Request;
        Assert.Equal("POST", request.Method);
        Assert.Equal($"https://127.0.0.1:8443/operator/checkoutSessions/{SessionId}/approve", request.Uri.AbsoluteUri);
        Assert.Equal("Bearer " + OperatorHarness.Token, request.Header("authorization"));
        Assert.DoesNotContain(request.Headers.Keys, name => name.StartsWith("x-amz-pay-", StringComparison.OrdinalIgnoreCase));
        Assert.Empty(request.Body);
        Assert.Equal(new BuyerRedirect(SessionId, $"https://merchant.example/review?amazonCheckoutSessionId={SessionId}"), approved);
    }

    [Fact]
    public async Task Approve_with_a_choice_posts_only_the_members_given()
    {
        using var harness = new OperatorHarness(new CapturingHandler(HttpStatusCode.OK, Redirect));

        await harness.Client.ApproveCheckoutAsync(
            SessionId, new BuyerChoice { BuyerId = "amzn1.account.AH4TLNZ5TILLPOINTSANDBOXJOHN", PaymentInstrumentId = "visa-3434" });

        Assert.Equal("application/json", harness.Request.Header("content-type"));
        Assert.Equal(
            """{"buyerId":"amzn1.account.AH4TLNZ5TILLPOINTSANDBOXJOHN","paymentInstrumentId":"visa-3434"}""",
            Encoding.UTF8.GetString(harness.Request.Body));
    }

    [Fact]
    public async Task Pay_and_cancel_post_to_their_paths_without_a_body()
    {
        using var harness = new OperatorHarness(new CapturingHandler(HttpStatusCode.OK, Redirect));

        var paid = await harness.Client.PayCheckoutAsync(SessionId);
        var canceled = await harness.Client.CancelCheckoutAsync(SessionId);

        Assert.Equal(
            [$"/operator/checkoutSessions/{SessionId}/pay", $"/operator/checkoutSessions/{SessionId}/cancel"],
            harness.Handler.Requests.Select(r => r.Path));
        Assert.All(harness.Handler.Requests, r => Assert.Equal(("POST", 0), (r.Method, r.Body.Length)));
        Assert.Equal(SessionId, paid.CheckoutSessionId);
        Assert.Equal(paid, canceled);
    }

    [Fact]
    public async Task The_session_id_is_escaped_as_one_path_segment()
    {
        using var harness = new OperatorHarness(new CapturingHandler(HttpStatusCode.OK, Redirect));

        await harness.Client.PayCheckoutAsync("a/b?c");

        Assert.Equal("/operator/checkoutSessions/a%2Fb%3Fc/pay", harness.Request.Uri.AbsolutePath);
    }

    [Theory]
    [InlineData("")]
    [InlineData(" ")]
    [InlineData(".")]
    [InlineData("..")]
    public async Task Unusable_session_ids_are_refused_before_anything_is_sent(string checkoutSessionId)
    {
        using var harness = new OperatorHarness(new CapturingHandler(HttpStatusCode.OK, Redirect));

        await Assert.ThrowsAnyAsync<ArgumentException>(() => harness.Client.ApproveCheckoutAsync(checkoutSessionId));
        await Assert.ThrowsAnyAsync<ArgumentException>(() => harness.Client.PayCheckoutAsync(checkoutSessionId));
        await Assert.ThrowsAnyAsync<ArgumentException>(() => harness.Client.CancelCheckoutAsync(checkoutSessionId));

        Assert.Empty(harness.Handler.Requests);
    }

    [Fact]
    public async Task A_refusal_becomes_an_AmazonPayException()
    {
        using var harness = new OperatorHarness(new CapturingHandler(HttpStatusCode.UnprocessableEntity,
            """{"reasonCode":"InvalidCheckoutSessionStatus","message":"The Checkout Session is in Completed state and cannot be processed."}"""));

        var error = await Assert.ThrowsAsync<AmazonPayException>(() => harness.Client.PayCheckoutAsync(SessionId));

        Assert.Equal((422, "InvalidCheckoutSessionStatus"), (error.StatusCode, error.ReasonCode));
    }

    [Theory]
    [InlineData("{}")]
    [InlineData("""{"redirectUrl":null}""")]
    [InlineData("<html/>")]
    public async Task An_answer_without_a_redirect_gives_InvalidResponse(string body)
    {
        using var harness = new OperatorHarness(new CapturingHandler(HttpStatusCode.OK, body));

        var error = await Assert.ThrowsAsync<AmazonPayException>(() => harness.Client.CancelCheckoutAsync(SessionId));

        Assert.Equal((200, AmazonPayException.InvalidResponseReasonCode), (error.StatusCode, error.ReasonCode));
    }
}
