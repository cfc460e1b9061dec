namespace Tillpoint.Domain.MerchantAccounts;

/// <summary>
/// The two generations of the account APIs, which share their paths (spec §3.1). The names are the stored and shown
/// values, so they never change.
/// </summary>
public enum MerchantAccountKind
{
    /// <summary>Register Amazon Pay Account: a non-loginable account the partner manages for good.</summary>
    AmazonPayAccount,

    /// <summary>Create Merchant Account: a loginable account the merchant later claims and then manages itself.</summary>
    MerchantAccount,
}

public enum MerchantAccountState
{
    Active,
    Claimed,
    Deleted,
}

/// <summary>
/// The facts that make up the legal business entity. An update may restate them but never change them (spec §3.3,
/// §3.6): a new entity is a new account.
/// </summary>
public sealed record LegalEntity(string BusinessType, string BusinessLegalName, string CountryOfEstablishment);

/// <summary>What a partner asks for when it registers or creates an account, as checked by the server.</summary>
public sealed record NewMerchantAccount(
    MerchantAccountKind Kind,
    string UniqueReferenceId,
    Currency LedgerCurrency,
    LegalEntity LegalEntity,
    string? BusinessDisplayName,
    string? Email,
    string Details);

/// <summary>
/// A merchant account a partner made through the API: a real Tillpoint merchant (<see cref="MerchantAccountId"/> is
/// its merchant id) plus who made it, how, and whether its merchant has taken it over. <see cref="Details"/> is the
/// business information as the partner last gave it (a JSON object the server merges updates into); the domain keeps
/// it opaque.
/// </summary>
public sealed record MerchantAccount
{
    public const int UniqueReferenceIdMaxLength = 64;
    public const int BusinessLegalNameMaxLength = 255;
    public const int BusinessDisplayNameMaxLength = 255;
    public const int EmailMaxLength = 254;

    /// <summary>Stores one account may have (Create Store); more is refused.</summary>
    public const int MaxStores = 20;

    private static readonly string[] BusinessTypes = ["CORPORATE", "INDIVIDUAL"];

    public required string MerchantAccountId { get; init; }

    /// <summary>The partner (merchant) that made the account; only it can see or change it.</summary>
    public required string CreatedBy { get; init; }

    public required ReleaseEnvironment Environment { get; init; }

    public required MerchantAccountKind Kind { get; init; }

    public MerchantAccountState State { get; init; } = MerchantAccountState.Active;

    public required string UniqueReferenceId { get; init; }

    public required Currency LedgerCurrency { get; init; }

    public required LegalEntity LegalEntity { get; init; }

    public string? BusinessDisplayName { get; init; }

    public string? Email { get; init; }

    public required string Details { get; init; }

    /// <summary>SHA-256 (hex) of the authorization token a created account's partner updates it with; null for registered accounts.</summary>
    public string? AuthorizationTokenHash { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }

    public required DateTimeOffset UpdatedAt { get; init; }

    public DateTimeOffset? ClaimedAt { get; init; }

    public DateTimeOffset? DeletedAt { get; init; }

    public long Version { get; init; }

    /// <summary>The stores the partner made with Create Store, oldest first.</summary>
    public IReadOnlyList<MerchantAccountStore> Stores { get; init; } = [];

    /// <summary>The name the account's merchant is listed under: the display name when given, else the legal name.</summary>
    public string MerchantName => BusinessDisplayName ?? LegalEntity.BusinessLegalName;

    /// <summary>The checks of a new account that need nothing stored; most specific first.</summary>
    public static DomainError? Validate(NewMerchantAccount account) =>
        Required("uniqueReferenceId", account.UniqueReferenceId, UniqueReferenceIdMaxLength)
        ?? ValidateLegalEntity(account.LegalEntity)
        ?? DomainError.TooLong("businessInfo.businessDisplayName", account.BusinessDisplayName, BusinessDisplayNameMaxLength)
        ?? (account.Kind == MerchantAccountKind.MerchantAccount && string.IsNullOrWhiteSpace(account.Email)
            ? DomainError.Missing("businessInfo.email")
            : null)
        ?? ValidateEmail(account.Email);

    public static DomainError? ValidateLegalEntity(LegalEntity entity) =>
        (BusinessTypes.Contains(entity.BusinessType)
            ? null
            : DomainError.InvalidValue("businessInfo.businessType", $"'{entity.BusinessType}' is not one of {string.Join(", ", BusinessTypes)}."))
        ?? Required("businessInfo.businessLegalName", entity.BusinessLegalName, BusinessLegalNameMaxLength)
        ?? CountryCode("businessInfo.countryOfEstablishment", entity.CountryOfEstablishment);

    public static DomainError? ValidateEmail(string? email) =>
        DomainError.TooLong("businessInfo.email", email, EmailMaxLength)
        ?? (email is not null && !IsEmail(email) ? DomainError.InvalidValue("businessInfo.email", "it is not an e-mail address.") : null);

    /// <summary>An ISO 3166-1 alpha-2 code: two upper-case letters.</summary>
    public static DomainError? CountryCode(string field, string? code) =>
        code is { Length: 2 } && code.All(char.IsAsciiLetterUpper)
            ? null
            : DomainError.InvalidValue(field, "it must be a two-letter ISO 3166 country code such as JP.");

    /// <summary>A new account, Active, for <paramref name="createdBy"/>.</summary>
    public static MerchantAccount Open(
        NewMerchantAccount account, string merchantAccountId, string createdBy, ReleaseEnvironment environment, string? authorizationTokenHash, DateTimeOffset now) => new()
    {
        MerchantAccountId = merchantAccountId,
        CreatedBy = createdBy,
        Environment = environment,
        Kind = account.Kind,
        UniqueReferenceId = account.UniqueReferenceId,
        LedgerCurrency = account.LedgerCurrency,
        LegalEntity = account.LegalEntity,
        BusinessDisplayName = account.BusinessDisplayName,
        Email = account.Email,
        Details = account.Details,
        AuthorizationTokenHash = authorizationTokenHash,
        CreatedAt = now,
        UpdatedAt = now,
    };

    /// <summary>
    /// Update Amazon Pay Account or Update Merchant Account: new details, the legal entity unchanged. A claimed account
    /// is its merchant's, no longer the partner's to change.
    /// </summary>
    public Result<MerchantAccount> Update(LegalEntity? restated, string? displayName, string? email, string details, DateTimeOffset now)
    {
        var refusal = Refusal("updated");
        if (refusal is not null)
        {
            return refusal;
        }

        if (restated is not null && restated != LegalEntity)
        {
            return DomainError.InvalidValue(
                "businessInfo", "businessType, businessLegalName and countryOfEstablishment cannot change: they make up the legal business entity.");
        }

        var error = DomainError.TooLong("businessInfo.businessDisplayName", displayName, BusinessDisplayNameMaxLength) ?? ValidateEmail(email);
        if (error is not null)
        {
            return error;
        }

        return this with
        {
            BusinessDisplayName = displayName ?? BusinessDisplayName,
            Email = email ?? Email,
            Details = details,
            UpdatedAt = now,
        };
    }

    /// <summary>
    /// Merchant Account Claim: the merchant takes over a created account. Claiming again changes nothing, so a retried
    /// claim gets the same answer.
    /// </summary>
    public Result<MerchantAccount> Claim(string uniqueReferenceId, DateTimeOffset now)
    {
        if (Kind == MerchantAccountKind.AmazonPayAccount)
        {
            return new DomainError(ErrorCode.InvalidRequest, "A registered Amazon Pay account cannot be logged in to, so it cannot be claimed.");
        }

        if (uniqueReferenceId != UniqueReferenceId)
        {
            return DomainError.InvalidValue("uniqueReferenceId", "it is not the uniqueReferenceId this account was created with.");
        }

        return State switch
        {
            MerchantAccountState.Active => this with { State = MerchantAccountState.Claimed, ClaimedAt = now, UpdatedAt = now },
            MerchantAccountState.Claimed => this,
            MerchantAccountState.Deleted => Deleted(),
        };
    }

    /// <summary>Delete Amazon Pay Account: the partner closes an account it still manages; its uniqueReferenceId is free again.</summary>
    public Result<MerchantAccount> Delete(DateTimeOffset now)
    {
        var refusal = Refusal("deleted");
        return refusal is not null
            ? refusal
            : this with { State = MerchantAccountState.Deleted, DeletedAt = now, UpdatedAt = now };
    }

    /// <summary>Create Store: a new store, with <paramref name="storeId"/>, for an account the partner still manages.</summary>
    public Result<MerchantAccount> AddStore(StoreDetails details, string storeId, DateTimeOffset now)
    {
        var refusal = Refusal("given stores");
        if (refusal is not null)
        {
            return refusal;
        }

        if (Stores.Count >= MaxStores)
        {
            return new DomainError(ErrorCode.InvalidRequest, $"The merchant account already has {MaxStores} stores, the most it may have.");
        }

        var error = details.ValidateNew();
        if (error is not null)
        {
            return error;
        }

        var store = new MerchantAccountStore(
            storeId, details.StoreName!, details.AllowedOriginDomains!, details.AllowedRedirectUrls ?? [], details.PrivacyPolicyUrl,
            details.MerchantLogoUrl, now, now);
        return this with { Stores = [.. Stores, store], UpdatedAt = now };
    }

    /// <summary>Update Store: the fields given replace the store's, the others stay.</summary>
    public Result<MerchantAccount> UpdateStore(string storeId, StoreDetails changes, DateTimeOffset now)
    {
        var refusal = Refusal("changed");
        if (refusal is not null)
        {
            return refusal;
        }

        var index = Stores.ToList().FindIndex(s => s.StoreId == storeId);
        if (index < 0)
        {
            return DomainError.NotFound("Store", storeId);
        }

        var error = changes.ValidateChange();
        if (error is not null)
        {
            return error;
        }

        var current = Stores[index];
        var updated = current with
        {
            StoreName = changes.StoreName ?? current.StoreName,
            AllowedOriginDomains = changes.AllowedOriginDomains ?? current.AllowedOriginDomains,
            AllowedRedirectUrls = changes.AllowedRedirectUrls ?? current.AllowedRedirectUrls,
            PrivacyPolicyUrl = changes.PrivacyPolicyUrl ?? current.PrivacyPolicyUrl,
            MerchantLogoUrl = changes.MerchantLogoUrl ?? current.MerchantLogoUrl,
            UpdatedAt = now,
        };
        return this with { Stores = [.. Stores.Take(index), updated, .. Stores.Skip(index + 1)], UpdatedAt = now };
    }

    /// <summary>Whether <paramref name="storeId"/> is one of the stores made for this account's merchant.</summary>
    public bool HasStore(string storeId) => Stores.Any(s => s.StoreId == storeId);

    private DomainError? Refusal(string what) => State switch
    {
        MerchantAccountState.Active => null,
        MerchantAccountState.Claimed => new DomainError(
            ErrorCode.InvalidRequest, $"The merchant account was claimed by its merchant and can no longer be {what} by the partner."),
        MerchantAccountState.Deleted => Deleted(),
    };

    private DomainError Deleted() => DomainError.NotFound("Merchant Account", MerchantAccountId);

    private static DomainError? Required(string field, string? value, int maxLength) =>
        string.IsNullOrWhiteSpace(value) ? DomainError.Missing(field) : DomainError.TooLong(field, value, maxLength);

    private static bool IsEmail(string email)
    {
        var at = email.IndexOf('@', StringComparison.Ordinal);
        return at > 0 && at == email.LastIndexOf('@') && email.IndexOf('.', at) > at + 1 && !email.EndsWith('.') && !email.Any(char.IsWhiteSpace);
    }
}
