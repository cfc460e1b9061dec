using Tillpoint.Domain.Charges;

namespace Tillpoint.Domain.Tests.Charges;

/// <summary>Property-style checks over many random amounts, with a fixed seed so that a failure can be replayed.</summary>
public class ChargeCapturePropertyTests
{
    private const int Seed = 20250301;
    private const int Runs = 2000;

    [Fact]
    public void Capture_RandomAmounts_NeverExceedAuthorizedPlusAllowance_AndRefusalsChangeNothing()
    {
        var random = new Random(Seed);
        for (var run = 0; run < Runs; run++)
        {
            var currency = random.Next(4) switch { 0 => Currency.USD, 1 => Currency.EUR, 2 => Currency.GBP, _ => Currency.JPY };
            var unit = currency == Currency.JPY ? 1m : 0.01m;
            var authorized = new Money(random.Next(1, 2_000_000) * unit, currency);
            var ceiling = authorized + Limits.Default.OverCaptureAllowance(authorized);
            // Amounts from one unit up to twice the ceiling, so that about half are refused.
            var maxUnits = (int)Math.Min(int.MaxValue - 1, decimal.Floor(ceiling.Amount * 2m / unit));
            var amount = new Money(random.Next(1, maxUnits + 1) * unit, currency);
            var (charge, permission) = Build.Authorized(authorized);
            var before = charge with { };

            var captured = charge.Capture(amount, null, permission, Money.Zero(currency), false, null, Times.T0.AddHours(1), Limits.Default);

            if (captured.IsSuccess)
            {
                Assert.True(amount <= ceiling, $"run {run}: captured {amount} over {ceiling}");
                Assert.Equal(ChargeState.Captured, captured.Value.Value.State);
                Assert.Equal(amount, captured.Value.Value.CaptureAmount);
                Assert.True(captured.Value.Value.AmountHeld <= permission.AmountLimit, $"run {run}: held over the limit");
            }
            else
            {
                Assert.True(amount > ceiling, $"run {run}: refused {amount} within {ceiling}");
                Assert.Equal(ErrorCode.TransactionAmountExceeded, captured.Error!.Code);
                Assert.Equal(before, charge);
                Assert.Equal(ChargeState.Authorized, charge.State);
                Assert.Null(charge.CaptureAmount);
            }
        }
    }

    [Fact]
    public void Capture_RandomAmountsWithOtherCharges_NeverTakeThePermissionOverItsLimit()
    {
        var random = new Random(Seed + 1);
        for (var run = 0; run < Runs; run++)
        {
            var authorized = Usd.Of(random.Next(100, 100_000) / 100m);
            var (charge, _) = Build.Authorized(authorized);
            var limit = Usd.Of(random.Next(100, 200_000) / 100m);
            var permission = Build.Permission(limit);
            var heldByOthers = Usd.Of(random.Next(0, 200_000) / 100m);
            var amount = Usd.Of(random.Next(1, 120_000) / 100m);

            var captured = charge.Capture(amount, null, permission, heldByOthers, false, null, Times.T0.AddHours(1), Limits.Default);

            var ceiling = authorized + Limits.Default.OverCaptureAllowance(authorized);
            var fits = amount <= ceiling && heldByOthers + amount <= limit;
            Assert.Equal(fits, captured.IsSuccess);
            if (captured.IsSuccess)
            {
                Assert.True(heldByOthers + captured.Value.Value.AmountHeld <= limit, $"run {run}");
            }
            else
            {
                Assert.Equal(ErrorCode.TransactionAmountExceeded, captured.Error!.Code);
                Assert.Equal(ChargeState.Authorized, charge.State);
            }
        }
    }
}
