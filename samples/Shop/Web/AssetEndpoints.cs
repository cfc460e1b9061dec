namespace Tillpoint.Shop.Web;

/// <summary>The stylesheet and script, embedded in the assembly (see the project file).</summary>
public static class AssetEndpoints
{
    private static readonly (string Path, string Resource, string ContentType)[] Assets =
    [
        ("/assets/shop.css", "Tillpoint.Shop.Assets.shop.css", "text/css; charset=utf-8"),
        ("/assets/shop.js", "Tillpoint.Shop.Assets.shop.js", "text/javascript; charset=utf-8"),
    ];

    public static void MapAssets(this WebApplication app)
    {
        foreach (var (path, resource, contentType) in Assets)
        {
            var bytes = Read(resource);
            app.MapGet(path, (HttpContext context) =>
            {
                context.Response.Headers.CacheControl = "public, max-age=300";
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
