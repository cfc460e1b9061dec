using System.Text;
using Microsoft.AspNetCore.Antiforgery;
using Tillpoint.Shop.Catalog;
using Tillpoint.Shop.Configuration;

namespace Tillpoint.Shop.Web;

/// <summary>The page frame every shop page shares, and the small helpers pages and forms need.</summary>
public static class Layout
{
    /// <summary>A whole HTML page with the header (store name, cart count) around <paramref name="body"/>.</summary>
    public static IResult Page(HttpContext context, int status, string title, Html body, Html scripts = default)
    {
        var options = context.RequestServices.GetRequiredService<ShopOptions>();
        var cart = CartCookie.Read(context);
        var cartLabel = cart.ItemCount == 1 ? "Cart (1 item)" : $"Cart ({cart.ItemCount} items)";
        var page = Html.Of($$"""
            <!DOCTYPE html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>{{title}} · {{options.StoreName}}</title>
            <link rel="stylesheet" href="/assets/shop.css">
            </head>
            <body>
            <a class="skip" href="#main">Skip to content</a>
            <header class="site">
              <a class="brand" href="/">{{options.StoreName}}</a>
              <nav aria-label="Shop"><a href="/">Products</a> <a id="subscriptionsLink" href="/subscriptions">Coffee club</a> <a id="cartLink" href="/cart">{{cartLabel}}</a></nav>
            </header>
            <main id="main">
            {{body}}
            </main>
            <footer class="site"><p>A demo shop. Payments run on a Tillpoint sandbox: no real money moves.</p></footer>
            {{scripts}}
            </body>
            </html>
            """);
        return Results.Content(page.ToString(), "text/html; charset=utf-8", Encoding.UTF8, status);
    }

    /// <summary>A page that only says what went wrong, with a way back.</summary>
    public static IResult Problem(HttpContext context, int status, string title, string message, string backHref = "/", string backText = "Back to the shop") =>
        Page(context, status, title, Html.Of($"""
            <h1>{title}</h1>
            <p class="alert" role="alert">{message}</p>
            <p><a href="{backHref}">{backText}</a></p>
            """));

    /// <summary>The hidden anti-forgery field every form carries.</summary>
    public static Html TokenField(HttpContext context)
    {
        var tokens = context.RequestServices.GetRequiredService<IAntiforgery>().GetAndStoreTokens(context);
        return Html.Of($"""<input type="hidden" name="{tokens.FormFieldName}" value="{tokens.RequestToken}">""");
    }

    /// <summary>Checks a POST's anti-forgery token; <see langword="false"/> means answer with <see cref="FormExpired"/>.</summary>
    public static Task<bool> IsFormValidAsync(HttpContext context) =>
        context.RequestServices.GetRequiredService<IAntiforgery>().IsRequestValidAsync(context);

    public static IResult FormExpired(HttpContext context) =>
        Problem(context, StatusCodes.Status400BadRequest, "Form expired", "This form has expired. Go back, reload the page and try again.");

    /// <summary>303: after a POST the browser must follow with a GET, so a reload does not post again.</summary>
    public static IResult SeeOther(string location) => new SeeOtherResult(location);

    private sealed class SeeOtherResult(string location) : IResult
    {
        public Task ExecuteAsync(HttpContext httpContext)
        {
            httpContext.Response.StatusCode = StatusCodes.Status303SeeOther;
            httpContext.Response.Headers.Location = location;
            return Task.CompletedTask;
        }
    }
}

/// <summary>The cart cookie: read on every page, written by the cart's forms and cleared after a completed checkout.</summary>
public static class CartCookie
{
    // The cart as this request leaves it, so a page rendered after a change shows the new count.
    private const string CurrentCartKey = "Tillpoint.Shop.Cart";

    public static Cart Read(HttpContext context) =>
        context.Items.TryGetValue(CurrentCartKey, out var current) && current is Cart cart ? cart : Cart.Parse(context.Request.Cookies[Cart.CookieName]);

    public static void Write(HttpContext context, Cart cart)
    {
        context.Items[CurrentCartKey] = cart;
        if (cart.IsEmpty)
        {
            context.Response.Cookies.Delete(Cart.CookieName);
            return;
        }

        context.Response.Cookies.Append(Cart.CookieName, cart.ToCookie(), new CookieOptions
        {
            HttpOnly = true,
            SameSite = SameSiteMode.Lax,
            Secure = context.Request.IsHttps,
            IsEssential = true,
            MaxAge = TimeSpan.FromDays(30),
        });
    }

    public static void Clear(HttpContext context)
    {
        context.Items[CurrentCartKey] = Cart.Empty;
        context.Response.Cookies.Delete(Cart.CookieName);
    }
}
