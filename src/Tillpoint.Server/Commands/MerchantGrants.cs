namespace Tillpoint.Server.Commands;

/// <summary>What granting or revoking a role did.</summary>
internal enum GrantOutcome
{
    /// <summary>The role was granted or revoked.</summary>
    Changed,

    /// <summary>The merchant already had the role (grant) or did not have it (revoke): nothing to do.</summary>
    Unchanged,

    UnknownMerchant,
}

/// <summary>
/// The operator's grants of roles to merchants, for the command line and the dashboard alike. Both are idempotent, so a
/// script may grant what is granted already. Requests see a change once the nodes' key caches take it up
/// (<see cref="ServerOptions.KeyCacheTtl"/>; at once on the node that made it, which forgets the merchant's keys).
/// </summary>
internal static class MerchantGrants
{
    /// <summary>The roles as the command line and the dashboard name them; a stable form scripts rely on.</summary>
    public static string Name(MerchantRole role) => role switch
    {
        MerchantRole.Psp => "psp",
        MerchantRole.SolutionProvider => "solution-provider",
    };

    /// <summary>Every role's name, for help texts and messages.</summary>
    public static string Names { get; } = string.Join('|', Enum.GetValues<MerchantRole>().Select(Name));

    /// <summary>The role named <paramref name="name"/> (any case), or null.</summary>
    public static MerchantRole? Parse(string? name)
    {
        foreach (var role in Enum.GetValues<MerchantRole>())
        {
            if (string.Equals(Name(role), name?.Trim(), StringComparison.OrdinalIgnoreCase))
            {
                return role;
            }
        }

        return null;
    }

    public static Task<GrantOutcome> GrantAsync(ITillpointStore store, string merchantId, MerchantRole role, DateTimeOffset now, CancellationToken cancellationToken) =>
        store.WriteAsync(
            write => write.GetMerchant(merchantId) is null ? GrantOutcome.UnknownMerchant
                : write.GrantRole(new MerchantRoleGrant(merchantId, role, now)) ? GrantOutcome.Changed
                : GrantOutcome.Unchanged,
            cancellationToken);

    public static Task<GrantOutcome> RevokeAsync(ITillpointStore store, string merchantId, MerchantRole role, CancellationToken cancellationToken) =>
        store.WriteAsync(
            write => write.GetMerchant(merchantId) is null ? GrantOutcome.UnknownMerchant
                : write.RevokeRole(merchantId, role) ? GrantOutcome.Changed
                : GrantOutcome.Unchanged,
            cancellationToken);

    /// <summary>
    /// Issues an MWS auth token delegating <paramref name="merchantId"/> to <paramref name="solutionProviderId"/>, in the
    /// form Amazon's have (<c>amzn.mws.</c> and a UUID). The solution provider exchanges it with Get Authorization Token,
    /// for which it needs the solution-provider role; that role is not checked here, so either may come first.
    /// </summary>
    public static Task<Result<MwsAuthTokenRecord>> AuthorizeTokenAsync(
        ITillpointStore store, string merchantId, string solutionProviderId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (merchantId == solutionProviderId)
        {
            return Task.FromResult<Result<MwsAuthTokenRecord>>(
                DomainError.InvalidValue("solution provider", "a merchant cannot delegate to itself."));
        }

        return store.WriteAsync<Result<MwsAuthTokenRecord>>(
            write =>
            {
                var unknown = new[] { merchantId, solutionProviderId }.FirstOrDefault(id => write.GetMerchant(id) is null);
                if (unknown is not null)
                {
                    return new DomainError(ErrorCode.ResourceNotFound, $"No merchant with id '{unknown}'.");
                }

                var record = new MwsAuthTokenRecord("amzn.mws." + Guid.NewGuid().ToString("D"), merchantId, solutionProviderId, now, null);
                write.AddMwsAuthToken(record);
                return record;
            },
            cancellationToken);
    }

    /// <summary>Revokes an MWS auth token: the delegation tokens made from it stop working at once.</summary>
    public static Task<Result<MwsAuthTokenRecord>> RevokeTokenAsync(
        ITillpointStore store, string mwsAuthToken, DateTimeOffset now, CancellationToken cancellationToken) =>
        store.WriteAsync<Result<MwsAuthTokenRecord>>(
            write => write.RevokeMwsAuthToken(mwsAuthToken, now)
                ? write.GetMwsAuthToken(mwsAuthToken)!
                : write.GetMwsAuthToken(mwsAuthToken) is null
                    ? new DomainError(ErrorCode.ResourceNotFound, $"No MWS auth token '{mwsAuthToken}'.")
                    : new DomainError(ErrorCode.InvalidRequest, $"The MWS auth token '{mwsAuthToken}' is already revoked."),
            cancellationToken);
}
