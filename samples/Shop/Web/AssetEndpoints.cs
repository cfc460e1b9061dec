namespace Tillpoint.Shop.Web;

/// <summary>The stylesheet, script and icon, embedded in the assembly (see the project file).</summary>
public static class AssetEndpoints
{
    private static readonly (string Path, string Resource, string ContentType, int MaxAgeSeconds)[] Assets =
    [
        ("/assets/shop.css", "Tillpoint.Shop.Assets.shop.css", "text/css; charset=utf-8", 300),
        ("/assets/shop.js", "Tillpoint.Shop.Assets.shop.js", "text/javascript; charset=utf-8", 300),
        ("/assets/buynow.js", "Tillpoint.Shop.Assets.buynow.js", "text/javascript; charset=utf-8", 300),
        // Browsers ask for it on every page; it never changes within a release.
        ("/favicon.ico", "Tillpoint.Shop.Assets.favicon.ico", "image/x-icon", 86_400),
    ];

    /// <summary>Whether <paramref name="path"/> is one of these files, which may be cached (pages may not).</summary>
    public static bool IsAsset(PathString path) => Assets.Any(a => path.Equals(a.Path, StringComparison.Ordinal));

    public static void MapAssets(this WebApplication app)
    {
        foreach (var (path, resource, contentType, maxAge) in Assets)
        {
            var bytes = Read(resource);
            app.MapGet(path, (HttpContext context) =>
            {
                context.Response.Headers.CacheControl = $"public, max-age={maxAge}";
                return Results.Bytes(bytes, contentType);
            });
        }
    }

    private static byte[] Read(string resource)
    {
        using var stream = typeof(AssetEndpoints).Assembly.GetManifestResourceStream(resource)
            ?? throw new InvalidOperationException($"The embedded asset {resource} is missing from the build.");
        using var memory = new MemoryStream();
        stream.CopyTo(memory);
        return memory.ToArray();
    }
}
