using System.Text.Json;
using Tillpoint.Server.Tests.Support;
using Tillpoint.Storage;

namespace Tillpoint.Docs.Tests.Support;

/// <summary>
/// What a reader of the docs has when they reach a command: a data folder with a merchant, its keys (<c>private.pem</c>
/// and <c>public-key.pem</c> beside it) and a paid order whose IPN is waiting for delivery, made once by a real server
/// through the hosted pages; and <c>tillpoint</c> on the PATH. Each block of commands gets a fresh copy in a folder of
/// its own, its "current directory".
/// </summary>
public sealed class Workbench : IAsyncLifetime
{
    private TestStorage _template = null!;
    private string _bin = null!;
    private TestMerchant _merchant = null!;
    private string _providerId = null!;

    /// <summary>Values that replace the docs' placeholders, longest first so that none replaces part of another.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Placeholders { get; private set; } = [];

    public async Task InitializeAsync()
    {
        _bin = TillpointOnThePath.Create(Directory.CreateTempSubdirectory("tillpoint-bin-").FullName, $"'{Repository.TillpointExecutable}'");

        _template = TestStorage.Create(StoreKind.Sqlite);
        await using (var host = await TillpointHost.StartAsync(
            _template, options => options with { Ipn = options.Ipn with { AllowedHosts = new HashSet<string> { "127.0.0.1:9" } } }))
        {
            _merchant = await host.CreateMerchantAsync();
            // Nothing listens there: the notification stays pending, for the redelivery commands to act on.
            var (added, _, addError) = await host.CliAsync(
                "ipn", "add", "--merchant", _merchant.MerchantId, "--environment", "sandbox", "--url", "https://127.0.0.1:9/ipn", "--allow-host", "127.0.0.1:9");
            Assert.True(added == 0, addError);
            using var client = host.Client(_merchant);
            await Checkouts.AuthorizedAsync(host, client, _merchant);
            var notificationId = await FirstNotificationAsync(host, _merchant.MerchantId);
            // A second merchant, the solution provider of the roles examples, and an MWS auth token delegating to it.
            var provider = await host.CreateMerchantAsync();
            _providerId = provider.MerchantId;
            var (issued, issuedOutput, issueError) = await host.CliAsync(
                "merchants", "authorize-token", "--merchant", _merchant.MerchantId, "--solution-provider", provider.MerchantId, "--json");
            Assert.True(issued == 0, issueError);
            Placeholders = OrderedLongestFirst(new Dictionary<string, string>
            {
                ["A1B2C3D4E5F6G7"] = _merchant.MerchantId,
                ["SANDBOX-ABCDEFGHIJKLMNOPQRSTUVWX"] = _merchant.SandboxKeyId,
                ["SANDBOX-…"] = _merchant.SandboxKeyId,
                ["NOTIFICATION-ID"] = notificationId,
                ["0e7d…"] = notificationId,
                ["0e7d2c1a-4b5f-4c3e-9a8b-1f2e3d4c5b6a"] = notificationId,
                ["amzn1.application-oa2-client.…"] = _merchant.StoreId,
                ["--merchant-id …"] = "--merchant-id " + _merchant.MerchantId,
                ["--store-id …"] = "--store-id " + _merchant.StoreId,
                ["/path/to/private.pem"] = "\"$PWD/private.pem\"",
                ["A7G6F5E4D3C2B1"] = provider.MerchantId,
                ["amzn.mws.00000000-0000-0000-0000-000000000000"] = JsonDocument.Parse(issuedOutput).RootElement.GetProperty("mwsAuthToken").GetString()!,
            });
            await host.StopAsync();
        }

        // The test host's own key files are not part of what a user has; theirs sit in the current directory.
        foreach (var file in Directory.EnumerateFiles(_template.DataDirectory, "*.pem")
            .Where(f => Path.GetFileName(f).StartsWith(_merchant.MerchantId, StringComparison.Ordinal) || Path.GetFileName(f).StartsWith(_providerId, StringComparison.Ordinal)))
        {
            File.Delete(file);
        }
    }

    /// <summary>A new current directory: <c>tillpoint-data/</c> (a copy of the prepared one), <c>private.pem</c>, <c>public-key.pem</c>.</summary>
    public string NewUserDirectory()
    {
        var directory = Directory.CreateTempSubdirectory("tillpoint-user-").FullName;
        SeedUserFiles(directory);
        return directory;
    }

    private void SeedUserFiles(string directory)
    {
        CopyDirectory(_template.DataDirectory, Path.Combine(directory, "tillpoint-data"));
        File.WriteAllText(Path.Combine(directory, "private.pem"), _merchant.PrivateKeyPem);
        File.SetUnixFileMode(Path.Combine(directory, "private.pem"), UnixFileMode.UserRead | UnixFileMode.UserWrite);
        using var key = System.Security.Cryptography.RSA.Create();
        key.ImportFromPem(_merchant.PrivateKeyPem);
        File.WriteAllText(Path.Combine(directory, "public-key.pem"), key.ExportSubjectPublicKeyInfoPem());
    }

    /// <summary>
    /// The environment of a user's terminal: a home folder of its own (what a command installs for the user lands
    /// there), sharing the machine's NuGet package cache, and <c>tillpoint</c> on the PATH.
    /// </summary>
    public IReadOnlyDictionary<string, string> Environment(string home) => new Dictionary<string, string>
    {
        // A block that installs the tool runs what it installed; every other block runs this build's.
        ["PATH"] = string.Join(Path.PathSeparator, Path.Combine(home, ".dotnet", "tools"), _bin, System.Environment.GetEnvironmentVariable("PATH")),
        ["HOME"] = home,
        ["NUGET_PACKAGES"] = System.Environment.GetEnvironmentVariable("NUGET_PACKAGES")
            ?? Path.Combine(System.Environment.GetFolderPath(System.Environment.SpecialFolder.UserProfile), ".nuget", "packages"),
    };

    /// <summary>The command with the docs' placeholders replaced: ids of the prepared merchant, and the test database.</summary>
    public string Fill(string command, string? connectionString)
    {
        var filled = Placeholders.Aggregate(command, (text, placeholder) => text.Replace(placeholder.Key, placeholder.Value, StringComparison.Ordinal));
        return connectionString is null
            ? filled
            : Catalog.PostgresPlaceholders.Aggregate(filled, (text, placeholder) => text.Replace(placeholder, connectionString, StringComparison.Ordinal));
    }

    /// <summary>
    /// The root of the repository's copy, as the current directory of commands that build from the source, with the
    /// same data and keys as a user directory and the shop's set-up undone.
    /// </summary>
    public string RepositoryDirectory()
    {
        var root = Repository.Copy;
        foreach (var leftover in new[] { "tillpoint-data", "samples/Shop/shop-data" })
        {
            if (Directory.Exists(Path.Combine(root, leftover)))
            {
                Directory.Delete(Path.Combine(root, leftover), recursive: true);
            }
        }

        File.Delete(Path.Combine(root, "samples/Shop/appsettings.Local.json"));
        SeedUserFiles(root);
        return root;
    }

    public Task DisposeAsync()
    {
        _template.Dispose();
        Directory.Delete(_bin, recursive: true);
        return Task.CompletedTask;
    }

    /// <summary>The first IPN's notification id, once the dispatcher has made its delivery (it works in the background).</summary>
    private static async Task<string> FirstNotificationAsync(TillpointHost host, string merchantId)
    {
        for (var attempt = 0; attempt < 200; attempt++)
        {
            var (listed, deliveries, listError) = await host.CliAsync("ipn", "deliveries", "--merchant", merchantId, "--json");
            Assert.True(listed == 0, listError);
            if (JsonDocument.Parse(deliveries).RootElement.EnumerateArray().FirstOrDefault() is { ValueKind: JsonValueKind.Object } delivery)
            {
                return delivery.GetProperty("notificationId").GetString()!;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(50));
        }

        throw new InvalidOperationException("The paid order's IPN got no delivery within 10 s.");
    }

    private static List<KeyValuePair<string, string>> OrderedLongestFirst(Dictionary<string, string> values) =>
        [.. values.OrderByDescending(p => p.Key.Length)];

    private static void CopyDirectory(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(to, Path.GetRelativePath(from, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
            File.SetUnixFileMode(target, File.GetUnixFileMode(file));
        }
    }
}
