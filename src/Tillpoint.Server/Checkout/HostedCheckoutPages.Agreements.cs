using Tillpoint.Domain.CheckoutSessions;

namespace Tillpoint.Server.Checkout;

/// <summary>What the buyer agrees to beyond this payment: a subscription's terms, or a wallet saved for later purchases.</summary>
internal static partial class HostedCheckoutPages
{
    private static string AgreementTerms(CheckoutSession session) => session.ChargePermissionType switch
    {
        ChargePermissionType.OneTime => string.Empty,
        ChargePermissionType.Recurring =>
            $"<p id=\"agreement-terms\">This is a subscription: {Html.Encode(SubscriptionText(session.RecurringMetadata))}, charged by the shop until you cancel it in your account.</p>",
        ChargePermissionType.PaymentMethodOnFile => session.PaymentMethodOnFileMetadata?.SetupOnly == true
            ? "<p id=\"agreement-terms\">Your payment method is saved for future purchases at this shop; nothing is charged now. You can remove it in your account.</p>"
            : "<p id=\"agreement-terms\">Your payment method is also saved for future purchases at this shop. You can remove it in your account.</p>",
    };

    private static string SubscriptionText(RecurringMetadata? terms)
    {
        var amount = terms?.Amount?.ToString() ?? "a varying amount";
        return terms?.Frequency switch
        {
            null or { Unit: FrequencyUnit.Variable } => $"{amount} at varying intervals",
            { Value: 1 } frequency => $"{amount} every {frequency.Unit.ToString().ToLowerInvariant()}",
            { } frequency => $"{amount} every {frequency.Value} {frequency.Unit.ToString().ToLowerInvariant()}s",
        };
    }
}
