using Tillpoint.Shop.Catalog;

namespace Tillpoint.Shop.Tests.Units;

public sealed class CartTests
{
    [Fact]
    public void Cookie_RoundTripsLinesAndQuantities()
    {
        var cart = Cart.Empty.Add(Products.Find("mug")!, 2).Add(Products.Find("tee")!, 1);

        var read = Cart.Parse(cart.ToCookie());

        Assert.Equal("mug:2.tee:1", cart.ToCookie());
        Assert.Equal([("mug", 2), ("tee", 1)], read.Lines.Select(l => (l.Product.Sku, l.Quantity)));
        Assert.Equal(49.00m, read.Subtotal);
    }

    [Theory]
    [InlineData("garbage")]
    [InlineData("unknown:1")]
    [InlineData("mug:0")]
    [InlineData("mug:11")]
    [InlineData("mug:-1")]
    [InlineData("mug:1,5")]
    [InlineData("mug:+1")]
    [InlineData("mug:99999999999999999999")]
    [InlineData("mug")]
    [InlineData("mug:1:2")]
    public void Parse_DropsWhatIsMalformed(string cookie)
    {
        Assert.True(Cart.Parse(cookie).IsEmpty);
    }

    [Fact]
    public void Parse_KeepsTheGoodLinesAndTheFirstOfDuplicates()
    {
        var cart = Cart.Parse("mug:2.bogus:1.mug:5.notebook:3");

        Assert.Equal([("mug", 2), ("notebook", 3)], cart.Lines.Select(l => (l.Product.Sku, l.Quantity)));
    }

    [Fact]
    public void Prices_ComeFromTheCatalogueNotTheCookie()
    {
        var cart = Cart.Parse("stickers:3");

        Assert.Equal(3 * 4.99m, cart.Subtotal);
    }

    [Fact]
    public void Add_CapsTheQuantity_AndSetZeroRemovesTheLine()
    {
        var mug = Products.Find("mug")!;

        var capped = Cart.Empty.Add(mug, 7).Add(mug, 7);
        var removed = capped.Set(mug, 0);

        Assert.Equal(Cart.MaxQuantityPerLine, capped.Lines.Single().Quantity);
        Assert.True(removed.IsEmpty);
    }
}
