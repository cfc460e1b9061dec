using System.Data.Common;

namespace Tillpoint.Storage.Relational;

/// <summary>Merchants' roles and their delegations to solution providers.</summary>
internal sealed partial class RelationalSession
{
    public IReadOnlyList<MerchantRole> GetMerchantRoles(string merchantId)
    {
        if (!CanStore(merchantId))
        {
            return [];
        }

        using var command = Command("SELECT role FROM merchant_roles WHERE merchant_id = @m ORDER BY role");
        command.Text("m", merchantId);
        return command.ReadAll(static reader => Enum.Parse<MerchantRole>(reader.GetString(0)));
    }

    public IReadOnlyList<MerchantRoleGrant> ListRoleGrants()
    {
        using var command = Command("SELECT merchant_id, role, granted_at FROM merchant_roles ORDER BY merchant_id, role");
        return command.ReadAll(reader => new MerchantRoleGrant(reader.GetString(0), Enum.Parse<MerchantRole>(reader.GetString(1)), Dialect.GetTime(reader, 2)));
    }

    public bool GrantRole(MerchantRoleGrant grant)
    {
        // DO NOTHING on the key only, so granting twice keeps the first grant's time and any other failure still throws.
        using var command = Command(
            "INSERT INTO merchant_roles (merchant_id, role, granted_at) VALUES (@m, @role, @at) ON CONFLICT (merchant_id, role) DO NOTHING");
        command.Text("m", grant.MerchantId);
        command.Text("role", grant.Role.ToString());
        command.Time("at", grant.GrantedAt);
        return command.Execute() == 1;
    }

    public bool RevokeRole(string merchantId, MerchantRole role)
    {
        if (!CanStore(merchantId))
        {
            return false;
        }

        using var command = Command("DELETE FROM merchant_roles WHERE merchant_id = @m AND role = @role");
        command.Text("m", merchantId);
        command.Text("role", role.ToString());
        return command.Execute() == 1;
    }

    public MwsAuthTokenRecord? GetMwsAuthToken(string mwsAuthToken)
    {
        if (!CanStore(mwsAuthToken))
        {
            return null;
        }

        using var command = Command(
            "SELECT mws_auth_token, merchant_id, solution_provider_id, created_at, revoked_at FROM mws_auth_tokens WHERE mws_auth_token = @t");
        command.Text("t", mwsAuthToken);
        using var reader = command.Read();
        return reader.Read() ? ReadMwsAuthToken(reader) : null;
    }

    public void AddMwsAuthToken(MwsAuthTokenRecord record)
    {
        using var command = Command(
            """
            INSERT INTO mws_auth_tokens (mws_auth_token, merchant_id, solution_provider_id, created_at, revoked_at)
            VALUES (@t, @m, @sp, @at, NULL)
            """);
        command.Text("t", record.MwsAuthToken);
        command.Text("m", record.MerchantId);
        command.Text("sp", record.SolutionProviderId);
        command.Time("at", record.CreatedAt);
        command.Execute();
    }

    public bool RevokeMwsAuthToken(string mwsAuthToken, DateTimeOffset at) => Revoke("mws_auth_tokens", "mws_auth_token", mwsAuthToken, at);

    private MwsAuthTokenRecord ReadMwsAuthToken(DbDataReader reader) => new(
        reader.GetString(0),
        reader.GetString(1),
        reader.GetString(2),
        Dialect.GetTime(reader, 3),
        reader.IsDBNull(4) ? null : Dialect.GetTime(reader, 4));
}
