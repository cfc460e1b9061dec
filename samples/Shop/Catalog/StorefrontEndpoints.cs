using System.Globalization;
using Tillpoint.Client;
using Tillpoint.Shop.Checkout;
using Tillpoint.Shop.Configuration;
using Tillpoint.Shop.Payments;
using Tillpoint.Shop.Web;

namespace Tillpoint.Shop.Catalog;

/// <summary>The product list and the cart, with the Amazon Pay button (step 2 of the guide).</summary>
public static class StorefrontEndpoints
{
    public static void MapStorefront(this WebApplication app)
    {
        app.MapGet("/", ProductList);
        app.MapGet("/cart", ShowCartAsync);
        app.MapPost("/cart/add", AddToCartAsync);
        app.MapPost("/cart/update", UpdateCartAsync);
    }

    private static IResult ProductList(HttpContext context)
    {
        var rows = Products.All.Select(p => Html.Of($"""
            <li class="product">
              <h2><a id="product-{p.Sku}" href="/products/{p.Sku}">{p.Name}</a></h2>
              <p>{p.Description}</p>
              <p class="price">{Money.Display(p.Price, "USD")}</p>
              <form id="add-form-{p.Sku}" method="post" action="/cart/add">
                {Layout.TokenField(context)}
                <input type="hidden" name="sku" value="{p.Sku}">
                <label for="quantity-{p.Sku}">Quantity</label>
                <input id="quantity-{p.Sku}" name="quantity" type="number" min="1" max="{Cart.MaxQuantityPerLine}" value="1" inputmode="numeric">
                <button id="add-{p.Sku}" type="submit">Add to cart</button>
              </form>
            </li>
            """));
        return Layout.Page(context, StatusCodes.Status200OK, "Products", Html.Of($"""
            <h1>Products</h1>
            <ul class="products">{Html.Join(rows)}</ul>
            """));
    }

    private static async Task<IResult> ShowCartAsync(HttpContext context, AmazonPayClient amazonPay, TillpointCheck tillpoint, ShopOptions options, CancellationToken ct)
    {
        var cart = CartCookie.Read(context);
        var notice = context.Request.Query["checkout"] == "canceled"
            ? Html.Of($"""<p class="notice" role="status" id="checkoutCanceled">You canceled Amazon Pay checkout. Your cart is still here.</p>""")
            : Html.Empty;
        if (cart.IsEmpty)
        {
            return Layout.Page(context, StatusCodes.Status200OK, "Cart", Html.Of($"""
                <h1>Your cart</h1>
                {notice}
                <p id="emptyCart">Your cart is empty. <a href="/">Browse the products</a>.</p>
                """));
        }

        var lines = cart.Lines.Select(l => Html.Of($"""
            <tr>
              <th scope="row">{l.Product.Name}</th>
              <td>
                <form id="update-form-{l.Product.Sku}" method="post" action="/cart/update">
                  {Layout.TokenField(context)}
                  <input type="hidden" name="sku" value="{l.Product.Sku}">
                  <label class="visually-hidden" for="cart-quantity-{l.Product.Sku}">Quantity of {l.Product.Name}</label>
                  <input id="cart-quantity-{l.Product.Sku}" name="quantity" type="number" min="0" max="{Cart.MaxQuantityPerLine}" value="{l.Quantity}" inputmode="numeric">
                  <button type="submit" class="secondary">Update</button>
                </form>
              </td>
              <td class="amount">{Money.Display(l.Amount, options.Currency)}</td>
            </tr>
            """));

        // A button that can only fail on Tillpoint's page helps nobody: say what is wrong instead.
        var problem = await tillpoint.ProblemAsync(ct);
        var pay = problem is null ? PaySection(amazonPay, options, ShopUrls.Base(context, options), cart) : Html.Of($"""
            <section class="pay" aria-label="Pay">
              <p class="alert" role="alert" id="tillpointProblem">Checkout is not available: {problem}</p>
            </section>
            """);
        var body = Html.Of($"""
            <h1>Your cart</h1>
            {notice}
            <table class="lines">
              <caption class="visually-hidden">Items in your cart</caption>
              <thead><tr><th scope="col">Item</th><th scope="col">Quantity</th><th scope="col" class="amount">Amount</th></tr></thead>
              <tbody>{Html.Join(lines)}</tbody>
              <tfoot><tr><th scope="row" colspan="2">Subtotal</th><td class="amount" id="subtotal">{Money.Display(cart.Subtotal, options.Currency)}</td></tr></tfoot>
            </table>
            <p>Shipping is added on the next page, once Amazon Pay tells us where the parcel goes.</p>
            {pay}
            """);
        return Layout.Page(context, StatusCodes.Status200OK, "Cart", body, problem is null ? Scripts(options) : Html.Empty);
    }

    /// <summary>The Amazon Pay button (rendered by checkout.js) and the plain link that stands in for it without script.</summary>
    private static Html PaySection(AmazonPayClient amazonPay, ShopOptions options, Uri shopBase, Cart cart)
    {
        var button = CheckoutButton.Create(amazonPay, options, shopBase);
        return button.Section(options, "Pay", "PayAndShip", "Cart", cart.Subtotal, "Check out with Amazon Pay");
    }

    /// <summary>Tillpoint's button script, then ours, which renders the button once the other has loaded.</summary>
    public static Html Scripts(ShopOptions options) => Html.Of($"""
        <script src="{new Uri(options.TillpointPublicUrl, "checkout.js").AbsoluteUri}" defer></script>
        <script src="/assets/shop.js" defer></script>
        """);

    private static async Task<IResult> AddToCartAsync(HttpContext context, CancellationToken ct)
    {
        if (!await Layout.IsFormValidAsync(context))
        {
            return Layout.FormExpired(context);
        }

        var form = await context.Request.ReadFormAsync(ct);
        if (Products.Find(form["sku"]) is not { } product)
        {
            return Layout.Problem(context, StatusCodes.Status400BadRequest, "Unknown product", "That product is not in the catalogue.");
        }

        if (!TryQuantity(form["quantity"], 1, out var quantity))
        {
            return Layout.Problem(context, StatusCodes.Status400BadRequest, "Invalid quantity", $"Choose a quantity from 1 to {Cart.MaxQuantityPerLine}.");
        }

        var cart = CartCookie.Read(context);
        if (cart.Lines.Count >= Cart.MaxLines && cart.Lines.All(l => l.Product.Sku != product.Sku))
        {
            return Layout.Problem(context, StatusCodes.Status400BadRequest, "Cart full", $"A cart holds at most {Cart.MaxLines} different products.", "/cart", "Go to your cart");
        }

        CartCookie.Write(context, cart.Add(product, quantity));
        return Layout.SeeOther("/cart");
    }

    private static async Task<IResult> UpdateCartAsync(HttpContext context, CancellationToken ct)
    {
        if (!await Layout.IsFormValidAsync(context))
        {
            return Layout.FormExpired(context);
        }

        var form = await context.Request.ReadFormAsync(ct);
        if (Products.Find(form["sku"]) is not { } product)
        {
            return Layout.Problem(context, StatusCodes.Status400BadRequest, "Unknown product", "That product is not in the catalogue.", "/cart", "Go to your cart");
        }

        if (!TryQuantity(form["quantity"], 0, out var quantity))
        {
            return Layout.Problem(context, StatusCodes.Status400BadRequest, "Invalid quantity", $"Choose a quantity from 0 (remove) to {Cart.MaxQuantityPerLine}.", "/cart", "Go to your cart");
        }

        CartCookie.Write(context, CartCookie.Read(context).Set(product, quantity));
        return Layout.SeeOther("/cart");
    }

    private static bool TryQuantity(string? text, int minimum, out int quantity) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out quantity) && quantity >= minimum && quantity <= Cart.MaxQuantityPerLine;
}
