using Tillpoint.Domain.ChargePermissions;
using Tillpoint.Domain.Charges;

namespace Tillpoint.Domain.Tests.Charges;

public class ChargeCaptureTests
{
    private static readonly DateTimeOffset Later = Times.T0.AddDays(1);

    private static Result<Transition<Charge>> Capture(Charge charge, ChargePermission permission, Money amount, Money? heldByOthers = null, DateTimeOffset? at = null, string? descriptor = null) =>
        charge.Capture(amount, descriptor, permission, heldByOthers ?? Money.Zero(amount.Currency), false, null, at ?? Later, Limits.Default);

    [Theory]
    [InlineData(ChargeState.AuthorizationInitiated)]
    [InlineData(ChargeState.CaptureInitiated)]
    [InlineData(ChargeState.Captured)]
    [InlineData(ChargeState.Canceled)]
    [InlineData(ChargeState.Declined)]
    public void Capture_InAnyStateButAuthorized_IsInvalidChargeStatus(ChargeState state)
    {
        var (authorized, permission) = Build.Authorized(Usd.Of(14m));
        var charge = authorized with { State = state };

        var captured = Capture(charge, permission, Usd.Of(14m));

        Assert.Equal(ErrorCode.InvalidChargeStatus, captured.Error?.Code);
        Assert.Contains(state.ToString(), captured.Error!.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Capture_Authorized_CapturesSynchronouslyWithOneEvent()
    {
        var (charge, permission) = Build.Authorized(Usd.Of(14m));

        var captured = Capture(charge, permission, Usd.Of(14m));

        Assert.True(captured.IsSuccess);
        var value = captured.Value.Value;
        Assert.Equal(ChargeState.Captured, value.State);
        Assert.Equal(Usd.Of(14m), value.CaptureAmount);
        Assert.Equal(Later, value.LastUpdatedTimestamp);
        Assert.Null(value.PendingUntil);
        Assert.Null(value.PendingOutcome);
        var e = Assert.Single(captured.Value.Events);
        Assert.Equal((ObjectType.Charge, "Authorized", "Captured"), (e.ObjectType, e.FromState, e.ToState));
        Assert.Equal(Usd.Of(14m), e.Amount);
        Assert.Equal(Later, e.At);
    }

    [Fact]
    public void Capture_Twice_IsInvalidChargeStatus()
    {
        var (charge, permission) = Build.Authorized(Usd.Of(14m));
        var captured = Capture(charge, permission, Usd.Of(10m)).Value.Value;

        Assert.Equal(ErrorCode.InvalidChargeStatus, Capture(captured, permission, Usd.Of(4m)).Error?.Code);
    }

    [Fact]
    public void Capture_PartialAmount_HoldsOnlyTheCapture()
    {
        var (charge, permission) = Build.Authorized(Usd.Of(14m));

        var captured = Capture(charge, permission, Usd.Of(5m)).Value.Value;

        Assert.Equal(Usd.Of(5m), captured.CaptureAmount);
        Assert.Equal(Usd.Of(5m), captured.AmountHeld);
        Assert.Equal(Usd.Of(14m), captured.ChargeAmount);
    }

    [Fact]
    public void Capture_OtherCurrency_IsCurrencyMismatch()
    {
        var (charge, permission) = Build.Authorized(Usd.Of(14m));

        var captured = charge.Capture(new Money(14m, Currency.EUR), null, permission, Usd.Of(0m), false, null, Later, Limits.Default);

        Assert.Equal(ErrorCode.CurrencyMismatch, captured.Error?.Code);
    }

    [Fact]
    public void Capture_ExactlyAtTheAllowance_IsAllowed()
    {
        var (charge, permission) = Build.Authorized(Usd.Of(14m));

        var captured = Capture(charge, permission, Usd.Of(16.10m));

        Assert.True(captured.IsSuccess);
        Assert.Equal(Usd.Of(16.10m), captured.Value.Value.CaptureAmount);
    }

    [Fact]
    public void Capture_OverTheAllowance_IsTransactionAmountExceeded()
    {
        var (charge, permission) = Build.Authorized(Usd.Of(14m));

        var captured = Capture(charge, permission, Usd.Of(16.11m));

        Assert.Equal(ErrorCode.TransactionAmountExceeded, captured.Error?.Code);
    }

    [Fact]
    public void Capture_OverTheCappedAllowance_IsTransactionAmountExceeded()
    {
        var (charge, permission) = Build.Authorized(Usd.Of(1000m));

        Assert.True(Capture(charge, permission, Usd.Of(1075m)).IsSuccess);
        Assert.Equal(ErrorCode.TransactionAmountExceeded, Capture(charge, permission, Usd.Of(1075.01m)).Error?.Code);
    }

    [Fact]
    public void Capture_Jpy_UsesTheYenAllowance()
    {
        var (charge, permission) = Build.Authorized(new Money(10_000m, Currency.JPY));

        Assert.True(Capture(charge, permission, new Money(11_500m, Currency.JPY)).IsSuccess);
        Assert.Equal(ErrorCode.TransactionAmountExceeded, Capture(charge, permission, new Money(11_501m, Currency.JPY)).Error?.Code);
    }

    [Fact]
    public void Capture_BeyondThePermissionLimitGivenOtherCharges_IsTransactionAmountExceeded()
    {
        var (charge, _) = Build.Authorized(Usd.Of(14m));
        var permission = Build.Permission(Usd.Of(16.10m));

        var captured = Capture(charge, permission, Usd.Of(14m), heldByOthers: Usd.Of(2.11m));

        Assert.Equal(ErrorCode.TransactionAmountExceeded, captured.Error?.Code);
    }

    [Fact]
    public void Capture_UpToThePermissionLimitGivenOtherCharges_IsAllowed()
    {
        var (charge, _) = Build.Authorized(Usd.Of(14m));
        var permission = Build.Permission(Usd.Of(16.10m));

        Assert.True(Capture(charge, permission, Usd.Of(14m), heldByOthers: Usd.Of(2.10m)).IsSuccess);
    }

    [Fact]
    public void Capture_SevenDaysAfterAuthorization_IsStillSynchronous()
    {
        var (charge, permission) = Build.Authorized(Usd.Of(14m));

        var captured = Capture(charge, permission, Usd.Of(14m), at: Times.T0.AddDays(7));

        Assert.Equal(ChargeState.Captured, captured.Value.Value.State);
    }

    [Fact]
    public void Capture_MoreThanSevenDaysAfterAuthorization_IsInitiatedThenCapturedAfterTheDelay()
    {
        var (charge, permission) = Build.Authorized(Usd.Of(14m));
        var at = Times.T0.AddDays(8);
        var due = at + Limits.Default.SandboxAsyncDelay;

        var initiated = Capture(charge, permission, Usd.Of(12m), at: at).Value;

        Assert.Equal(ChargeState.CaptureInitiated, initiated.Value.State);
        Assert.Equal(Usd.Of(12m), initiated.Value.CaptureAmount);
        Assert.Equal(Usd.Of(12m), initiated.Value.AmountHeld);
        Assert.Equal(due, initiated.Value.PendingUntil);
        Assert.Equal(PendingOutcome.Capture, initiated.Value.PendingOutcome);
        Assert.Equal(("Authorized", "CaptureInitiated"), (Assert.Single(initiated.Events).FromState, initiated.Events[0].ToState));
        Assert.Same(initiated.Value, initiated.Value.AsOf(due.AddTicks(-1)).Value);

        var resolved = initiated.Value.AsOf(due.AddHours(1));

        Assert.Equal(ChargeState.Captured, resolved.Value.State);
        Assert.Equal(Usd.Of(12m), resolved.Value.CaptureAmount);
        Assert.Equal(due, resolved.Value.LastUpdatedTimestamp);
        Assert.Null(resolved.Value.PendingUntil);
        var e = Assert.Single(resolved.Events);
        Assert.Equal(("CaptureInitiated", "Captured"), (e.FromState, e.ToState));
        Assert.Equal(Usd.Of(12m), e.Amount);
        Assert.Equal(due, e.At);
    }

    [Fact]
    public void Capture_WithSoftDescriptor_ReplacesTheStatementText()
    {
        var (charge, permission) = Build.Authorized(Usd.Of(14m));

        var captured = Capture(charge, permission, Usd.Of(14m), descriptor: "NEWTEXT").Value.Value;

        Assert.Equal("NEWTEXT", captured.SoftDescriptor);
        Assert.Equal("AMZ* NEWTEXT", captured.StatementDescriptor);
    }

    [Fact]
    public void Capture_WithoutSoftDescriptor_KeepsTheAuthorizationsDescriptor()
    {
        var (charge, permission) = Build.Authorized(Usd.Of(14m));

        var captured = Capture(charge with { SoftDescriptor = "OLD" }, permission, Usd.Of(14m)).Value.Value;

        Assert.Equal("AMZ* OLD", captured.StatementDescriptor);
    }

    [Fact]
    public void StatementDescriptor_NullWithoutSoftDescriptor()
    {
        var (charge, _) = Build.Authorized(Usd.Of(14m));

        Assert.Null(charge.StatementDescriptor);
        Assert.Equal("AMZ* x", (charge with { SoftDescriptor = "x" }).StatementDescriptor);
    }

    [Fact]
    public void Capture_AfterAuthorizationExpiry_Fails()
    {
        var (charge, permission) = Build.Authorized(Usd.Of(14m));
        var now = Times.T0.AddDays(31);

        var asOfNow = charge.AsOf(now).Value;
        var captured = asOfNow.Capture(Usd.Of(14m), null, permission, Usd.Of(0m), false, null, now, Limits.Default);

        Assert.Equal(ErrorCode.InvalidChargeStatus, captured.Error?.Code);
    }
}

public class ChargeLifecycleTests
{
    [Fact]
    public void Authorize_Plain_IsAuthorizedWithOneEvent()
    {
        var permission = Build.Permission(Usd.Of(16.10m));

        var authorized = Charge.Authorize(permission, "C1", Build.Request(Usd.Of(14m)), AuthorizationOutcome.Approved, Times.T0, Limits.Default);

        Assert.Equal(ChargeState.Authorized, authorized.Value.State);
        Assert.Equal(Times.T0, authorized.Value.AuthorizedAt);
        Assert.Equal(Times.T0.AddDays(30), authorized.Value.ExpirationTimestamp);
        Assert.Equal(permission.MerchantMetadata, authorized.Value.MerchantMetadata);
        Assert.Equal(ReleaseEnvironment.Sandbox, authorized.Value.Environment);
        var e = Assert.Single(authorized.Events);
        Assert.Equal((null, "Authorized", "C1", permission.ChargePermissionId), (e.FromState, e.ToState, e.ObjectId, e.ChargePermissionId));
    }

    [Fact]
    public void AsOf_Authorized30DaysLater_IsCanceledExpiredUnused()
    {
        var (charge, _) = Build.Authorized(Usd.Of(14m));

        var asOf = charge.AsOf(Times.T0.AddDays(45));

        Assert.Equal(ChargeState.Canceled, asOf.Value.State);
        Assert.Equal(ChargeReasonCode.ExpiredUnused, asOf.Value.ReasonCode);
        Assert.Equal(charge.ExpirationTimestamp, asOf.Value.LastUpdatedTimestamp);
        Assert.Equal(Usd.Of(0m), asOf.Value.AmountHeld);
        var e = Assert.Single(asOf.Events);
        Assert.Equal(("Authorized", "Canceled", nameof(ChargeReasonCode.ExpiredUnused)), (e.FromState, e.ToState, e.ReasonCode));
        Assert.Equal(Times.T0.AddDays(30), e.At);
    }

    [Fact]
    public void AsOf_JustBeforeExpiry_LeavesTheChargeAuthorized()
    {
        var (charge, _) = Build.Authorized(Usd.Of(14m));

        var asOf = charge.AsOf(charge.ExpirationTimestamp.AddTicks(-1));

        Assert.Same(charge, asOf.Value);
        Assert.Empty(asOf.Events);
    }

    [Fact]
    public void AsOf_ExactlyAtExpiry_Expires()
    {
        var (charge, _) = Build.Authorized(Usd.Of(14m));

        Assert.Equal(ChargeState.Canceled, charge.AsOf(charge.ExpirationTimestamp).Value.State);
    }

    [Fact]
    public void AsOf_CapturedChargeLongAfter_StaysCaptured()
    {
        var (charge, permission) = Build.Authorized(Usd.Of(14m));
        var captured = charge.Capture(Usd.Of(14m), null, permission, Usd.Of(0m), false, null, Times.T0.AddDays(1), Limits.Default).Value.Value;

        var asOf = captured.AsOf(Times.T0.AddDays(400));

        Assert.Same(captured, asOf.Value);
        Assert.Empty(asOf.Events);
    }

    [Fact]
    public void AsOf_PendingAuthorizationResolvedAfterExpiry_IsAuthorizedThenExpired()
    {
        var permission = Build.Permission(Usd.Of(16.10m));
        var pending = Charge.Authorize(permission, "C1", Build.Request(Usd.Of(14m), canHandlePendingAuthorization: true), AuthorizationOutcome.Pending(null), Times.T0, Limits.Default).Value;

        var asOf = pending.AsOf(Times.T0.AddDays(31));

        Assert.Equal(ChargeState.Canceled, asOf.Value.State);
        Assert.Equal(ChargeReasonCode.ExpiredUnused, asOf.Value.ReasonCode);
        Assert.Equal(
            [("AuthorizationInitiated", "Authorized"), ("Authorized", "Canceled")],
            asOf.Events.Select(e => (e.FromState, e.ToState)));
    }

    [Theory]
    [InlineData(ChargeState.AuthorizationInitiated, "14")]
    [InlineData(ChargeState.Authorized, "14")]
    [InlineData(ChargeState.CaptureInitiated, "9")]
    [InlineData(ChargeState.Captured, "9")]
    [InlineData(ChargeState.Canceled, "0")]
    [InlineData(ChargeState.Declined, "0")]
    public void AmountHeld_DependsOnTheState(ChargeState state, string held)
    {
        var (charge, _) = Build.Authorized(Usd.Of(14m));
        var captureAmount = state is ChargeState.CaptureInitiated or ChargeState.Captured ? Usd.Of(9m) : (Money?)null;

        var inState = charge with { State = state, CaptureAmount = captureAmount };

        Assert.Equal(Usd.Of(decimal.Parse(held, System.Globalization.CultureInfo.InvariantCulture)), inState.AmountHeld);
    }
}
