namespace Tillpoint.Server.Commands.Reports;

/// <summary>One payout to the merchant: a settlement day's net of one currency.</summary>
internal sealed record Disbursement(string SettlementId, string DisbursementReferenceId, Money Amount, DateTimeOffset TransactionTime);

/// <summary>
/// Get Disbursements. Tillpoint pays nothing out; its reading of a payout is one per UTC day and currency with captures
/// or refunds: the day's captures less its refunds, paid at the end of that day (the next day at 00:00Z). The rows are
/// the settlement report's, so a disbursement is the sum of that day's settlement report.
/// </summary>
internal static class Disbursements
{
    private const int MovementColumn = 2;
    private const int TimeColumn = 0;
    private const int AmountColumn = 8;
    private const int CurrencyColumn = 9;

    private static readonly TimeSpan Day = TimeSpan.FromDays(1);

    /// <summary>
    /// The disbursements whose payout time is in [<paramref name="startTime"/>, <paramref name="endTime"/>) and not after
    /// <paramref name="now"/>, in time order, then currency.
    /// </summary>
    public static IReadOnlyList<Disbursement> Between(
        ITillpointStore store, Owner owner, DateTimeOffset startTime, DateTimeOffset endTime, DateTimeOffset now)
    {
        var first = CeilingDay(startTime);
        var last = FloorDay(Min(endTime.AddTicks(-1), now));
        if (last < first)
        {
            return [];
        }

        var days = new SortedDictionary<(DateTimeOffset Day, Currency Currency), decimal>();
        ReportDocuments.Movements(store, new EventRange(owner.MerchantId, owner.Environment, first - Day, last), row =>
        {
            var sign = row[MovementColumn] switch
            {
                "Capture" => 1m,
                "Refund" => -1m,
                _ => 0m,
            };
            if (sign == 0m)
            {
                return;
            }

            var day = FloorDay(DateTimeOffset.Parse((string)row[TimeColumn]!, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal));
            var key = (day, Enum.Parse<Currency>((string)row[CurrencyColumn]!));
            days[key] = days.GetValueOrDefault(key) + (sign * decimal.Parse((string)row[AmountColumn]!, CultureInfo.InvariantCulture));
        });
        return
        [
            .. days.Select(entry => new Disbursement(
                $"{entry.Key.Day:yyyyMMdd}{(int)entry.Key.Currency:D3}",
                $"TILLPOINT-{entry.Key.Day:yyyyMMdd}-{entry.Key.Currency}",
                new Money(entry.Value, entry.Key.Currency),
                entry.Key.Day + Day)),
        ];
    }

    private static DateTimeOffset FloorDay(DateTimeOffset at) => new(at.UtcDateTime.Date, TimeSpan.Zero);

    private static DateTimeOffset CeilingDay(DateTimeOffset at) => FloorDay(at) == at ? at : FloorDay(at) + Day;

    private static DateTimeOffset Min(DateTimeOffset a, DateTimeOffset b) => a < b ? a : b;
}
