using System.Globalization;
using System.Text;
using Tillpoint.Domain;
using Tillpoint.Domain.Reports;
using Tillpoint.Server.Commands.Reports;
using Tillpoint.Server.Tests.Support;

namespace Tillpoint.Server.Tests.Api.Reports;

/// <summary>
/// For random ledger histories (seeded, so a failure replays): a settlement report's totals per movement and currency
/// equal those of the ledger's events in the report's period, at its edges, across pages of the export reader.
/// </summary>
public sealed class ReportTotalsPropertyTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Origin = new(2026, 10, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly Currency[] Currencies = [Currency.USD, Currency.EUR];

    private TillpointHost _host = null!;

    public async Task InitializeAsync() => _host = await TillpointHost.StartAsync();

    public async Task DisposeAsync() => await _host.DisposeAsync();

    public static TheoryData<int, int> Histories()
    {
        var data = new TheoryData<int, int>();
        for (var seed = 1; seed <= 40; seed++)
        {
            data.Add(seed, 1 + (seed * 7 % 60));
        }

        // Longer than a page of the export reader (1000 events).
        data.Add(41, 2600);
        return data;
    }

    [Theory]
    [MemberData(nameof(Histories))]
    public async Task ReportTotals_EqualTheLedgersTotalsForItsPeriod(int seed, int eventCount)
    {
        var random = new Random(seed);
        var merchantId = $"PROPERTY{seed:D6}";
        var events = Enumerable.Range(0, eventCount).Select(i => RandomEvent(random, i)).OrderBy(e => e.At).ToList();
        await _host.Store.WriteAsync(session =>
        {
            session.Append(merchantId, ReleaseEnvironment.Sandbox, events);
            return 0;
        });

        // Periods that cut the history anywhere, edges included: an event exactly at the start counts, one at the end not.
        for (var round = 0; round < 5; round++)
        {
            var start = round == 0 ? events[0].At : Origin.AddMinutes(random.Next(0, 60 * 24 * 20));
            var end = round == 0 ? events[^1].At : start.AddMinutes(random.Next(1, 60 * 24 * 20));
            var report = Report.Request(
                "1" + seed.ToString("D10", CultureInfo.InvariantCulture), merchantId, ReleaseEnvironment.Sandbox, ReportTypes.SandboxSettlement,
                start, end, end, TimeSpan.Zero, SandboxReportTypes.Every).Value!;

            var (document, rows) = ReportDocuments.Build(_host.Store, report);

            var expected = LedgerTotals(events.Where(e => e.At >= start && e.At < end));
            var actual = ReportTotals(Encoding.UTF8.GetString(document));
            Assert.Equal(expected.OrderBy(t => t.Key), actual.OrderBy(t => t.Key));
            Assert.Equal(expected.Values.Sum(t => t.Count), rows);
        }
    }

    /// <summary>One change of a random kind: money moving or not, in one of two currencies, at a millisecond within 20 days.</summary>
    private static DomainEvent RandomEvent(Random random, int index)
    {
        var at = Origin.AddMilliseconds(random.NextInt64(0, 20L * 24 * 3600 * 1000));
        var amount = new Money(random.Next(1, 100_000) / 100m, Currencies[random.Next(Currencies.Length)]);
        var permission = $"S01-{random.Next(1000000, 9999999)}-{index:D7}";
        return random.Next(8) switch
        {
            0 => new DomainEvent(ObjectType.Charge, permission + "-C000001", permission, "AuthorizationInitiated", "Authorized", null, amount, at),
            1 => new DomainEvent(ObjectType.Charge, permission + "-C000001", permission, "Authorized", "Captured", null, amount, at),
            2 => new DomainEvent(ObjectType.Charge, permission + "-C000001", permission, "AuthorizationInitiated", "Captured", null, amount, at),
            3 => new DomainEvent(ObjectType.Refund, permission + "-R000001", permission, "RefundInitiated", "Refunded", null, amount, at),
            4 => new DomainEvent(ObjectType.Refund, permission + "-R000001", permission, "RefundInitiated", "Declined", "AmazonRejected", amount, at),
            5 => new DomainEvent(ObjectType.Charge, permission + "-C000001", permission, "Authorized", "Canceled", "MerchantCanceled", amount, at),
            6 => new DomainEvent(ObjectType.ChargePermission, permission, permission, "Chargeable", "Closed", "MerchantClosed", null, at),
            _ => new DomainEvent(ObjectType.CheckoutSession, Guid.NewGuid().ToString("D"), null, "Open", "Completed", null, amount, at),
        };
    }

    /// <summary>What the ledger says moved: authorizations, captures (a capture straight from initiation is both) and refunds.</summary>
    private static Dictionary<(string Movement, string Currency), (decimal Sum, long Count)> LedgerTotals(IEnumerable<DomainEvent> events)
    {
        var totals = new Dictionary<(string, string), (decimal, long)>();
        foreach (var e in events)
        {
            string[] movements = (e.ObjectType, e.FromState, e.ToState) switch
            {
                (ObjectType.Charge, _, "Authorized") => ["Authorization"],
                (ObjectType.Charge, "AuthorizationInitiated", "Captured") => ["Authorization", "Capture"],
                (ObjectType.Charge, _, "Captured") => ["Capture"],
                (ObjectType.Refund, _, "Refunded") => ["Refund"],
                _ => [],
            };
            foreach (var movement in movements)
            {
                var key = (movement, e.Amount!.Value.Currency.ToString());
                var (sum, count) = totals.GetValueOrDefault(key);
                totals[key] = (sum + e.Amount.Value.Amount, count + 1);
            }
        }

        return totals;
    }

    /// <summary>The report's own totals, read from its CSV as a merchant's script would.</summary>
    private static Dictionary<(string Movement, string Currency), (decimal Sum, long Count)> ReportTotals(string csv)
    {
        var lines = csv.Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        var header = lines[0].Split(',');
        int type = Array.IndexOf(header, "TransactionType"), amount = Array.IndexOf(header, "TransactionAmount"), currency = Array.IndexOf(header, "CurrencyCode");
        var totals = new Dictionary<(string, string), (decimal, long)>();
        foreach (var fields in lines.Skip(1).Select(line => line.Split(',')))
        {
            var key = (fields[type], fields[currency]);
            var (sum, count) = totals.GetValueOrDefault(key);
            totals[key] = (sum + decimal.Parse(fields[amount], CultureInfo.InvariantCulture), count + 1);
        }

        return totals;
    }
}
