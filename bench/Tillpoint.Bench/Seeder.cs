using System.Diagnostics;
using System.Globalization;
using Tillpoint.Domain;
using Tillpoint.Domain.ChargePermissions;
using Tillpoint.Domain.Charges;
using Tillpoint.Storage;

namespace Tillpoint.Bench;

/// <summary>
/// Writes Authorized charges (each with its own Chargeable charge permission, as after a one-time checkout) straight
/// through the storage layer, many per store write, instead of driving checkouts over HTTP. No checkout sessions or
/// events are written: neither Get Charge nor Capture Charge reads them.
/// </summary>
internal sealed class Seeder : IDisposable
{
    public const string SoftDescriptor = "Bench";
    public const string MerchantReferenceId = "bench-order-000000";
    public const string MerchantStoreName = "Tillpoint bench store";
    public const string NoteToBuyer = "Thank you for your order";

    private const int ChargesPerWrite = 5000;

    private readonly ITillpointStore _store;
    private readonly string _merchantId;
    private readonly string _storeId;
    private int _series;

    public Seeder(string dataDirectory, string merchantId, string storeId)
        : this(new StoreOptions { DataDirectory = dataDirectory }, merchantId, storeId)
    {
    }

    /// <summary>Seeds the store <paramref name="store"/> names, SQLite or PostgreSQL.</summary>
    public Seeder(StoreOptions store, string merchantId, string storeId)
    {
        _store = TillpointStores.Open(store);
        _merchantId = merchantId;
        _storeId = storeId;
        // Series numbers only grow, so ids sort in insertion order and every insert appends to the B-trees. One seeder
        // per data folder: a second one would start the series again.
        _series = 1_000_000;
    }

    /// <summary>
    /// Stores <paramref name="count"/> Authorized charges of 10.00 USD, authorized now, and returns their ids
    /// (<c>S01-{series}-{index}-C000001</c>, the API's formats).
    /// </summary>
    public async Task<ChargeIds> SeedAsync(int count, Action<int>? progress = null)
    {
        var series = ++_series;
        var now = TimeProvider.System.GetUtcNow();
        var amount = new Money(10.00m, Currency.USD);
        var permissionTemplate = new ChargePermission
        {
            ChargePermissionId = string.Empty,
            MerchantId = _merchantId,
            Environment = ReleaseEnvironment.Sandbox,
            CheckoutSessionId = string.Empty,
            StoreId = _storeId,
            Buyer = new BuyerDetails("amzn1.account.BENCHBUYER0000000000000000", "Bench Buyer", "buyer@example.com", null),
            ShippingAddress = new Address(
                "Bench Buyer", "1 Main Street", null, null, "Seattle", null, null, "WA", "98101", "US", "800-000-0000"),
            PaymentDescriptor = "Visa ****1111 (Amazon Pay)",
            InstrumentId = "bench-instrument",
            LastUpdatedTimestamp = now,
            CreationTimestamp = now,
            ExpirationTimestamp = now + Limits.Default.ChargePermissionLifetime,
            MerchantMetadata = new MerchantMetadata(MerchantReferenceId, MerchantStoreName, NoteToBuyer, null),
            PresentmentCurrency = Currency.USD,
            AmountLimit = amount + Limits.Default.OverCaptureAllowance(amount),
        };
        // Made the way Complete Checkout Session makes an authorization, so seeded charges are real ones.
        var chargeTemplate = Charge.Authorize(
            permissionTemplate,
            string.Empty,
            new ChargeRequest(amount, CaptureNow: false, SoftDescriptor, CanHandlePendingAuthorization: false),
            AuthorizationOutcome.Approved,
            now,
            Limits.Default).Value;

        var ids = new ChargeIds(series, count);
        // Two writes in flight: the next batch is built while the store's writer commits the previous one.
        Task? pending = null;
        for (var start = 0; start < count; start += ChargesPerWrite)
        {
            var end = Math.Min(count, start + ChargesPerWrite);
            var batch = new (ChargePermission Permission, Charge Charge)[end - start];
            for (var i = start; i < end; i++)
            {
                var permissionId = ids.ChargePermissionId(i);
                batch[i - start] = (
                    permissionTemplate with { ChargePermissionId = permissionId, CheckoutSessionId = ids.CheckoutSessionId(i) },
                    chargeTemplate with { ChargeId = ids.ChargeId(i), ChargePermissionId = permissionId });
            }

            var write = _store.WriteAsync(session =>
            {
                foreach (var (permission, charge) in batch)
                {
                    session.Save(permission);
                    session.Save(charge);
                }

                return true;
            });
            if (pending is not null)
            {
                await pending;
                progress?.Invoke(start);
            }

            pending = write;
        }

        if (pending is not null)
        {
            await pending;
        }

        progress?.Invoke(count);
        return ids;
    }

    public void Dispose() => _store.Dispose();

    /// <summary>Seeds with a progress line on standard error every ~10 %; returns the ids and the rate.</summary>
    public async Task<(ChargeIds Ids, double ChargesPerSecond)> SeedWithProgressAsync(int count, string what)
    {
        var started = Stopwatch.GetTimestamp();
        var step = Math.Max(ChargesPerWrite, count / 10 / ChargesPerWrite * ChargesPerWrite);
        var nextReport = step;
        var ids = await SeedAsync(count, done =>
        {
            if (done >= nextReport || done == count)
            {
                var seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
                Console.Error.WriteLine(
                    $"  seeded {done:N0} / {count:N0} {what} ({done / Math.Max(seconds, 0.001):N0} charges/s)");
                nextReport = done + step;
            }
        });
        return (ids, count / Math.Max(Stopwatch.GetElapsedTime(started).TotalSeconds, 0.001));
    }
}

/// <summary>The ids of one seeded series, computed from the index rather than held in memory.</summary>
internal sealed record ChargeIds(int Series, int Count)
{
    public string ChargePermissionId(int index) =>
        string.Create(CultureInfo.InvariantCulture, $"S01-{Series:D7}-{index:D7}");

    public string ChargeId(int index) => ChargePermissionId(index) + "-C000001";

    public string CheckoutSessionId(int index) =>
        string.Create(CultureInfo.InvariantCulture, $"00000000-0000-4000-8000-{Series % 1_000_000:D6}{index % 1_000_000:D6}");
}
