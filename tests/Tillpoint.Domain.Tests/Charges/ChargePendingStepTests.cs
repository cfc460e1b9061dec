using Tillpoint.Domain.Charges;

namespace Tillpoint.Domain.Tests.Charges;

/// <summary>Pending steps resolving at their due time: the state they reach, the amount their event carries, the new expiry.</summary>
public class ChargePendingStepTests
{
    private static readonly TimeSpan Tick = TimeSpan.FromTicks(1);
    private static readonly TimeSpan Delay = Limits.Default.SandboxAsyncDelay;

    private static Charge Pending(Money amount, ChargeReasonCode? declineReason = null, bool captureNow = false)
    {
        var permission = Build.Permission(amount + Limits.Default.OverCaptureAllowance(amount));
        return Charge.Authorize(
            permission, permission.ChargePermissionId + "-C000001", Build.Request(amount, captureNow, canHandlePendingAuthorization: true),
            AuthorizationOutcome.Pending(declineReason), Times.T0, Limits.Default).Value;
    }

    private static Transition<Charge> PendingCapture(Money authorized, Money captured, ChargeReasonCode? declineReason)
    {
        var (charge, permission) = Build.Authorized(authorized);
        var capturing = charge.Capture(
            captured, null, permission, Money.Zero(authorized.Currency), forcePending: true, declineReason, Times.T0, Limits.Default);
        Assert.Equal(ChargeState.CaptureInitiated, capturing.Value.Value.State);
        return capturing.Value;
    }

    [Fact]
    public void PendingAuthorization_ResolvesAtItsDueTime_AndItsThirtyDaysRunFromThen()
    {
        var charge = Pending(Usd.Of(14m));
        var due = Times.T0 + Delay;

        Assert.Equal(ChargeState.AuthorizationInitiated, charge.AsOf(due - Tick).Value.State);
        var resolved = charge.AsOf(due);

        var authorized = resolved.Value;
        Assert.Equal(ChargeState.Authorized, authorized.State);
        Assert.Equal(due, authorized.AuthorizedAt);
        Assert.Equal(due + Limits.Default.AuthorizationLifetime, authorized.ExpirationTimestamp);
        var e = Assert.Single(resolved.Events);
        Assert.Equal(("AuthorizationInitiated", "Authorized", Usd.Of(14m), due), (e.FromState, e.ToState, e.Amount, e.At));

        var lapse = due + Limits.Default.AuthorizationLifetime;
        Assert.Equal(ChargeState.Authorized, charge.AsOf(lapse - Tick).Value.State);
        var expired = charge.AsOf(lapse).Value;
        Assert.Equal((ChargeState.Canceled, ChargeReasonCode.ExpiredUnused, lapse), (expired.State, expired.ReasonCode, expired.LastUpdatedTimestamp));
    }

    [Fact]
    public void PendingAuthorizationWithCaptureNow_ResolvesToCapturedWithTheChargeAmount()
    {
        var resolved = Pending(Usd.Of(14m), captureNow: true).AsOf(Times.T0 + Delay);

        Assert.Equal((ChargeState.Captured, Usd.Of(14m)), (resolved.Value.State, resolved.Value.CaptureAmount));
        Assert.Null(resolved.Value.NextDueAt);
        var e = Assert.Single(resolved.Events);
        Assert.Equal(("AuthorizationInitiated", "Captured", Usd.Of(14m)), (e.FromState, e.ToState, e.Amount));
    }

    [Fact]
    public void PendingAuthorizationToBeDeclined_IsDeclinedWithItsReasonAndTheChargeAmount()
    {
        var resolved = Pending(Usd.Of(14m), ChargeReasonCode.SoftDeclined).AsOf(Times.T0 + Delay);

        Assert.Equal((ChargeState.Declined, ChargeReasonCode.SoftDeclined), (resolved.Value.State, resolved.Value.ReasonCode));
        Assert.Equal(ChargeReasons.Describe(ChargeReasonCode.SoftDeclined), resolved.Value.ReasonDescription);
        Assert.Null(resolved.Value.NextDueAt);
        var e = Assert.Single(resolved.Events);
        Assert.Equal(("AuthorizationInitiated", "Declined", Usd.Of(14m), nameof(ChargeReasonCode.SoftDeclined)), (e.FromState, e.ToState, e.Amount, e.ReasonCode));
    }

    [Fact]
    public void PendingPartialCapture_ResolvesAtItsDueTime_AndItsEventCarriesTheCaptureAmount()
    {
        var capturing = PendingCapture(Usd.Of(14m), Usd.Of(10m), null);
        var due = Times.T0 + Delay;

        Assert.Equal(ChargeState.CaptureInitiated, capturing.Value.AsOf(due - Tick).Value.State);
        var resolved = capturing.Value.AsOf(due);

        Assert.Equal((ChargeState.Captured, Usd.Of(10m), due), (resolved.Value.State, resolved.Value.CaptureAmount, resolved.Value.LastUpdatedTimestamp));
        var e = Assert.Single(resolved.Events);
        Assert.Equal(("CaptureInitiated", "Captured", Usd.Of(10m)), (e.FromState, e.ToState, e.Amount));
    }

    [Fact]
    public void PendingPartialCaptureToBeDeclined_IsDeclined_AndItsEventCarriesTheRefusedCaptureAmount()
    {
        var resolved = PendingCapture(Usd.Of(14m), Usd.Of(10m), ChargeReasonCode.AmazonRejected).Value.AsOf(Times.T0 + Delay);

        Assert.Equal((ChargeState.Declined, ChargeReasonCode.AmazonRejected), (resolved.Value.State, resolved.Value.ReasonCode));
        Assert.Null(resolved.Value.CaptureAmount);
        var e = Assert.Single(resolved.Events);
        Assert.Equal(("CaptureInitiated", "Declined", Usd.Of(10m)), (e.FromState, e.ToState, e.Amount));
    }

    [Theory]
    [InlineData(0, ChargeState.Captured)]
    [InlineData(1, ChargeState.CaptureInitiated)]
    public void Capture_SevenDaysAfterAuthorization_IsSynchronous_ATickLaterItIsPending(long ticksLate, ChargeState expected)
    {
        var (charge, permission) = Build.Authorized(Usd.Of(14m));
        var at = Times.T0 + Limits.Default.SynchronousCaptureWindow + TimeSpan.FromTicks(ticksLate);

        var captured = charge.Capture(Usd.Of(14m), null, permission, Usd.Of(0m), false, null, at, Limits.Default).Value.Value;

        Assert.Equal(expected, captured.State);
        Assert.Equal(expected == ChargeState.CaptureInitiated ? at + Delay : null, captured.PendingUntil);
        Assert.Equal(expected == ChargeState.CaptureInitiated ? PendingOutcome.Capture : null, captured.PendingOutcome);
    }

    [Fact]
    public void NextDueAt_IsThePendingStepOrTheExpiryOfAnAuthorization_AndNothingOtherwise()
    {
        var (authorized, permission) = Build.Authorized(Usd.Of(14m));
        var captured = authorized.Capture(Usd.Of(14m), null, permission, Usd.Of(0m), false, null, Times.T0, Limits.Default).Value.Value;

        Assert.Equal(Times.T0 + Delay, Pending(Usd.Of(14m)).NextDueAt);
        Assert.Equal(authorized.ExpirationTimestamp, authorized.NextDueAt);
        Assert.Null(captured.NextDueAt);
        Assert.Null(authorized.Cancel(ChargeReasonCode.MerchantCanceled, Times.T0).Value.Value.NextDueAt);
    }
}
