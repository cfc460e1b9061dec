using Tillpoint.Domain.ChargePermissions;
using Tillpoint.Domain.Charges;
using Tillpoint.Domain.CheckoutSessions;
using Tillpoint.Domain.Refunds;

namespace Tillpoint.Domain.Simulation;

/// <summary>The operations that accept the <c>x-amz-pay-simulation-code</c> header.</summary>
public enum SimulatedOperation
{
    UpdateCheckoutSession,
    CompleteCheckoutSession,
    FinalizeCheckoutSession,
    CreateCharge,
    CaptureCharge,
    CancelCharge,
    CreateRefund,
    CloseChargePermission,
}

/// <summary>What a simulation code makes an operation do.</summary>
public enum SimulatedEffect
{
    /// <summary>The object ends at once in its failure state with <see cref="SimulatedOutcome.ReasonCode"/>.</summary>
    Decline,

    /// <summary>The object waits in its pending state and, after the sandbox delay, succeeds (no reason code) or declines.</summary>
    Pending,

    /// <summary>The operation fails as a retryable server error and changes nothing.</summary>
    Fail,

    /// <summary>The operation succeeds, but with <see cref="SimulatedOutcome.ReasonCode"/> instead of the merchant's own.</summary>
    Reason,

    /// <summary>
    /// The capture succeeds, then the buyer disputes it at once: a chargeback for the whole capture, filed for the
    /// <see cref="Disputes.DisputeFilingReason"/> in <see cref="SimulatedOutcome.ReasonCode"/>.
    /// </summary>
    Dispute,
}

/// <summary>One row of the simulation table.</summary>
/// <remarks>
/// <see cref="ReasonCode"/> is a reason code of the object the operation acts on: a <see cref="CheckoutSessionReasonCode"/>,
/// <see cref="ChargeReasonCode"/>, <see cref="RefundReasonCode"/> or <see cref="ChargePermissionReasonCode"/>; for
/// <see cref="SimulatedEffect.Dispute"/>, the <see cref="Disputes.DisputeFilingReason"/> of the dispute it opens.
/// </remarks>
public sealed record SimulatedOutcome(SimulatedOperation Operation, string Code, SimulatedEffect Effect, Enum? ReasonCode, string Description);

/// <summary>
/// The sandbox simulation table (spec §10.2): operation × code → outcome. A code not in the table for the operation
/// it is sent with is refused, and so is any code in Live.
/// </summary>
public static class SandboxSimulations
{
    public static IReadOnlyList<SimulatedOutcome> Table { get; } =
    [
        new(SimulatedOperation.UpdateCheckoutSession, "BuyerCanceled", SimulatedEffect.Decline, CheckoutSessionReasonCode.BuyerCanceled,
            "When the buyer reaches amazonPayRedirectUrl the session is Canceled with BuyerCanceled."),
        new(SimulatedOperation.UpdateCheckoutSession, "Declined", SimulatedEffect.Decline, CheckoutSessionReasonCode.Declined,
            "When the buyer reaches amazonPayRedirectUrl the session is Canceled with Declined."),
        new(SimulatedOperation.UpdateCheckoutSession, "AmazonCanceled", SimulatedEffect.Decline, CheckoutSessionReasonCode.AmazonCanceled,
            "When the buyer reaches amazonPayRedirectUrl the session is Canceled with AmazonCanceled."),
        new(SimulatedOperation.CompleteCheckoutSession, "AuthorizationInitiated", SimulatedEffect.Pending, null,
            "202: the charge is AuthorizationInitiated and becomes Authorized after the delay."),
        new(SimulatedOperation.FinalizeCheckoutSession, "AuthorizationInitiated", SimulatedEffect.Pending, null,
            "202: the charge is AuthorizationInitiated and becomes Authorized after the delay."),
        new(SimulatedOperation.CreateCharge, "SoftDeclined", SimulatedEffect.Decline, ChargeReasonCode.SoftDeclined,
            "422 SoftDeclined; the charge is Declined and the permission NonChargeable (PaymentMethodInvalid)."),
        new(SimulatedOperation.CreateCharge, "HardDeclined", SimulatedEffect.Decline, ChargeReasonCode.HardDeclined,
            "422 HardDeclined; the charge is Declined and the permission NonChargeable (PaymentMethodInvalid)."),
        new(SimulatedOperation.CreateCharge, "AmazonRejected", SimulatedEffect.Decline, ChargeReasonCode.AmazonRejected,
            "422 AmazonRejected; the charge is Declined."),
        new(SimulatedOperation.CreateCharge, "TransactionTimedOut", SimulatedEffect.Decline, ChargeReasonCode.TransactionTimedOut,
            "422 TransactionTimedOut; the charge is Declined."),
        new(SimulatedOperation.CreateCharge, "PaymentMethodNotAllowed", SimulatedEffect.Decline, ChargeReasonCode.PaymentMethodNotAllowed,
            "422 PaymentMethodNotAllowed; the charge is Declined and the permission NonChargeable (PaymentMethodNotAllowed)."),
        new(SimulatedOperation.CreateCharge, "MFANotCompleted", SimulatedEffect.Decline, ChargeReasonCode.MFANotCompleted,
            "422 MFANotCompleted; the charge is Declined."),
        new(SimulatedOperation.CreateCharge, "ProcessingFailure", SimulatedEffect.Fail, ChargeReasonCode.ProcessingFailure,
            "500 ProcessingFailure; nothing is created, a retry may succeed."),
        new(SimulatedOperation.CreateCharge, "AuthorizationInitiated", SimulatedEffect.Pending, null,
            "201 AuthorizationInitiated, Authorized after the delay (needs canHandlePendingAuthorization)."),
        new(SimulatedOperation.CreateCharge, "AuthorizationInitiatedSoftDeclined", SimulatedEffect.Pending, ChargeReasonCode.SoftDeclined,
            "201 AuthorizationInitiated, Declined (SoftDeclined) after the delay (needs canHandlePendingAuthorization)."),
        new(SimulatedOperation.CreateCharge, "AuthorizationInitiatedHardDeclined", SimulatedEffect.Pending, ChargeReasonCode.HardDeclined,
            "201 AuthorizationInitiated, Declined (HardDeclined) after the delay (needs canHandlePendingAuthorization)."),
        new(SimulatedOperation.CaptureCharge, "CaptureInitiated", SimulatedEffect.Pending, null,
            "200 CaptureInitiated, Captured after the delay."),
        new(SimulatedOperation.CaptureCharge, "AmazonRejected", SimulatedEffect.Pending, ChargeReasonCode.AmazonRejected,
            "200 CaptureInitiated, Declined (AmazonRejected) after the delay."),
        new(SimulatedOperation.CaptureCharge, "ProcessingFailure", SimulatedEffect.Pending, ChargeReasonCode.ProcessingFailure,
            "200 CaptureInitiated, Declined (ProcessingFailure) after the delay."),
        new(SimulatedOperation.CaptureCharge, "Chargeback", SimulatedEffect.Dispute, Disputes.DisputeFilingReason.Fraudulent,
            "200 Captured; a chargeback (Fraudulent) for the whole capture is opened at once, ActionRequired (CHARGEBACK IPN)."),
        new(SimulatedOperation.CaptureCharge, "ChargebackProductNotReceived", SimulatedEffect.Dispute, Disputes.DisputeFilingReason.ProductNotReceived,
            "200 Captured; a chargeback (ProductNotReceived) for the whole capture is opened at once, ActionRequired (CHARGEBACK IPN)."),
        new(SimulatedOperation.CancelCharge, "AmazonCanceled", SimulatedEffect.Reason, ChargeReasonCode.AmazonCanceled,
            "The charge is Canceled with AmazonCanceled instead of MerchantCanceled."),
        new(SimulatedOperation.CreateRefund, "AmazonRejected", SimulatedEffect.Pending, RefundReasonCode.AmazonRejected,
            "201 RefundInitiated, Declined (AmazonRejected) after the delay."),
        new(SimulatedOperation.CreateRefund, "ProcessingFailure", SimulatedEffect.Pending, RefundReasonCode.ProcessingFailure,
            "201 RefundInitiated, Declined (ProcessingFailure) after the delay."),
        new(SimulatedOperation.CloseChargePermission, "AmazonClosed", SimulatedEffect.Reason, ChargePermissionReasonCode.AmazonClosed,
            "The permission is Closed with AmazonClosed instead of MerchantClosed."),
    ];

    private static readonly Dictionary<(SimulatedOperation, string), SimulatedOutcome> ByKey =
        Table.ToDictionary(o => (o.Operation, o.Code));

    /// <summary>
    /// Looks up the header's code for an operation. No header means no simulation; a code in Live, on an operation
    /// that takes none, or not in the table is InvalidSandboxSimulationSpecified.
    /// </summary>
    public static Result<SimulatedOutcome?> Resolve(string? code, SimulatedOperation? operation, ReleaseEnvironment environment)
    {
        if (string.IsNullOrEmpty(code))
        {
            return (SimulatedOutcome?)null;
        }

        if (environment != ReleaseEnvironment.Sandbox)
        {
            return Invalid("Simulation codes are accepted in Sandbox only.");
        }

        if (operation is not { } op)
        {
            return Invalid("This operation does not accept a simulation code.");
        }

        return ByKey.TryGetValue((op, code), out var outcome)
            ? outcome
            : Invalid($"'{code}' is not a simulation code of {op}. Valid codes: {string.Join(", ", Table.Where(o => o.Operation == op).Select(o => o.Code))}.");
    }

    private static DomainError Invalid(string message) => new(ErrorCode.InvalidSandboxSimulationSpecified, message);
}
