using Tillpoint.Domain.Buyers;
using Tillpoint.Domain.ChargePermissions;
using Tillpoint.Domain.Charges;
using Tillpoint.Domain.CheckoutSessions;

namespace Tillpoint.Domain.Tests.CheckoutSessions;

public class CheckoutCompletionTests
{
    private static readonly DateTimeOffset Now = Times.T0.AddMinutes(3);

    [Fact]
    public void Complete_Confirm_CreatesOnlyAChargePermission()
    {
        var completed = Build.Completed(Build.Payment(PaymentIntent.Confirm));

        Assert.Null(completed.Charge);
        Assert.False(completed.IsPending);
        var permission = completed.ChargePermission;
        Assert.Equal("S01-0000000-0000001", permission.ChargePermissionId);
        Assert.Equal(ChargePermissionState.Chargeable, permission.State);
        Assert.Equal(Usd.Of(16.10m), permission.AmountLimit);
        Assert.Equal(Usd.Of(16.10m), permission.AmountBalance([]));
        Assert.Equal(CheckoutSessionState.Completed, completed.Session.State);
        Assert.Equal(permission.ChargePermissionId, completed.Session.ChargePermissionId);
        Assert.Null(completed.Session.ChargeId);
        Assert.Collection(
            completed.Events,
            e => Assert.Equal((ObjectType.ChargePermission, null, "Chargeable"), (e.ObjectType, e.FromState, e.ToState)),
            e => Assert.Equal((ObjectType.CheckoutSession, "Open", "Completed"), (e.ObjectType, e.FromState, e.ToState)));
    }

    [Fact]
    public void Complete_Authorize_CreatesAnAuthorizedChargeExpiringIn30Days()
    {
        var completed = Build.Completed(Build.Payment(PaymentIntent.Authorize), at: Now);

        var charge = Assert.IsType<Charge>(completed.Charge);
        Assert.Equal(ChargeState.Authorized, charge.State);
        Assert.Equal("S01-0000000-0000001-C000001", charge.ChargeId);
        Assert.Equal(completed.ChargePermission.ChargePermissionId, charge.ChargePermissionId);
        Assert.Equal(Build.MerchantId, charge.MerchantId);
        Assert.Equal(Usd.Of(14m), charge.ChargeAmount);
        Assert.Null(charge.CaptureAmount);
        Assert.Equal(Usd.Of(0m), charge.RefundedAmount);
        Assert.Equal(Now, charge.CreationTimestamp);
        Assert.Equal(Now, charge.AuthorizedAt);
        Assert.Equal(Now.AddDays(30), charge.ExpirationTimestamp);
        Assert.Null(charge.PendingUntil);
        Assert.False(completed.IsPending);
        Assert.Equal(charge.ChargeId, completed.Session.ChargeId);
        Assert.Equal(Usd.Of(2.10m), completed.ChargePermission.AmountBalance([charge]));
        Assert.Collection(
            completed.Events,
            e => Assert.Equal((ObjectType.ChargePermission, null, "Chargeable"), (e.ObjectType, e.FromState, e.ToState)),
            e =>
            {
                Assert.Equal((ObjectType.Charge, null, "Authorized"), (e.ObjectType, e.FromState, e.ToState));
                Assert.Equal(Usd.Of(14m), e.Amount);
                Assert.Equal(charge.ChargePermissionId, e.ChargePermissionId);
            },
            e => Assert.Equal((ObjectType.CheckoutSession, "Open", "Completed"), (e.ObjectType, e.FromState, e.ToState)));
    }

    [Fact]
    public void Complete_AuthorizeWithCapture_CapturesTheChargeAmountWithTheSoftDescriptor()
    {
        var completed = Build.Completed(Build.Payment(PaymentIntent.AuthorizeWithCapture, softDescriptor: "TILLPOINT"), at: Now);

        var charge = completed.Charge!;
        Assert.Equal(ChargeState.Captured, charge.State);
        Assert.Equal(Usd.Of(14m), charge.CaptureAmount);
        Assert.Equal("TILLPOINT", charge.SoftDescriptor);
        Assert.Equal("AMZ* TILLPOINT", charge.StatementDescriptor);
        Assert.Equal(Usd.Of(2.10m), completed.ChargePermission.AmountBalance([charge]));
        Assert.Collection(
            completed.Events,
            e => Assert.Equal(ObjectType.ChargePermission, e.ObjectType),
            e => Assert.Equal((null, "Authorized"), (e.FromState, e.ToState)),
            e =>
            {
                Assert.Equal(("Authorized", "Captured"), (e.FromState, e.ToState));
                Assert.Equal(Usd.Of(14m), e.Amount);
            },
            e => Assert.Equal((ObjectType.CheckoutSession, "Completed"), (e.ObjectType, e.ToState)));
    }

    [Fact]
    public void Complete_PendingInstrumentWithCanHandlePending_StartsAuthorizationInitiated()
    {
        var completed = Build.Completed(
            Build.Payment(PaymentIntent.Authorize, canHandlePendingAuthorization: true), InstrumentBehavior.PendingThenAuthorized, Now);

        var charge = completed.Charge!;
        Assert.True(completed.IsPending);
        Assert.Equal(ChargeState.AuthorizationInitiated, charge.State);
        Assert.Null(charge.AuthorizedAt);
        Assert.Equal(Now + Limits.Default.SandboxAsyncDelay, charge.PendingUntil);
        Assert.Equal(PendingOutcome.Authorize, charge.PendingOutcome);
        Assert.Equal(Usd.Of(14m), charge.AmountHeld);
        Assert.Equal(CheckoutSessionState.Completed, completed.Session.State);
        Assert.Equal(charge.ChargeId, completed.Session.ChargeId);
        Assert.Contains(completed.Events, e => e.ObjectType == ObjectType.Charge && e.ToState == "AuthorizationInitiated");
    }

    [Fact]
    public void Complete_Pending0701_ResolvesToAuthorizedAfterTheSandboxDelay()
    {
        var charge = Build.Completed(
            Build.Payment(PaymentIntent.Authorize, canHandlePendingAuthorization: true), InstrumentBehavior.PendingThenAuthorized, Now).Charge!;
        var due = Now + Limits.Default.SandboxAsyncDelay;

        var early = charge.AsOf(due.AddTicks(-1));
        var resolved = charge.AsOf(due.AddMinutes(5));

        Assert.Same(charge, early.Value);
        Assert.Empty(early.Events);
        Assert.Equal(ChargeState.Authorized, resolved.Value.State);
        Assert.Equal(due, resolved.Value.AuthorizedAt);
        Assert.Equal(due, resolved.Value.LastUpdatedTimestamp);
        Assert.Null(resolved.Value.PendingUntil);
        Assert.Null(resolved.Value.PendingOutcome);
        Assert.Null(resolved.Value.ReasonCode);
        var e = Assert.Single(resolved.Events);
        Assert.Equal(("AuthorizationInitiated", "Authorized", due), (e.FromState, e.ToState, e.At));
        Assert.Equal(Usd.Of(14m), e.Amount);
    }

    [Fact]
    public void Complete_Pending4354_ResolvesToHardDeclinedAfterTheSandboxDelay()
    {
        var completed = Build.Completed(
            Build.Payment(PaymentIntent.Authorize, canHandlePendingAuthorization: true), InstrumentBehavior.PendingThenDeclined, Now);
        var due = Now + Limits.Default.SandboxAsyncDelay;

        var resolved = completed.Charge!.AsOf(due);

        Assert.True(completed.IsPending);
        Assert.Equal(ChargeState.Declined, resolved.Value.State);
        Assert.Equal(ChargeReasonCode.HardDeclined, resolved.Value.ReasonCode);
        Assert.Equal(due, resolved.Value.LastUpdatedTimestamp);
        Assert.Null(resolved.Value.AuthorizedAt);
        Assert.Equal(Usd.Of(0m), resolved.Value.AmountHeld);
        Assert.Equal(Usd.Of(16.10m), completed.ChargePermission.AmountBalance([resolved.Value]));
        var e = Assert.Single(resolved.Events);
        Assert.Equal(("AuthorizationInitiated", "Declined", nameof(ChargeReasonCode.HardDeclined)), (e.FromState, e.ToState, e.ReasonCode));
    }

    [Fact]
    public void Complete_PendingInstrumentWithoutCanHandlePending_AuthorizesAtOnce()
    {
        var completed = Build.Completed(Build.Payment(PaymentIntent.Authorize), InstrumentBehavior.PendingThenAuthorized, Now);

        Assert.False(completed.IsPending);
        Assert.Equal(ChargeState.Authorized, completed.Charge!.State);
    }

    [Fact]
    public void Complete_PendingInstrumentWithAuthorizeWithCapture_CapturesAtOnce()
    {
        var completed = Build.Completed(Build.Payment(PaymentIntent.AuthorizeWithCapture), InstrumentBehavior.PendingThenAuthorized, Now);

        Assert.False(completed.IsPending);
        Assert.Equal(ChargeState.Captured, completed.Charge!.State);
    }

    [Fact]
    public void Complete_CompletesTheSessionWithIdsAndTimestamp()
    {
        var processed = Build.Processed(Build.Payment(PaymentIntent.Authorize));

        var completed = CheckoutCompletion.Complete(processed, Usd.Of(14m), null, new SequentialIds(), null, Now, Limits.Default).Value!;

        var session = completed.Session;
        Assert.Equal(CheckoutSessionState.Completed, session.State);
        Assert.Null(session.ReasonCode);
        Assert.Equal(Now, session.LastUpdatedTimestamp);
        Assert.Equal(completed.ChargePermission.ChargePermissionId, session.ChargePermissionId);
        Assert.Equal(completed.Charge!.ChargeId, session.ChargeId);
        Assert.Equal(processed.CheckoutSessionId, session.CheckoutSessionId);
        Assert.Empty(session.Constraints);
        var e = completed.Events[^1];
        Assert.Equal(session.CheckoutSessionId, e.ObjectId);
        Assert.Equal(session.ChargePermissionId, e.ChargePermissionId);
        Assert.Equal(Now, e.At);
    }

    [Fact]
    public void Complete_ChargePermissionCarriesTheBuyersChoices()
    {
        var processed = Build.Processed(Build.Payment(PaymentIntent.Confirm));

        var permission = CheckoutCompletion.Complete(processed, Usd.Of(14m), null, new SequentialIds(), null, Now, Limits.Default).Value!.ChargePermission;

        var selection = processed.Selection!;
        Assert.Equal(selection.Buyer, permission.Buyer);
        Assert.Equal(selection.ShippingAddress, permission.ShippingAddress);
        Assert.Equal(selection.BillingAddress, permission.BillingAddress);
        Assert.Equal("Visa ****1111", permission.PaymentDescriptor);
        Assert.Equal("visa-1111", permission.InstrumentId);
        Assert.Equal(processed.CheckoutSessionId, permission.CheckoutSessionId);
        Assert.Equal(Now, permission.CreationTimestamp);
        Assert.Equal(Now.AddDays(180), permission.ExpirationTimestamp);
        Assert.Equal(Currency.USD, permission.PresentmentCurrency);
    }

    [Fact]
    public void Complete_ExtendExpiration_Lasts396Days()
    {
        var completed = Build.Completed(Build.Payment(PaymentIntent.Confirm, extendExpiration: true), at: Now);

        Assert.Equal(Now.AddDays(396), completed.ChargePermission.ExpirationTimestamp);
    }

    [Fact]
    public void Complete_AmountLimitUsesTheTotalOrderAmountWhenGiven()
    {
        var completed = Build.Completed(Build.Payment(PaymentIntent.Authorize, Usd.Of(40m), totalOrderAmount: Usd.Of(100m)));

        Assert.Equal(Usd.Of(115m), completed.ChargePermission.AmountLimit);
        Assert.Equal(Usd.Of(75m), completed.ChargePermission.AmountBalance([completed.Charge!]));
    }

    [Fact]
    public void Complete_AllowOvercharge_RaisesTheLimit()
    {
        var small = Build.Completed(Build.Payment(PaymentIntent.Confirm, Usd.Of(14m), allowOvercharge: true));
        var large = Build.Completed(Build.Payment(PaymentIntent.Confirm, Usd.Of(100m), allowOvercharge: true));

        Assert.Equal(Usd.Of(500m), small.ChargePermission.AmountLimit);
        Assert.Equal(Usd.Of(900m), large.ChargePermission.AmountLimit);
    }

    [Fact]
    public void Complete_InLive_UsesALiveChargePermissionId()
    {
        var session = Build.NewSession(environment: ReleaseEnvironment.Live)
            .Update(new UpdateCheckoutSession(null, Build.ResultUrl, null, new PaymentDetailsUpdate(PaymentIntent.Confirm, null, Usd.Of(5m), null, null, null), null, null, null, null), Times.T0, Limits.Default).Value.Value
            .AssociateBuyer(Build.Selection(InstrumentBehavior.Succeeds), Times.T0).Value.Value
            .Process(Times.T0).Value.Value;

        var completed = CheckoutCompletion.Complete(session, Usd.Of(5m), null, new SequentialIds(), null, Now, Limits.Default).Value!;

        Assert.StartsWith("P01-", completed.ChargePermission.ChargePermissionId, StringComparison.Ordinal);
        Assert.Equal(ReleaseEnvironment.Live, completed.ChargePermission.Environment);
    }

    [Fact]
    public void Complete_Twice_IsInvalidStatus()
    {
        var completed = Build.Completed();

        var again = CheckoutCompletion.Complete(completed.Session, Usd.Of(14m), null, new SequentialIds(), null, Now, Limits.Default);

        Assert.Equal(ErrorCode.InvalidCheckoutSessionStatus, again.Error?.Code);
    }

    [Fact]
    public void Complete_CanceledSession_IsCheckoutSessionCanceled()
    {
        var canceled = Build.Ready(behavior: InstrumentBehavior.BuyerCancels).Process(Now).Value.Value;

        var completed = CheckoutCompletion.Complete(canceled, Usd.Of(14m), null, new SequentialIds(), null, Now, Limits.Default);

        Assert.Equal(ErrorCode.CheckoutSessionCanceled, completed.Error?.Code);
        Assert.Null(completed.Value);
    }

    [Fact]
    public void Complete_AmountMismatch_CreatesNothing()
    {
        var ids = new SequentialIds();
        var processed = Build.Processed();

        var completed = CheckoutCompletion.Complete(processed, Usd.Of(15m), null, ids, null, Now, Limits.Default);

        Assert.Equal(ErrorCode.AmountMismatch, completed.Error?.Code);
        Assert.Equal("S01-0000000-0000001", ids.NewChargePermissionId(ReleaseEnvironment.Sandbox));
    }
}
