using Tillpoint.Domain.ChargePermissions;

namespace Tillpoint.Domain.Tests.ChargePermissions;

/// <summary>
/// Chargeable / NonChargeable / Closed and the reasons behind them: every (state, reasons) a permission can be in,
/// moved to every (charge in progress, payment-method problem) its charges can report.
/// </summary>
public class ChargePermissionStatusTests
{
    private static readonly DateTimeOffset Later = Times.T0.AddHours(1);

    private static ChargePermission In(bool chargeInProgress, ChargePermissionReasonCode? problem) =>
        Build.Permission(Usd.Of(115m)).WithStatus(chargeInProgress, problem, Times.T0).Value;

    public static TheoryData<bool, ChargePermissionReasonCode?, bool, ChargePermissionReasonCode?> Moves()
    {
        var statuses = new (bool InProgress, ChargePermissionReasonCode? Problem)[]
        {
            (false, null),
            (true, null),
            (false, ChargePermissionReasonCode.PaymentMethodInvalid),
            (false, ChargePermissionReasonCode.PaymentMethodNotAllowed),
            (true, ChargePermissionReasonCode.PaymentMethodInvalid),
        };
        var data = new TheoryData<bool, ChargePermissionReasonCode?, bool, ChargePermissionReasonCode?>();
        foreach (var from in statuses)
        {
            foreach (var to in statuses)
            {
                data.Add(from.InProgress, from.Problem, to.InProgress, to.Problem);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Moves))]
    public void WithStatus_StateAndReasonsFollowWhatHoldsThePermissionBack_AndOnlyAChangeIsRecorded(
        bool fromInProgress, ChargePermissionReasonCode? fromProblem, bool toInProgress, ChargePermissionReasonCode? toProblem)
    {
        var before = In(fromInProgress, fromProblem);

        var after = before.WithStatus(toInProgress, toProblem, Later);

        var reasons = new[] { toInProgress ? ChargePermissionReasonCode.ChargeInProgress : null, toProblem }.OfType<ChargePermissionReasonCode>().ToList();
        var permission = after.Value;
        Assert.Equal(reasons, permission.Reasons.Select(r => r.ReasonCode));
        Assert.All(permission.Reasons, r => Assert.Equal(ChargePermissionReasons.Describe(r.ReasonCode), r.ReasonDescription));
        Assert.Equal(reasons.Count == 0 ? ChargePermissionState.Chargeable : ChargePermissionState.NonChargeable, permission.State);
        Assert.Equal(toProblem, permission.PaymentMethodProblem);
        if (fromInProgress == toInProgress && fromProblem == toProblem)
        {
            Assert.Same(before, permission);
            Assert.Empty(after.Events);
            return;
        }

        Assert.Equal(Later, permission.LastUpdatedTimestamp);
        var e = Assert.Single(after.Events);
        Assert.Equal((before.State.ToString(), permission.State.ToString(), reasons.Count == 0 ? null : reasons[0].ToString(), Later), (e.FromState, e.ToState, e.ReasonCode, e.At));
    }

    [Theory]
    [InlineData(false, null)]
    [InlineData(true, null)]
    [InlineData(false, ChargePermissionReasonCode.PaymentMethodInvalid)]
    public void WithStatus_OnAClosedPermission_ChangesNothing(bool chargeInProgress, ChargePermissionReasonCode? problem)
    {
        var closed = Build.Permission(Usd.Of(115m)).Close(ChargePermissionReasonCode.MerchantClosed, null, Times.T0).Value.Value;

        var after = closed.WithStatus(chargeInProgress, problem, Later);

        Assert.Same(closed, after.Value);
        Assert.Empty(after.Events);
    }

    [Theory]
    [InlineData(false, null)]
    [InlineData(true, null)]
    [InlineData(false, ChargePermissionReasonCode.PaymentMethodInvalid)]
    public void Close_FromChargeableOrNonChargeable_IsClosedWithTheGivenReasonAlone(bool chargeInProgress, ChargePermissionReasonCode? problem)
    {
        var open = In(chargeInProgress, problem);

        var closed = open.Close(ChargePermissionReasonCode.AmazonClosed, "Fraud", Later);

        var permission = closed.Value.Value;
        Assert.Equal(ChargePermissionState.Closed, permission.State);
        var reason = Assert.Single(permission.Reasons);
        Assert.Equal(
            (ChargePermissionReasonCode.AmazonClosed, ChargePermissionReasons.Describe(ChargePermissionReasonCode.AmazonClosed)),
            (reason.ReasonCode, reason.ReasonDescription));
        Assert.Equal(("Fraud", Later), (permission.ClosureReason, permission.LastUpdatedTimestamp));
        var e = Assert.Single(closed.Value.Events);
        Assert.Equal((open.State.ToString(), "Closed", nameof(ChargePermissionReasonCode.AmazonClosed)), (e.FromState, e.ToState, e.ReasonCode));
        Assert.Null(permission.NextDueAt);
    }

    [Theory]
    [InlineData(ChargePermissionReasonCode.MerchantClosed)]
    [InlineData(ChargePermissionReasonCode.AmazonClosed)]
    [InlineData(ChargePermissionReasonCode.Expired)]
    public void Close_WhenClosed_IsInvalidChargePermissionStatus_NamingWhyItIsClosed(ChargePermissionReasonCode reasonCode)
    {
        var closed = Build.Permission(Usd.Of(115m)).Close(reasonCode, null, Times.T0).Value.Value;

        var again = closed.Close(ChargePermissionReasonCode.MerchantClosed, null, Later);

        Assert.Equal(ErrorCode.InvalidChargePermissionStatus, again.Error?.Code);
        Assert.Contains($"({reasonCode})", again.Error!.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Expire_ClosesAtTheExpiryInstant_WithReasonExpired()
    {
        var permission = In(true, null);

        var expired = permission.Expire();

        Assert.Equal(ChargePermissionState.Closed, expired.Value.State);
        Assert.Equal(ChargePermissionReasonCode.Expired, Assert.Single(expired.Value.Reasons).ReasonCode);
        Assert.Equal(permission.ExpirationTimestamp, expired.Value.LastUpdatedTimestamp);
        var e = Assert.Single(expired.Events);
        Assert.Equal(("NonChargeable", "Closed", nameof(ChargePermissionReasonCode.Expired), permission.ExpirationTimestamp), (e.FromState, e.ToState, e.ReasonCode, e.At));
    }

    [Fact]
    public void NextDueAt_IsTheExpiryUntilClosed()
    {
        var permission = In(false, ChargePermissionReasonCode.PaymentMethodInvalid);

        Assert.Equal(permission.ExpirationTimestamp, permission.NextDueAt);
        Assert.Null(permission.Expire().Value.NextDueAt);
    }

    [Fact]
    public void Note_RecordsTheDetailWithoutChangingTheState()
    {
        var permission = In(true, null);

        var note = permission.Note("DeliveryTrackerAdded", Later);

        Assert.Equal(("NonChargeable", "NonChargeable", nameof(ChargePermissionReasonCode.ChargeInProgress), "DeliveryTrackerAdded", Later),
            (note.FromState, note.ToState, note.ReasonCode, note.Detail, note.At));
    }
}
