namespace Tillpoint.Shop.Configuration;

/// <summary>
/// Reads <see cref="ShopOptions"/> from, in rising priority: appsettings.json, appsettings.Local.json (what
/// <c>setup.sh</c> writes), environment variables (<c>Tillpoint__Url</c> or the short <c>TILLPOINT_URL</c> forms) and the
/// command line (<c>--tillpoint-url</c> or <c>--Tillpoint:Url</c>).
/// </summary>
public static class ShopConfiguration
{
    /// <summary>Where <c>tillpoint serve</c>, run from the repository root, keeps its certificate, seen from this project's folder.</summary>
    public const string DefaultCertificatePath = "../../tillpoint-data/tillpoint-https.pem";

    public const string DefaultDataDirectory = "shop-data";

    /// <summary>Configuration key, short environment variable and command-line switch of each setting.</summary>
    public static readonly IReadOnlyList<(string Key, string? Environment, string? Switch)> Settings =
    [
        ("Tillpoint:Url", "TILLPOINT_URL", "--tillpoint-url"),
        ("Tillpoint:PublicUrl", "TILLPOINT_PUBLIC_URL", "--tillpoint-public-url"),
        ("Tillpoint:MerchantId", "TILLPOINT_MERCHANT_ID", "--merchant-id"),
        ("Tillpoint:StoreId", "TILLPOINT_STORE_ID", "--store-id"),
        ("Tillpoint:PublicKeyId", "TILLPOINT_PUBLIC_KEY_ID", "--public-key-id"),
        ("Tillpoint:PrivateKeyPath", "TILLPOINT_PRIVATE_KEY", "--private-key"),
        ("Tillpoint:CertificatePath", "TILLPOINT_CERTIFICATE", "--tillpoint-certificate"),
        ("Tillpoint:Sandbox", "TILLPOINT_SANDBOX", "--sandbox"),
        ("Shop:DataDirectory", "SHOP_DATA_DIR", "--data-dir"),
        ("Shop:PublicUrl", "SHOP_PUBLIC_URL", "--shop-url"),
        ("Shop:StoreName", "SHOP_STORE_NAME", "--store-name"),
        ("Shop:SoftDescriptor", "SHOP_SOFT_DESCRIPTOR", "--soft-descriptor"),
    ];

    private const int MaxStoreNameLength = 50;
    private const int MaxSoftDescriptorLength = 16;

    /// <summary>Adds the local settings file, the short environment variables and the command-line switches.</summary>
    public static void AddShopSources(this ConfigurationManager configuration, string[] args, string contentRoot)
    {
        configuration.AddJsonFile(Path.Combine(contentRoot, "appsettings.Local.json"), optional: true, reloadOnChange: false);

        var fromEnvironment = new Dictionary<string, string?>();
        foreach (var (key, variable, _) in Settings)
        {
            if (variable is not null && Environment.GetEnvironmentVariable(variable) is { Length: > 0 } value)
            {
                fromEnvironment[key] = value;
            }
        }

        configuration.AddInMemoryCollection(fromEnvironment);

        // Added again, last, so the command line beats the environment and the short switches are understood.
        var switches = Settings.Where(s => s.Switch is not null).ToDictionary(s => s.Switch!, s => s.Key, StringComparer.Ordinal);
        configuration.AddCommandLine(args, switches);
    }

    /// <summary>Reads and checks the settings; relative paths are taken from <paramref name="contentRoot"/>.</summary>
    /// <exception cref="ShopConfigurationException">Something is missing or invalid; the message lists every problem.</exception>
    public static ShopOptions Read(IConfiguration configuration, string contentRoot)
    {
        var problems = new List<string>();

        var url = AbsoluteUrl(configuration, "Tillpoint:Url", "https://127.0.0.1:8443", problems);
        var publicUrl = AbsoluteUrl(configuration, "Tillpoint:PublicUrl", url?.AbsoluteUri, problems);
        var merchantId = Required(configuration, "Tillpoint:MerchantId", problems);
        var storeId = Required(configuration, "Tillpoint:StoreId", problems);
        var publicKeyId = Required(configuration, "Tillpoint:PublicKeyId", problems);
        var privateKeyPath = Required(configuration, "Tillpoint:PrivateKeyPath", problems) is { } keyPath ? Path.GetFullPath(keyPath, contentRoot) : null;
        if (privateKeyPath is not null && !File.Exists(privateKeyPath))
        {
            problems.Add($"Tillpoint:PrivateKeyPath: the file {privateKeyPath} does not exist (create a key with setup.sh or `tillpoint keys create --out`).");
        }

        // An empty value turns the pin off; the default only applies when nothing is said.
        var certificate = configuration["Tillpoint:CertificatePath"] ?? DefaultCertificatePath;
        var certificatePath = certificate.Length == 0 ? null : Path.GetFullPath(certificate, contentRoot);

        var sandbox = true;
        if (configuration["Tillpoint:Sandbox"] is { } sandboxText && !bool.TryParse(sandboxText, out sandbox))
        {
            problems.Add($"Tillpoint:Sandbox: '{sandboxText}' is not true or false.");
        }

        var shopUrl = configuration["Shop:PublicUrl"] is { Length: > 0 } ? AbsoluteUrl(configuration, "Shop:PublicUrl", null, problems) : null;
        var storeName = configuration["Shop:StoreName"] ?? "Tillpoint Demo Shop";
        if (storeName.Length is 0 or > MaxStoreNameLength)
        {
            problems.Add($"Shop:StoreName: 1 to {MaxStoreNameLength} characters (Amazon Pay's limit for merchantStoreName).");
        }

        var softDescriptor = configuration["Shop:SoftDescriptor"] ?? "TILLPOINT SHOP";
        if (softDescriptor.Length is 0 or > MaxSoftDescriptorLength)
        {
            problems.Add($"Shop:SoftDescriptor: 1 to {MaxSoftDescriptorLength} characters (Amazon Pay's limit for softDescriptor).");
        }

        if (problems.Count > 0)
        {
            throw new ShopConfigurationException(problems);
        }

        return new ShopOptions
        {
            TillpointUrl = url!,
            TillpointPublicUrl = publicUrl!,
            MerchantId = merchantId!,
            StoreId = storeId!,
            PublicKeyId = publicKeyId!,
            PrivateKeyPath = privateKeyPath!,
            CertificatePath = certificatePath,
            Sandbox = sandbox,
            DataDirectory = Path.GetFullPath(configuration["Shop:DataDirectory"] is { Length: > 0 } data ? data : DefaultDataDirectory, contentRoot),
            ShopUrl = shopUrl,
            StoreName = storeName,
            SoftDescriptor = softDescriptor,
        };
    }

    private static string? Required(IConfiguration configuration, string key, List<string> problems)
    {
        var value = configuration[key];
        if (string.IsNullOrWhiteSpace(value))
        {
            var setting = Settings.First(s => s.Key == key);
            problems.Add($"{key} is not set (environment {setting.Environment}, command line {setting.Switch}).");
            return null;
        }

        return value.Trim();
    }

    private static Uri? AbsoluteUrl(IConfiguration configuration, string key, string? fallback, List<string> problems)
    {
        var text = configuration[key] is { Length: > 0 } value ? value : fallback;
        if (text is null)
        {
            return null;
        }

        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp)
            || uri.Query.Length > 0 || uri.Fragment.Length > 0)
        {
            problems.Add($"{key}: '{text}' is not an absolute http(s) URL without query or fragment.");
            return null;
        }

        // A base URL: relative paths such as "checkout/review" are resolved below it, never instead of its last segment.
        return uri.AbsolutePath.EndsWith('/') ? uri : new Uri(uri.AbsoluteUri + "/");
    }
}

/// <summary>The shop cannot start: its settings are missing or wrong.</summary>
public sealed class ShopConfigurationException(IReadOnlyList<string> problems)
    : Exception("The shop is not configured:" + Environment.NewLine + string.Join(Environment.NewLine, problems.Select(p => "  - " + p)))
{
    public IReadOnlyList<string> Problems { get; } = problems;
}
