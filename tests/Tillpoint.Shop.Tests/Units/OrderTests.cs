using Tillpoint.Shop.Catalog;
using Tillpoint.Shop.Orders;
using Tillpoint.Shop.Payments;

namespace Tillpoint.Shop.Tests.Units;

public sealed class OrderTests
{
    internal static Order NewOrder(string checkoutSessionId = "5b6a5d1e-0000-4000-8000-000000000001", int number = 1001) =>
        Order.Draft(
            checkoutSessionId,
            Cart.Parse("mug:2"),
            5.00m,
            "USD",
            new BuyerDetails("Jane Doe", "jane@example.test", ["Jane Doe", "410 Terry Ave N"], "US", "Visa ****1111"),
            new DateTimeOffset(2026, 11, 27, 12, 0, 0, TimeSpan.Zero)) with { Number = number };

    private static ChargeSnapshot Charge(string state, string? reason = null, decimal captured = 0m, decimal refunded = 0m) =>
        new("S01-0000001-0000001", "S01-0000001-0000001-C000001", state, reason, 30.00m, captured, refunded);

    [Fact]
    public void State_FollowsTheChargeThroughItsLife()
    {
        var order = NewOrder();
        Assert.Equal(30.00m, order.Total);
        Assert.Equal(OrderState.AwaitingPayment, order.State);
        Assert.Equal(OrderState.PaymentPending, order.WithCharge(Charge("AuthorizationInitiated")).State);
        Assert.Equal(OrderState.Authorized, order.WithCharge(Charge("Authorized")).State);
        Assert.Equal(OrderState.Authorized, order.WithCharge(Charge("CaptureInitiated")).State);

        var paid = order.WithCharge(Charge("Captured", captured: 30.00m));
        Assert.Equal(OrderState.Paid, paid.State);
        var shipped = paid.WithShipment(new Shipment("UPS", "1Z1", order.PlacedAt));
        Assert.Equal(OrderState.Shipped, shipped.State);
        Assert.Equal(OrderState.Shipped, shipped.WithCharge(Charge("Captured", captured: 30.00m, refunded: 10.00m)).State);
        Assert.Equal(OrderState.Refunded, shipped.WithCharge(Charge("Captured", captured: 30.00m, refunded: 30.00m)).State);
    }

    [Theory]
    [InlineData("Declined", "HardDeclined", "HardDeclined")]
    [InlineData("Canceled", "ExpiredUnused", "ExpiredUnused")]
    [InlineData("Declined", null, "Declined")]
    public void State_OfAFailedCharge_IsCanceledWithItsReason(string state, string? reason, string expected)
    {
        var order = NewOrder().WithCharge(Charge(state, reason));

        Assert.Equal(OrderState.Canceled, order.State);
        Assert.Equal(expected, order.CancelReason);
        Assert.Equal(0m, order.AmountAuthorized);
    }

    [Fact]
    public void Refundable_IsWhatWasCapturedLessRefundsThatWereNotDeclined()
    {
        var order = NewOrder().WithCharge(Charge("Captured", captured: 30.00m))
            .WithRefund(new OrderRefund("R1", 10.00m, "RefundInitiated", null))
            .WithRefund(new OrderRefund("R2", 5.00m, "Declined", "AmazonRejected"));

        Assert.Equal(20.00m, order.Refundable);
        Assert.Equal(20.00m, order.WithRefund(new OrderRefund("R1", 10.00m, "Refunded", null)).Refundable);
        Assert.Equal(2, order.WithRefund(new OrderRefund("R1", 10.00m, "Refunded", null)).Refunds.Count);
    }

    [Fact]
    public void IdempotencyKeys_AreStableShortAndDistinct()
    {
        var order = NewOrder().WithCharge(Charge("Authorized"));
        string[] keys =
        [
            IdempotencyKeys.Capture(order),
            IdempotencyKeys.Refund(order, 5m),
            IdempotencyKeys.Refund(order, 6m),
            IdempotencyKeys.Refund(NewOrder(number: 1002).WithCharge(Charge("Authorized")), 5m),
            IdempotencyKeys.DeliveryTracker(order, "1Z1"),
        ];

        Assert.Equal(IdempotencyKeys.Capture(order), IdempotencyKeys.Capture(NewOrder().WithCharge(Charge("Authorized"))));
        Assert.Equal(IdempotencyKeys.Refund(order, 5m), IdempotencyKeys.Refund(order, 5.00m));
        Assert.Equal(keys.Length, keys.Distinct().Count());
        Assert.All(keys, key =>
        {
            Assert.Equal(32, key.Length);
            Assert.All(key, c => Assert.True(char.IsAsciiLetterOrDigit(c) || c == '-'));
        });
    }
}
