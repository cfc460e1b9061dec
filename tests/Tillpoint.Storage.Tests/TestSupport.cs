using Microsoft.Data.Sqlite;
using Tillpoint.Domain;
using Tillpoint.Domain.Buyers;
using Tillpoint.Domain.ChargePermissions;
using Tillpoint.Domain.Charges;
using Tillpoint.Domain.CheckoutSessions;
using Tillpoint.Domain.Disputes;
using Tillpoint.Domain.Refunds;
using Tillpoint.Storage.Postgres;
using Tillpoint.Storage.Sqlite;

namespace Tillpoint.Storage.Tests;

/// <summary>
/// The store a contract test runs against, with data of its own: every test gets an empty store. Tests open stores
/// through it (several at once, or again after closing one, as nodes and restarts do) and look at the tables with plain
/// SQL that both dialects accept.
/// </summary>
public abstract class StoreHarness : IDisposable
{
    public abstract StoreOptions Options { get; }

    /// <summary>The schema version a new store is migrated to.</summary>
    public abstract int LatestVersion { get; }

    /// <summary>Opens a store on this test's data; each call is another store (another node) on the same data.</summary>
    public ITillpointStore Open(StoreOptions? options = null) => TillpointStores.Open(options ?? Options);

    /// <summary>Runs a scalar query on a connection of its own, outside the store.</summary>
    public abstract long Scalar(string sql);

    /// <summary>SQL giving a time column as Unix milliseconds.</summary>
    public abstract string UnixMilliseconds(string column);

    public abstract void Dispose();
}

/// <summary>A fresh folder per test, deleted afterwards.</summary>
internal sealed class SqliteHarness : StoreHarness
{
    private readonly TempDirectory _dir = new();

    public override StoreOptions Options => _dir.Options;

    public override int LatestVersion => SqliteSchema.LatestVersion;

    public override long Scalar(string sql) => _dir.Scalar(sql);

    public override string UnixMilliseconds(string column) => column;

    public override void Dispose() => _dir.Dispose();
}

/// <summary>A fresh schema per test, in a database of the test class's own.</summary>
internal sealed class PostgresHarness : StoreHarness
{
    private readonly TestDatabase _database;
    private readonly string _connectionString;

    public PostgresHarness(PostgresDatabaseFixture fixture)
    {
        _database = fixture.Database;
        _connectionString = _database.CreateSchema();
    }

    public override StoreOptions Options => new() { Kind = StoreKind.Postgres, ConnectionString = _connectionString };

    public override int LatestVersion => PostgresSchema.LatestVersion;

    public override long Scalar(string sql) => TestDatabase.Scalar(_connectionString, sql);

    public override string UnixMilliseconds(string column) => $"(extract(epoch FROM {column}) * 1000)::bigint";

    public override void Dispose()
    {
        // Stores were disposed by the test; the schema goes with the database anyway, this just keeps it small.
        _database.DropSchema(_connectionString);
    }
}

/// <summary>
/// One database per PostgreSQL test class, created on the first test (which is skipped, or failed in CI, when there is
/// no PostgreSQL) and dropped after the last.
/// </summary>
public sealed class PostgresDatabaseFixture : IDisposable
{
    private readonly Lock _gate = new();
    private TestDatabase? _database;

    internal TestDatabase Database
    {
        get
        {
            lock (_gate)
            {
                return _database ??= TestPostgres.CreateDatabase();
            }
        }
    }

    public void Dispose() => _database?.Dispose();
}

/// <summary>A fresh folder per test, deleted afterwards.</summary>
internal sealed class TempDirectory : IDisposable
{
    public TempDirectory() => Path = Directory.CreateTempSubdirectory("tillpoint-storage-tests-").FullName;

    public string Path { get; }

    public StoreOptions Options => new() { DataDirectory = Path };

    public SqliteStore Open(StoreOptions? options = null) => SqliteStore.Open(options ?? Options);

    /// <summary>Runs a scalar query on a connection of its own, outside the store.</summary>
    public long Scalar(string sql)
    {
        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder
        {
            DataSource = Options.DatabasePath,
            Mode = SqliteOpenMode.ReadOnly,
            Pooling = false,
        }.ToString());
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return Convert.ToInt64(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp folder is harmless; the test outcome is what matters.
        }
    }
}

internal static class Times
{
    public static readonly DateTimeOffset T0 = new(2025, 3, 1, 12, 0, 0, TimeSpan.Zero);
}

internal static class Objects
{
    public const string MerchantA = "MERCHANT-A";
    public const string MerchantB = "MERCHANT-B";

    public static Money Usd(decimal amount) => new(amount, Currency.USD);

    public static CheckoutSession Session(string id, string merchantId = MerchantA, ReleaseEnvironment environment = ReleaseEnvironment.Sandbox) => new()
    {
        CheckoutSessionId = id,
        MerchantId = merchantId,
        Environment = environment,
        StoreId = "amzn1.application-oa2-client." + merchantId,
        WebCheckoutDetails = new WebCheckoutDetails("https://shop.example/review", null, null, null),
        PaymentDetails = PaymentDetails.Empty,
        LastUpdatedTimestamp = Times.T0,
        CreationTimestamp = Times.T0,
        ExpirationTimestamp = Times.T0.AddHours(24),
    };

    /// <summary>A session with every optional part filled, to check that the stored document keeps everything.</summary>
    public static CheckoutSession RichSession(string id)
    {
        var jane = SandboxBuyers.All[0];
        var instrument = jane.Instruments.First(i => i.Behavior == InstrumentBehavior.PendingThenAuthorized);
        return Session(id) with
        {
            WebCheckoutDetails = new WebCheckoutDetails(null, "https://shop.example/result", "https://shop.example/cancel", CheckoutMode.ProcessOrder),
            ProductType = ProductType.PayAndShip,
            PaymentDetails = new PaymentDetails(
                PaymentIntent.Authorize, true, Usd(14.00m), Usd(20.50m), null, Currency.USD, true, false),
            MerchantMetadata = new MerchantMetadata("order-1", "Shop", "Thanks!", "{\"x\":1}"),
            Scopes = ["name", "email", "shippingAddress"],
            PlatformId = "SPID",
            ProviderReferenceId = "provider-1",
            SupplementaryData = "supplementary",
            DeliverySpecifications = new DeliverySpecifications(
                [SpecialRestriction.RestrictPOBoxes],
                AddressRestrictionType.Allowed,
                new Dictionary<string, AddressRestriction> { ["US"] = new(["WA", "OR"], ["98109"]) }),
            AddressDetails = jane.Addresses[1],
            Selection = new BuyerSelection(
                new BuyerDetails(jane.BuyerId, jane.Name, jane.Email, jane.PhoneNumber),
                jane.Addresses[0],
                jane.BillingAddress,
                instrument.InstrumentId,
                instrument.Descriptor,
                instrument.Behavior),
            Processed = true,
            LastUpdatedTimestamp = Times.T0.AddMinutes(5),
        };
    }

    public static ChargePermission Permission(string id, string merchantId = MerchantA, ReleaseEnvironment environment = ReleaseEnvironment.Sandbox) => new()
    {
        ChargePermissionId = id,
        MerchantId = merchantId,
        Environment = environment,
        CheckoutSessionId = "cs-" + id,
        StoreId = "amzn1.application-oa2-client." + merchantId,
        Buyer = new BuyerDetails("amzn1.account.BUYER", "Jane Doe", "jane@example.test", null),
        ShippingAddress = SandboxBuyers.All[0].Addresses[0],
        BillingAddress = SandboxBuyers.All[0].Addresses[0],
        PaymentDescriptor = "Visa ****1111",
        InstrumentId = "visa-1111",
        Reasons = [new ChargePermissionReason(ChargePermissionReasonCode.ChargeInProgress, "pending")],
        LastUpdatedTimestamp = Times.T0,
        CreationTimestamp = Times.T0,
        ExpirationTimestamp = Times.T0.AddDays(180),
        MerchantMetadata = new MerchantMetadata("order-1", null, null, null),
        PresentmentCurrency = Currency.USD,
        AmountLimit = Usd(16.10m),
    };

    public static Charge Charge(
        string id,
        string chargePermissionId,
        string merchantId = MerchantA,
        DateTimeOffset? createdAt = null,
        ReleaseEnvironment environment = ReleaseEnvironment.Sandbox) => new()
    {
        ChargeId = id,
        ChargePermissionId = chargePermissionId,
        MerchantId = merchantId,
        Environment = environment,
        ChargeAmount = Usd(14.00m),
        RefundedAmount = Usd(0m),
        State = ChargeState.Authorized,
        LastUpdatedTimestamp = createdAt ?? Times.T0,
        CreationTimestamp = createdAt ?? Times.T0,
        ExpirationTimestamp = (createdAt ?? Times.T0).AddDays(30),
        AuthorizedAt = createdAt ?? Times.T0,
    };

    /// <summary>A refund still pending: it settles 30 seconds after it was created.</summary>
    public static Refund Refund(
        string id,
        string chargeId,
        string chargePermissionId,
        string merchantId = MerchantA,
        DateTimeOffset? createdAt = null,
        ReleaseEnvironment environment = ReleaseEnvironment.Sandbox) => new()
    {
        RefundId = id,
        ChargeId = chargeId,
        ChargePermissionId = chargePermissionId,
        MerchantId = merchantId,
        Environment = environment,
        RefundAmount = Usd(5.00m),
        LastUpdatedTimestamp = createdAt ?? Times.T0,
        CreationTimestamp = createdAt ?? Times.T0,
        PendingUntil = (createdAt ?? Times.T0).AddSeconds(30),
    };

    /// <summary>An ActionRequired dispute of 5 USD, due at its deadline 11 days after it was filed.</summary>
    public static Dispute Dispute(
        string id,
        string chargeId,
        string chargePermissionId,
        string merchantId = MerchantA,
        DateTimeOffset? createdAt = null,
        ReleaseEnvironment environment = ReleaseEnvironment.Sandbox) => new()
    {
        DisputeId = id,
        ChargeId = chargeId,
        ChargePermissionId = chargePermissionId,
        MerchantId = merchantId,
        Environment = environment,
        DisputeAmount = Usd(5.00m),
        FilingReason = DisputeFilingReason.ProductNotReceived,
        MerchantResponseDeadline = (createdAt ?? Times.T0).AddDays(11),
        FilingTimestamp = (createdAt ?? Times.T0).AddHours(-1),
        LastUpdatedTimestamp = createdAt ?? Times.T0,
        CreationTimestamp = createdAt ?? Times.T0,
    };

    public static DomainEvent Event(string objectId, string? chargePermissionId, string? from, string to, Money? amount, int minute) =>
        new(ObjectType.Charge, objectId, chargePermissionId, from, to, null, amount, Times.T0.AddMinutes(minute));

    public static Merchant Merchant(string id, int minute = 0) => new(id, "amzn1.application-oa2-client." + id, "Shop " + id, Times.T0.AddMinutes(minute));
}
