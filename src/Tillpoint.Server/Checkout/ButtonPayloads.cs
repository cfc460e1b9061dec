using System.Text.Json.Serialization.Metadata;
using Tillpoint.Protocol.Signing;
using Tillpoint.Server.Commands;
using Tillpoint.Server.Hosting;
using Tillpoint.Server.Signing;

namespace Tillpoint.Server.Checkout;

/// <summary>
/// Checks what an Amazon Pay button hands the hosted pages (spec §2.11, §9.2): the merchant's <c>publicKeyId</c>,
/// the declared <c>algorithm</c>, the <c>sandbox</c> flag and a signature over the exact <c>payloadJSON</c> string.
/// Shared by every button product (sign-in now, checkout when the button script exists), so they agree on who the
/// merchant is and in which environment it acts.
/// </summary>
internal static class ButtonPayloads
{
    /// <summary>
    /// Finds the key, resolves the environment and verifies the signature. The payload is not parsed here: nothing in
    /// it is trusted before the signature is.
    /// </summary>
    /// <param name="keys">The merchants' keys.</param>
    /// <param name="publicKeyId">The button's <c>publicKeyId</c>.</param>
    /// <param name="algorithmName">The button's <c>algorithm</c>; when absent, <c>AMZN-PAY-RSASSA-PSS</c>, as checkout.js assumes.</param>
    /// <param name="sandbox">The button's <c>sandbox</c> flag (<c>true</c>/<c>false</c>); only needed for keys without an environment prefix.</param>
    /// <param name="payloadJson">The exact payload string that was signed.</param>
    /// <param name="signature">The base64 signature.</param>
    /// <returns>The merchant and environment the button acts for, or why it cannot be trusted.</returns>
    public static Result<ApiCaller> Verify(
        PublicKeyCache keys, string? publicKeyId, string? algorithmName, string? sandbox, string? payloadJson, string? signature)
    {
        if (string.IsNullOrEmpty(publicKeyId))
        {
            return DomainError.Missing("publicKeyId");
        }

        if (string.IsNullOrEmpty(payloadJson))
        {
            return DomainError.Missing("payload");
        }

        if (string.IsNullOrEmpty(signature))
        {
            return DomainError.Missing("signature");
        }

        var algorithm = SignatureAlgorithm.RsassaPss;
        if (algorithmName is not null && !SignatureAlgorithms.TryParse(algorithmName, out algorithm))
        {
            return DomainError.InvalidValue(
                "algorithm", $"'{algorithmName}' is not {SignatureAlgorithms.RsassaPssName} or {SignatureAlgorithms.RsassaPssV2Name}.");
        }

        ReleaseEnvironment? flagged = null;
        if (sandbox is not null)
        {
            if (!bool.TryParse(sandbox, out var isSandbox))
            {
                return DomainError.InvalidValue("sandbox", $"'{sandbox}' is not true or false.");
            }

            flagged = isSandbox ? ReleaseEnvironment.Sandbox : ReleaseEnvironment.Live;
        }

        var key = keys.Find(publicKeyId);
        if (key is null)
        {
            return new DomainError(ErrorCode.UnauthorizedAccess, $"The public key id '{publicKeyId}' is not registered or was revoked.");
        }

        if (key.Record.Environment is { } pinned && flagged is { } asked && pinned != asked)
        {
            return new DomainError(
                ErrorCode.UnauthorizedAccess, $"The public key '{publicKeyId}' belongs to {pinned} but the button asks for {asked} (sandbox: {sandbox}).");
        }

        // checkout.js defaults to sandbox: false, so a key without a prefix and no flag acts in Live.
        var environment = key.Record.Environment ?? flagged ?? ReleaseEnvironment.Live;

        // A '+' of the base64 signature arrives as a space when the link was built without escaping it; base64 has no
        // spaces, so putting it back cannot make a wrong signature pass.
        if (!ButtonSignature.Verify(key.Key, algorithm, payloadJson, signature.Replace(' ', '+')))
        {
            return new DomainError(
                ErrorCode.InvalidRequestSignature,
                $"The signature does not match the payload for key '{publicKeyId}' and {SignatureAlgorithms.Name(algorithm)}; "
                + $"the string to sign is [{ButtonSignature.StringToSign(algorithm, payloadJson)}].");
        }

        return new ApiCaller(key.Record.MerchantId, environment, publicKeyId, key.Roles);
    }

    /// <summary>
    /// A button's query (<paramref name="parameters"/> each at most once) verified as <see cref="Verify"/> does: the
    /// merchant and environment it acts for, and the exact payload string that was signed.
    /// </summary>
    public static Result<(ApiCaller Caller, string Payload)> VerifyQuery(IQueryCollection query, PublicKeyCache keys, IReadOnlyList<string> parameters)
    {
        var repeated = parameters.FirstOrDefault(name => query[name].Count > 1);
        if (repeated is not null)
        {
            return DomainError.InvalidValue(repeated, "it is given more than once.");
        }

        // The payload's size is bounded by Kestrel's request-line limit (8 KiB by default).
        var payload = query["payload"].ToString();
        var verified = Verify(keys, query["publicKeyId"], query["algorithm"], query["sandbox"], payload, query["signature"]);
        return verified.IsSuccess ? (verified.Value, payload) : verified.Error;
    }

    /// <summary>A verified payload, read as strictly as an API body.</summary>
    public static Result<T> Parse<T>(string payload, JsonTypeInfo<T> type)
        where T : class, new()
    {
        var parsed = StrictJson.Parse(Encoding.UTF8.GetBytes(payload), type);
        // The API's wording for this one speaks of a request body; here it is the payload.
        return parsed.Error?.Code == ErrorCode.InvalidRequestFormat
            ? new DomainError(ErrorCode.InvalidRequestFormat, "The payload is not a valid JSON object.")
            : parsed;
    }

    /// <summary>The payload's <c>storeId</c> must be a store of the merchant whose key signed it.</summary>
    public static DomainError? CheckStore(ITillpointStore store, ApiCaller caller, string storeId) =>
        store.Read(reader => Merchants.HasStore(reader, caller.MerchantId, storeId))
            ? null
            : DomainError.InvalidValue("storeId", $"'{storeId}' is not a store of the merchant that owns key '{caller.PublicKeyId}'.");
}
