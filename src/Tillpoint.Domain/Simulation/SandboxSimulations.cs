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
        BuyerReturnCancels(CheckoutSessionReasonCode.BuyerCanceled),
        BuyerReturnCancels(CheckoutSessionReasonCode.Declined),
        BuyerReturnCancels(CheckoutSessionReasonCode.AmazonCanceled),
        new(SimulatedOperation.CompleteCheckoutSession, "AuthorizationInitiated", SimulatedEffect.Pending, null, SessionAuthorizationPending),
        new(SimulatedOperation.FinalizeCheckoutSession, "AuthorizationInitiated", SimulatedEffect.Pending, null, SessionAuthorizationPending),
        ChargeDeclined(ChargeReasonCode.SoftDeclined, "PaymentMethodInvalid"),
        ChargeDeclined(ChargeReasonCode.HardDeclined, "PaymentMethodInvalid"),
        ChargeDeclined(ChargeReasonCode.AmazonRejected),
        ChargeDeclined(ChargeReasonCode.TransactionTimedOut),
        ChargeDeclined(ChargeReasonCode.PaymentMethodNotAllowed, "PaymentMethodNotAllowed"),
        ChargeDeclined(ChargeReasonCode.MFANotCompleted),
        new(SimulatedOperation.CreateCharge, "ProcessingFailure", SimulatedEffect.Fail, ChargeReasonCode.ProcessingFailure,
            "500 ProcessingFailure; nothing is created, a retry may succeed."),
        new(SimulatedOperation.CreateCharge, "AuthorizationInitiated", SimulatedEffect.Pending, null,
            "201 AuthorizationInitiated, Authorized after the delay (needs canHandlePendingAuthorization)."),
        AuthorizationDeclinedLater(ChargeReasonCode.SoftDeclined),
        AuthorizationDeclinedLater(ChargeReasonCode.HardDeclined),
        new(SimulatedOperation.CaptureCharge, "CaptureInitiated", SimulatedEffect.Pending, null,
            "200 CaptureInitiated, Captured after the delay."),
        DeclinedLater(SimulatedOperation.CaptureCharge, "200 CaptureInitiated", ChargeReasonCode.AmazonRejected),
        DeclinedLater(SimulatedOperation.CaptureCharge, "200 CaptureInitiated", ChargeReasonCode.ProcessingFailure),
        Chargeback("Chargeback", Disputes.DisputeFilingReason.Fraudulent),
        Chargeback("ChargebackProductNotReceived", Disputes.DisputeFilingReason.ProductNotReceived),
        new(SimulatedOperation.CancelCharge, "AmazonCanceled", SimulatedEffect.Reason, ChargeReasonCode.AmazonCanceled,
            "The charge is Canceled with AmazonCanceled instead of MerchantCanceled."),
        DeclinedLater(SimulatedOperation.CreateRefund, "201 RefundInitiated", RefundReasonCode.AmazonRejected),
        DeclinedLater(SimulatedOperation.CreateRefund, "201 RefundInitiated", RefundReasonCode.ProcessingFailure),
        new(SimulatedOperation.CloseChargePermission, "AmazonClosed", SimulatedEffect.Reason, ChargePermissionReasonCode.AmazonClosed,
            "The permission is Closed with AmazonClosed instead of MerchantClosed."),
    ];

    private const string SessionAuthorizationPending = "202: the charge is AuthorizationInitiated and becomes Authorized after the delay.";

    // Most codes are the name of the reason code they end in, so the rows of a kind are written once below.
    private static SimulatedOutcome BuyerReturnCancels(CheckoutSessionReasonCode reason) =>
        new(SimulatedOperation.UpdateCheckoutSession, reason.ToString(), SimulatedEffect.Decline, reason,
            $"When the buyer reaches amazonPayRedirectUrl the session is Canceled with {reason}.");

    /// <param name="reason">The charge's reason code, and the code that asks for it.</param>
    /// <param name="permissionReason">The charge permission's NonChargeable reason, when the decline makes it so.</param>
    private static SimulatedOutcome ChargeDeclined(ChargeReasonCode reason, string? permissionReason = null) =>
        new(SimulatedOperation.CreateCharge, reason.ToString(), SimulatedEffect.Decline, reason,
            $"422 {reason}; the charge is Declined{(permissionReason is null ? string.Empty : $" and the permission NonChargeable ({permissionReason})")}.");

    private static SimulatedOutcome AuthorizationDeclinedLater(ChargeReasonCode reason) =>
        new(SimulatedOperation.CreateCharge, $"AuthorizationInitiated{reason}", SimulatedEffect.Pending, reason,
            $"201 AuthorizationInitiated, Declined ({reason}) after the delay (needs canHandlePendingAuthorization).");

    /// <param name="operation">The operation.</param>
    /// <param name="answer">Its immediate answer: the status code and the pending state.</param>
    /// <param name="reason">The reason code the object is Declined with, and the code that asks for it.</param>
    private static SimulatedOutcome DeclinedLater(SimulatedOperation operation, string answer, Enum reason) =>
        new(operation, reason.ToString(), SimulatedEffect.Pending, reason, $"{answer}, Declined ({reason}) after the delay.");

    private static SimulatedOutcome Chargeback(string code, Disputes.DisputeFilingReason reason) =>
        new(SimulatedOperation.CaptureCharge, code, SimulatedEffect.Dispute, reason,
            $"200 Captured; a chargeback ({reason}) for the whole capture is opened at once, ActionRequired (CHARGEBACK IPN).");

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
