using System.Text.Json;
using System.Text.Json.Serialization;
using Tillpoint.Domain;
using Tillpoint.Domain.MerchantAccounts;

namespace Tillpoint.Storage;

/// <summary>The merchant accounts partners made through the API (the account APIs, spec §3).</summary>
public interface IMerchantAccountReader
{
    /// <summary>An account <paramref name="createdBy"/> made, in any state; null for another partner's account.</summary>
    MerchantAccount? GetMerchantAccount(string createdBy, string merchantAccountId);

    /// <summary>The partner's account with this uniqueReferenceId in this environment that is not deleted, if any.</summary>
    MerchantAccount? FindMerchantAccountByReference(string createdBy, ReleaseEnvironment environment, string uniqueReferenceId);

    /// <summary>The account whose merchant is <paramref name="merchantAccountId"/>, whoever made it: for the operator's pages.</summary>
    MerchantAccount? FindMerchantAccount(string merchantAccountId);

    /// <summary>
    /// The accounts <paramref name="createdBy"/> made (every partner's when null), newest first, at most
    /// <paramref name="limit"/>.
    /// </summary>
    IReadOnlyList<MerchantAccount> ListMerchantAccounts(string? createdBy, int limit);
}

public interface IMerchantAccountWriter
{
    /// <summary>
    /// Inserts (version 0) or updates the account, guarded by its version; returns it as stored. In a write, the lookup
    /// by reference locks the reference first where several nodes share the store, so two creates of one reference
    /// take turns and the second finds the first.
    /// </summary>
    MerchantAccount Save(MerchantAccount account);
}

/// <summary>
/// A merchant account's <c>document</c>: what is not a column. Its own type, not the domain record, so a renamed domain
/// property never orphans stored data; a golden document in the storage tests keeps its shape.
/// </summary>
internal sealed class StoredMerchantAccount
{
    public required string LedgerCurrency { get; init; }

    public required string BusinessType { get; init; }

    public required string BusinessLegalName { get; init; }

    public required string CountryOfEstablishment { get; init; }

    public string? BusinessDisplayName { get; init; }

    public string? Email { get; init; }

    /// <summary>The business information as the partner last gave it: a JSON object.</summary>
    public required JsonElement Details { get; init; }

    public string? AuthorizationTokenHash { get; init; }

    public DateTimeOffset? ClaimedAt { get; init; }

    public DateTimeOffset? DeletedAt { get; init; }

    /// <summary>The stores of Create Store; absent (not written) while there are none, as in the documents before stores.</summary>
    public List<StoredAccountStore>? Stores { get; init; }

    public static byte[] Write(MerchantAccount account) => JsonSerializer.SerializeToUtf8Bytes(
        new StoredMerchantAccount
        {
            LedgerCurrency = account.LedgerCurrency.ToString(),
            BusinessType = account.LegalEntity.BusinessType,
            BusinessLegalName = account.LegalEntity.BusinessLegalName,
            CountryOfEstablishment = account.LegalEntity.CountryOfEstablishment,
            BusinessDisplayName = account.BusinessDisplayName,
            Email = account.Email,
            Details = JsonDocument.Parse(account.Details).RootElement,
            AuthorizationTokenHash = account.AuthorizationTokenHash,
            ClaimedAt = account.ClaimedAt,
            DeletedAt = account.DeletedAt,
            Stores = account.Stores is [] ? null : [.. account.Stores.Select(StoredAccountStore.From)],
        },
        MerchantAccountJsonContext.Default.StoredMerchantAccount);

    public static StoredMerchantAccount Read(byte[] document) =>
        JsonSerializer.Deserialize(document, MerchantAccountJsonContext.Default.StoredMerchantAccount)
        ?? throw new InvalidDataException("A stored merchant account document is null.");

    /// <summary>The account from its row's columns and this document.</summary>
    public MerchantAccount ToAccount(
        string merchantAccountId,
        string createdBy,
        ReleaseEnvironment environment,
        MerchantAccountKind kind,
        MerchantAccountState state,
        string uniqueReferenceId,
        long version,
        DateTimeOffset createdAt,
        DateTimeOffset updatedAt) => new()
    {
        MerchantAccountId = merchantAccountId,
        CreatedBy = createdBy,
        Environment = environment,
        Kind = kind,
        State = state,
        UniqueReferenceId = uniqueReferenceId,
        LedgerCurrency = Enum.Parse<Currency>(LedgerCurrency),
        LegalEntity = new LegalEntity(BusinessType, BusinessLegalName, CountryOfEstablishment),
        BusinessDisplayName = BusinessDisplayName,
        Email = Email,
        Details = Details.GetRawText(),
        AuthorizationTokenHash = AuthorizationTokenHash,
        CreatedAt = createdAt,
        UpdatedAt = updatedAt,
        ClaimedAt = ClaimedAt,
        DeletedAt = DeletedAt,
        Stores = Stores is null or [] ? [] : [.. Stores.Select(s => s.ToStore())],
        Version = version,
    };
}

/// <summary>One store in a merchant account's document.</summary>
internal sealed class StoredAccountStore
{
    public required string StoreId { get; init; }

    public required string StoreName { get; init; }

    public required List<string> AllowedOriginDomains { get; init; }

    public required List<string> AllowedRedirectUrls { get; init; }

    public string? PrivacyPolicyUrl { get; init; }

    public string? MerchantLogoUrl { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }

    public required DateTimeOffset UpdatedAt { get; init; }

    public static StoredAccountStore From(MerchantAccountStore store) => new()
    {
        StoreId = store.StoreId,
        StoreName = store.StoreName,
        AllowedOriginDomains = [.. store.AllowedOriginDomains],
        AllowedRedirectUrls = [.. store.AllowedRedirectUrls],
        PrivacyPolicyUrl = store.PrivacyPolicyUrl,
        MerchantLogoUrl = store.MerchantLogoUrl,
        CreatedAt = store.CreatedAt,
        UpdatedAt = store.UpdatedAt,
    };

    public MerchantAccountStore ToStore() => new(
        StoreId, StoreName, AllowedOriginDomains, AllowedRedirectUrls, PrivacyPolicyUrl, MerchantLogoUrl, CreatedAt, UpdatedAt);
}

[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(StoredMerchantAccount))]
internal sealed partial class MerchantAccountJsonContext : JsonSerializerContext;
