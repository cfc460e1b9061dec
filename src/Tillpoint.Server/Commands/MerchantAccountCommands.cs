using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Tillpoint.Domain.MerchantAccounts;

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
        var merchant = Merchants.Create(session, name, context.Now);
        var token = account.Kind == MerchantAccountKind.MerchantAccount
            ? Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32))
            : null;
        var opened = MerchantAccount.Open(
            account, merchant.MerchantId, owner.MerchantId, owner.Environment, token is null ? null : Hash(token), context.Now);
        return new OpenedMerchantAccount(session.Save(opened), token);
    }

    /// <summary>
    /// Update Amazon Pay Account (no <paramref name="authorizationToken"/>) or Update Merchant Account (with the token
    /// Create Merchant Account returned): the details merged into those stored, the legal entity unchanged.
    /// </summary>
    public static Result<MerchantAccount> Update(
        IWriteSession session, in CommandContext context, string id, MerchantAccountUpdate update, string? authorizationToken)
    {
        var account = session.GetMerchantAccount(context.Owner.MerchantId, id);
        if (account is null || account.Environment != context.Owner.Environment)
        {
            return DomainError.NotFound(What, id);
        }

        if (authorizationToken is not null && !Holds(account, authorizationToken))
        {
            return new DomainError(ErrorCode.UnauthorizedAccess, "The x-amz-pay-authtoken is not the authorization token of this merchant account.");
        }

        var details = JsonNode.Parse(account.Details)!.AsObject();
        Merge(details, update.Details);
        var current = account.LegalEntity;
        var restated = new LegalEntity(
            update.BusinessType ?? current.BusinessType,
            update.BusinessLegalName ?? current.BusinessLegalName,
            update.CountryOfEstablishment ?? current.CountryOfEstablishment);
        var updated = account.Update(restated, update.BusinessDisplayName, update.Email, details.ToJsonString(), context.Now);
        return updated.IsSuccess ? session.Save(updated.Value) : updated.Error;
    }

    /// <summary>Delete Amazon Pay Account: the account closes and its merchant's keys are revoked, so it can no longer be used.</summary>
    public static Result<MerchantAccount> Delete(IWriteSession session, in CommandContext context, string id)
    {
        var account = session.GetMerchantAccount(context.Owner.MerchantId, id);
        if (account is null || account.Environment != context.Owner.Environment)
        {
            return DomainError.NotFound(What, id);
        }

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
        var account = session.GetMerchantAccount(context.Owner.MerchantId, id);
        if (account is null || account.Environment != context.Owner.Environment)
        {
            return DomainError.NotFound(What, id);
        }

        var claimed = account.Claim(uniqueReferenceId, context.Now);
        if (!claimed.IsSuccess)
        {
            return claimed.Error;
        }

        return ReferenceEquals(claimed.Value, account) ? account : session.Save(claimed.Value);
    }

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
