using Tillpoint.Server.Cli;
using Tillpoint.Server.Tests.Support;
using Tillpoint.Storage;

namespace Tillpoint.Server.Tests.Hosting;

/// <summary>
/// The data folder Tillpoint makes, and the files in it that hold secrets (the database with buyers' data and the IPN
/// signing key, the certificate's private key), are readable by their owner only.
/// </summary>
public sealed class OwnerOnlyTests
{
    private const UnixFileMode OwnerFile = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private const UnixFileMode OwnerFolder = OwnerFile | UnixFileMode.UserExecute;

    [Fact]
    public async Task Serve_InANewDataFolder_MakesTheFolderAndItsSecretsOwnerOnly()
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        using var storage = TestStorage.Create(StoreKind.Sqlite);
        var folder = storage.DataDirectory;
        // Made by the test as a temporary folder (owner-only already): removed, so the server makes it.
        Directory.Delete(folder);

        await using var host = await TillpointHost.StartAsync(storage);
        await host.CreateMerchantAsync();

        Assert.Equal(OwnerFolder, File.GetUnixFileMode(folder));
        foreach (var name in new[] { "tillpoint.db", "tillpoint.db-wal", "tillpoint.db-shm", "tillpoint-https.pfx", "tillpoint-https.pfx.password" })
        {
            Assert.True(File.Exists(Path.Combine(folder, name)), name);
            Assert.Equal((name, OwnerFile), (name, File.GetUnixFileMode(Path.Combine(folder, name))));
        }
    }

    [Fact]
    public async Task Migrate_InANewDataFolder_MakesTheFolderAndTheDatabaseOwnerOnly()
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        using var storage = TestStorage.Create(StoreKind.Sqlite);
        var folder = Path.Combine(storage.DataDirectory, "data");
        using var output = new StringWriter();
        using var error = new StringWriter();

        var exit = await TillpointCli.RunAsync(["migrate", "--data-dir", folder], output, error);

        Assert.Equal(ExitCodes.Success, exit);
        Assert.Equal(OwnerFolder, File.GetUnixFileMode(folder));
        Assert.Equal(OwnerFile, File.GetUnixFileMode(Path.Combine(folder, "tillpoint.db")));
        // The log files are removed when the last connection closes; any left behind are owner-only too.
        foreach (var log in Directory.GetFiles(folder, "tillpoint.db-*"))
        {
            Assert.Equal((log, OwnerFile), (log, File.GetUnixFileMode(log)));
        }
    }

    [Fact]
    public async Task Serve_InAFolderTheUserMade_LeavesItsModeAlone()
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        using var storage = TestStorage.Create(StoreKind.Sqlite);
        var mode = OwnerFolder | UnixFileMode.GroupRead | UnixFileMode.GroupExecute;
        File.SetUnixFileMode(storage.DataDirectory, mode);

        await using var host = await TillpointHost.StartAsync(storage);

        Assert.Equal(mode, File.GetUnixFileMode(storage.DataDirectory));
        Assert.Equal(OwnerFile, File.GetUnixFileMode(Path.Combine(storage.DataDirectory, "tillpoint.db")));
    }
}
