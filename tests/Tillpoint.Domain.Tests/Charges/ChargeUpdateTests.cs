using Tillpoint.Domain.ChargePermissions;
using Tillpoint.Domain.Charges;
using Tillpoint.Domain.Tests.ChargePermissions;

namespace Tillpoint.Domain.Tests.Charges;

/// <summary>Update Charge: every reported state from every charge state, the reasons each takes, and what each sets.</summary>
public class ChargeUpdateTests
{
    private static readonly DateTimeOffset Later = Times.T0.AddDays(2);

    private static Charge InState(ChargeState state)
    {
        var (authorized, _) = Build.Authorized(Usd.Of(14m));
        return state switch
        {
            ChargeState.AuthorizationInitiated => authorized with
            {
                State = state, AuthorizedAt = null, PendingUntil = Times.T0.AddMinutes(1), PendingOutcome = PendingOutcome.Authorize,
            },
            ChargeState.CaptureInitiated => authorized with
            {
                State = state, CaptureAmount = Usd.Of(12m), PendingUntil = Times.T0.AddMinutes(1), PendingOutcome = PendingOutcome.Capture,
            },
            ChargeState.Captured => authorized with { State = state, CaptureAmount = Usd.Of(12m) },
            ChargeState.Canceled => authorized with { State = state, ReasonCode = ChargeReasonCode.MerchantCanceled },
            ChargeState.Declined => authorized with { State = state, ReasonCode = ChargeReasonCode.HardDeclined },
            ChargeState.Authorized => authorized,
        };
    }

    private static ChargeReasonCode? ReasonFor(ChargeState target) => target switch
    {
        ChargeState.Canceled => ChargeReasonCode.ExpiredUnused,
        ChargeState.Declined => ChargeReasonCode.SoftDeclined,
        _ => null,
    };

    public static TheoryData<ChargeState, ChargeState, bool> Transitions()
    {
        var allowed = new HashSet<(ChargeState, ChargeState)>
        {
            (ChargeState.AuthorizationInitiated, ChargeState.Authorized),
            (ChargeState.AuthorizationInitiated, ChargeState.Captured),
            (ChargeState.AuthorizationInitiated, ChargeState.Canceled),
            (ChargeState.AuthorizationInitiated, ChargeState.Declined),
            (ChargeState.Authorized, ChargeState.Captured),
            (ChargeState.Authorized, ChargeState.Canceled),
            (ChargeState.CaptureInitiated, ChargeState.Captured),
            (ChargeState.CaptureInitiated, ChargeState.Declined),
        };
        var data = new TheoryData<ChargeState, ChargeState, bool>();
        foreach (var from in Enum.GetValues<ChargeState>())
        {
            foreach (var to in new[] { ChargeState.Authorized, ChargeState.Captured, ChargeState.Canceled, ChargeState.Declined })
            {
                data.Add(from, to, allowed.Contains((from, to)));
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Transitions))]
    public void Update_FromEveryState_ToEveryReportableState_FollowsTheLifecycle(ChargeState from, ChargeState to, bool allowed)
    {
        var charge = InState(from);
        var update = new ChargeStatusUpdate(to, ReasonFor(to));
        var same = from == to && charge.ReasonCode == update.ReasonCode;

        var updated = charge.Update(update, Later);

        if (same)
        {
            Assert.Same(charge, updated.Value!.Value);
            Assert.Empty(updated.Value.Events);
        }
        else if (allowed)
        {
            var value = updated.Value!.Value;
            Assert.Equal(to, value.State);
            Assert.Equal(update.ReasonCode, value.ReasonCode);
            Assert.Equal(update.ReasonCode is { } reason ? ChargeReasons.Describe(reason) : null, value.ReasonDescription);
            Assert.Equal(Later, value.LastUpdatedTimestamp);
            Assert.Null(value.PendingUntil);
            Assert.Null(value.PendingOutcome);
            Assert.Null(value.PendingDeclineReason);
            var e = Assert.Single(updated.Value.Events);
            Assert.Equal((ObjectType.Charge, charge.ChargeId, from.ToString(), to.ToString(), update.ReasonCode?.ToString(), Later),
                (e.ObjectType, e.ObjectId, e.FromState, e.ToState, e.ReasonCode, e.At));
        }
        else
        {
            Assert.Equal(ErrorCode.InvalidChargeStatus, updated.Error?.Code);
            Assert.Equal($"The Charge is in {from} state and cannot be updated to {to}.", updated.Error!.Message);
        }
    }

    [Fact]
    public void Update_PendingAuthorizationToAuthorized_GrantsItNow_AndItLapses30DaysLater()
    {
        var charge = InState(ChargeState.AuthorizationInitiated);

        var updated = charge.Update(new ChargeStatusUpdate(ChargeState.Authorized, null), Later).Value!.Value;

        Assert.Equal(Later, updated.AuthorizedAt);
        Assert.Equal(charge.ExpirationTimestamp + (Later - charge.CreationTimestamp), updated.ExpirationTimestamp);
        Assert.Equal(Later + Limits.Default.AuthorizationLifetime, updated.ExpirationTimestamp);
        Assert.Null(updated.CaptureAmount);
        Assert.Equal(updated.ExpirationTimestamp, updated.NextDueAt);
    }

    [Fact]
    public void Update_PendingAuthorizationToCaptured_CapturesTheChargeAmount_AuthorizedNow()
    {
        var charge = InState(ChargeState.AuthorizationInitiated);

        var update = charge.Update(new ChargeStatusUpdate(ChargeState.Captured, null), Later).Value!;

        Assert.Equal(Usd.Of(14m), update.Value.CaptureAmount);
        Assert.Equal(Later, update.Value.AuthorizedAt);
        Assert.Equal(charge.ExpirationTimestamp, update.Value.ExpirationTimestamp);
        Assert.Equal(Usd.Of(14m), Assert.Single(update.Events).Amount);
        Assert.Null(update.Value.NextDueAt);
    }

    [Fact]
    public void Update_AuthorizedToCaptured_KeepsWhenItWasAuthorized_AndCapturesTheChargeAmount()
    {
        var charge = InState(ChargeState.Authorized);

        var updated = charge.Update(new ChargeStatusUpdate(ChargeState.Captured, null), Later).Value!.Value;

        Assert.Equal(Times.T0, updated.AuthorizedAt);
        Assert.Equal(Usd.Of(14m), updated.CaptureAmount);
        Assert.Equal(Usd.Of(14m), updated.AmountHeld);
    }

    [Fact]
    public void Update_PendingCaptureToCaptured_KeepsTheAmountAskedFor()
    {
        var updated = InState(ChargeState.CaptureInitiated).Update(new ChargeStatusUpdate(ChargeState.Captured, null), Later).Value!;

        Assert.Equal(Usd.Of(12m), updated.Value.CaptureAmount);
        Assert.Equal(Usd.Of(12m), Assert.Single(updated.Events).Amount);
    }

    [Fact]
    public void Update_PendingCaptureToDeclined_CapturedNothing()
    {
        var updated = InState(ChargeState.CaptureInitiated).Update(new ChargeStatusUpdate(ChargeState.Declined, ChargeReasonCode.ProcessingFailure), Later).Value!;

        Assert.Null(updated.Value.CaptureAmount);
        Assert.Equal(Usd.Of(0m), updated.Value.AmountHeld);
        Assert.Equal(Usd.Of(14m), Assert.Single(updated.Events).Amount);
    }

    [Fact]
    public void Update_CanceledTheSpecExample_FreesTheAuthorization()
    {
        var charge = InState(ChargeState.Authorized);

        var updated = charge.Update(new ChargeStatusUpdate(ChargeState.Canceled, ChargeReasonCode.ExpiredUnused), Later).Value!.Value;

        Assert.Equal(ChargeState.Canceled, updated.State);
        Assert.Equal("The authorization expired unused.", updated.ReasonDescription);
        Assert.Equal(Usd.Of(0m), updated.AmountHeld);
        Assert.Null(updated.NextDueAt);
    }

    [Fact]
    public void Update_AFinalStateWithAnotherReason_IsInvalidChargeStatus()
    {
        var charge = InState(ChargeState.Canceled);

        var updated = charge.Update(new ChargeStatusUpdate(ChargeState.Canceled, ChargeReasonCode.AmazonCanceled), Later);

        Assert.Equal(ErrorCode.InvalidChargeStatus, updated.Error?.Code);
    }

    [Theory]
    [InlineData(ChargeState.AuthorizationInitiated)]
    [InlineData(ChargeState.CaptureInitiated)]
    public void Update_ToAPendingState_IsInvalidParameterValue_WhateverTheChargesState(ChargeState target)
    {
        foreach (var from in Enum.GetValues<ChargeState>())
        {
            var updated = InState(from).Update(new ChargeStatusUpdate(target, null), Later);

            Assert.Equal(ErrorCode.InvalidParameterValue, updated.Error?.Code);
            Assert.Contains("statusDetails.state", updated.Error!.Message, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData(ChargeState.Authorized)]
    [InlineData(ChargeState.Captured)]
    public void Update_AuthorizedOrCapturedWithAReason_IsInvalidParameterValue(ChargeState target)
    {
        var updated = InState(ChargeState.AuthorizationInitiated).Update(new ChargeStatusUpdate(target, ChargeReasonCode.MerchantCanceled), Later);

        Assert.Equal(ErrorCode.InvalidParameterValue, updated.Error?.Code);
        Assert.Contains("statusDetails.reasonCode", updated.Error!.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(ChargeState.Canceled)]
    [InlineData(ChargeState.Declined)]
    public void Update_CanceledOrDeclinedWithoutAReason_IsMissingParameterValue(ChargeState target)
    {
        var updated = InState(ChargeState.AuthorizationInitiated).Update(new ChargeStatusUpdate(target, null), Later);

        Assert.Equal(ErrorCode.MissingParameterValue, updated.Error?.Code);
        Assert.Contains("statusDetails.reasonCode", updated.Error!.Message, StringComparison.Ordinal);
    }

    public static TheoryData<ChargeState, ChargeReasonCode, bool> Reasons()
    {
        var cancel = new[] { ChargeReasonCode.ExpiredUnused, ChargeReasonCode.MerchantCanceled, ChargeReasonCode.AmazonCanceled };
        ChargeReasonCode[] notDecline = [.. cancel, ChargeReasonCode.ChargePermissionCanceled];
        var data = new TheoryData<ChargeState, ChargeReasonCode, bool>();
        foreach (var reason in Enum.GetValues<ChargeReasonCode>())
        {
            data.Add(ChargeState.Canceled, reason, cancel.Contains(reason));
            data.Add(ChargeState.Declined, reason, !notDecline.Contains(reason));
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Reasons))]
    public void Update_CanceledTakesCancellationReasons_DeclinedDeclineReasons(ChargeState target, ChargeReasonCode reason, bool accepted)
    {
        var updated = InState(ChargeState.AuthorizationInitiated).Update(new ChargeStatusUpdate(target, reason), Later);

        if (accepted)
        {
            Assert.Equal(reason, updated.Value!.Value.ReasonCode);
        }
        else
        {
            Assert.Equal(ErrorCode.InvalidParameterValue, updated.Error?.Code);
            Assert.Contains($"{reason} is not a reason to", updated.Error!.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void LedgerUpdateCharge_CancelingTheOnlyPendingCharge_MakesThePermissionChargeableAgain()
    {
        var (ledger, charge) = Ledgers.Confirmed(Usd.Of(20m)).Charged(Usd.Of(20m), canHandlePendingAuthorization: true, simulation: "AuthorizationInitiated");
        Assert.Equal(ChargeState.AuthorizationInitiated, charge.State);
        Assert.Equal(ChargePermissionState.NonChargeable, ledger.ChargePermission.State);

        var updated = ledger.UpdateCharge(charge.ChargeId, new ChargeStatusUpdate(ChargeState.Canceled, ChargeReasonCode.MerchantCanceled), Ledgers.Start);

        var after = updated.Value!.Value;
        Assert.Equal(ChargeState.Canceled, after.FindCharge(charge.ChargeId)!.State);
        Assert.Equal(ChargePermissionState.Chargeable, after.ChargePermission.State);
        Assert.Equal(after.ChargePermission.AmountLimit, after.AmountBalance);
        Assert.Contains(updated.Value.Events, e => e.ObjectType == ObjectType.ChargePermission);
    }

    [Fact]
    public void LedgerUpdateCharge_Refused_ReturnsTheChargesError()
    {
        var (ledger, charge) = Ledgers.Confirmed(Usd.Of(20m)).Charged(Usd.Of(20m), captureNow: true);

        var updated = ledger.UpdateCharge(charge.ChargeId, new ChargeStatusUpdate(ChargeState.Authorized, null), Ledgers.Start);

        Assert.Equal(ErrorCode.InvalidChargeStatus, updated.Error?.Code);
    }
}
