using Tillpoint.Domain;
using Tillpoint.Domain.Regions;

namespace Tillpoint.Storage.Tests;

public abstract class MerchantAndKeyTests : IDisposable
{
    private const string Pem = "-----BEGIN PUBLIC KEY-----\nMIIB\n-----END PUBLIC KEY-----\n";

    private readonly StoreHarness _harness;
    private readonly ITillpointStore _store;

    protected MerchantAndKeyTests(StoreHarness harness)
    {
        _harness = harness;
        _store = harness.Open();
    }

    public void Dispose()
    {
        _store.Dispose();
        _harness.Dispose();
        GC.SuppressFinalize(this);
    }

    private static PublicKeyRecord Key(string id, string merchantId, ReleaseEnvironment? environment, int minute) =>
        new(id, merchantId, environment, Pem, Times.T0.AddMinutes(minute), null);

    private Task<T> Write<T>(Func<IWriteSession, T> command) => _store.WriteAsync(command);

    [SkippableFact]
    public async Task AddMerchant_ThenGetAndList_ReturnIt()
    {
        await Write(w =>
        {
            w.AddMerchant(Objects.Merchant("M2", minute: 2));
            w.AddMerchant(Objects.Merchant("M1", minute: 1));
            return 0;
        });

        Assert.Equal(Objects.Merchant("M1", minute: 1), _store.Read(r => r.GetMerchant("M1")));
        Assert.Null(_store.Read(r => r.GetMerchant("M3")));
        Assert.Equal(["M1", "M2"], _store.Read(r => r.ListMerchants()).Select(m => m.MerchantId));
    }

    [SkippableFact]
    public async Task AddMerchant_KeepsItsRegion()
    {
        await Write(w =>
        {
            w.AddMerchant(new Merchant("M1", "store-1", "Eins", Times.T0, Region.EU));
            w.AddMerchant(new Merchant("M2", "store-2", "Ichi", Times.T0, Region.JP));
            w.AddMerchant(new Merchant("M3", "store-3", "One", Times.T0));
            return 0;
        });

        Assert.Equal(Region.EU, _store.Read(r => r.GetMerchant("M1"))?.Region);
        Assert.Equal([Region.EU, Region.JP, Region.NA], _store.Read(r => r.ListMerchants()).Select(m => m.Region));
    }

    [SkippableFact]
    public async Task AddMerchant_DuplicateStoreId_FailsAndKeepsTheFirst()
    {
        await Write(w =>
        {
            w.AddMerchant(new Merchant("M1", "store-1", "One", Times.T0));
            return 0;
        });

        await Assert.ThrowsAnyAsync<Exception>(() => Write(w =>
        {
            w.AddMerchant(new Merchant("M2", "store-1", "Two", Times.T0));
            return 0;
        }));

        Assert.Equal("M1", Assert.Single(_store.Read(r => r.ListMerchants())).MerchantId);
    }

    [SkippableFact]
    public async Task AddPublicKey_ThenGetAndList_ReturnIt()
    {
        await Write(w =>
        {
            w.AddMerchant(Objects.Merchant("M1"));
            w.AddMerchant(Objects.Merchant("M2"));
            w.AddPublicKey(Key("K2", "M1", ReleaseEnvironment.Live, 2));
            w.AddPublicKey(Key("K1", "M1", null, 1));
            w.AddPublicKey(Key("K3", "M2", ReleaseEnvironment.Sandbox, 3));
            return 0;
        });

        Assert.Equal(Key("K1", "M1", null, 1), _store.Read(r => r.GetPublicKey("K1")));
        Assert.Equal(ReleaseEnvironment.Live, _store.Read(r => r.GetPublicKey("K2"))!.Environment);
        Assert.Null(_store.Read(r => r.GetPublicKey("K9")));
        Assert.Equal(["K1", "K2"], _store.Read(r => r.ListPublicKeys("M1")).Select(k => k.PublicKeyId));
        Assert.Equal(["K1", "K2", "K3"], _store.Read(r => r.ListPublicKeys(null)).Select(k => k.PublicKeyId));
        Assert.Empty(_store.Read(r => r.ListPublicKeys("M9")));
    }

    [SkippableFact]
    public async Task AddPublicKey_ForAnUnknownMerchant_Fails()
    {
        await Assert.ThrowsAnyAsync<Exception>(() => Write(w =>
        {
            w.AddPublicKey(Key("K1", "nobody", null, 0));
            return 0;
        }));

        Assert.Null(_store.Read(r => r.GetPublicKey("K1")));
    }

    [SkippableFact]
    public async Task RevokePublicKey_Once_SetsRevokedAt_Twice_ReturnsFalse()
    {
        await Write(w =>
        {
            w.AddMerchant(Objects.Merchant("M1"));
            w.AddPublicKey(Key("K1", "M1", null, 0));
            return 0;
        });
        var at = Times.T0.AddDays(1);

        var first = await Write(w => w.RevokePublicKey("K1", at));
        var second = await Write(w => w.RevokePublicKey("K1", at.AddDays(1)));

        Assert.True(first);
        Assert.False(second);
        var key = _store.Read(r => r.GetPublicKey("K1"))!;
        Assert.Equal(at, key.RevokedAt);
        Assert.Equal(Pem, key.PublicKeyPem);
        Assert.Single(_store.Read(r => r.ListPublicKeys("M1")));
    }

    [SkippableFact]
    public async Task RevokePublicKey_Unknown_ReturnsFalse()
    {
        Assert.False(await Write(w => w.RevokePublicKey("K-missing", Times.T0)));
    }
}

public sealed class SqliteMerchantAndKeyTests() : MerchantAndKeyTests(new SqliteHarness());

public sealed class PostgresMerchantAndKeyTests(PostgresDatabaseFixture database) : MerchantAndKeyTests(new PostgresHarness(database)), IClassFixture<PostgresDatabaseFixture>;
