using System.Globalization;

namespace Tillpoint.Domain;

/// <summary>The currencies Amazon Pay accepts (ledger: USD, EUR, GBP, JPY; the rest are presentment only).</summary>
public enum Currency
{
    USD,
    EUR,
    GBP,
    JPY,
    AUD,
    CHF,
    DKK,
    HKD,
    NOK,
    NZD,
    SEK,
    ZAR,
}

public static class Currencies
{
    /// <summary>Decimal places the API accepts: JPY none, every other supported currency two.</summary>
    public static int Scale(Currency currency) => currency == Currency.JPY ? 0 : 2;

    public static bool TryParse(string? code, out Currency currency)
    {
        currency = default;
        // Enum.TryParse also accepts numbers and other cases; the API takes exactly the upper-case ISO code. The letter
        // check and ignoreCase: false each suffice for case, so relaxing either one alone (All to Any, or true) changes nothing.
        if (code is null || code.Length != 3 || !code.All(char.IsAsciiLetterUpper))
        {
            return false;
        }

        // Three upper-case letters can only parse as a defined name, so no Enum.IsDefined check is needed.
        return Enum.TryParse(code, ignoreCase: false, out currency);
    }
}

/// <summary>An amount with its currency. Amounts are exact decimals; binary floating point never holds money.</summary>
public readonly record struct Money(decimal Amount, Currency Currency)
{
    public static Money Zero(Currency currency) => new(0m, currency);

    /// <summary>
    /// Parses the API's decimal text ("14.00", "100", or a JSON number's text). Refuses signs, exponents, separators
    /// and more fractional digits than the currency has, even zeros: "100.0" JPY is not an exact JPY amount.
    /// </summary>
    public static bool TryParse(string? text, Currency currency, out Money money)
    {
        money = default;
        if (string.IsNullOrEmpty(text) || text.Length > 32)
        {
            return false;
        }

        // A text starting with the point is refused whichever side of it the index test puts it on (< 0 or <= 0), and
        // decimal.TryParse below refuses any non-digit the All checks let through as Any: those mutants are equivalent.
        var dot = text.IndexOf('.', StringComparison.Ordinal);
        var integerPart = dot < 0 ? text : text[..dot];
        var fractionPart = dot < 0 ? string.Empty : text[(dot + 1)..];
        if (integerPart.Length == 0 || !integerPart.All(char.IsAsciiDigit))
        {
            return false;
        }

        if (dot >= 0 && (fractionPart.Length == 0 || !fractionPart.All(char.IsAsciiDigit)))
        {
            return false;
        }

        if (fractionPart.Length > Currencies.Scale(currency))
        {
            return false;
        }

        if (!decimal.TryParse(text, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var amount))
        {
            return false;
        }

        money = new Money(amount, currency);
        return true;
    }

    public bool IsPositive => Amount > 0m;

    public static Money operator +(Money a, Money b) => new(a.Amount + Same(a, b).Amount, a.Currency);

    public static Money operator -(Money a, Money b) => new(a.Amount - Same(a, b).Amount, a.Currency);

    public static bool operator >(Money a, Money b) => a.Amount > Same(a, b).Amount;

    public static bool operator <(Money a, Money b) => a.Amount < Same(a, b).Amount;

    public static bool operator >=(Money a, Money b) => a.Amount >= Same(a, b).Amount;

    public static bool operator <=(Money a, Money b) => a.Amount <= Same(a, b).Amount;

    // Equal amounts may differ in trailing zeros only, which Money's equality ignores: `<` here would do the same.
    public static Money Min(Money a, Money b) => a <= b ? a : b;

    /// <summary>Rounds down to the currency's scale, so an allowance never grants more than the rule says.</summary>
    public Money Truncated()
    {
        var factor = Currencies.Scale(Currency) == 0 ? 1m : 100m;
        return new Money(decimal.Floor(Amount * factor) / factor, Currency);
    }

    /// <summary>The API's text form: exactly the currency's scale ("14.00", "100").</summary>
    public string ToAmountString() =>
        Amount.ToString(Currencies.Scale(Currency) == 0 ? "0" : "0.00", CultureInfo.InvariantCulture);

    public override string ToString() => $"{ToAmountString()} {Currency}";

    private static Money Same(Money a, Money b)
    {
        // Mixing currencies is a programming error: every caller checks CurrencyMismatch first.
        if (a.Currency != b.Currency)
        {
            throw new InvalidOperationException($"Currency mismatch: {a.Currency} and {b.Currency}.");
        }

        return b;
    }
}
