using Tillpoint.Client;
using Tillpoint.Protocol.Json;
using Tillpoint.Server.Tests.Api.Recurring;
using Tillpoint.Server.Tests.Support;

namespace Tillpoint.Server.Tests.Checkout;

/// <summary>The hosted page tells the buyer what they agree to beyond this payment: a subscription, or a saved wallet.</summary>
public sealed class AgreementTermsPageTests(HostFixture fixture) : IClassFixture<HostFixture>
{
    [Theory]
    [InlineData("Recurring", """{"frequency":{"unit":"Month","value":"1"},"amount":{"amount":"14.00","currencyCode":"USD"}}""", null,
        "This is a subscription: $14.00 every month, charged by the shop until you cancel it in your account.")]
    [InlineData("Recurring", """{"frequency":{"unit":"Week","value":2}}""", null, "This is a subscription: a varying amount every 2 weeks,")]
    [InlineData("Recurring", """{"frequency":{"unit":"Variable"}}""", null, "a varying amount at varying intervals")]
    [InlineData("PaymentMethodOnFile", null, """{"setupOnly":true}""", "saved for future purchases at this shop; nothing is charged now.")]
    [InlineData("PaymentMethodOnFile", null, """{"setupOnly":false}""", "also saved for future purchases at this shop.")]
    public async Task TheChoicePage_ShowsTheAgreementsTerms(string type, string? recurring, string? savedWallet, string expected)
    {
        var page = await ChoicePageAsync(type, recurring is null ? null : Agreements.Json(recurring), savedWallet is null ? null : Agreements.Json(savedWallet));

        Assert.Contains("<p id=\"agreement-terms\">", page, StringComparison.Ordinal);
        Assert.Contains(expected, page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheChoicePage_OfAOneTimeCheckout_ShowsNoTerms()
    {
        var page = await ChoicePageAsync(null, null, null);

        Assert.DoesNotContain("agreement-terms", page, StringComparison.Ordinal);
    }

    private async Task<string> ChoicePageAsync(string? type, System.Text.Json.JsonElement? recurring, System.Text.Json.JsonElement? savedWallet)
    {
        using AmazonPayClient client = fixture.Host.Client(fixture.Merchant);
        var created = (await client.CreateCheckoutSessionAsync(new CreateCheckoutSessionRequest
        {
            WebCheckoutDetails = new WebCheckoutDetailsDto { CheckoutReviewReturnUrl = Checkouts.ReviewUrl },
            StoreId = fixture.Merchant.StoreId,
            ChargePermissionType = type,
            RecurringMetadata = recurring,
            PaymentMethodOnFileMetadata = savedWallet,
        })).Value;
        using var browser = fixture.Host.Browser();
        var pages = new HostedCheckout(browser);
        await pages.SignInAsync(created.CheckoutSessionId!);
        return await pages.GetPageAsync($"/checkout/{created.CheckoutSessionId}");
    }
}
