using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text.Json;

namespace Tillpoint.Server.Signing;

/// <summary>
/// The tokens Get Authorization Token hands a solution provider, and the check of <c>x-amz-pay-authtoken</c> on its later
/// calls. A token is an HS256 JSON Web Token naming the merchant (<c>sub</c>), the solution provider (<c>azp</c>) and the
/// MWS auth token it came from (<c>jti</c>). It has no expiry of its own: it is honoured while that MWS auth token is not
/// revoked and the solution provider keeps its role, both read from the store on every delegated call (a primary-key
/// lookup), so revoking either ends the delegation at once on every node. The HMAC key is made on first use and kept
/// in <c>settings</c>, so every node issues and checks alike.
/// </summary>
internal sealed class AuthorizationTokens(ITillpointStore store)
{
    public const string Header = "x-amz-pay-authtoken";

    private const string KeySetting = "authorization-tokens.key";

    private static readonly string EncodedHeader = Base64Url.EncodeToString("""{"alg":"HS256","typ":"JWT"}"""u8);

    private byte[]? _key;

    /// <summary>The token for <paramref name="delegation"/>, issued at <paramref name="issuedAt"/>.</summary>
    public async Task<string> IssueAsync(MwsAuthTokenRecord delegation, DateTimeOffset issuedAt)
    {
        using var payload = new MemoryStream();
        using (var writer = new Utf8JsonWriter(payload))
        {
            writer.WriteStartObject();
            writer.WriteString("iss", "tillpoint");
            writer.WriteString("sub", delegation.MerchantId);
            writer.WriteString("azp", delegation.SolutionProviderId);
            writer.WriteString("jti", delegation.MwsAuthToken);
            writer.WriteNumber("iat", issuedAt.ToUnixTimeSeconds());
            writer.WriteEndObject();
        }

        var signed = EncodedHeader + "." + Base64Url.EncodeToString(payload.ToArray());
        return signed + "." + Base64Url.EncodeToString(HMACSHA256.HashData(await KeyAsync(), Encoding.ASCII.GetBytes(signed)));
    }

    /// <summary>
    /// The caller a signed request acts as: itself without <c>x-amz-pay-authtoken</c>; with it, the merchant that delegated
    /// to the signing solution provider, keeping the signer's roles (the solution provider is who the operator trusts).
    /// Without the header it completes at once and allocates nothing.
    /// </summary>
    public async ValueTask<Result<ApiCaller>> ActingCallerAsync(HttpRequest request, ApiCaller signer)
    {
        if (!request.Headers.TryGetValue(Header, out var values))
        {
            return signer;
        }

        var delegation = Read(values.Count == 1 ? values[0] : null, await KeyAsync());
        if (delegation is null)
        {
            return Invalid("it is not a token Tillpoint issued.");
        }

        var (merchantId, solutionProviderId, mwsAuthToken) = delegation.Value;
        if (solutionProviderId != signer.MerchantId)
        {
            return Invalid($"it was issued to another solution provider than '{signer.MerchantId}'.");
        }

        if (!signer.Holds(MerchantRole.SolutionProvider))
        {
            return Invalid($"the merchant '{signer.MerchantId}' no longer has the solution-provider role.");
        }

        var record = store.Read(reader => reader.GetMwsAuthToken(mwsAuthToken));
        if (record is not { RevokedAt: null } || record.MerchantId != merchantId || record.SolutionProviderId != solutionProviderId)
        {
            return Invalid("the merchant's delegation was revoked.");
        }

        return signer with { MerchantId = merchantId };
    }

    private static DomainError Invalid(string why) =>
        new(ErrorCode.InvalidAuthorizationToken, $"The {Header} header is not valid: {why}");

    /// <summary>The claims of a well-formed token whose signature verifies, or null.</summary>
    private static (string MerchantId, string SolutionProviderId, string MwsAuthToken)? Read(string? token, byte[] key)
    {
        var parts = token?.Split('.');
        if (parts is not { Length: 3 } || parts[0] != EncodedHeader || !Base64Url.IsValid(parts[1]) || !Base64Url.IsValid(parts[2]))
        {
            return null;
        }

        var expected = HMACSHA256.HashData(key, Encoding.ASCII.GetBytes(parts[0] + "." + parts[1]));
        if (!CryptographicOperations.FixedTimeEquals(expected, Base64Url.DecodeFromChars(parts[2])))
        {
            return null;
        }

        // Signed by this server, so the payload is the one IssueAsync wrote.
        using var payload = JsonDocument.Parse(Base64Url.DecodeFromChars(parts[1]));
        var claims = payload.RootElement;
        return (claims.GetProperty("sub").GetString()!, claims.GetProperty("azp").GetString()!, claims.GetProperty("jti").GetString()!);
    }

    private async ValueTask<byte[]> KeyAsync()
    {
        if (_key is { } key)
        {
            return key;
        }

        // Made inside a write that reads it first (under the setting's lock on PostgreSQL), so nodes starting together agree.
        var stored = store.Read(reader => reader.GetSetting(KeySetting)) ?? await store.WriteAsync(write =>
        {
            if (write.GetSetting(KeySetting) is { } existing)
            {
                return existing;
            }

            var made = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
            write.PutSetting(KeySetting, made);
            return made;
        });
        return _key = Convert.FromBase64String(stored);
    }
}
