using System.Runtime.CompilerServices;
using Microsoft.Playwright;

namespace Tillpoint.Browser.Tests;

/// <summary>
/// One buyer's browser: a fresh context (no cookies or storage from other tests) that trusts Tillpoint's self-signed
/// certificate (and the local merchant site's).
/// </summary>
public sealed class BuyerBrowser : IAsyncDisposable
{
    private readonly IBrowserContext _context;
    private readonly string _testName;

    private BuyerBrowser(IBrowserContext context, IPage page, string testName)
    {
        _context = context;
        Page = page;
        _testName = testName;
    }

    public IPage Page { get; }

    public static async Task<BuyerBrowser> OpenAsync(BrowserFixture fixture, [CallerMemberName] string testName = "")
    {
        var context = await fixture.Browser.NewContextAsync(new BrowserNewContextOptions
        {
            IgnoreHTTPSErrors = true,
            Locale = "en-US",
            ViewportSize = new ViewportSize { Width = 1024, Height = 900 },
        });
        var page = await context.NewPageAsync();
        page.SetDefaultTimeout(15_000);
        return new BuyerBrowser(context, page, testName);
    }

    /// <summary>Runs a test's browser steps; the final page is saved as a screenshot, and so is the page a failure left.</summary>
    public async Task RunAsync(Func<IPage, Task> steps)
    {
        try
        {
            await steps(Page);
            await ScreenshotAsync(_testName);
            File.Delete(Path.Combine(BrowserFixture.ScreenshotDirectory, $"{_testName}.failed.png"));
        }
        catch
        {
            await ScreenshotAsync($"{_testName}.failed");
            throw;
        }
    }

    public Task ScreenshotAsync(string name) =>
        Page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(BrowserFixture.ScreenshotDirectory, $"{name}.png"), FullPage = true });

    /// <summary>The query parameter the buyer's current page was reached with.</summary>
    public string Query(string name)
    {
        var query = System.Web.HttpUtility.ParseQueryString(new Uri(Page.Url).Query);
        return query[name] ?? throw new InvalidOperationException($"{Page.Url} has no '{name}' parameter.");
    }

    public async ValueTask DisposeAsync() => await _context.DisposeAsync();
}
