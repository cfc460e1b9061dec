using System.Text.Json.Nodes;
using Tillpoint.Domain;
using Tillpoint.Domain.MerchantAccounts;

namespace Tillpoint.Storage.Tests;

public abstract class MerchantAccountStoreTests : IDisposable
{
    private readonly StoreHarness _harness;
    private readonly ITillpointStore _store;

    protected MerchantAccountStoreTests(StoreHarness harness)
    {
        _harness = harness;
        _store = harness.Open();
        _store.WriteAsync(w =>
        {
            foreach (var id in new[] { Objects.MerchantA, Objects.MerchantB, "SUB-1", "SUB-2", "SUB-3" })
            {
                w.AddMerchant(Objects.Merchant(id));
            }

            return 0;
        }).GetAwaiter().GetResult();
    }

    public void Dispose()
    {
        _store.Dispose();
        _harness.Dispose();
        GC.SuppressFinalize(this);
    }

    internal static MerchantAccount Account(
        string id = "SUB-1",
        string createdBy = Objects.MerchantA,
        string reference = "REF-1",
        ReleaseEnvironment environment = ReleaseEnvironment.Sandbox,
        int minute = 0) => new()
    {
        MerchantAccountId = id,
        CreatedBy = createdBy,
        Environment = environment,
        Kind = MerchantAccountKind.MerchantAccount,
        UniqueReferenceId = reference,
        LedgerCurrency = Currency.JPY,
        LegalEntity = new LegalEntity("CORPORATE", "Rufus Holdings", "JP"),
        BusinessDisplayName = "Rufus's Cafe",
        Email = "rufus@abc.com",
        Details = """{"businessInfo":{"businessCategory":"Beauty"},"stores":[{"storeName":"香取市"}]}""",
        AuthorizationTokenHash = "0f",
        CreatedAt = Times.T0.AddMinutes(minute),
        UpdatedAt = Times.T0.AddMinutes(minute),
    };

    /// <summary>Two stores, every field of the first set, none of the optional ones of the second.</summary>
    internal static IReadOnlyList<MerchantAccountStore> Stores() =>
    [
        new("amzn1.application-oa2-client.0123456789abcdef0123456789abcdef", "香取市 Cafe", ["https://rufus.example", "https://tea.rufus.example:8443"],
            ["https://rufus.example/review"], "http://rufus.example/privacy", "https://rufus.example/logo.png", Times.T0.AddMinutes(5), Times.T0.AddMinutes(6)),
        new("amzn1.application-oa2-client.fedcba9876543210fedcba9876543210", "Rufus 2", ["https://two.rufus.example"], [], null, null, Times.T0.AddMinutes(7), Times.T0.AddMinutes(7)),
    ];

    private Task<MerchantAccount> SaveAsync(MerchantAccount account) => _store.WriteAsync(w => w.Save(account));

    [SkippableFact]
    public async Task Save_WithStores_ReadsBackEveryStoreField_AndFindsTheStoreByItsMerchant()
    {
        var saved = await SaveAsync(Account() with { Stores = Stores() });

        var read = _store.Read(r => r.FindMerchantAccount("SUB-1"))!;
        Assert.Equal(2, read.Stores.Count);
        foreach (var (expected, actual) in saved.Stores.Zip(read.Stores))
        {
            Assert.Equal(expected with { AllowedOriginDomains = actual.AllowedOriginDomains, AllowedRedirectUrls = actual.AllowedRedirectUrls }, actual);
            Assert.Equal(expected.AllowedOriginDomains, actual.AllowedOriginDomains);
            Assert.Equal(expected.AllowedRedirectUrls, actual.AllowedRedirectUrls);
        }

        Assert.True(read.HasStore("amzn1.application-oa2-client.fedcba9876543210fedcba9876543210"));
        await SaveAsync(read with { Stores = [read.Stores[1]], UpdatedAt = Times.T0.AddHours(1) });
        var updated = _store.Read(r => r.GetMerchantAccount(Objects.MerchantA, "SUB-1"))!;
        Assert.Equal(["amzn1.application-oa2-client.fedcba9876543210fedcba9876543210"], updated.Stores.Select(s => s.StoreId));
    }

    [SkippableFact]
    public async Task Save_New_IsVersionOneAndReadsBackWithEveryField()
    {
        var saved = await SaveAsync(Account());

        Assert.Equal(1, saved.Version);
        var read = _store.Read(r => r.GetMerchantAccount(Objects.MerchantA, "SUB-1"));
        Assert.Equal(saved with { Details = read!.Details }, read);
        // Stored JSON escapes non-ASCII text; the details are the same JSON.
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(Account().Details), JsonNode.Parse(read.Details)), read.Details);
    }

    [SkippableFact]
    public async Task Save_Update_KeepsTheRowAndBumpsTheVersion()
    {
        var saved = await SaveAsync(Account());
        var claimed = saved with { State = MerchantAccountState.Claimed, ClaimedAt = Times.T0.AddHours(1), UpdatedAt = Times.T0.AddHours(1) };

        Assert.Equal(2, (await SaveAsync(claimed)).Version);

        var read = _store.Read(r => r.GetMerchantAccount(Objects.MerchantA, "SUB-1"))!;
        Assert.Equal((MerchantAccountState.Claimed, Times.T0.AddHours(1), 2L), (read.State, read.ClaimedAt, read.Version));
        Assert.Equal(Times.T0, read.CreatedAt);
    }

    [SkippableFact]
    public async Task Save_StaleVersion_IsAConflictAndChangesNothing()
    {
        var saved = await SaveAsync(Account());
        await SaveAsync(saved with { State = MerchantAccountState.Claimed });

        await Assert.ThrowsAsync<ConcurrencyConflictException>(() => SaveAsync(saved with { State = MerchantAccountState.Deleted }));

        Assert.Equal(MerchantAccountState.Claimed, _store.Read(r => r.GetMerchantAccount(Objects.MerchantA, "SUB-1"))!.State);
    }

    [SkippableFact]
    public async Task GetMerchantAccount_OfAnotherPartnerOrUnknownOrUnstorable_IsNull()
    {
        await SaveAsync(Account());

        Assert.Null(_store.Read(r => r.GetMerchantAccount(Objects.MerchantB, "SUB-1")));
        Assert.Null(_store.Read(r => r.GetMerchantAccount(Objects.MerchantA, "SUB-9")));
        Assert.Null(_store.Read(r => r.GetMerchantAccount(Objects.MerchantA, "SUB\0")));
    }

    [SkippableFact]
    public async Task FindMerchantAccount_ByItsIdAlone_IsFoundWhoeverMadeIt()
    {
        await SaveAsync(Account(createdBy: Objects.MerchantB));

        Assert.Equal(Objects.MerchantB, _store.Read(r => r.FindMerchantAccount("SUB-1"))?.CreatedBy);
        Assert.Null(_store.Read(r => r.FindMerchantAccount("SUB-2")));
        Assert.Null(_store.Read(r => r.FindMerchantAccount("SUB\0")));
    }

    [SkippableFact]
    public async Task FindByReference_IsScopedToPartnerAndEnvironment_AndSkipsDeletedAccounts()
    {
        var saved = await SaveAsync(Account());

        Assert.Equal("SUB-1", _store.Read(r => r.FindMerchantAccountByReference(Objects.MerchantA, ReleaseEnvironment.Sandbox, "REF-1"))?.MerchantAccountId);
        Assert.Null(_store.Read(r => r.FindMerchantAccountByReference(Objects.MerchantA, ReleaseEnvironment.Live, "REF-1")));
        Assert.Null(_store.Read(r => r.FindMerchantAccountByReference(Objects.MerchantB, ReleaseEnvironment.Sandbox, "REF-1")));
        Assert.Null(_store.Read(r => r.FindMerchantAccountByReference(Objects.MerchantA, ReleaseEnvironment.Sandbox, "REF\0")));

        await SaveAsync(saved with { State = MerchantAccountState.Deleted });
        Assert.Null(_store.Read(r => r.FindMerchantAccountByReference(Objects.MerchantA, ReleaseEnvironment.Sandbox, "REF-1")));
    }

    [SkippableFact]
    public async Task Save_ASecondLiveAccountWithAReference_IsRefusedByTheStore_ButAfterDeletionIsAccepted()
    {
        var first = await SaveAsync(Account());

        await Assert.ThrowsAnyAsync<Exception>(() => SaveAsync(Account("SUB-2")));

        await SaveAsync(first with { State = MerchantAccountState.Deleted });
        await SaveAsync(Account("SUB-2"));
        Assert.Equal(2, _harness.Scalar("SELECT count(*) FROM merchant_accounts"));
    }

    [SkippableFact]
    public async Task List_IsNewestFirstAndLimited()
    {
        await SaveAsync(Account("SUB-1", minute: 1));
        await SaveAsync(Account("SUB-2", reference: "REF-2", minute: 3));
        await SaveAsync(Account("SUB-3", createdBy: Objects.MerchantB, minute: 2));

        Assert.Equal(["SUB-2", "SUB-3", "SUB-1"], _store.Read(r => r.ListMerchantAccounts(null, 10)).Select(a => a.MerchantAccountId));
        Assert.Equal(["SUB-2"], _store.Read(r => r.ListMerchantAccounts(null, 1)).Select(a => a.MerchantAccountId));
        Assert.Equal(["SUB-2", "SUB-1"], _store.Read(r => r.ListMerchantAccounts(Objects.MerchantA, 10)).Select(a => a.MerchantAccountId));
        Assert.Empty(_store.Read(r => r.ListMerchantAccounts("NOBODY\0", 10)));
    }
}

public sealed class SqliteMerchantAccountStoreTests() : MerchantAccountStoreTests(new SqliteHarness());

public sealed class PostgresMerchantAccountStoreTests(PostgresDatabaseFixture database)
    : MerchantAccountStoreTests(new PostgresHarness(database)), IClassFixture<PostgresDatabaseFixture>;
