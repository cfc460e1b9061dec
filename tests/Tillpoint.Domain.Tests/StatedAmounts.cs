using System.Globalization;
using System.Text.RegularExpressions;

namespace Tillpoint.Domain.Tests;

/// <summary>
/// The amounts a refusal message states, in order ("14.00 USD", "1000 JPY"). Tests assert these rather than the whole
/// text, so a wrong remaining amount fails while a rewording does not.
/// </summary>
internal static partial class StatedAmounts
{
    public static IReadOnlyList<Money> In(DomainError? error)
    {
        Assert.NotNull(error);
        return [.. AmountText().Matches(error.Message).Select(m => new Money(
            decimal.Parse(m.Groups[1].Value, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture),
            Enum.Parse<Currency>(m.Groups[2].Value)))];
    }

    [GeneratedRegex(@"(\d+(?:\.\d+)?) ([A-Z]{3})\b")]
    private static partial Regex AmountText();
}
