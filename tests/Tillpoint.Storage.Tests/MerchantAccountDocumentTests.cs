using System.Text;
using Tillpoint.Domain;
using Tillpoint.Domain.MerchantAccounts;

namespace Tillpoint.Storage.Tests;

/// <summary>
/// The merchant account document written by the first version that stored it, checked in under
/// <c>Golden/MerchantAccounts/</c>, must still load into the account it was written from.
/// </summary>
public sealed class MerchantAccountDocumentTests
{
    private static readonly string Golden = Path.Combine(AppContext.BaseDirectory, "Golden", "MerchantAccounts", "merchant-account.v1.rich.json");

    /// <summary>The document once accounts had stores (Create Store): a new optional field, so still version 1.</summary>
    private static readonly string GoldenWithStores = Path.Combine(AppContext.BaseDirectory, "Golden", "MerchantAccounts", "merchant-account.v1.stores.json");

    /// <summary>What the golden document holds, with the row's columns of <see cref="Load"/>.</summary>
    private static MerchantAccount Expected => MerchantAccountStoreTests.Account() with
    {
        State = MerchantAccountState.Claimed,
        ClaimedAt = Times.T0.AddHours(1),
        DeletedAt = Times.T0.AddHours(2),
        UpdatedAt = Times.T0.AddHours(2),
        Version = 3,
    };

    private static MerchantAccount Load(byte[] document) => StoredMerchantAccount.Read(document).ToAccount(
        "SUB-1", Objects.MerchantA, ReleaseEnvironment.Sandbox, MerchantAccountKind.MerchantAccount, MerchantAccountState.Claimed, "REF-1", 3,
        Times.T0, Times.T0.AddHours(2));

    [Fact]
    public void Golden_LoadsIntoTheAccountItWasWrittenFrom()
    {
        var loaded = Load(File.ReadAllBytes(Golden));

        Assert.Equal(Expected with { Details = loaded.Details }, loaded);
        Assert.Contains("\"businessCategory\":\"Beauty\"", loaded.Details, StringComparison.Ordinal);
    }

    [Fact]
    public void Golden_IsWhatTodaysCodeWrites()
    {
        var written = Encoding.UTF8.GetString(StoredMerchantAccount.Write(Expected));

        Assert.Equal(File.ReadAllText(Golden).TrimEnd('\n'), written);
    }

    /// <summary>The document written before accounts had stores loads with none, and today's code writes it as it was.</summary>
    [Fact]
    public void Golden_WrittenBeforeStores_LoadsWithNoStores() =>
        Assert.Empty(Load(File.ReadAllBytes(Golden)).Stores);

    [Fact]
    public void GoldenWithStores_LoadsEveryStoreField()
    {
        var loaded = Load(File.ReadAllBytes(GoldenWithStores));

        var expected = MerchantAccountStoreTests.Stores();
        Assert.Equal(expected.Count, loaded.Stores.Count);
        foreach (var (store, read) in expected.Zip(loaded.Stores))
        {
            Assert.Equal(store with { AllowedOriginDomains = read.AllowedOriginDomains, AllowedRedirectUrls = read.AllowedRedirectUrls }, read);
            Assert.Equal(store.AllowedOriginDomains, read.AllowedOriginDomains);
            Assert.Equal(store.AllowedRedirectUrls, read.AllowedRedirectUrls);
        }

        Assert.Equal(Expected with { Details = loaded.Details, Stores = loaded.Stores }, loaded);
    }

    [Fact]
    public void GoldenWithStores_IsWhatTodaysCodeWrites()
    {
        var written = Encoding.UTF8.GetString(StoredMerchantAccount.Write(Expected with { Stores = MerchantAccountStoreTests.Stores() }));

        Assert.True(File.Exists(GoldenWithStores), $"Missing golden document; today's code writes:\n{written}");
        Assert.Equal(File.ReadAllText(GoldenWithStores).TrimEnd('\n'), written);
    }
}
