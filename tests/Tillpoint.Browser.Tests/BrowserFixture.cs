using Microsoft.Playwright;

namespace Tillpoint.Browser.Tests;

/// <summary>
/// One headless Chromium for the whole suite: Debian's <c>chromium</c> package (never a downloaded browser), no sandbox
/// (CI runs as root), background networking off, and a throwaway HOME so nothing leaks between runs.
/// </summary>
public sealed class BrowserFixture : IAsyncLifetime
{
    private IPlaywright? _playwright;
    private string? _home;
    private MerchantSite? _merchantSite;

    public IBrowser Browser { get; private set; } = null!;

    /// <summary>The made-up merchant's site, <c>https://merchant.example</c>.</summary>
    public MerchantSite MerchantSite => _merchantSite ?? throw new InvalidOperationException("The fixture has not started.");

    /// <summary>Where screenshots of final pages (and of failures) are kept: <c>artifacts/screenshots</c> at the repository root.</summary>
    public static string ScreenshotDirectory { get; } = Path.Combine(TestRepository.Root, "artifacts", "screenshots");

    public async Task InitializeAsync()
    {
        var executable = Environment.GetEnvironmentVariable("TILLPOINT_CHROMIUM") ?? "/usr/bin/chromium";
        if (!File.Exists(executable))
        {
            throw new InvalidOperationException(
                $"Chromium was not found at {executable}. Install Debian's package (`apt-get install chromium`; ./test.sh does it) or set TILLPOINT_CHROMIUM; the browser suite needs it.");
        }

        _home = Directory.CreateTempSubdirectory("tillpoint-chromium-").FullName;
        _merchantSite = await MerchantSite.StartAsync();
        Directory.CreateDirectory(ScreenshotDirectory);
        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = executable,
            Headless = true,
            Env = new Dictionary<string, string> { ["HOME"] = _home },
            Args =
            [
                "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
                "--disable-component-update", "--no-first-run", "--disable-sync", "--disable-default-apps",
                // merchant.example is the test merchant's site, served locally; nothing resolves over the network.
                $"--host-resolver-rules=MAP merchant.example:443 127.0.0.1:{_merchantSite.Port}",
            ],
        });
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.DisposeAsync();
        }

        _playwright?.Dispose();
        if (_merchantSite is not null)
        {
            await _merchantSite.DisposeAsync();
        }

        if (_home is not null)
        {
            try
            {
                Directory.Delete(_home, recursive: true);
            }
            catch (IOException)
            {
                // Chromium's helpers may still hold a file for a moment; the temp folder is cleaned up by the OS.
            }
        }
    }
}

[CollectionDefinition(Name)]
public sealed class BrowserCollection : ICollectionFixture<BrowserFixture>
{
    public const string Name = "browser";
}
