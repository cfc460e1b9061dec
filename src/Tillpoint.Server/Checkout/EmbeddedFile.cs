using System.Security.Cryptography;
using Microsoft.Net.Http.Headers;

namespace Tillpoint.Server.Checkout;

/// <summary>
/// A file shipped inside the executable (checkout.js, the favicon), served cacheable: its ETag is a hash of its bytes,
/// so a browser revalidates cheaply and a new release is picked up at the next revalidation.
/// </summary>
internal sealed class EmbeddedFile
{
    private readonly byte[] _bytes;
    private readonly string _contentType;
    private readonly string _cacheControl;

    private EmbeddedFile(byte[] bytes, string contentType, TimeSpan maxAge)
    {
        _bytes = bytes;
        _contentType = contentType;
        _cacheControl = $"public, max-age={(int)maxAge.TotalSeconds}";
        ETag = $"\"{Convert.ToHexStringLower(SHA256.HashData(bytes).AsSpan(0, 16))}\"";
    }

    public string ETag { get; }

    /// <exception cref="InvalidOperationException">The build left the resource out.</exception>
    public static EmbeddedFile Load(string resource, string contentType, TimeSpan maxAge)
    {
        using var stream = typeof(EmbeddedFile).Assembly.GetManifestResourceStream(resource)
            ?? throw new InvalidOperationException($"The embedded resource {resource} is missing from the build.");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return new EmbeddedFile(copy.ToArray(), contentType, maxAge);
    }

    /// <summary>The file, or 304 when the browser's copy (If-None-Match) is this one.</summary>
    public IResult Serve(HttpContext context)
    {
        var headers = context.Response.Headers;
        headers.ETag = ETag;
        headers.CacheControl = _cacheControl;
        headers.XContentTypeOptions = "nosniff";
        var asked = context.Request.Headers.IfNoneMatch;
        if (asked.Count > 0 && EntityTagHeaderValue.TryParseList(asked, out var tags)
            && tags.Any(tag => tag.Equals(EntityTagHeaderValue.Any) || tag.Tag.Equals(ETag)))
        {
            return Results.StatusCode(StatusCodes.Status304NotModified);
        }

        return Results.Bytes(_bytes, _contentType);
    }
}
