using System.Runtime.CompilerServices;
using Microsoft.Playwright;
using Tillpoint.Server.Tests.Dashboard;
using Tillpoint.Server.Tests.Support;
using static Microsoft.Playwright.Assertions;

namespace Tillpoint.Browser.Tests;

/// <summary>
/// The operator dashboard in a real browser, without JavaScript: sign in, find a charge by its merchant reference,
/// capture, refund, cancel and close with confirmation, and advance the sandbox clock. Each test saves a screenshot of
/// its final page (1280 pixels wide, as the README's).
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class DashboardBrowserTests(BrowserFixture browser) : ServerWithMerchant
{
    [Fact]
    public async Task Operator_SignsIn_FindsAChargeByReference_CapturesAndRefundsIt()
    {
        using var client = Host.Client(Merchant);
        await DashboardData.AuthorizedChargeAsync(Host, client, Merchant, "42.00", "order-4711");
        var wanted = await DashboardData.AuthorizedChargeAsync(Host, client, Merchant, "89.90", "order-4712");
        await DashboardData.AuthorizedChargeAsync(Host, client, Merchant, "15.00", "order-4713", captureNow: true);

        await RunAsync(async page =>
        {
            await SignInAsync(page);
            await page.GetByRole(AriaRole.Navigation, new() { Name = "Dashboard" }).GetByRole(AriaRole.Link, new() { Name = "Charges", Exact = true }).ClickAsync();
            await page.GetByLabel("Merchant reference").FillAsync("order-4712");
            await page.GetByRole(AriaRole.Button, new() { Name = "Search" }).ClickAsync();
            await Expect(page.Locator("#results tbody tr")).ToHaveCountAsync(1);
            await page.Locator("#results").GetByRole(AriaRole.Link, new() { Name = wanted.ChargeId! }).ClickAsync();
            await Expect(page.Locator("#charge-state")).ToHaveTextAsync("Authorized");

            await page.Locator("#action-capture").ClickAsync();
            await Expect(page.GetByLabel("Amount (USD)")).ToHaveValueAsync("89.90");
            await page.GetByRole(AriaRole.Button, new() { Name = "Capture" }).ClickAsync();
            await Expect(page.Locator("#dashboard-notice")).ToHaveTextAsync("The charge was captured.");
            await Expect(page.Locator("#charge-state")).ToHaveTextAsync("Captured");

            await page.Locator("#action-refund").ClickAsync();
            await page.GetByLabel("Amount (USD)").FillAsync("9.90");
            await page.GetByRole(AriaRole.Button, new() { Name = "Refund" }).ClickAsync();
            await Expect(page.Locator("#dashboard-notice")).ToHaveTextAsync("The refund was created.");
            await Expect(page.Locator("#refunds tbody tr")).ToHaveCountAsync(1);
            await Expect(page.Locator("#refunds")).ToContainTextAsync("9.90 USD");
        });

        var charge = (await client.GetChargeAsync(wanted.ChargeId!)).Value;
        Assert.Equal(("Captured", "89.90"), (charge.StatusDetails!.State, charge.CaptureAmount!.Amount));
        Assert.Single(Host.Store.Read(reader => reader.GetRefundsOfCharge(Merchant.MerchantId, wanted.ChargeId!)));
    }

    [Fact]
    public async Task Operator_CancelsACharge_AndClosesItsPermission()
    {
        using var client = Host.Client(Merchant);
        var charge = await DashboardData.AuthorizedChargeAsync(Host, client, Merchant, "20.00", "order-5001");

        await RunAsync(async page =>
        {
            await SignInAsync(page, $"/dashboard/charges/{Merchant.MerchantId}/{charge.ChargeId}");
            await page.Locator("#action-cancel").ClickAsync();
            await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToContainTextAsync("Cancel charge");
            await page.GetByRole(AriaRole.Button, new() { Name = "Cancel" }).ClickAsync();
            await Expect(page.Locator("#charge-state")).ToHaveTextAsync("Canceled");

            await page.Locator("dl.fields").GetByRole(AriaRole.Link, new() { Name = charge.ChargePermissionId! }).ClickAsync();
            await page.Locator("#action-close").ClickAsync();
            await page.GetByLabel("Closure reason").FillAsync("Customer changed their mind");
            await page.GetByRole(AriaRole.Button, new() { Name = "Close" }).ClickAsync();
            await Expect(page.Locator("#dashboard-notice")).ToHaveTextAsync("The charge permission was closed.");
            await Expect(page.Locator("#action-close")).ToHaveCountAsync(0);
        });

        Assert.Equal("Canceled", await Payments.ChargeStateAsync(client, charge.ChargeId!));
        Assert.Equal("Closed", (await client.GetChargePermissionAsync(charge.ChargePermissionId!)).Value.StatusDetails!.State);
    }

    [Fact]
    public async Task Operator_AdvancesTheSandboxClock_AndAnAuthorizationExpires()
    {
        using var client = Host.Client(Merchant);
        var charge = await DashboardData.AuthorizedChargeAsync(Host, client, Merchant, "20.00", "order-6001");

        await RunAsync(async page =>
        {
            await SignInAsync(page);
            await page.GetByRole(AriaRole.Navigation, new() { Name = "Dashboard" }).GetByRole(AriaRole.Link, new() { Name = "Sandbox clock" }).ClickAsync();
            await page.GetByLabel("Amount").FillAsync("31");
            await page.GetByLabel("Unit").SelectOptionAsync("days");
            await page.GetByRole(AriaRole.Button, new() { Name = "Advance" }).ClickAsync();
            await Expect(page.Locator("#sandbox-offset")).ToHaveTextAsync("31 d 0 h 0 min 0 s");
            await page.GotoAsync(new Uri(Host.HttpsBase, $"/dashboard/charges/{Merchant.MerchantId}/{charge.ChargeId}").ToString());
            await Expect(page.Locator("#charge-state")).ToHaveTextAsync("Canceled");
        });

        var expired = (await client.GetChargeAsync(charge.ChargeId!)).Value;
        Assert.Equal(("Canceled", "ExpiredUnused"), (expired.StatusDetails!.State, expired.StatusDetails.ReasonCode));
    }

    /// <summary>The overview with some traffic: the picture in the README (copied to docs/images/dashboard.png).</summary>
    [Fact]
    public async Task Overview_WithTraffic_ForTheReadme()
    {
        using var client = Host.Client(Merchant);
        for (var i = 0; i < 3; i++)
        {
            await DashboardData.AuthorizedChargeAsync(Host, client, Merchant, $"{19 + (i * 7)}.90", $"order-70{i}", captureNow: i == 1);
        }

        await RunAsync(
            async page =>
            {
                await SignInAsync(page);
                await page.GetByRole(AriaRole.Navigation, new() { Name = "Dashboard" }).GetByRole(AriaRole.Link, new() { Name = "Charges", Exact = true }).ClickAsync();
                await Expect(page.Locator("#results tbody tr")).ToHaveCountAsync(3);
            },
            "dashboard");
    }

    /// <summary>The merchants page with a granted role and a requested report: each section a merchant has, as an operator sees it.</summary>
    [Fact]
    public async Task MerchantsPage_ShowsRolesAndReports_OfAMerchant()
    {
        Assert.Equal(0, (await Host.CliAsync("merchants", "grant", "--merchant", Merchant.MerchantId, "--role", "psp")).ExitCode);
        await RunAsync(
            async page =>
            {
                await SignInAsync(page, "/dashboard/merchants");
                await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Roles" }).First).ToBeVisibleAsync();
                await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Reports" }).First).ToBeVisibleAsync();
                await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Public keys" }).First).ToBeVisibleAsync();
                await Expect(page.GetByText("psp").First).ToBeVisibleAsync();
            });
    }

    /// <summary>A dispute opened from a captured charge's page, as the sandbox's bank would, then withdrawn by the buyer.</summary>
    [Fact]
    public async Task Operator_OpensADisputeFromAChargePage_AndTheBuyerWithdrawsIt()
    {
        using var client = Host.Client(Merchant);
        var charge = await DashboardData.AuthorizedChargeAsync(Host, client, Merchant, "64.00", "order-4801", captureNow: true);

        await RunAsync(async page =>
        {
            await SignInAsync(page, $"/dashboard/charges/{Merchant.MerchantId}/{charge.ChargeId}");
            await page.Locator("#action-dispute").ClickAsync();
            await page.GetByLabel("Amount").FillAsync("24.00");
            await page.GetByLabel("Filing reason").SelectOptionAsync("ProductNotReceived");
            await page.GetByRole(AriaRole.Button, new() { Name = "Open dispute" }).ClickAsync();
            await Expect(page.Locator("#dashboard-notice")).ToContainTextAsync("The dispute was opened");
            await Expect(page.Locator("#dispute-state")).ToHaveTextAsync("ActionRequired");
            await Expect(page.Locator("#amount-held")).ToHaveTextAsync("24.00 USD");

            await page.GetByRole(AriaRole.Button, new() { Name = "Withdraw" }).ClickAsync();
            await Expect(page.Locator("#dashboard-notice")).ToHaveTextAsync("The dispute was moved on.");
            await Expect(page.Locator("#dispute-state")).ToHaveTextAsync("Closed");
            await Expect(page.Locator("#dispute-resolution")).ToHaveTextAsync("MerchantWon");
            await Expect(page.Locator("#amount-held")).ToHaveTextAsync("0.00 USD");

            await page.GetByRole(AriaRole.Link, new() { Name = charge.ChargeId! }).First.ClickAsync();
            await Expect(page.Locator("#disputes tbody tr")).ToHaveCountAsync(1);
            await Expect(page.Locator("#disputes")).ToContainTextAsync("Closed");
        });

        var permission = charge.ChargePermissionId!;
        var dispute = Assert.Single(Host.Store.Read(reader => reader.GetDisputesOfPermission(Merchant.MerchantId, permission)));
        Assert.Equal((24.00m, "Closed"), (dispute.DisputeAmount.Amount, dispute.State.ToString()));
    }

    private async Task SignInAsync(IPage page, string path = "/dashboard")
    {
        await page.GotoAsync(new Uri(Host.HttpsBase, path).ToString());
        await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Sign in");
        await page.GetByLabel("Operator token").FillAsync(TillpointHost.OperatorToken);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Navigation, new() { Name = "Dashboard" })).ToBeVisibleAsync();
        Assert.EndsWith(path, new Uri(page.Url).AbsolutePath, StringComparison.Ordinal);
    }

    /// <summary>A fresh context 1280 pixels wide, without JavaScript; the final page is saved, as is a failure's.</summary>
    private async Task RunAsync(Func<IPage, Task> steps, string? screenshot = null, [CallerMemberName] string testName = "")
    {
        await using var context = await browser.Browser.NewContextAsync(new BrowserNewContextOptions
        {
            IgnoreHTTPSErrors = true,
            JavaScriptEnabled = false,
            Locale = "en-US",
            ViewportSize = new ViewportSize { Width = 1280, Height = 800 },
        });
        var page = await context.NewPageAsync();
        page.SetDefaultTimeout(15_000);
        var name = screenshot ?? testName;
        try
        {
            await steps(page);
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(BrowserFixture.ScreenshotDirectory, $"{name}.png"), FullPage = true });
            File.Delete(Path.Combine(BrowserFixture.ScreenshotDirectory, $"{name}.failed.png"));
        }
        catch
        {
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(BrowserFixture.ScreenshotDirectory, $"{name}.failed.png"), FullPage = true });
            throw;
        }
    }
}
