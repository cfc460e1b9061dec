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
}
