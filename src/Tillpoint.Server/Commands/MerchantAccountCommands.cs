using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Tillpoint.Domain.MerchantAccounts;
using Tillpoint.Domain.Regions;

namespace Tillpoint.Server.Commands;

/// <summary>A new account as saved, with the authorization token its partner updates it with (created accounts only).</summary>
internal readonly record struct OpenedMerchantAccount(MerchantAccount Account, string? AuthorizationToken);

/// <summary>An update of an account's details: the parts of the legal entity it restates, and the changed details.</summary>
internal sealed record MerchantAccountUpdate(
    string? BusinessType, string? BusinessLegalName, string? CountryOfEstablishment, string? BusinessDisplayName, string? Email, JsonObject Details);

/// <summary>
/// The account APIs' commands (spec §3): an account is a real merchant (<see cref="Merchants.Create"/>) plus the record
/// of which partner made it and how; only that partner, in that environment, sees it.
/// </summary>
internal static class MerchantAccountCommands
{
    private const string What = "Merchant Account";

    /// <summary>Where the operator's choice of <see cref="MerchantAccountApi"/> for a partner is kept, by merchant id.</summary>
    private const string ApiSettingPrefix = "merchant-account-api.";

    /// <summary>The name of each choice, as the command line takes and shows it and the setting stores it.</summary>
    public static string Name(MerchantAccountApi api) => api.ToString().ToLowerInvariant();

    /// <summary>The choice named <paramref name="name"/> (any case), or null.</summary>
    public static MerchantAccountApi? ParseApi(string? name) =>
        Enum.GetValues<MerchantAccountApi>().Cast<MerchantAccountApi?>().FirstOrDefault(api => string.Equals(Name(api!.Value), name?.Trim(), StringComparison.OrdinalIgnoreCase));

    /// <summary>How <paramref name="partnerId"/>'s account requests are routed: <see cref="MerchantAccountApi.Auto"/> unless the operator chose.</summary>
    public static MerchantAccountApi Api(IStoreReader reader, string partnerId) =>
        ParseApi(reader.GetSetting(ApiSettingPrefix + partnerId)) ?? MerchantAccountApi.Auto;

    /// <summary>Every partner the operator chose a routing for, by merchant id.</summary>
    public static IReadOnlyDictionary<string, MerchantAccountApi> Apis(IStoreReader reader) =>
        reader.GetSettings(ApiSettingPrefix)
            .Where(setting => ParseApi(setting.Value) is not null)
            .ToDictionary(setting => setting.Key[ApiSettingPrefix.Length..], setting => ParseApi(setting.Value)!.Value, StringComparer.Ordinal);

    /// <summary>Sets how a partner's account requests are routed; false, and nothing stored, for an unknown merchant.</summary>
    public static Task<bool> SetApiAsync(ITillpointStore store, string merchantId, MerchantAccountApi api, CancellationToken cancellationToken) =>
        store.WriteAsync(
            write =>
            {
                if (write.GetMerchant(merchantId) is null)
                {
                    return false;
                }

                // Auto is what no setting means, so choosing it again leaves nothing behind.
                if (api == MerchantAccountApi.Auto)
                {
                    write.DeleteSetting(ApiSettingPrefix + merchantId);
                }
                else
                {
                    write.PutSetting(ApiSettingPrefix + merchantId, Name(api));
                }

                return true;
            },
            cancellationToken);

    /// <summary>Register Amazon Pay Account or Create Merchant Account.</summary>
    public static Result<OpenedMerchantAccount> Open(IWriteSession session, in CommandContext context, NewMerchantAccount account)
    {
        var owner = context.Owner;
        if (session.FindMerchantAccountByReference(owner.MerchantId, owner.Environment, account.UniqueReferenceId) is not null)
        {
            return new DomainError(
                ErrorCode.InvalidRequest,
                $"A merchant account with uniqueReferenceId '{account.UniqueReferenceId}' already exists; delete it or use another uniqueReferenceId.");
        }

        var name = account.BusinessDisplayName ?? account.LegalEntity.BusinessLegalName;
        // The API takes only ledger currencies, each of which one region settles in.
        var merchant = Merchants.Create(session, name, RegionRules.SettlingIn(account.LedgerCurrency) ?? Region.NA, context.Now, context.Ids.Random);
        var token = account.Kind == MerchantAccountKind.MerchantAccount
            ? Base64Url.EncodeToString(context.Ids.Random.GetSecretBytes(owner.Environment, 32))
            : null;
        var opened = MerchantAccount.Open(
            account, merchant.MerchantId, owner.MerchantId, owner.Environment, token is null ? null : Hash(token), context.Now);
        RegisterIpnEndpoints(session, opened, [], context.Now);
        return new OpenedMerchantAccount(session.Save(opened), token);
    }

    /// <summary>
    /// Update Amazon Pay Account (no <paramref name="authorizationToken"/>) or Update Merchant Account (with the token
    /// Create Merchant Account returned): the details merged into those stored, the legal entity unchanged.
    /// </summary>
    public static Result<MerchantAccount> Update(
        IWriteSession session, in CommandContext context, string id, MerchantAccountUpdate update, string? authorizationToken)
    {
        var found = Find(session, context, id);
        if (!found.IsSuccess)
        {
            return found.Error;
        }

        var account = found.Value;

        if (authorizationToken is not null && !Holds(account, authorizationToken))
        {
            return WrongToken();
        }

        var details = JsonNode.Parse(account.Details)!.AsObject();
        Merge(details, update.Details);
        var current = account.LegalEntity;
        var restated = new LegalEntity(
            update.BusinessType ?? current.BusinessType,
            update.BusinessLegalName ?? current.BusinessLegalName,
            update.CountryOfEstablishment ?? current.CountryOfEstablishment);
        var updated = account.Update(restated, update.BusinessDisplayName, update.Email, details.ToJsonString(), context.Now);
        if (!updated.IsSuccess)
        {
            return updated.Error;
        }

        RegisterIpnEndpoints(session, updated.Value, IpnEndpointUrls(account.Details), context.Now);
        return session.Save(updated.Value);
    }

    /// <summary>Delete Amazon Pay Account: the account closes and its merchant's keys are revoked, so it can no longer be used.</summary>
    public static Result<MerchantAccount> Delete(IWriteSession session, in CommandContext context, string id)
    {
        var found = Find(session, context, id);
        if (!found.IsSuccess)
        {
            return found.Error;
        }

        var account = found.Value;

        var deleted = account.Delete(context.Now);
        if (!deleted.IsSuccess)
        {
            return deleted.Error;
        }

        foreach (var key in session.ListPublicKeys(account.MerchantAccountId).Where(k => k.RevokedAt is null))
        {
            session.RevokePublicKey(key.PublicKeyId, context.Now);
        }

        return session.Save(deleted.Value);
    }

    /// <summary>Merchant Account Claim: the merchant takes the account over; a repeated claim changes nothing.</summary>
    public static Result<MerchantAccount> Claim(IWriteSession session, in CommandContext context, string id, string uniqueReferenceId)
    {
        var found = Find(session, context, id);
        if (!found.IsSuccess)
        {
            return found.Error;
        }

        var account = found.Value;

        var claimed = account.Claim(uniqueReferenceId, context.Now);
        if (!claimed.IsSuccess)
        {
            return claimed.Error;
        }

        return ReferenceEquals(claimed.Value, account) ? account : session.Save(claimed.Value);
    }

    /// <summary>
    /// Create Store: a new store for the account's merchant, its id of the same form as the merchant's own store id and
    /// usable for checkout like it. <paramref name="authorizationToken"/> must be the account's (Create Merchant Account's).
    /// </summary>
    public static Result<(MerchantAccount Account, MerchantAccountStore Store)> CreateStore(
        IWriteSession session, in CommandContext context, string id, string authorizationToken, StoreDetails details)
    {
        var found = Authorized(session, context, id, authorizationToken);
        if (!found.IsSuccess)
        {
            return found.Error;
        }

        var added = found.Value.AddStore(details, Merchants.NewStoreId(context.Ids.Random), context.Now);
        return added.IsSuccess ? (session.Save(added.Value), added.Value.Stores[^1]) : added.Error;
    }

    /// <summary>Update Store: the fields given replace the store's.</summary>
    public static Result<(MerchantAccount Account, MerchantAccountStore Store)> UpdateStore(
        IWriteSession session, in CommandContext context, string id, string storeId, string authorizationToken, StoreDetails changes)
    {
        var found = Authorized(session, context, id, authorizationToken);
        if (!found.IsSuccess)
        {
            return found.Error;
        }

        var updated = found.Value.UpdateStore(storeId, changes, context.Now);
        return updated.IsSuccess ? (session.Save(updated.Value), updated.Value.Stores.First(s => s.StoreId == storeId)) : updated.Error;
    }

    /// <summary>The IPN endpoint URLs a partner gave in <c>integrationInfo.ipnEndpointUrls</c> of an account's details.</summary>
    public static IReadOnlyList<string> IpnEndpointUrls(string details) =>
        JsonNode.Parse(details)?["integrationInfo"]?["ipnEndpointUrls"] is JsonArray urls
            ? [.. urls.Select(u => u?.GetValue<string>()).OfType<string>()]
            : [];

    /// <summary>
    /// The account's IPN endpoint URLs become its merchant's endpoints in the account's environment, where the operator's
    /// <c>tillpoint ipn</c> commands keep them: those no longer listed (of <paramref name="before"/>) are removed, new ones
    /// added. Endpoints the operator added otherwise are left alone.
    /// </summary>
    private static void RegisterIpnEndpoints(IWriteSession session, MerchantAccount account, IReadOnlyList<string> before, DateTimeOffset now)
    {
        var after = IpnEndpointUrls(account.Details);
        foreach (var url in before.Except(after, StringComparer.Ordinal))
        {
            session.RemoveIpnEndpoint(account.MerchantAccountId, account.Environment, url);
        }

        foreach (var url in after.Except(before, StringComparer.Ordinal))
        {
            session.AddIpnEndpoint(new IpnEndpoint(account.MerchantAccountId, account.Environment, url, now));
        }
    }

    /// <summary>The partner's account in the request's environment; another partner's or environment's does not exist for it.</summary>
    private static Result<MerchantAccount> Find(IWriteSession session, in CommandContext context, string id)
    {
        var account = session.GetMerchantAccount(context.Owner.MerchantId, id);
        return account is null || account.Environment != context.Owner.Environment ? DomainError.NotFound(What, id) : account;
    }

    private static Result<MerchantAccount> Authorized(IWriteSession session, in CommandContext context, string id, string authorizationToken)
    {
        var found = Find(session, context, id);
        return !found.IsSuccess ? found.Error
            : Holds(found.Value, authorizationToken) ? found.Value
            : WrongToken();
    }

    private static DomainError WrongToken() =>
        new(ErrorCode.UnauthorizedAccess, "The x-amz-pay-authtoken is not the authorization token of this merchant account.");

    private static string Hash(string token) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));

    private static bool Holds(MerchantAccount account, string token) =>
        account.AuthorizationTokenHash is { } stored
        && CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(stored), Encoding.ASCII.GetBytes(Hash(token)));

    /// <summary>Objects merge member by member; anything else (text, lists) replaces what was there.</summary>
    private static void Merge(JsonObject target, JsonObject changes)
    {
        foreach (var (name, value) in changes.ToList())
        {
            if (value is JsonObject inner && target[name] is JsonObject existing)
            {
                Merge(existing, inner);
            }
            else
            {
                target[name] = value?.DeepClone();
            }
        }
    }
}
