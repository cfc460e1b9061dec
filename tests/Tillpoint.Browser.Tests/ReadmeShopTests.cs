using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace Tillpoint.Browser.Tests;

/// <summary>
/// The README's "A reference shop" commands, run as a user types them (each line through bash, from a copy of the
/// repository's root), with <c>tillpoint</c> on the PATH as the Getting started section installs it; then a buyer pays
/// in Chromium on the hosted pages. The README's ports are fixed, so this collection runs alone.
/// </summary>
[Collection(ReadmeCommandsCollection.Name)]
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed partial class ReadmeShopTests(BrowserFixture browser, ITestOutputHelper output)
{
    private const string Section = "## A reference shop";
    private static readonly Uri TillpointHealth = new("http://127.0.0.1:8080/healthz");
    private static readonly Uri Shop = new("http://127.0.0.1:5080/");
    private static readonly TimeSpan CommandTimeout = TimeSpan.FromSeconds(60);
    // The shop's first start builds it (dotnet run), as it does for a user.
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(180);

    [Fact]
    public async Task ReferenceShop_StartedWithTheReadmesCommands_TakesAPaymentOnTheFirstTry()
    {
        var commands = ReadmeCommands();
        // Whatever else the section asks for: Tillpoint, and a shop at the address the buyer opens.
        Assert.Contains(commands, c => c.Line.StartsWith("tillpoint serve", StringComparison.Ordinal));
        Assert.Contains(commands, c => c.Comment.Contains(Shop.AbsoluteUri.TrimEnd('/'), StringComparison.Ordinal));
        using var ports = await FixedPorts.AcquireAsync();
        await WaitForFreePortsAsync([8443, 8080, 5080]);

        var root = Directory.CreateTempSubdirectory("tillpoint-readme-shop-").FullName;
        var elapsed = Stopwatch.StartNew();
        var work = CopyOfTheRepository(root);
        // The server built beside these tests: the program the .NET tool installs.
        var tool = TillpointOnThePath.Create(Path.Combine(root, "bin"), $"dotnet \"{Path.Combine(AppContext.BaseDirectory, "tillpoint.dll")}\"");
        await using var shell = new UserShell(work, UserEnvironment(tool));
        var started = new List<BackgroundCommand>();
        try
        {
            foreach (var (line, comment) in commands)
            {
                // A line the README gives a terminal of its own keeps running; the others run to their end.
                if (!comment.Contains("terminal", StringComparison.Ordinal))
                {
                    var once = await shell.RunAsync(line, CommandTimeout);
                    Assert.True(once.ExitCode == 0, once.ToString());
                    output.WriteLine($"{elapsed.Elapsed.TotalSeconds,5:0.0} s  `{line}` done");
                    continue;
                }

                var server = await shell.StartAsync(line);
                started.Add(server);
                // Tillpoint answers /healthz; the shop is ready at the address its comment names. Its own "Now listening
                // on" line shows that what answers is this command, not something else on the port.
                var ready = line.StartsWith("tillpoint serve", StringComparison.Ordinal) ? TillpointHealth : new Uri(Url().Match(comment).Value);
                await UserShell.WaitUntilAnswersAsync(server, ready, StartTimeout, output => output.Contains(ready.Authority, StringComparison.Ordinal));
                output.WriteLine($"{elapsed.Elapsed.TotalSeconds,5:0.0} s  `{line}` answers at {ready}");
            }

            await BuyAsync(Shop);
            output.WriteLine($"{elapsed.Elapsed.TotalSeconds,5:0.0} s  paid");

            // SIGTERM to each terminal's command, the shop first: both stop cleanly.
            for (var i = started.Count - 1; i >= 0; i--)
            {
                var stopped = await shell.StopAsync(started[i], TimeSpan.FromSeconds(20));
                Assert.True(stopped.ExitCode == 0, $"On SIGTERM, {stopped}");
            }

            output.WriteLine($"{elapsed.Elapsed.TotalSeconds,5:0.0} s  stopped");
        }
        finally
        {
            // Before the folder goes: the shell kills whatever is still running in it.
            await shell.DisposeAsync();
            Directory.Delete(root, recursive: true);
        }
    }

    /// <summary>The buyer's side: products, cart, Tillpoint's button and pages (over plain HTTP, no certificate), the order.</summary>
    private async Task BuyAsync(Uri shop)
    {
        // No IgnoreHTTPSErrors: a browser that has never seen Tillpoint's certificate must not need it.
        await using var context = await browser.Browser.NewContextAsync(new BrowserNewContextOptions { Locale = "en-US" });
        var page = await context.NewPageAsync();
        page.SetDefaultTimeout(15_000);
        var consoleErrors = new List<string>();
        page.Console += (_, message) =>
        {
            if (message.Type == "error")
            {
                consoleErrors.Add(message.Text);
            }
        };

        try
        {
            await page.GotoAsync(shop.AbsoluteUri);
            await page.Locator("#add-mug").ClickAsync();
            await page.GotoAsync(new Uri(shop, "/cart").AbsoluteUri);
            await Expect(page.Locator("#AmazonPayButton button")).ToBeVisibleAsync();

            var tillpoint = await ShopBrowserTests.PayWithTheButtonAsync(page);
            await page.Locator("#viewOrder").ClickAsync();

            // Tillpoint's pages came over plain HTTP on loopback, its default public URL there.
            Assert.Equal("http://127.0.0.1:8080", tillpoint.GetLeftPart(UriPartial.Authority));

            await Expect(page.Locator("#orderState")).ToHaveAttributeAsync("data-state", "Paid");
            await Expect(page.Locator("#chargeState")).ToHaveTextAsync("Captured");
            await Expect(page.Locator("#amountCaptured")).ToHaveTextAsync("$17.50");
            Assert.DoesNotContain(consoleErrors, e => e.Contains("Content Security Policy", StringComparison.OrdinalIgnoreCase));
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = Screenshot("readme-shop-order"), FullPage = true });
        }
        catch
        {
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = Screenshot("readme-shop-order.failed"), FullPage = true });
            throw;
        }
    }

    /// <summary>The command lines of the section's first <c>sh</c> block, each with its comment.</summary>
    private static List<(string Line, string Comment)> ReadmeCommands()
    {
        var readme = File.ReadAllText(Path.Combine(TestRepository.Root, "README.md"));
        var start = readme.IndexOf(Section + "\n", StringComparison.Ordinal);
        Assert.True(start >= 0, $"README.md has no section \"{Section}\".");
        var block = ShellBlock().Match(readme, start);
        Assert.True(block.Success, $"README.md's \"{Section}\" has no ```sh block.");
        return [.. block.Groups[1].Value.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(l => l.Split('#', 2))
            .Select(p => (p[0].Trim(), p.Length > 1 ? p[1].Trim() : string.Empty))];
    }

    /// <summary>
    /// The repository as a user has it, in a temp folder: the root's build files and the shop's sources, so the shop's
    /// settings, key and data land there. The shop's project reference points back at this repository's built library.
    /// </summary>
    private static string CopyOfTheRepository(string root)
    {
        var repository = TestRepository.Root;
        var work = Directory.CreateDirectory(Path.Combine(root, "repository")).FullName;
        foreach (var file in new[] { "Directory.Build.props", "Directory.Packages.props", "global.json", ".editorconfig" })
        {
            File.Copy(Path.Combine(repository, file), Path.Combine(work, file));
        }

        var shop = Path.Combine(repository, "samples", "Shop");
        var copy = Path.Combine(work, "samples", "Shop");
        foreach (var file in Directory.EnumerateFiles(shop, "*", SearchOption.AllDirectories))
        {
            var relative = Path.GetRelativePath(shop, file);
            var first = relative.Split(Path.DirectorySeparatorChar)[0];
            if (first is "bin" or "obj" or "shop-data" || relative == "appsettings.Local.json")
            {
                continue;
            }

            Directory.CreateDirectory(Path.GetDirectoryName(Path.Combine(copy, relative))!);
            File.Copy(file, Path.Combine(copy, relative));
            File.SetUnixFileMode(Path.Combine(copy, relative), File.GetUnixFileMode(file));
        }

        var project = Path.Combine(copy, "Tillpoint.Shop.csproj");
        File.WriteAllText(project, File.ReadAllText(project).Replace("\"../../src/", $"\"{repository}/src/", StringComparison.Ordinal));
        return work;
    }

    /// <summary>What the user's shell changes: the tool first on the PATH, and a build that leaves no server behind.</summary>
    private static Dictionary<string, string> UserEnvironment(string toolDirectory) => new(StringComparer.Ordinal)
    {
        ["PATH"] = $"{toolDirectory}:{Environment.GetEnvironmentVariable("PATH") ?? "/usr/bin:/bin"}",
        ["DOTNET_NOLOGO"] = "1",
        ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1",
        // The shop's build must leave no build server behind once the test ends.
        ["MSBUILDDISABLENODEREUSE"] = "1",
        ["DOTNET_CLI_USE_MSBUILD_SERVER"] = "0",
        ["UseSharedCompilation"] = "false",
        // The restore finds every package in the local cache; the vulnerability audit alone would need the network.
        ["NuGetAudit"] = "false",
        // The same program, built without the analyzers the repository's own build runs (they take most of its time).
        ["RunAnalyzers"] = "false",
    };

    /// <summary>
    /// The suites that use these ports take <see cref="FixedPorts"/> first; something else listening there (a developer's
    /// own Tillpoint) gets a minute before this test gives up and says what is in the way.
    /// </summary>
    private static async Task WaitForFreePortsAsync(int[] ports)
    {
        var waited = Stopwatch.StartNew();
        while (ports.FirstOrDefault(p => !IsFree(p)) is var busy and not 0)
        {
            Assert.True(waited.Elapsed < TimeSpan.FromMinutes(1), $"Port {busy} is in use; the README's commands need it (stop the Tillpoint or shop running there).");
            await Task.Delay(500);
        }
    }

    private static bool IsFree(int port)
    {
        try
        {
            var listener = new TcpListener(IPAddress.Loopback, port);
            listener.Start();
            listener.Stop();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    private static string Screenshot(string name) => Path.Combine(BrowserFixture.ScreenshotDirectory, $"{name}.png");

    [GeneratedRegex("```sh\n(.*?)```", RegexOptions.Singleline)]
    private static partial Regex ShellBlock();

    [GeneratedRegex(@"https?://[^\s,)]+")]
    private static partial Regex Url();
}

/// <summary>Tests that run the README's commands on its fixed ports: alone, never beside another test.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ReadmeCommandsCollection : ICollectionFixture<BrowserFixture>
{
    public const string Name = "README commands";
}
