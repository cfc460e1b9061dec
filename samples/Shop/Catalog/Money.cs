using System.Globalization;

namespace Tillpoint.Shop.Catalog;

/// <summary>Amounts as the API writes them and as buyers read them. Money is <see cref="decimal"/> throughout.</summary>
public static class Money
{
    /// <summary>The API's amount text: two decimals, invariant ("14.00").</summary>
    public static string ApiAmount(decimal amount) => amount.ToString("0.00", CultureInfo.InvariantCulture);

    /// <summary>For people: "$14.00" (USD) or "14.00 EUR".</summary>
    public static string Display(decimal amount, string currency) =>
        currency == "USD" ? "$" + ApiAmount(amount) : ApiAmount(amount) + " " + currency;

    /// <summary>Reads an amount the API sent; <see langword="null"/> or garbage reads as zero, since only display depends on it.</summary>
    public static decimal ParseApiAmount(string? amount) =>
        decimal.TryParse(amount, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var value) ? value : 0m;

    /// <summary>
    /// Reads an amount a person typed: digits with at most two decimals, more than zero. Returns
    /// <see langword="null"/> for anything else.
    /// </summary>
    public static decimal? ParseInput(string? text)
    {
        var trimmed = text?.Trim().TrimStart('$');
        if (string.IsNullOrEmpty(trimmed) || trimmed.Length > 12
            || !decimal.TryParse(trimmed, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var amount)
            || amount <= 0m || decimal.Round(amount, 2) != amount)
        {
            return null;
        }

        return amount;
    }
}
