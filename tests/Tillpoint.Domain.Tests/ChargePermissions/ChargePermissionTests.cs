using Tillpoint.Domain.ChargePermissions;
using Tillpoint.Domain.Charges;
using Tillpoint.Domain.CheckoutSessions;

namespace Tillpoint.Domain.Tests.ChargePermissions;

public class ChargePermissionTests
{
    private static Charge ChargeIn(ChargeState state, decimal amount, decimal? captured = null) => new()
    {
        ChargeId = $"C-{state}-{amount}",
        ChargePermissionId = "S01-0000000-0000001",
        MerchantId = Build.MerchantId,
        Environment = ReleaseEnvironment.Sandbox,
        ChargeAmount = Usd.Of(amount),
        CaptureAmount = captured is null ? null : Usd.Of(captured.Value),
        RefundedAmount = Usd.Of(0m),
        State = state,
        LastUpdatedTimestamp = Times.T0,
        CreationTimestamp = Times.T0,
        ExpirationTimestamp = Times.T0.AddDays(30),
    };

    [Fact]
    public void AmountBalance_WithoutCharges_IsTheLimit()
    {
        Assert.Equal(Usd.Of(115m), Build.Permission(Usd.Of(115m)).AmountBalance([]));
    }

    [Fact]
    public void AmountBalance_SubtractsWhatEachChargeHolds()
    {
        var permission = Build.Permission(Usd.Of(115m));

        var balance = permission.AmountBalance(
        [
            ChargeIn(ChargeState.Authorized, 20m),
            ChargeIn(ChargeState.AuthorizationInitiated, 10m),
            ChargeIn(ChargeState.Captured, 30m, captured: 25m),
            ChargeIn(ChargeState.CaptureInitiated, 5m, captured: 5.50m),
            ChargeIn(ChargeState.Canceled, 40m),
            ChargeIn(ChargeState.Declined, 50m),
        ]);

        Assert.Equal(Usd.Of(54.50m), balance);
    }

    [Fact]
    public void AmountBalance_NeverGoesBelowZero()
    {
        var permission = Build.Permission(Usd.Of(10m));

        Assert.Equal(Usd.Of(0m), permission.AmountBalance([ChargeIn(ChargeState.Captured, 10m, captured: 11.50m)]));
    }

    [Fact]
    public void CreateFrom_UnprocessedSessionWithoutBuyer_Throws()
    {
        Assert.Throws<InvalidOperationException>(() => ChargePermission.CreateFrom(Build.Configured(), "S01-1", Times.T0, Limits.Default));
    }

    [Fact]
    public void CreateFrom_Jpy_AllowOverchargeUsesTheYenFloor()
    {
        var session = Build.Ready(Build.Payment(PaymentIntent.Confirm, new Money(1000m, Currency.JPY), allowOvercharge: true));

        var permission = ChargePermission.CreateFrom(session, "S01-1", Times.T0, Limits.Default);

        Assert.Equal(new Money(70_000m, Currency.JPY), permission.AmountLimit);
        Assert.Equal(Currency.JPY, permission.PresentmentCurrency);
    }

    [Fact]
    public void CreateFrom_Jpy_LimitIsOrderPlusTruncatedAllowance()
    {
        var session = Build.Ready(Build.Payment(PaymentIntent.Confirm, new Money(999m, Currency.JPY)));

        var permission = ChargePermission.CreateFrom(session, "S01-1", Times.T0, Limits.Default);

        Assert.Equal(new Money(1148m, Currency.JPY), permission.AmountLimit);
    }

    [Fact]
    public void CreatedEvent_DescribesTheNewPermission()
    {
        var permission = Build.Permission(Usd.Of(16.10m));

        var e = permission.CreatedEvent();

        Assert.Equal(ObjectType.ChargePermission, e.ObjectType);
        Assert.Equal(permission.ChargePermissionId, e.ObjectId);
        Assert.Equal(permission.ChargePermissionId, e.ChargePermissionId);
        Assert.Null(e.FromState);
        Assert.Equal("Chargeable", e.ToState);
        Assert.Equal(Usd.Of(16.10m), e.Amount);
        Assert.Equal(permission.CreationTimestamp, e.At);
    }
}
