namespace Tillpoint.Client;

/// <summary>
/// Checks of what the caller gives (endpoint, region, ids, idempotency keys, extra headers), made before anything is
/// signed or sent, so a mistake is an <see cref="ArgumentException"/> here rather than a refusal from the server.
/// </summary>
public sealed partial class AmazonPayClient
{
    internal static string Segment(string id, [System.Runtime.CompilerServices.CallerArgumentExpression(nameof(id))] string? paramName = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(id, paramName);
        if (id is "." or "..")
        {
            throw new ArgumentException("An id cannot be '.' or '..'.", paramName);
        }

        return Uri.EscapeDataString(id);
    }

    private static (string BaseUrl, string Host) BaseUrlAndHost(AmazonPayClientOptions options)
    {
        var endpoint = options.Endpoint;
        ValidateEndpoint(endpoint, nameof(options));

        var keyId = options.PublicKeyId;
        var environment = keyId.StartsWith("SANDBOX-", StringComparison.OrdinalIgnoreCase)
            || keyId.StartsWith("LIVE-", StringComparison.OrdinalIgnoreCase)
            ? string.Empty
            : options.Sandbox ? "/sandbox" : "/live";

        // Host as HttpClient sends it (punycode, IPv6 in brackets), with the port only when it is not the scheme's default.
        var hostName = endpoint.HostNameType == UriHostNameType.IPv6 ? $"[{endpoint.IdnHost}]" : endpoint.IdnHost;
        var host = endpoint.IsDefaultPort ? hostName : $"{hostName}:{endpoint.Port}";
        var prefix = endpoint.AbsolutePath.TrimEnd('/');
        return ($"{endpoint.Scheme}://{host}{prefix}{environment}/v2/", host);
    }

    internal static void ValidateEndpoint(Uri endpoint, string paramName)
    {
        ArgumentNullException.ThrowIfNull(endpoint, paramName);
        if (!endpoint.IsAbsoluteUri || (endpoint.Scheme != Uri.UriSchemeHttps && endpoint.Scheme != Uri.UriSchemeHttp))
        {
            throw new ArgumentException("The endpoint must be an absolute http or https URI.", paramName);
        }

        if (endpoint.Query.Length > 0 || endpoint.Fragment.Length > 0 || endpoint.UserInfo.Length > 0)
        {
            throw new ArgumentException("The endpoint must not carry a query, fragment or user info.", paramName);
        }
    }

    private static void ValidateRegion(string region, string paramName)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(region, paramName);
        ValidateHeaderValue("x-amz-pay-region", region, paramName);
    }

    private static void ValidateIdempotencyKey(string key, string paramName)
    {
        if (key.Length is 0 or > MaxIdempotencyKeyLength)
        {
            throw new ArgumentException($"An idempotency key has 1 to {MaxIdempotencyKeyLength} characters.", paramName);
        }

        foreach (var c in key)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '-' or '_'))
            {
                throw new ArgumentException("An idempotency key may only contain A-Z, a-z, 0-9, '-' and '_'.", paramName);
            }
        }
    }

    private static void ValidateExtraHeaderName(string name, string paramName)
    {
        ArgumentException.ThrowIfNullOrEmpty(name, paramName);
        foreach (var reserved in ReservedHeaderNames)
        {
            if (string.Equals(name, reserved, StringComparison.OrdinalIgnoreCase))
            {
                throw new ArgumentException($"Header '{name}' is set by the client and cannot be an extra header.", paramName);
            }
        }
    }

    // Printable ASCII and tab: what HttpClient sends unchanged and every server reads back the same.
    private static void ValidateHeaderValue(string name, string value, string paramName)
    {
        ArgumentNullException.ThrowIfNull(value, paramName);
        foreach (var c in value)
        {
            if (c is not ((>= ' ' and <= '~') or '\t'))
            {
                throw new ArgumentException($"The value of header '{name}' must be printable ASCII.", paramName);
            }
        }
    }
}
