using Tillpoint.Protocol.Signing;
using Tillpoint.Server.Idempotency;

namespace Tillpoint.Server.Signing;

/// <summary>Who sent a verified request, in which environment it acts, and the roles the operator granted its merchant.</summary>
internal sealed record ApiCaller(string MerchantId, ReleaseEnvironment Environment, string PublicKeyId, IReadOnlyList<MerchantRole> Roles)
{
    public bool Holds(MerchantRole role) => Roles.Contains(role);
}

/// <summary>
/// Authenticates an API request per spec §2.9: required headers, their syntax, the key, the environment, then the
/// RSASSA-PSS signature over the canonical request. Runs before any object lookup, so a failure never reveals
/// whether an object exists.
/// </summary>
internal sealed class SignatureAuthenticator(PublicKeyCache keys, ServerOptions options)
{
    private static readonly HashSet<string> Regions = new(StringComparer.OrdinalIgnoreCase) { "na", "us", "eu", "de", "uk", "jp" };

    public Result<ApiCaller> Authenticate(HttpRequest request, ReleaseEnvironment? pathEnvironment, ReadOnlySpan<byte> body)
    {
        var headers = request.Headers;
        var authorizationValue = headers.Authorization.ToString();
        var error = RequireHeader("authorization", authorizationValue)
            ?? RequireHeader("x-amz-pay-date", headers["x-amz-pay-date"].ToString())
            ?? RequireHeader("x-amz-pay-host", headers["x-amz-pay-host"].ToString())
            ?? RequireHeader("x-amz-pay-region", headers["x-amz-pay-region"].ToString());
        if (error is not null)
        {
            return error;
        }

        var parse = AuthorizationHeader.TryParse(authorizationValue, out var authorization);
        if (parse != AuthorizationHeaderParseError.None || authorization is null)
        {
            return new DomainError(
                ErrorCode.InvalidHeaderValue,
                parse == AuthorizationHeaderParseError.UnknownAlgorithm
                    ? "The authorization header names an unknown signing algorithm; use AMZN-PAY-RSASSA-PSS or AMZN-PAY-RSASSA-PSS-V2."
                    : "The authorization header is malformed; expected '{ALGORITHM} PublicKeyId=…, SignedHeaders=…, Signature=…'.");
        }

        error = CheckDate(headers["x-amz-pay-date"].ToString())
            ?? CheckRegion(headers["x-amz-pay-region"].ToString())
            ?? CheckHost(headers["x-amz-pay-host"].ToString(), request.Host.Host);
        if (error is not null)
        {
            return error;
        }

        var key = keys.Find(authorization.PublicKeyId);
        if (key is null)
        {
            return new DomainError(ErrorCode.UnauthorizedAccess, $"The public key id '{authorization.PublicKeyId}' is not registered or was revoked.");
        }

        var environment = ResolveEnvironment(key.Record.Environment, pathEnvironment, authorization.PublicKeyId);
        if (environment.Error is not null)
        {
            return environment.Error;
        }

        var check = RequestSignatureVerifier.Verify(
            authorization,
            key.Key,
            request.Method,
            RawPath(request),
            request.QueryString.Value is { Length: > 0 } query ? query[1..] : null,
            name => request.Headers.TryGetValue(name, out var value) ? value.ToString() : null,
            body);
        return check.Outcome switch
        {
            SignatureCheckOutcome.Valid when UnsignedIdempotencyKey(request, authorization.SignedHeaders) => new DomainError(
                ErrorCode.InvalidRequestSignature,
                $"The header '{IdempotencyKeys.Header}' is sent but not listed in SignedHeaders; sign it."),
            SignatureCheckOutcome.Valid => new ApiCaller(key.Record.MerchantId, environment.Value, authorization.PublicKeyId, key.Roles),
            SignatureCheckOutcome.MissingSignedHeader => new DomainError(
                ErrorCode.MissingHeader, $"The header '{check.HeaderName}' is listed in SignedHeaders but missing from the request."),
            SignatureCheckOutcome.RequiredHeaderNotSigned => new DomainError(
                ErrorCode.InvalidHeaderValue, $"SignedHeaders must include '{check.HeaderName}'."),
            SignatureCheckOutcome.InvalidSignature => new DomainError(
                ErrorCode.InvalidRequestSignature,
                $"Unable to verify signature, signing String [{check.StringToSign}] , signature [{authorization.Signature}]"),
        };
    }

    /// <summary>
    /// The idempotency key decides whether a request takes effect again, so an unsigned one would let anyone holding a
    /// captured request replay it with fresh keys for fresh effects until its date expires. Every official SDK signs it
    /// (spec §2.5). The simulation code is not held to this: the PHP SDK sends it unsigned, it only acts in Sandbox, and
    /// it is part of the idempotency request hash, so changing it under a signed key replays or is refused.
    /// </summary>
    private static bool UnsignedIdempotencyKey(HttpRequest request, string signedHeaders)
    {
        if (!request.Headers.ContainsKey(IdempotencyKeys.Header))
        {
            return false;
        }

        foreach (var declared in signedHeaders.Split(';'))
        {
            if (declared.Equals(IdempotencyKeys.Header, StringComparison.OrdinalIgnoreCase))
            {
                return false;
            }
        }

        return true;
    }

    private static Result<ReleaseEnvironment> ResolveEnvironment(ReleaseEnvironment? keyEnvironment, ReleaseEnvironment? pathEnvironment, string keyId)
    {
        if (keyEnvironment is { } pinned && pathEnvironment is { } path && pinned != path)
        {
            return new DomainError(
                ErrorCode.UnauthorizedAccess, $"The public key '{keyId}' belongs to {pinned} and cannot be used on the {path} path.");
        }

        if ((keyEnvironment ?? pathEnvironment) is not { } environment)
        {
            return new DomainError(
                ErrorCode.UnauthorizedAccess,
                $"The public key '{keyId}' is not environment-specific; call /sandbox/v2 or /live/v2 instead of /v2.");
        }

        return environment;
    }

    private static DomainError? RequireHeader(string name, string value) => value.Length switch
    {
        0 => new DomainError(ErrorCode.MissingHeader, $"The required header '{name}' is missing."),
        _ => string.IsNullOrWhiteSpace(value)
            ? new DomainError(ErrorCode.MissingHeaderValue, $"The header '{name}' has no value.")
            : null,
    };

    private DomainError? CheckDate(string value)
    {
        if (!AmazonPayDate.TryParse(value, out var date))
        {
            return new DomainError(
                ErrorCode.InvalidHeaderValue, $"The value {value} provided for x-amz-pay-date is not in yyyyMMddTHHmmssZ format.");
        }

        var now = options.SignatureClock.GetUtcNow();
        if (date - now > options.FutureDateTolerance)
        {
            return new DomainError(ErrorCode.InvalidHeaderValue, $"The value {value} provided for x-amz-pay-date should not be in future");
        }

        return now - date > options.SignatureMaxAge
            ? new DomainError(
                ErrorCode.InvalidHeaderValue,
                $"The value {value} provided for x-amz-pay-date is older than {options.SignatureMaxAge.TotalMinutes:0} minutes.")
            : null;
    }

    private static DomainError? CheckRegion(string value) => Regions.Contains(value)
        ? null
        : new DomainError(ErrorCode.InvalidHeaderValue, $"The value {value} provided for x-amz-pay-region is not a known region.");

    private DomainError? CheckHost(string value, string requestHost)
    {
        var host = HostOf(value);
        var allowed = string.Equals(host, requestHost, StringComparison.OrdinalIgnoreCase)
            || options.AllowedPayHosts.Contains(host);
        return allowed
            ? null
            : new DomainError(ErrorCode.InvalidHeaderValue, $"The value {value} provided for x-amz-pay-host does not name this server.");
    }

    /// <summary>The host part of "host", "host:port" or "[v6]:port".</summary>
    private static string HostOf(string value)
    {
        if (value.StartsWith('['))
        {
            var close = value.IndexOf(']', StringComparison.Ordinal);
            return close > 0 ? value[1..close] : value;
        }

        var colon = value.LastIndexOf(':');
        return colon > 0 && value.IndexOf(':', StringComparison.Ordinal) == colon ? value[..colon] : value;
    }

    /// <summary>
    /// The path exactly as the client sent it (spec §1.2): clients sign the escaped form, and ASP.NET's
    /// <c>Request.Path</c> is already decoded, so an id with an escaped character would never verify against it.
    /// </summary>
    private static string RawPath(HttpRequest request)
    {
        var target = request.HttpContext.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpRequestFeature>()?.RawTarget;
        if (string.IsNullOrEmpty(target) || target[0] != '/')
        {
            return request.Path.Value ?? "/";
        }

        var query = target.IndexOf('?', StringComparison.Ordinal);
        return query < 0 ? target : target[..query];
    }
}
