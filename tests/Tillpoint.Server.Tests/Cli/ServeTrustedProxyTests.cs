using System.CommandLine;
using System.Diagnostics;
using System.Net;
using Tillpoint.Server.Cli;

namespace Tillpoint.Server.Tests.Cli;

/// <summary>
/// <c>serve --trusted-proxy ADDRESS</c> (repeatable) or <c>TILLPOINT_TRUSTED_PROXY</c> (addresses separated by commas):
/// the reverse proxies whose X-Forwarded-For names the client (docs/security.md).
/// </summary>
public sealed class ServeTrustedProxyTests
{
    private static readonly RootCommand Root = TillpointCli.CreateRootCommand(TextWriter.Null, TextWriter.Null, TimeProvider.System);

    [Fact]
    public void TrustedProxies_AsTyped_ParseToAddresses_WithMappedIPv4AsIPv4()
    {
        var parse = Root.Parse("serve --trusted-proxy 10.0.0.2 --trusted-proxy ::ffff:10.0.0.3 --trusted-proxy ::1");

        Assert.Empty(parse.Errors);
        Assert.Equal([IPAddress.Parse("10.0.0.2"), IPAddress.Parse("10.0.0.3"), IPAddress.IPv6Loopback], parse.GetValue<IPAddress[]>("--trusted-proxy"));
    }

    [Fact]
    public void TrustedProxy_ThatIsAName_IsAUsageError()
    {
        var parse = Root.Parse("serve --trusted-proxy proxy.internal");

        Assert.Equal(["--trusted-proxy must be an IP address, such as 127.0.0.1 or ::1, not 'proxy.internal'."], parse.Errors.Select(e => e.Message));
    }

    [Fact]
    public async Task TrustedProxies_FromAnEnvironmentVariableWithANonAddress_StopServeWithOneUsageLineNamingIt()
    {
        var start = new ProcessStartInfo("dotnet", [Path.Combine(AppContext.BaseDirectory, "tillpoint.dll"), "serve"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var name in start.Environment.Keys.Where(k => k.StartsWith("TILLPOINT_", StringComparison.Ordinal)).ToList())
        {
            start.Environment.Remove(name);
        }

        start.Environment["TILLPOINT_TRUSTED_PROXY"] = "10.0.0.2, proxy.internal";
        using var process = Process.Start(start)!;
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        await process.WaitForExitAsync(timeout.Token);

        Assert.Equal(ExitCodes.Usage, process.ExitCode);
        Assert.StartsWith(
            "error: TILLPOINT_TRUSTED_PROXY must be an IP address, such as 127.0.0.1 or ::1, not 'proxy.internal'.", (await error).Trim(), StringComparison.Ordinal);
    }
}
