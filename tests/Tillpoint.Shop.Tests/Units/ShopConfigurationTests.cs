using Microsoft.Extensions.Configuration;
using Tillpoint.Shop.Configuration;

namespace Tillpoint.Shop.Tests.Units;

public sealed class ShopConfigurationTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("tillpoint-shop-config-").FullName;

    [Fact]
    public void Read_FromTheCommandLine_ResolvesRelativePathsAgainstTheContentRoot()
    {
        File.WriteAllText(Path.Combine(_root, "key.pem"), "not read here");

        var options = Read(
            "--tillpoint-url", "https://127.0.0.1:8443", "--merchant-id", "M1", "--store-id", "amzn1.application-oa2-client.x",
            "--public-key-id", "SANDBOX-K1", "--private-key", "key.pem", "--tillpoint-public-url", "https://pay.example.test/tp");

        Assert.Equal(new Uri("https://127.0.0.1:8443/"), options.TillpointUrl);
        Assert.Equal(new Uri("https://pay.example.test/tp/"), options.TillpointPublicUrl);
        Assert.Equal("M1", options.MerchantId);
        Assert.Equal("SANDBOX-K1", options.PublicKeyId);
        Assert.Equal(Path.Combine(_root, "key.pem"), options.PrivateKeyPath);
        // The default pin: tillpoint serve's data folder in the repository root, seen from samples/Shop.
        Assert.Equal(Path.GetFullPath(Path.Combine(_root, "../../tillpoint-data/tillpoint-https.pem")), options.CertificatePath);
        Assert.Equal(Path.Combine(_root, "shop-data"), options.DataDirectory);
        Assert.True(options.Sandbox);
        Assert.Equal("TILLPOINT SHOP", options.SoftDescriptor);
    }

    [Fact]
    public void Read_WithNothingSet_ListsEveryMissingSettingWithItsSwitch()
    {
        var error = Assert.Throws<ShopConfigurationException>(() => Read());

        Assert.Equal(4, error.Problems.Count);
        Assert.Contains(error.Problems, p => p.Contains("Tillpoint:MerchantId", StringComparison.Ordinal) && p.Contains("--merchant-id", StringComparison.Ordinal));
        Assert.Contains(error.Problems, p => p.Contains("Tillpoint:StoreId", StringComparison.Ordinal) && p.Contains("TILLPOINT_STORE_ID", StringComparison.Ordinal));
        Assert.Contains(error.Problems, p => p.Contains("Tillpoint:PublicKeyId", StringComparison.Ordinal));
        Assert.Contains(error.Problems, p => p.Contains("Tillpoint:PrivateKeyPath", StringComparison.Ordinal));
    }

    [Fact]
    public void Read_RefusesBadValues_AndAnEmptyCertificatePathTurnsThePinOff()
    {
        string[] common = ["--merchant-id", "M1", "--store-id", "S1", "--public-key-id", "K1"];

        var error = Assert.Throws<ShopConfigurationException>(() => Read(
            [.. common, "--private-key", "missing.pem", "--tillpoint-url", "ftp://x", "--sandbox", "maybe", "--soft-descriptor", "SEVENTEEN CHARS!!"]));
        File.WriteAllText(Path.Combine(_root, "key.pem"), "x");
        var unpinned = Read([.. common, "--private-key", "key.pem", "--tillpoint-certificate", ""]);

        Assert.Contains(error.Problems, p => p.Contains("missing.pem", StringComparison.Ordinal));
        Assert.Contains(error.Problems, p => p.StartsWith("Tillpoint:Url", StringComparison.Ordinal));
        Assert.Contains(error.Problems, p => p.StartsWith("Tillpoint:Sandbox", StringComparison.Ordinal));
        Assert.Contains(error.Problems, p => p.StartsWith("Shop:SoftDescriptor", StringComparison.Ordinal));
        Assert.Null(unpinned.CertificatePath);
    }

    [Fact]
    public void LocalSettingsFile_IsRead_AndTheCommandLineWins()
    {
        File.WriteAllText(Path.Combine(_root, "key.pem"), "x");
        File.WriteAllText(Path.Combine(_root, "appsettings.Local.json"), """
            {"Tillpoint": {"MerchantId": "FROMFILE", "StoreId": "S1", "PublicKeyId": "K1", "PrivateKeyPath": "key.pem"}}
            """);

        Assert.Equal("FROMFILE", Read().MerchantId);
        Assert.Equal("FROMARGS", Read("--merchant-id", "FROMARGS").MerchantId);
    }

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private ShopOptions Read(params string[] args)
    {
        var configuration = new ConfigurationManager();
        configuration.AddShopSources(args, _root);
        return ShopConfiguration.Read(configuration, _root);
    }
}

/// <summary>Environment variables are process-wide: these tests run alone.</summary>
[CollectionDefinition(nameof(EnvironmentVariables), DisableParallelization = true)]
public sealed class EnvironmentVariables;

[Collection(nameof(EnvironmentVariables))]
public sealed class ShopEnvironmentTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("tillpoint-shop-env-").FullName;

    [Fact]
    public void ShortEnvironmentVariables_AreRead_AndTheCommandLineWins()
    {
        File.WriteAllText(Path.Combine(_root, "key.pem"), "x");
        Environment.SetEnvironmentVariable("TILLPOINT_MERCHANT_ID", "FROMENV");
        Environment.SetEnvironmentVariable("TILLPOINT_STORE_ID", "S1");
        Environment.SetEnvironmentVariable("TILLPOINT_PUBLIC_KEY_ID", "K1");
        Environment.SetEnvironmentVariable("TILLPOINT_PRIVATE_KEY", "key.pem");
        try
        {
            var fromEnvironment = Read();
            var fromArguments = Read("--merchant-id", "FROMARGS");

            Assert.Equal("FROMENV", fromEnvironment.MerchantId);
            Assert.Equal(Path.Combine(_root, "key.pem"), fromEnvironment.PrivateKeyPath);
            Assert.Equal("FROMARGS", fromArguments.MerchantId);
        }
        finally
        {
            foreach (var name in new[] { "TILLPOINT_MERCHANT_ID", "TILLPOINT_STORE_ID", "TILLPOINT_PUBLIC_KEY_ID", "TILLPOINT_PRIVATE_KEY" })
            {
                Environment.SetEnvironmentVariable(name, null);
            }
        }
    }

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private ShopOptions Read(params string[] args)
    {
        var configuration = new ConfigurationManager();
        configuration.AddShopSources(args, _root);
        return ShopConfiguration.Read(configuration, _root);
    }
}
