using Tillpoint.Domain.CheckoutSessions;

namespace Tillpoint.Server.Checkout;

/// <summary>What the buyer agrees to beyond this payment: a subscription's terms, or a wallet saved for later purchases.</summary>
internal static partial class HostedCheckoutPages
{
    private static PageText? AgreementTerms(CheckoutSession session) => session.ChargePermissionType switch
    {
        ChargePermissionType.OneTime => null,
        ChargePermissionType.Recurring => PageText.Of("SubscriptionTerms", SubscriptionText(session.RecurringMetadata)),
        ChargePermissionType.PaymentMethodOnFile => PageText.Of(
            session.PaymentMethodOnFileMetadata?.SetupOnly == true ? "WalletSavedOnly" : "WalletSavedToo"),
    };

    /// <summary>"$14.00 every month", "a varying amount every 2 weeks", …: one resource per unit, for one and for several.</summary>
    private static PageText SubscriptionText(RecurringMetadata? terms)
    {
        object amount = terms?.Amount is { } fixedAmount ? fixedAmount : PageText.Of("VaryingAmount");
        return terms?.Frequency switch
        {
            null or { Unit: FrequencyUnit.Variable } => PageText.Of("AtVaryingIntervals", amount),
            { Value: 1 } frequency => PageText.Of($"Every{frequency.Unit}", amount),
            { } frequency => PageText.Of($"EveryN{frequency.Unit}s", amount, frequency.Value ?? 1),
        };
    }
}
