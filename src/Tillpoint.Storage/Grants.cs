namespace Tillpoint.Storage;

/// <summary>A role the operator granted a merchant, and when.</summary>
public sealed record MerchantRoleGrant(string MerchantId, MerchantRole Role, DateTimeOffset GrantedAt);

/// <summary>
/// A merchant's delegation to a solution provider: the MWS auth token the operator issued for it, which the solution
/// provider exchanges for an authorization token (Get Authorization Token). Revoking it ends the delegation.
/// </summary>
public sealed record MwsAuthTokenRecord(
    string MwsAuthToken, string MerchantId, string SolutionProviderId, DateTimeOffset CreatedAt, DateTimeOffset? RevokedAt);

/// <summary>What the operator granted: merchants' roles and their delegations to solution providers.</summary>
public interface IGrantReader
{
    /// <summary>The roles granted to <paramref name="merchantId"/>, in role order.</summary>
    IReadOnlyList<MerchantRole> GetMerchantRoles(string merchantId);

    /// <summary>Every grant of every merchant, by merchant and role.</summary>
    IReadOnlyList<MerchantRoleGrant> ListRoleGrants();

    MwsAuthTokenRecord? GetMwsAuthToken(string mwsAuthToken);
}

public interface IGrantWriter
{
    /// <summary>Returns false, and stores nothing, when the merchant already has the role.</summary>
    bool GrantRole(MerchantRoleGrant grant);

    /// <summary>Returns false when the merchant did not have the role.</summary>
    bool RevokeRole(string merchantId, MerchantRole role);

    void AddMwsAuthToken(MwsAuthTokenRecord record);

    /// <summary>Returns false when the token does not exist or was already revoked.</summary>
    bool RevokeMwsAuthToken(string mwsAuthToken, DateTimeOffset at);
}
