using System.Net;
using Tillpoint.Shop.Tests.Support;
using static Tillpoint.Shop.Tests.Support.HtmlPage;

namespace Tillpoint.Shop.Tests;

/// <summary>
/// A shop set up wrongly says what is wrong in one sentence, on its page and in its log, instead of a button that does
/// nothing or fails on Tillpoint's page.
/// </summary>
public sealed class MisconfigurationTests
{
    [Fact]
    public async Task Cart_WithAKeyTillpointDoesNotKnow_NamesTheKeyAndTheFix_InsteadOfTheButton()
    {
        var log = new LogCollector();
        await using var host = await ShopHost.StartAsync(["--public-key-id", "SANDBOX-AAAAAAAAAAAAAAAAAAAAAAAA"], log.AddTo);

        var problem = await CartProblemAsync(host);

        Assert.Equal(
            $"Checkout is not available: Tillpoint at {Authority(host.Tillpoint.HttpsBase)} does not know the shop's public key id SANDBOX-AAAAAAAAAAAAAAAAAAAAAAAA: "
            + "run samples/Shop/setup.sh --force from the directory tillpoint serve runs in, so that both use the same data folder, then restart the shop.",
            problem);
        Assert.Contains(log.Lines, line => problem.EndsWith(line, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Cart_WithTillpointUnreachable_SaysWhereItWasLookedFor()
    {
        var log = new LogCollector();
        // Port 1 on loopback: nothing listens there.
        await using var host = await ShopHost.StartAsync(["--tillpoint-url", "https://127.0.0.1:1"], log.AddTo);

        var problem = await CartProblemAsync(host);

        Assert.StartsWith("Checkout is not available: Tillpoint cannot be reached at https://127.0.0.1:1 (", problem, StringComparison.Ordinal);
        Assert.EndsWith("): start tillpoint serve, or set Tillpoint:Url to where it listens.", problem, StringComparison.Ordinal);
        Assert.Contains(log.Lines, line => problem.EndsWith(line, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Cart_WithACertificateFileThatDoesNotExist_NamesTheFile()
    {
        var log = new LogCollector();
        var missing = Path.Combine(Path.GetTempPath(), "tillpoint-no-such-folder", "tillpoint-https.pem");
        await using var host = await ShopHost.StartAsync(["--tillpoint-certificate", missing], log.AddTo);

        var problem = await CartProblemAsync(host);

        Assert.Equal(
            $"Checkout is not available: The shop does not trust Tillpoint's HTTPS certificate at {Authority(host.Tillpoint.HttpsBase)}: the certificate file {missing} "
            + "(Tillpoint:CertificatePath) does not exist; point it at tillpoint-https.pem in the data folder of tillpoint serve.",
            problem);
        Assert.Contains(log.Lines, line => problem.EndsWith(line, StringComparison.Ordinal));
    }

    [Fact]
    public async Task PlaceOrder_WhenTillpointSendsBuyersWhereTheShopsPolicyForbids_SaysHowToAlignThem()
    {
        var log = new LogCollector();
        // Tillpoint sends buyers to its HTTPS address (the address the shop calls); the shop allows another one.
        await using var host = await ShopHost.StartAsync(["--tillpoint-public-url", "http://127.0.0.1:9"], log.AddTo);
        using var buyer = host.NewBuyer();
        await buyer.AddToCartAsync("mug");
        var review = await buyer.ApproveAsync(await buyer.ClickAmazonPayButtonAsync());
        var reviewPage = await buyer.GetAsync(review.AbsoluteUri);

        using var placed = await buyer.SubmitAsync(
            reviewPage, "placeOrderForm", ("amazonCheckoutSessionId", Attribute(reviewPage, "changeAddress", "data-amazon-checkout-session-id")));
        var page = await placed.Content.ReadAsStringAsync();

        var tillpoint = Authority(host.Tillpoint.HttpsBase);
        var expected = $"Tillpoint sends buyers to {tillpoint} to pay, but the shop's Content-Security-Policy allows only Tillpoint:PublicUrl "
            + $"http://127.0.0.1:9: start tillpoint serve with --public-url http://127.0.0.1:9, or set the shop's Tillpoint:PublicUrl to {tillpoint}.";
        Assert.Equal(HttpStatusCode.BadGateway, placed.StatusCode);
        Assert.Contains(expected, WebUtility.HtmlDecode(page), StringComparison.Ordinal);
        Assert.Contains(expected, log.Lines);
    }

    [Fact]
    public async Task Cart_OnceTillpointKnowsTheKey_ShowsTheButton_AndLogsNoProblem()
    {
        var log = new LogCollector();
        await using var host = await ShopHost.StartAsync([], log.AddTo);
        using var buyer = host.NewBuyer();
        await buyer.AddToCartAsync("mug");

        var cart = await buyer.GetAsync("/cart");

        Assert.True(Has(cart, "AmazonPayButton"));
        Assert.False(Has(cart, "tillpointProblem"));
        Assert.Empty(log.Lines);
    }

    /// <summary>A cart with something in it: the text of the page's problem, which stands where the button would.</summary>
    private static async Task<string> CartProblemAsync(ShopHost host)
    {
        using var buyer = host.NewBuyer();
        await buyer.AddToCartAsync("mug");
        var cart = await buyer.GetAsync("/cart");
        Assert.False(Has(cart, "AmazonPayButton"));
        Assert.False(Has(cart, "AmazonPayLink"));
        Assert.DoesNotContain("checkout.js", cart, StringComparison.Ordinal);
        return Text(cart, "tillpointProblem");
    }

    private static string Authority(Uri url) => url.GetLeftPart(UriPartial.Authority);
}
