using System.Diagnostics;
using System.Net;
using System.Text.RegularExpressions;
using Tillpoint.Protocol.Json;
using Xunit.Abstractions;

namespace Tillpoint.Testing.Tests;

/// <summary>
/// A whole checkout against the fixture, timed from the start of the server to the last assertion: the buyer's
/// part is played on the hosted pages over plain HTTP (sign in, approve, processing). Run twice, because the first in a
/// test process also pays for compiling the server's code.
/// </summary>
public sealed partial class WholeCheckoutTests(ITestOutputHelper output)
{
    private static readonly Price Amount = new() { Amount = "24.90", CurrencyCode = "USD" };

    [Fact]
    public async Task Checkout_Capture_Refund_FromTheFixturesStartToTheLastAssertion()
    {
        var first = await CheckoutAsync();
        var second = await CheckoutAsync();

        output.WriteLine($"whole checkout, start to last assertion: first in the process {first.TotalMilliseconds:0} ms, then {second.TotalMilliseconds:0} ms");
    }

    private static async Task<TimeSpan> CheckoutAsync()
    {
        var watch = Stopwatch.StartNew();
        await using var tillpoint = await TillpointTestServer.StartAsync();
        var client = tillpoint.Client;
        var session = (await client.CreateCheckoutSessionAsync(TillpointTestServerTests.NewCheckout(tillpoint.Merchant))).Value;
        var id = session.CheckoutSessionId!;

        using var buyer = new HostedPagesBuyer(tillpoint);
        var review = await buyer.ApproveAsync(id);
        var updated = (await client.UpdateCheckoutSessionAsync(id, new UpdateCheckoutSessionRequest
        {
            WebCheckoutDetails = new WebCheckoutDetailsDto { CheckoutResultReturnUrl = "https://shop.example.test/result" },
            PaymentDetails = new PaymentDetailsDto { PaymentIntent = "Authorize", ChargeAmount = Amount },
        })).Value;
        var result = await buyer.ProcessAsync(updated.WebCheckoutDetails!.AmazonPayRedirectUrl!);
        var completed = (await client.CompleteCheckoutSessionAsync(id, new CompleteCheckoutSessionRequest { ChargeAmount = Amount })).Value;
        var captured = (await client.CaptureChargeAsync(completed.ChargeId!, new CaptureChargeRequest { CaptureAmount = Amount })).Value;
        var refund = (await client.CreateRefundAsync(new CreateRefundRequest { ChargeId = captured.ChargeId, RefundAmount = Amount })).Value;
        await tillpoint.Clock.AdvanceAsync(TimeSpan.FromMinutes(1));
        var refunded = (await client.GetRefundAsync(refund.RefundId!)).Value;

        Assert.StartsWith("https://shop.example.test/review?amazonCheckoutSessionId=", review.AbsoluteUri, StringComparison.Ordinal);
        Assert.StartsWith("https://shop.example.test/result?amazonCheckoutSessionId=", result.AbsoluteUri, StringComparison.Ordinal);
        Assert.Equal("Completed", completed.StatusDetails?.State);
        Assert.Equal("Captured", captured.StatusDetails?.State);
        Assert.Equal("Refunded", refunded.StatusDetails?.State);
        return watch.Elapsed;
    }

    /// <summary>The buyer on the hosted pages, with a browser's cookies and without following redirects.</summary>
    private sealed partial class HostedPagesBuyer : IDisposable
    {
        private readonly HttpClient _browser;

        public HostedPagesBuyer(TillpointTestServer tillpoint)
        {
            var handler = tillpoint.CreateHttpMessageHandler();
            handler.AllowAutoRedirect = false;
            _browser = new HttpClient(handler) { BaseAddress = tillpoint.BaseUrl };
        }

        /// <summary>Signs in as the first test buyer and approves with their first address and the card that pays.</summary>
        public async Task<Uri> ApproveAsync(string checkoutSessionId)
        {
            var page = $"/checkout/{checkoutSessionId}";
            var signIn = await PostFormAsync(page, "buyer-signin", html => [new("buyerId", FirstBuyer().Match(html).Groups[1].Value)]);
            Assert.Equal(HttpStatusCode.SeeOther, signIn.StatusCode);
            var approved = await PostFormAsync(page, "buyer-approve", _ => [new("paymentInstrumentId", "visa-1111"), new("shippingAddressId", "0")]);
            Assert.Equal(HttpStatusCode.SeeOther, approved.StatusCode);
            return approved.Headers.Location!;
        }

        /// <summary>Visits amazonPayRedirectUrl and returns where it sends the buyer.</summary>
        public async Task<Uri> ProcessAsync(string amazonPayRedirectUrl)
        {
            using var processed = await _browser.GetAsync(new Uri(amazonPayRedirectUrl));
            Assert.True(processed.StatusCode is HttpStatusCode.Redirect or HttpStatusCode.SeeOther, $"processing answered {processed.StatusCode}");
            return processed.Headers.Location!;
        }

        public void Dispose() => _browser.Dispose();

        private async Task<HttpResponseMessage> PostFormAsync(string page, string formId, Func<string, KeyValuePair<string, string>[]> fields)
        {
            var html = await _browser.GetStringAsync(new Uri(page, UriKind.Relative));
            var form = new Regex($"<form id=\"{formId}\" method=\"post\" action=\"([^\"]+)\">\\s*<input type=\"hidden\" name=\"__RequestVerificationToken\" value=\"([^\"]+)\">").Match(html);
            Assert.True(form.Success, $"{page} has no form {formId}");
            using var body = new FormUrlEncodedContent([new("__RequestVerificationToken", WebUtility.HtmlDecode(form.Groups[2].Value)), .. fields(html)]);
            return await _browser.PostAsync(new Uri(WebUtility.HtmlDecode(form.Groups[1].Value), UriKind.Relative), body);
        }

        [GeneratedRegex("<option value=\"(amzn1[^\"]+)\"")]
        private static partial Regex FirstBuyer();
    }
}
