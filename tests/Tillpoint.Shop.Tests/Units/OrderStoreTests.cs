using Tillpoint.Shop.Orders;

namespace Tillpoint.Shop.Tests.Units;

public sealed class OrderStoreTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("tillpoint-shop-store-").FullName;

    [Fact]
    public void Place_NumbersOrdersFrom1001_AndFindsThemByNumberAndCheckout()
    {
        var store = new OrderStore(_directory);

        var first = store.Place(OrderTests.NewOrder("session-1", number: 0));
        var second = store.Place(OrderTests.NewOrder("session-2", number: 0));

        Assert.Equal(1001, first.Number);
        Assert.Equal(1002, second.Number);
        Assert.Equal("session-2", store.Find(1002)!.CheckoutSessionId);
        Assert.Equal(1001, store.FindByCheckoutSession("session-1")!.Number);
        Assert.Null(store.Find(999));
        Assert.Null(store.FindByCheckoutSession("session-3"));
    }

    [Fact]
    public void Place_AgainForTheSameCheckout_KeepsTheNumberWhileAwaitingPayment_AndNeverRewritesALaterOrder()
    {
        var store = new OrderStore(_directory);
        var placed = store.Place(OrderTests.NewOrder("session-1", number: 0));

        var again = store.Place(OrderTests.NewOrder("session-1", number: 0) with { Total = 99m });
        Assert.Equal(placed.Number, again.Number);
        Assert.Equal(99m, store.Find(placed.Number)!.Total);

        store.Update(placed.Number, o => o.WithCheckoutCanceled("Declined"));
        var afterCancel = store.Place(OrderTests.NewOrder("session-1", number: 0) with { Total = 1m });
        Assert.Equal(OrderState.Canceled, afterCancel.State);
        Assert.Equal(99m, afterCancel.Total);
    }

    [Fact]
    public async Task Update_FromManyRequestsAtOnce_LosesNoChange()
    {
        var store = new OrderStore(_directory);
        var order = store.Place(OrderTests.NewOrder(number: 0));

        // Two stores on one file stand for two shop processes.
        var other = new OrderStore(_directory);
        await Task.WhenAll(Enumerable.Range(0, 40).Select(i => Task.Run(() =>
            (i % 2 == 0 ? store : other).Update(order.Number, o => o.WithRefund(new OrderRefund($"R{i}", 1m, "RefundInitiated", null))))));

        Assert.Equal(40, store.Find(order.Number)!.Refunds.Count);
    }

    [Fact]
    public void Orders_SurviveANewStoreOnTheSameFolder()
    {
        var placed = new OrderStore(_directory).Place(OrderTests.NewOrder(number: 0));

        var reopened = new OrderStore(_directory).Find(placed.Number);

        Assert.Equal(placed.Lines, reopened!.Lines);
        Assert.Equal(placed.Buyer.ShipTo, reopened.Buyer.ShipTo);
        Assert.Equal(placed.Total, reopened.Total);
    }

    [Fact]
    public void Update_OfAMissingOrder_IsNull_AndMayNotChangeTheNumber()
    {
        var store = new OrderStore(_directory);
        var order = store.Place(OrderTests.NewOrder(number: 0));

        Assert.Null(store.Update(4242, o => o));
        Assert.Throws<InvalidOperationException>(() => store.Update(order.Number, o => o with { Number = 5 }));
    }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }
}
