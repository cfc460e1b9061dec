using System.ComponentModel;
using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using Xunit.Abstractions;

namespace Tillpoint.Server.Tests.Checkout;

/// <summary>
/// The logic of checkout.js (rendering, validation, where it sends the browser, the older createCheckoutSession
/// form, bindChangeAction, the Buy Now button and dialog), tested with Node's built-in test runner against a tiny fake DOM in tests/checkout-js. Node
/// is required, as for the official SDK suite: a missing Node fails, it never skips.
/// </summary>
public sealed partial class CheckoutScriptTests(ITestOutputHelper output)
{
    /// <summary>Every test of checkout.test.mjs and buynow.test.mjs must run and pass, so a suite that silently runs fewer fails too.</summary>
    private const int ExpectedPassCount = 42;

    [Fact]
    public async Task CheckoutJs_PassesItsNodeTests()
    {
        var suite = Path.Combine(TestRepository.Root, "tests", "checkout-js");
        var start = new ProcessStartInfo("node", ["--test", "--test-reporter=spec", "checkout.test.mjs", "buynow.test.mjs"])
        {
            WorkingDirectory = suite,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };

        Process? started;
        try
        {
            started = Process.Start(start);
        }
        catch (Win32Exception e)
        {
            throw new InvalidOperationException("Node.js 20 or later is required to test checkout.js (`node` was not found).", e);
        }

        using var node = started ?? throw new InvalidOperationException("node could not be started.");
        var stdout = node.StandardOutput.ReadToEndAsync();
        var stderr = node.StandardError.ReadToEndAsync();
        using var cancel = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await node.WaitForExitAsync(cancel.Token);
        output.WriteLine(await stdout);
        output.WriteLine(await stderr);

        Assert.True(node.ExitCode == 0, $"The checkout.js tests failed (exit {node.ExitCode}):\n{await stdout}\n{await stderr}");
        var passed = PassCount().Match(await stdout);
        Assert.True(
            passed.Success && int.Parse(passed.Groups[1].Value, CultureInfo.InvariantCulture) >= ExpectedPassCount,
            $"Expected at least {ExpectedPassCount} passing checkout.js tests:\n{await stdout}");
        Assert.Contains("ℹ fail 0", await stdout, StringComparison.Ordinal);
    }

    [GeneratedRegex(@"ℹ pass (\d+)")]
    private static partial Regex PassCount();
}
