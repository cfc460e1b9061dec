namespace Tillpoint.Shop.Catalog;

/// <summary>Something the shop sells. Prices are in the shop's currency.</summary>
public sealed record Product(string Sku, string Name, string Description, decimal Price);

/// <summary>The catalogue: fixed, because the sample is about payments, not merchandising.</summary>
public static class Products
{
    public static IReadOnlyList<Product> All { get; } =
    [
        new("mug", "Tillpoint mug", "Stoneware, 350 ml, dishwasher safe.", 12.50m),
        new("tee", "Tillpoint T-shirt", "Organic cotton, unisex fit.", 24.00m),
        new("stickers", "Sticker pack", "Six weatherproof vinyl stickers.", 4.99m),
        new("notebook", "Dot-grid notebook", "A5, 160 numbered pages.", 9.75m),
    ];

    public static Product? Find(string? sku) => All.FirstOrDefault(p => p.Sku == sku);
}
