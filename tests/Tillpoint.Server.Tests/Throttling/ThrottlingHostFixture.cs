using Tillpoint.Server.Tests.Support;
using Tillpoint.Server.Throttling;

namespace Tillpoint.Server.Tests.Throttling;

/// <summary>A server started with <c>--throttling amazon</c>; each test makes its own merchants, whose buckets are their own.</summary>
public sealed class ThrottlingHostFixture : IAsyncLifetime
{
    public TillpointHost Host { get; private set; } = null!;

    public async Task InitializeAsync() => Host = await TillpointHost.StartAsync(options => options with { Throttling = ThrottlingMode.Amazon });

    public async Task DisposeAsync() => await Host.DisposeAsync();
}

/// <summary>Signed requests whose whole answer a test reads, and the answer's outline.</summary>
internal static class Signed
{
    public const string UnknownSession = "/sandbox/v2/checkoutSessions/00000000-0000-4000-8000-000000000000";

    /// <summary>Status, reason code (null on success) and Retry-After of one signed request.</summary>
    public static async Task<(int Status, string? ReasonCode, string? RetryAfter)> SendAsync(
        TillpointHost host, TestMerchant merchant, HttpMethod method, string path, string? body = null, string? keyId = null,
        IReadOnlyDictionary<string, string>? headers = null)
    {
        using var http = RawRequests.Http(host);
        using var response = await RawRequests.SendAsync(
            http, host, merchant, keyId ?? merchant.SandboxKeyId, method, path, body is null ? null : System.Text.Encoding.UTF8.GetBytes(body), headers);
        var text = await response.Content.ReadAsStringAsync();
        var reasonCode = (int)response.StatusCode >= 400
            ? System.Text.Json.JsonDocument.Parse(text).RootElement.GetProperty("reasonCode").GetString()
            : null;
        return ((int)response.StatusCode, reasonCode, response.Headers.RetryAfter?.ToString());
    }

    /// <summary>Get Checkout Session of a session that does not exist: 404 unless something stops it first.</summary>
    public static async Task<int> GetUnknownSessionAsync(TillpointHost host, TestMerchant merchant, string? keyId = null, string path = UnknownSession) =>
        (await SendAsync(host, merchant, HttpMethod.Get, path, keyId: keyId)).Status;
}
