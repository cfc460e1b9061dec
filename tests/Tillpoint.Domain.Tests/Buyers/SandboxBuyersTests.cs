using Tillpoint.Domain.Buyers;

namespace Tillpoint.Domain.Tests.Buyers;

public class SandboxBuyersTests
{
    [Fact]
    public void Find_ByBuyerId_IsThatBuyer()
    {
        foreach (var buyer in SandboxBuyers.All)
        {
            Assert.Same(buyer, SandboxBuyers.Find(buyer.BuyerId));
        }
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("amzn1.account.UNKNOWN")]
    public void Find_UnknownBuyerId_IsNull(string? buyerId)
    {
        Assert.Null(SandboxBuyers.Find(buyerId));
    }

    [Fact]
    public void FindInstrument_ById_IsThatInstrument_AndUnknownIsNull()
    {
        var buyer = SandboxBuyers.All[1];

        Assert.Equal(InstrumentBehavior.PendingThenDeclined, SandboxBuyers.FindInstrument(buyer, "visa-4354")?.Behavior);
        Assert.Equal("Mastercard ****4444", SandboxBuyers.FindInstrument(buyer, "mastercard-4444")?.Descriptor);
        Assert.Null(SandboxBuyers.FindInstrument(buyer, "visa-9999"));
        Assert.Null(SandboxBuyers.FindInstrument(buyer, null));
    }

    [Fact]
    public void EveryBuyer_HasDistinctId_AndItsFirstAddressForBilling()
    {
        Assert.Equal(SandboxBuyers.All.Count, SandboxBuyers.All.Select(b => b.BuyerId).Distinct().Count());
        Assert.All(SandboxBuyers.All, b => Assert.Same(b.Addresses[0], b.BillingAddress));
    }
}
