using Tillpoint.Domain.ChargePermissions;
using Tillpoint.Domain.Charges;
using Tillpoint.Domain.Refunds;
using Tillpoint.Domain.Simulation;
using Tillpoint.Domain.Tests.ChargePermissions;

namespace Tillpoint.Domain.Tests.Simulation;

/// <summary>Each row of the simulation table (spec §10.2) does what it documents, and nothing outside the table is accepted.</summary>
public class SandboxSimulationTests
{
    private static readonly DateTimeOffset Now = Ledgers.Start.AddSeconds(10);

    private static TheoryData<string> CodesOf(SimulatedOperation operation) =>
        [.. SandboxSimulations.Table.Where(o => o.Operation == operation).Select(o => o.Code)];

    public static TheoryData<string> CreateChargeCodes => CodesOf(SimulatedOperation.CreateCharge);

    public static TheoryData<string> CaptureChargeCodes =>
        [.. SandboxSimulations.Table.Where(o => o is { Operation: SimulatedOperation.CaptureCharge, Effect: SimulatedEffect.Pending }).Select(o => o.Code)];

    public static TheoryData<string> CancelChargeCodes => CodesOf(SimulatedOperation.CancelCharge);

    public static TheoryData<string> CreateRefundCodes => CodesOf(SimulatedOperation.CreateRefund);

    public static TheoryData<string> CloseChargePermissionCodes => CodesOf(SimulatedOperation.CloseChargePermission);

    public static TheoryData<SimulatedOperation, string> AllRows
    {
        get
        {
            var rows = new TheoryData<SimulatedOperation, string>();
            foreach (var row in SandboxSimulations.Table)
            {
                rows.Add(row.Operation, row.Code);
            }

            return rows;
        }
    }

    public static TheoryData<string> AllCodes => [.. SandboxSimulations.Table.Select(o => o.Code).Distinct()];

    private static SimulatedOutcome Row(SimulatedOperation operation, string code) =>
        SandboxSimulations.Table.Single(o => o.Operation == operation && o.Code == code);

    [Theory]
    [MemberData(nameof(CreateChargeCodes))]
    public void CreateCharge_EachCode_HasItsDocumentedOutcome(string code)
    {
        var row = Row(SimulatedOperation.CreateCharge, code);
        var ledger = Ledgers.Confirmed(Usd.Of(100m));

        var created = ledger.TryCharge(Usd.Of(40m), canHandlePendingAuthorization: true, simulation: code, at: Now);

        switch (row.Effect)
        {
            case SimulatedEffect.Fail:
                Assert.Equal(ErrorCode.ProcessingFailure, created.Error?.Code);
                Assert.Null(created.Value);
                break;
            case SimulatedEffect.Decline:
                {
                    var creation = Ledgers.Succeeded(created);
                    var charge = creation.Charge;
                    Assert.Equal((ChargeState.Declined, row.ReasonCode as ChargeReasonCode?), (charge.State, charge.ReasonCode));
                    Assert.Equal(row.ReasonCode?.ToString(), creation.Decline?.Code.ToString());
                    Assert.Same(charge, Assert.Single(creation.Ledger.Value.Charges));
                    Assert.Equal(creation.Ledger.Value.ChargePermission.AmountLimit, creation.Ledger.Value.AmountBalance);
                    ChargePermissionReasonCode? problem = row.ReasonCode switch
                    {
                        ChargeReasonCode.SoftDeclined or ChargeReasonCode.HardDeclined => ChargePermissionReasonCode.PaymentMethodInvalid,
                        ChargeReasonCode.PaymentMethodNotAllowed => ChargePermissionReasonCode.PaymentMethodNotAllowed,
                        _ => null,
                    };
                    var permission = creation.Ledger.Value.ChargePermission;
                    Assert.Equal(problem is null ? ChargePermissionState.Chargeable : ChargePermissionState.NonChargeable, permission.State);
                    Assert.Equal(problem, permission.Reasons.SingleOrDefault()?.ReasonCode);
                    break;
                }

            case SimulatedEffect.Pending:
                {
                    var creation = Ledgers.Succeeded(created);
                    Assert.Null(creation.Decline);
                    Assert.Equal(ChargeState.AuthorizationInitiated, creation.Charge.State);
                    Assert.Equal(ChargePermissionReasonCode.ChargeInProgress, creation.Ledger.Value.ChargePermission.Reasons.Single().ReasonCode);
                    var resolved = creation.Ledger.Value.At(Now + Limits.Default.SandboxAsyncDelay);
                    var charge = resolved.ChargeOf(creation.Charge.ChargeId);
                    Assert.Equal(row.ReasonCode is null ? ChargeState.Authorized : ChargeState.Declined, charge.State);
                    Assert.Equal(row.ReasonCode as ChargeReasonCode?, charge.ReasonCode);
                    Assert.Equal(
                        row.ReasonCode is null ? ChargePermissionState.Chargeable : ChargePermissionState.NonChargeable,
                        resolved.ChargePermission.State);
                    Assert.Equal(
                        row.ReasonCode is null ? null : ChargePermissionReasonCode.PaymentMethodInvalid,
                        resolved.ChargePermission.Reasons.SingleOrDefault()?.ReasonCode);

                    // A pending outcome needs a merchant that can handle it.
                    var refused = ledger.TryCharge(Usd.Of(40m), canHandlePendingAuthorization: false, simulation: code, at: Now);
                    Assert.Equal(ErrorCode.InvalidSandboxSimulationSpecified, refused.Error?.Code);
                    break;
                }

            case SimulatedEffect.Reason:
                Assert.Fail($"{code} has an effect Create Charge does not document.");
                break;
        }
    }

    [Fact]
    public void CreateCharge_MFANotCompleted_IsDeclinedWithThatReasonCode()
    {
        // Spec §4.9 and §8.2: 422 MFANotCompleted. The decline's error code is parsed from the charge's reason code,
        // so every decline reason the table can produce must be an ErrorCode (this one was missing and threw).
        var created = Ledgers.Confirmed(Usd.Of(100m)).TryCharge(Usd.Of(40m), simulation: "MFANotCompleted", at: Now);

        var creation = Ledgers.Succeeded(created);
        Assert.Equal(ErrorCode.MFANotCompleted, creation.Decline?.Code);
        Assert.Equal((ChargeState.Declined, ChargeReasonCode.MFANotCompleted), (creation.Charge.State, creation.Charge.ReasonCode));
        Assert.Equal(ChargePermissionState.Chargeable, creation.Ledger.Value.ChargePermission.State);
    }

    [Fact]
    public void EveryDeclineReasonInTheTable_IsAnErrorCode()
    {
        var reasons = SandboxSimulations.Table
            .Where(o => o.Operation == SimulatedOperation.CreateCharge && o.ReasonCode is not null)
            .Select(o => (ChargeReasonCode)o.ReasonCode!)
            .Append(ChargeReasonCode.HardDeclined);

        Assert.All(reasons, reason => Assert.Equal(reason.ToString(), ChargeReasons.DeclineError(reason).ToString()));
    }

    [Theory]
    [MemberData(nameof(CaptureChargeCodes))]
    public void CaptureCharge_EachCode_IsCaptureInitiatedThenItsDocumentedState(string code)
    {
        var row = Row(SimulatedOperation.CaptureCharge, code);
        var (ledger, charge) = Ledgers.Confirmed(Usd.Of(100m)).Charged(Usd.Of(40m));

        var captured = Ledgers.Succeeded(ledger.TryCapture(charge.ChargeId, Usd.Of(30m), code, Now));

        Assert.Equal(SimulatedEffect.Pending, row.Effect);
        var initiated = captured.Value.ChargeOf(charge.ChargeId);
        Assert.Equal((ChargeState.CaptureInitiated, Usd.Of(30m)), (initiated.State, initiated.CaptureAmount));
        Assert.Equal(Usd.Of(85m), captured.Value.AmountBalance);
        var resolved = captured.Value.At(Now + Limits.Default.SandboxAsyncDelay);
        var final = resolved.ChargeOf(charge.ChargeId);
        Assert.Equal(row.ReasonCode is null ? ChargeState.Captured : ChargeState.Declined, final.State);
        Assert.Equal(row.ReasonCode as ChargeReasonCode?, final.ReasonCode);
        Assert.Equal(row.ReasonCode is null ? Usd.Of(85m) : Usd.Of(115m), resolved.AmountBalance);
        // A capture that failed leaves the payment method alone.
        Assert.Equal(ChargePermissionState.Chargeable, resolved.ChargePermission.State);
    }

    [Theory]
    [InlineData("Chargeback", Domain.Disputes.DisputeFilingReason.Fraudulent)]
    [InlineData("ChargebackProductNotReceived", Domain.Disputes.DisputeFilingReason.ProductNotReceived)]
    public void CaptureCharge_DisputeCodes_CaptureAtOnce_AndNameTheFilingReason(string code, Domain.Disputes.DisputeFilingReason reason)
    {
        var row = Row(SimulatedOperation.CaptureCharge, code);
        var (ledger, charge) = Ledgers.Confirmed(Usd.Of(100m)).Charged(Usd.Of(40m));

        var captured = Ledgers.Succeeded(ledger.TryCapture(charge.ChargeId, Usd.Of(30m), code, Now));

        Assert.Equal((SimulatedEffect.Dispute, (Enum?)reason), (row.Effect, row.ReasonCode));
        Assert.Equal(ChargeState.Captured, captured.Value.ChargeOf(charge.ChargeId).State);
    }

    [Theory]
    [MemberData(nameof(CancelChargeCodes))]
    public void CancelCharge_EachCode_CancelsWithItsReason(string code)
    {
        var row = Row(SimulatedOperation.CancelCharge, code);
        var (ledger, charge) = Ledgers.Confirmed(Usd.Of(100m)).Charged(Usd.Of(40m));

        var canceled = Ledgers.Succeeded(ledger.TryCancel(charge.ChargeId, code, Now)).Value.ChargeOf(charge.ChargeId);

        Assert.Equal(SimulatedEffect.Reason, row.Effect);
        Assert.Equal((ChargeState.Canceled, row.ReasonCode as ChargeReasonCode?), (canceled.State, canceled.ReasonCode));
        Assert.Equal(ChargeReasons.Describe((ChargeReasonCode)row.ReasonCode!), canceled.ReasonDescription);
    }

    [Theory]
    [MemberData(nameof(CreateRefundCodes))]
    public void CreateRefund_EachCode_IsRefundInitiatedThenDeclined(string code)
    {
        var row = Row(SimulatedOperation.CreateRefund, code);
        var (ledger, charge) = Ledgers.Confirmed(Usd.Of(100m)).Charged(Usd.Of(40m), captureNow: true);

        var refunded = Ledgers.Succeeded(ledger.TryRefund(charge.ChargeId, Usd.Of(10m), code, Now));

        Assert.Equal(SimulatedEffect.Pending, row.Effect);
        Assert.Equal(RefundState.RefundInitiated, refunded.Refund.State);
        var settled = refunded.Ledger.Value.At(Now + Limits.Default.SandboxAsyncDelay);
        var refund = settled.FindRefund(refunded.Refund.RefundId)!;
        Assert.Equal((RefundState.Declined, row.ReasonCode as RefundReasonCode?), (refund.State, refund.ReasonCode));
        Assert.False(string.IsNullOrEmpty(refund.ReasonDescription));
        Assert.Equal(Usd.Of(0m), settled.ChargeOf(charge.ChargeId).RefundedAmount);
    }

    [Theory]
    [MemberData(nameof(CloseChargePermissionCodes))]
    public void CloseChargePermission_EachCode_ClosesWithItsReason(string code)
    {
        var row = Row(SimulatedOperation.CloseChargePermission, code);

        var closed = Ledgers.Succeeded(Ledgers.Confirmed(Usd.Of(100m)).TryClose(simulation: code, at: Now)).Value.ChargePermission;

        Assert.Equal(SimulatedEffect.Reason, row.Effect);
        Assert.Equal(ChargePermissionState.Closed, closed.State);
        Assert.Equal(row.ReasonCode as ChargePermissionReasonCode?, Assert.Single(closed.Reasons).ReasonCode);
    }

    [Fact]
    public void Table_CoversEveryDocumentedCode()
    {
        string[] Codes(SimulatedOperation operation) =>
            [.. SandboxSimulations.Table.Where(o => o.Operation == operation).Select(o => o.Code).Order(StringComparer.Ordinal)];

        Assert.Equal(
            ["AmazonRejected", "AuthorizationInitiated", "AuthorizationInitiatedHardDeclined", "AuthorizationInitiatedSoftDeclined",
             "HardDeclined", "MFANotCompleted", "PaymentMethodNotAllowed", "ProcessingFailure", "SoftDeclined", "TransactionTimedOut"],
            Codes(SimulatedOperation.CreateCharge));
        Assert.Equal(["AmazonRejected", "CaptureInitiated", "Chargeback", "ChargebackProductNotReceived", "ProcessingFailure"], Codes(SimulatedOperation.CaptureCharge));
        Assert.Equal(["AmazonCanceled"], Codes(SimulatedOperation.CancelCharge));
        Assert.Equal(["AmazonRejected", "ProcessingFailure"], Codes(SimulatedOperation.CreateRefund));
        Assert.Equal(["AmazonClosed"], Codes(SimulatedOperation.CloseChargePermission));
        Assert.Equal(["AmazonCanceled", "BuyerCanceled", "Declined"], Codes(SimulatedOperation.UpdateCheckoutSession));
        Assert.Equal(["AuthorizationInitiated"], Codes(SimulatedOperation.CompleteCheckoutSession));
        Assert.Equal(["AuthorizationInitiated"], Codes(SimulatedOperation.FinalizeCheckoutSession));
        Assert.All(SandboxSimulations.Table, o => Assert.False(string.IsNullOrWhiteSpace(o.Description)));
    }

    [Theory]
    [MemberData(nameof(AllRows))]
    public void Resolve_EveryRowInSandbox_IsThatRow(SimulatedOperation operation, string code)
    {
        var resolved = SandboxSimulations.Resolve(code, operation, ReleaseEnvironment.Sandbox);

        Assert.Null(resolved.Error);
        Assert.Same(Row(operation, code), resolved.Value);
    }

    [Theory]
    [MemberData(nameof(AllRows))]
    public void Resolve_AnyCodeInLive_IsInvalidSandboxSimulationSpecified(SimulatedOperation operation, string code)
    {
        var resolved = SandboxSimulations.Resolve(code, operation, ReleaseEnvironment.Live);

        Assert.Equal(ErrorCode.InvalidSandboxSimulationSpecified, resolved.Error?.Code);
        Assert.Contains("Sandbox only", resolved.Error!.Message, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(AllCodes))]
    public void Resolve_ACodeOnAnOperationThatDoesNotListIt_IsInvalid(string code)
    {
        var others = Enum.GetValues<SimulatedOperation>()
            .Where(op => !SandboxSimulations.Table.Any(o => o.Operation == op && o.Code == code))
            .ToList();

        Assert.NotEmpty(others);
        Assert.All(others, op =>
        {
            var resolved = SandboxSimulations.Resolve(code, op, ReleaseEnvironment.Sandbox);
            Assert.Equal(ErrorCode.InvalidSandboxSimulationSpecified, resolved.Error?.Code);
            Assert.Contains(op.ToString(), resolved.Error!.Message, StringComparison.Ordinal);
        });
        Assert.Equal(ErrorCode.InvalidSandboxSimulationSpecified, SandboxSimulations.Resolve(code, null, ReleaseEnvironment.Sandbox).Error?.Code);
    }

    [Theory]
    [InlineData("NotACode")]
    [InlineData("harddeclined")]
    [InlineData(" HardDeclined")]
    public void Resolve_UnknownCode_IsInvalidAndListsTheValidOnes(string code)
    {
        var resolved = SandboxSimulations.Resolve(code, SimulatedOperation.CreateCharge, ReleaseEnvironment.Sandbox);

        Assert.Equal(ErrorCode.InvalidSandboxSimulationSpecified, resolved.Error?.Code);
        Assert.Contains("HardDeclined, AmazonRejected", resolved.Error!.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null, ReleaseEnvironment.Sandbox)]
    [InlineData("", ReleaseEnvironment.Sandbox)]
    [InlineData(null, ReleaseEnvironment.Live)]
    [InlineData("", ReleaseEnvironment.Live)]
    public void Resolve_NoCode_IsNoSimulation(string? code, ReleaseEnvironment environment)
    {
        var resolved = SandboxSimulations.Resolve(code, SimulatedOperation.CreateCharge, environment);

        Assert.True(resolved.IsSuccess);
        Assert.Null(resolved.Value);
    }

    [Theory]
    [InlineData("HardDeclined", "422 HardDeclined; the charge is Declined and the permission NonChargeable (PaymentMethodInvalid).")]
    [InlineData("PaymentMethodNotAllowed", "422 PaymentMethodNotAllowed; the charge is Declined and the permission NonChargeable (PaymentMethodNotAllowed).")]
    [InlineData("AmazonRejected", "422 AmazonRejected; the charge is Declined.")]
    public void ChargeDeclines_SayWhetherThePermissionBecomesNonChargeable(string code, string description) =>
        Assert.Equal(
            description,
            SandboxSimulations.Table.Single(o => o.Operation == SimulatedOperation.CreateCharge && o.Code == code).Description);
}
