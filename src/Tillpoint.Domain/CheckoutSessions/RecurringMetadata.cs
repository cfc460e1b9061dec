namespace Tillpoint.Domain.CheckoutSessions;

/// <summary>How often a Recurring permission is charged. Each name is the unit on the wire and in stored documents.</summary>
public enum FrequencyUnit
{
    Year,
    Month,
    Week,
    Day,
    Variable,
}

/// <summary>Every <paramref name="Value"/> <paramref name="Unit"/>s; a Variable frequency may leave the value out.</summary>
public sealed record Frequency(FrequencyUnit Unit, int? Value);

/// <summary>
/// A subscription's terms: Amazon uses them only for the buyer's information and the permission's expiry, and the
/// merchant still calls Create Charge each cycle. A variable-amount subscription has no amount.
/// </summary>
public sealed record RecurringMetadata(Frequency Frequency, Money? Amount)
{
    public DomainError? Validate(string prefix, Limits limits)
    {
        if (Frequency.Value is null && Frequency.Unit != FrequencyUnit.Variable)
        {
            return DomainError.Missing($"{prefix}.frequency.value");
        }

        if (Frequency.Value is { } value && (value < 1 || value > limits.RecurringFrequencyValueMax))
        {
            return DomainError.InvalidValue(
                $"{prefix}.frequency.value", $"it must be a whole number from 1 to {limits.RecurringFrequencyValueMax}.");
        }

        return Amounts.Validate($"{prefix}.amount", Amount, limits);
    }
}

/// <summary>A saved wallet's setup: with <paramref name="SetupOnly"/> the buyer saves the wallet and pays nothing now.</summary>
public sealed record PaymentMethodOnFileMetadata(bool SetupOnly);

/// <summary>The rules that tie a session's charge permission type to its metadata and its payment details.</summary>
public static class ChargePermissionTypeRules
{
    public static DomainError? Validate(
        ChargePermissionType type,
        RecurringMetadata? recurring,
        PaymentMethodOnFileMetadata? paymentMethodOnFile,
        PaymentDetails payment,
        Limits limits)
    {
        if (recurring is not null && type != ChargePermissionType.Recurring)
        {
            return new DomainError(
                ErrorCode.InvalidParameterCombination, "recurringMetadata can only be set with chargePermissionType Recurring.");
        }

        if (paymentMethodOnFile is not null && type != ChargePermissionType.PaymentMethodOnFile)
        {
            return new DomainError(
                ErrorCode.InvalidParameterCombination,
                "paymentMethodOnFileMetadata can only be set with chargePermissionType PaymentMethodOnFile.");
        }

        if (recurring?.Validate("recurringMetadata", limits) is { } invalid)
        {
            return invalid;
        }

        if (paymentMethodOnFile is { SetupOnly: true } && payment.PaymentIntent is not null and not PaymentIntent.Confirm)
        {
            return new DomainError(
                ErrorCode.InvalidParameterCombination,
                "paymentMethodOnFileMetadata.setupOnly true saves the wallet without a payment: paymentIntent must be Confirm.");
        }

        if (recurring?.Amount is { } subscription && payment.ChargeAmount is { } charge && subscription.Currency != charge.Currency)
        {
            return DomainError.CurrencyMismatch(charge.Currency, subscription.Currency);
        }

        // A first period charged at checkout counts towards the month's cap like any later charge.
        if (payment is { ChargeAmount: { } first, PaymentIntent: not null and not PaymentIntent.Confirm }
            && limits.MonthlyCap(type, first.Currency) is { } cap && first > cap)
        {
            return DomainError.InvalidValue(
                "paymentDetails.chargeAmount", $"it exceeds the {type} Charge Permission's monthly limit of {cap}.");
        }

        return null;
    }
}
