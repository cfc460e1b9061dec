using System.Net;
using System.Net.Sockets;

namespace Tillpoint.Testing.Tests;

/// <summary>
/// The packages as their users get them: a merchant's test project restoring Tillpoint.Testing from a local package
/// folder, and the .NET tool installed from it.
/// </summary>
public sealed class PackageTests(PackedTillpoint packed) : IClassFixture<PackedTillpoint>
{
    /// <summary>The merchant's test class docs/testing.md shows, as its text stands there.</summary>
    private static string DocumentedTests()
    {
        var docs = File.ReadAllText(Path.Combine(TestRepository.Root, "docs", "testing.md"));
        var section = docs.IndexOf("## Testing your integration with Tillpoint.Testing", StringComparison.Ordinal);
        Assert.True(section >= 0, "docs/testing.md has no section on Tillpoint.Testing");
        var start = docs.IndexOf("```csharp\n", section, StringComparison.Ordinal) + "```csharp\n".Length;
        return docs[start..docs.IndexOf("```\n", start, StringComparison.Ordinal)];
    }

    /// <summary>Another test of the merchant's, beside the documented ones: two servers in one test process.</summary>
    private const string ParallelServersTest = """
        using Tillpoint.Testing;
        using Xunit;

        public class ParallelServersTests
        {
            [Fact]
            public async Task TwoServersAnswerEachOverItsOwnCertificate()
            {
                await using var one = await TillpointTestServer.StartAsync();
                await using var two = await TillpointTestServer.StartAsync();
                using var http = one.CreateHttpClient();
                Assert.True((await http.GetAsync("/healthz")).IsSuccessStatusCode);
                Assert.NotEqual(one.BaseUrl, two.BaseUrl);
            }
        }
        """;

    [Fact]
    public async Task TillpointTesting_FromItsPackage_RunsAMerchantsTests()
    {
        var project = packed.Scratch("merchant-tests");
        await File.WriteAllTextAsync(Path.Combine(project, "nuget.config"), $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                <clear />
                <add key="tillpoint" value="{packed.Feed}" />
              </packageSources>
            </configuration>
            """);
        await File.WriteAllTextAsync(Path.Combine(project, "MerchantTests.csproj"), $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <TargetFramework>net10.0</TargetFramework>
                <Nullable>enable</Nullable>
                <ImplicitUsings>enable</ImplicitUsings>
              </PropertyGroup>
              <ItemGroup>
                <PackageReference Include="Tillpoint.Testing" Version="{packed.Version}" />
                <PackageReference Include="Microsoft.NET.Test.Sdk" Version="{PackedTillpoint.PinnedVersion("Microsoft.NET.Test.Sdk")}" />
                <PackageReference Include="xunit" Version="{PackedTillpoint.PinnedVersion("xunit")}" />
                <PackageReference Include="xunit.runner.visualstudio" Version="{PackedTillpoint.PinnedVersion("xunit.runner.visualstudio")}" />
              </ItemGroup>
            </Project>
            """);
        await File.WriteAllTextAsync(Path.Combine(project, "CheckoutTests.cs"), DocumentedTests());
        await File.WriteAllTextAsync(Path.Combine(project, "ParallelServersTests.cs"), ParallelServersTest);
        await using var shell = new UserShell(project, PackedTillpoint.DotnetEnvironment);

        var run = await shell.RunAsync("dotnet test", TimeSpan.FromMinutes(8));

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Matches(@"Passed!\s+-\s+Failed:\s+0, Passed:\s+3, Skipped:\s+0", run.Output);
    }

    [Fact]
    public async Task TheTool_InstalledFromTheFolder_ShowsItsHelp_AndServesHealthz()
    {
        var tools = packed.Scratch("tools");
        var data = packed.Scratch("tool-data");
        await using var shell = new UserShell(packed.Scratch("tool-user"), PackedTillpoint.DotnetEnvironment);

        var installed = await shell.RunAsync(
            $"dotnet tool install Tillpoint --version {packed.Version} --tool-path '{tools}' --source '{packed.Feed}'", TimeSpan.FromMinutes(5));
        Assert.True(installed.ExitCode == 0, installed.ToString());
        var help = await shell.RunAsync($"'{tools}/tillpoint' --help", TimeSpan.FromMinutes(1));
        Assert.True(help.ExitCode == 0, help.ToString());
        Assert.Contains("serve", help.Output, StringComparison.Ordinal);

        var port = FreePort();
        var serve = await shell.StartAsync($"'{tools}/tillpoint' serve --urls http://127.0.0.1:{port} --data-dir '{data}'");
        await UserShell.WaitUntilAnswersAsync(serve, new Uri($"http://127.0.0.1:{port}/healthz"), TimeSpan.FromMinutes(1));
        var stopped = await shell.StopAsync(serve, TimeSpan.FromSeconds(30));

        Assert.True(stopped.ExitCode == 0, stopped.ToString());
        Assert.True(File.Exists(Path.Combine(data, "tillpoint.db")), "serve kept its state in the --data-dir given");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
