using System.Diagnostics;
using Tillpoint.Protocol.Json;
using Xunit.Abstractions;

namespace Tillpoint.Testing.Tests;

/// <summary>
/// A whole checkout against the fixture, with the headless buyer, timed from the start of the server to the last
/// assertion. Run twice, because the first in a test process also pays for compiling the server's code.
/// </summary>
public sealed class WholeCheckoutTests(ITestOutputHelper output)
{
    private static readonly Price Amount = new() { Amount = "24.90", CurrencyCode = "USD" };

    [Fact]
    public async Task Checkout_Capture_Refund_FromTheFixturesStartToTheLastAssertion()
    {
        var first = await CheckoutAsync();
        var second = await CheckoutAsync();

        output.WriteLine($"whole checkout, start to last assertion: first in the process {first.TotalMilliseconds:0} ms, then {second.TotalMilliseconds:0} ms");
    }

    /// <summary>The test a merchant writes (docs/testing.md shows it): the lines between the stopwatch's start and its read.</summary>
    private static async Task<TimeSpan> CheckoutAsync()
    {
        var watch = Stopwatch.StartNew();
        await using var tillpoint = await TillpointTestServer.StartAsync();
        var client = tillpoint.Client;
        var id = (await client.CreateCheckoutSessionAsync(TillpointTestServerTests.NewCheckout(tillpoint.Merchant))).Value.CheckoutSessionId!;
        var review = await tillpoint.Buyer.ApproveAsync(id);
        await client.UpdateCheckoutSessionAsync(id, new UpdateCheckoutSessionRequest
        {
            WebCheckoutDetails = new WebCheckoutDetailsDto { CheckoutResultReturnUrl = "https://shop.example.test/result" },
            PaymentDetails = new PaymentDetailsDto { PaymentIntent = "Authorize", ChargeAmount = Amount },
        });
        var result = await tillpoint.Buyer.PayAsync(id);
        var completed = (await client.CompleteCheckoutSessionAsync(id, new CompleteCheckoutSessionRequest { ChargeAmount = Amount })).Value;
        var captured = (await client.CaptureChargeAsync(completed.ChargeId!, new CaptureChargeRequest { CaptureAmount = Amount })).Value;
        var refund = (await client.CreateRefundAsync(new CreateRefundRequest { ChargeId = captured.ChargeId, RefundAmount = Amount })).Value;
        await tillpoint.Clock.AdvanceAsync(TimeSpan.FromMinutes(1));

        Assert.Equal($"https://shop.example.test/review?amazonCheckoutSessionId={id}", review.RedirectUrl);
        Assert.Equal($"https://shop.example.test/result?amazonCheckoutSessionId={id}", result.RedirectUrl);
        Assert.Equal("Captured", captured.StatusDetails?.State);
        Assert.Equal("Refunded", (await client.GetRefundAsync(refund.RefundId!)).Value.StatusDetails?.State);
        return watch.Elapsed;
    }
}
