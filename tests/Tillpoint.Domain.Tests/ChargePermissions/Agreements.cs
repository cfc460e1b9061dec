using Tillpoint.Domain.Buyers;
using Tillpoint.Domain.ChargePermissions;
using Tillpoint.Domain.CheckoutSessions;

namespace Tillpoint.Domain.Tests.ChargePermissions;

/// <summary>Recurring and saved-wallet checkouts, completed the way the server completes them.</summary>
internal static class Agreements
{
    public static readonly RecurringMetadata Monthly = new(new Frequency(FrequencyUnit.Month, 1), Usd.Of(14m));

    public static readonly Money RecurringCap = Usd.Of(1_000m);

    public static readonly Money SavedWalletCap = Usd.Of(15_000m);

    public static CreateCheckoutSession Create(
        ChargePermissionType type, PaymentDetails? payment = null, RecurringMetadata? recurring = null, PaymentMethodOnFileMetadata? savedWallet = null) =>
        Build.Create(payment: payment, type: type) with { RecurringMetadata = recurring, PaymentMethodOnFileMetadata = savedWallet };

    /// <summary>A completed checkout of <paramref name="type"/> (Recurring gets <see cref="Monthly"/>, PaymentMethodOnFile setupOnly false).</summary>
    public static CompletedCheckout Completed(
        ChargePermissionType type,
        PaymentIntent intent = PaymentIntent.Confirm,
        Money? chargeAmount = null,
        InstrumentBehavior behavior = InstrumentBehavior.Succeeds,
        PaymentMethodOnFileMetadata? savedWallet = null)
    {
        var payment = Build.Payment(intent, chargeAmount ?? Usd.Of(14m));
        var session = Build.NewSession(Create(
            type,
            payment,
            type == ChargePermissionType.Recurring ? Monthly : null,
            type == ChargePermissionType.PaymentMethodOnFile ? savedWallet ?? new PaymentMethodOnFileMetadata(false) : null));
        session = Ledgers.Succeeded(session.Update(
            new UpdateCheckoutSession(null, Build.ResultUrl, null, null, null, null, null, null), Times.T0, Limits.Default)).Value;
        session = Ledgers.Succeeded(session.AssociateBuyer(Build.Selection(behavior), Times.T0.AddMinutes(1))).Value;
        session = Ledgers.Succeeded(session.Process(Times.T0.AddMinutes(2))).Value;
        return Ledgers.Succeeded(CheckoutCompletion.Complete(
            session, payment.ChargeAmount!.Value, null, new SequentialIds(), null, Ledgers.Start, Limits.Default));
    }

    public static PaymentLedger Ledger(ChargePermissionType type, InstrumentBehavior behavior = InstrumentBehavior.Succeeds) =>
        Ledgers.From(Completed(type, behavior: behavior));

    public static PaymentLedger Recurring() => Ledger(ChargePermissionType.Recurring);

    public static PaymentLedger SavedWallet() => Ledger(ChargePermissionType.PaymentMethodOnFile);
}
