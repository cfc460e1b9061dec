using System.Globalization;
using System.Text;

namespace Tillpoint.Shop.Catalog;

/// <summary>One line of the cart.</summary>
public sealed record CartLine(Product Product, int Quantity)
{
    public decimal Amount => Product.Price * Quantity;
}

/// <summary>
/// The buyer's cart, kept in a cookie as <c>sku:quantity</c> pairs. Only ids and counts travel: prices always come from
/// the catalogue, so an edited cookie can change what is bought but never what it costs.
/// </summary>
public sealed record Cart(IReadOnlyList<CartLine> Lines)
{
    public const string CookieName = "shop_cart";
    public const int MaxQuantityPerLine = 10;
    public const int MaxLines = 20;

    public static Cart Empty { get; } = new([]);

    public bool IsEmpty => Lines.Count == 0;

    public int ItemCount => Lines.Sum(l => l.Quantity);

    public decimal Subtotal => Lines.Sum(l => l.Amount);

    /// <summary>Reads the cookie; anything malformed or unknown is dropped rather than trusted.</summary>
    public static Cart Parse(string? cookie)
    {
        if (string.IsNullOrEmpty(cookie))
        {
            return Empty;
        }

        var lines = new List<CartLine>();
        foreach (var entry in cookie.Split('.', StringSplitOptions.RemoveEmptyEntries).Take(MaxLines))
        {
            var parts = entry.Split(':');
            if (parts.Length == 2
                && Products.Find(parts[0]) is { } product
                && int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var quantity)
                && quantity is >= 1 and <= MaxQuantityPerLine
                && lines.All(l => l.Product.Sku != product.Sku))
            {
                lines.Add(new CartLine(product, quantity));
            }
        }

        return new Cart(lines);
    }

    /// <summary>The cart with <paramref name="quantity"/> more of a product, capped at <see cref="MaxQuantityPerLine"/>.</summary>
    public Cart Add(Product product, int quantity)
    {
        var current = Lines.FirstOrDefault(l => l.Product.Sku == product.Sku)?.Quantity ?? 0;
        return Set(product, Math.Min(current + quantity, MaxQuantityPerLine));
    }

    /// <summary>The cart with a product's quantity set; 0 removes the line.</summary>
    public Cart Set(Product product, int quantity)
    {
        var lines = Lines.Select(l => l.Product.Sku == product.Sku ? l with { Quantity = quantity } : l).Where(l => l.Quantity > 0).ToList();
        if (quantity > 0 && lines.All(l => l.Product.Sku != product.Sku) && lines.Count < MaxLines)
        {
            lines.Add(new CartLine(product, quantity));
        }

        return new Cart(lines);
    }

    public string ToCookie()
    {
        var text = new StringBuilder();
        foreach (var line in Lines)
        {
            text.Append(text.Length == 0 ? string.Empty : ".").Append(line.Product.Sku).Append(':').Append(line.Quantity.ToString(CultureInfo.InvariantCulture));
        }

        return text.ToString();
    }
}
