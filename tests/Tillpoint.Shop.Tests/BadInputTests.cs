using System.Net;
using Tillpoint.Shop.Tests.Support;
using static Tillpoint.Shop.Tests.Support.HtmlPage;

namespace Tillpoint.Shop.Tests;

/// <summary>Every bad request gets a page that says what is wrong, with a 4xx status, never a 500.</summary>
public sealed class BadInputTests(ShopFixture fixture) : IClassFixture<ShopFixture>
{
    private const string UnknownSession = "0b5e8c0e-7f5f-4a7e-9a52-1f0e5c2d9a11";

    private ShopHost Host => fixture.Host;

    [Theory]
    [InlineData("/checkout/review", HttpStatusCode.BadRequest)]
    [InlineData("/checkout/review?amazonCheckoutSessionId=", HttpStatusCode.BadRequest)]
    [InlineData("/checkout/review?amazonCheckoutSessionId=%3Cscript%3E", HttpStatusCode.BadRequest)]
    [InlineData("/checkout/review?amazonCheckoutSessionId=" + UnknownSession, HttpStatusCode.NotFound)]
    [InlineData("/checkout/result", HttpStatusCode.BadRequest)]
    [InlineData("/checkout/result?amazonCheckoutSessionId=a%2Fb", HttpStatusCode.BadRequest)]
    [InlineData("/checkout/result?amazonCheckoutSessionId=" + UnknownSession, HttpStatusCode.NotFound)]
    [InlineData("/orders/abc", HttpStatusCode.NotFound)]
    [InlineData("/orders/-1", HttpStatusCode.NotFound)]
    [InlineData("/orders/99999999999999", HttpStatusCode.NotFound)]
    [InlineData("/orders/4242", HttpStatusCode.NotFound)]
    public async Task Get_WithABadOrUnknownId_AnswersAPageWithTheReason(string path, HttpStatusCode expected)
    {
        using var buyer = Host.NewBuyer();

        var page = await buyer.GetAsync(path, expected);

        Assert.Contains("role=\"alert\"", page, StringComparison.Ordinal);
        Assert.DoesNotContain("<script>", page, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("mug", "abc")]
    [InlineData("mug", "0")]
    [InlineData("mug", "11")]
    [InlineData("mug", "")]
    [InlineData("mug", "1.5")]
    [InlineData("nothing-like-it", "1")]
    [InlineData("", "1")]
    public async Task AddToCart_WithABadProductOrQuantity_IsRefusedAndTheCartStaysEmpty(string sku, string quantity)
    {
        using var buyer = Host.NewBuyer();
        var (action, token) = Server.Tests.Support.HostedCheckout.Form(await buyer.GetAsync("/"), "add-form-mug");

        using var response = await buyer.PostAsync(action, token, ("sku", sku), ("quantity", quantity));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True(Has(await buyer.GetAsync("/cart"), "emptyCart"));
    }

    [Theory]
    [InlineData("/cart/add")]
    [InlineData("/cart/update")]
    [InlineData("/checkout/review")]
    [InlineData("/orders/1001/ship")]
    [InlineData("/orders/1001/refund")]
    public async Task Post_WithoutTheFormToken_IsRefusedAsAnExpiredForm(string path)
    {
        using var buyer = Host.NewBuyer();

        using var response = await buyer.Shop.PostAsync(new Uri(path, UriKind.Relative), new FormUrlEncodedContent([new("sku", "mug"), new("quantity", "1")]));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("Form expired", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task UpdateCart_SetsQuantitiesAndRemovesWithZero_AndRefusesNegatives()
    {
        using var buyer = Host.NewBuyer();
        await buyer.AddToCartAsync("tee", 2);
        var cart = await buyer.GetAsync("/cart");

        using (var negative = await buyer.SubmitAsync(cart, "update-form-tee", ("sku", "tee"), ("quantity", "-1")))
        {
            Assert.Equal(HttpStatusCode.BadRequest, negative.StatusCode);
        }

        using (var three = await buyer.SubmitAsync(cart, "update-form-tee", ("sku", "tee"), ("quantity", "3")))
        {
            Assert.Equal(HttpStatusCode.SeeOther, three.StatusCode);
        }

        Assert.Equal("$72.00", Text(await buyer.GetAsync("/cart"), "subtotal"));
        using (var removed = await buyer.SubmitAsync(cart, "update-form-tee", ("sku", "tee"), ("quantity", "0")))
        {
            Assert.Equal(HttpStatusCode.SeeOther, removed.StatusCode);
        }

        Assert.True(Has(await buyer.GetAsync("/cart"), "emptyCart"));
    }

    [Fact]
    public async Task TamperedCartCookie_ReadsAsAnEmptyCart()
    {
        using var buyer = Host.NewBuyer();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/cart");
        request.Headers.Add("Cookie", "shop_cart=%3Cscript%3E:99.mug:-4");

        using var response = await buyer.Shop.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True(Has(await response.Content.ReadAsStringAsync(), "emptyCart"));
    }

    [Fact]
    public async Task Review_BeforeTheBuyerChoseAnAddress_OffersNoPlaceOrder_AndPlacingAnywayIsRefused()
    {
        using var buyer = Host.NewBuyer();
        await buyer.AddToCartAsync("mug");
        var checkoutSessionId = await buyer.ClickAmazonPayButtonAsync();

        var review = await buyer.GetAsync($"/checkout/review?amazonCheckoutSessionId={checkoutSessionId}");
        Assert.False(Has(review, "placeOrder"));
        Assert.Contains("no shipping address", review, StringComparison.Ordinal);

        var (_, token) = Server.Tests.Support.HostedCheckout.Form(await buyer.GetAsync("/cart"), "update-form-mug");
        using var placed = await buyer.PostAsync("/checkout/review", token, ("amazonCheckoutSessionId", checkoutSessionId));
        Assert.Equal(HttpStatusCode.Conflict, placed.StatusCode);
    }

    [Fact]
    public async Task Review_WithAnEmptyCart_SendsTheBuyerShopping()
    {
        using var buyer = Host.NewBuyer();
        await buyer.AddToCartAsync("mug");
        var checkoutSessionId = await buyer.ClickAmazonPayButtonAsync();
        var reviewUrl = (await buyer.ApproveAsync(checkoutSessionId)).AbsoluteUri;
        var review = await buyer.GetAsync(reviewUrl);
        var cart = await buyer.GetAsync("/cart");
        using (await buyer.SubmitAsync(cart, "update-form-mug", ("sku", "mug"), ("quantity", "0")))
        {
        }

        await buyer.GetAsync(reviewUrl, HttpStatusCode.Conflict);
        using var placed = await buyer.SubmitAsync(review, "placeOrderForm", ("amazonCheckoutSessionId", checkoutSessionId));
        Assert.Equal(HttpStatusCode.Conflict, placed.StatusCode);
        Assert.Contains("Your cart is empty", await placed.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ResultPage_BeforeAmazonPayProcessedThePayment_SaysSo_AndWorksOnceItHas()
    {
        using var buyer = Host.NewBuyer();
        await buyer.AddToCartAsync("notebook");
        var checkoutSessionId = await buyer.ClickAmazonPayButtonAsync();
        var review = await buyer.GetAsync((await buyer.ApproveAsync(checkoutSessionId)).AbsoluteUri);
        var redirect = await buyer.PlaceOrderAsync(review);
        var resultUrl = $"/checkout/result?amazonCheckoutSessionId={checkoutSessionId}";

        var early = await buyer.GetAsync(resultUrl, HttpStatusCode.Conflict);
        Assert.Contains("has not been through Amazon Pay", early, StringComparison.Ordinal);

        await buyer.Pages.ProcessAsync(redirect);
        Assert.Equal("Paid", State(await buyer.GetAsync(resultUrl)));
    }

    [Fact]
    public async Task PlacingAgainAfterPayment_ShowsTheOrderInsteadOfASecondOne()
    {
        using var buyer = Host.NewBuyer();
        await buyer.AddToCartAsync("mug");
        var (checkoutSessionId, review, result) = await buyer.CheckoutAsync();
        await buyer.AddToCartAsync("mug");

        using var again = await buyer.SubmitAsync(review, "placeOrderForm", ("amazonCheckoutSessionId", checkoutSessionId));
        using var reviewAgain = await buyer.Shop.GetAsync(new Uri($"/checkout/review?amazonCheckoutSessionId={checkoutSessionId}", UriKind.Relative));

        Assert.Equal(HttpStatusCode.SeeOther, again.StatusCode);
        Assert.Equal(Buyer.OrderPath(result), again.Headers.Location!.OriginalString);
        Assert.Equal(HttpStatusCode.SeeOther, reviewAgain.StatusCode);
        Assert.Equal(Buyer.OrderPath(result), reviewAgain.Headers.Location!.OriginalString);
    }
}
