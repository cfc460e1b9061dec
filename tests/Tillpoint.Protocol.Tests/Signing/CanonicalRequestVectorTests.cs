using System.Text;
using Tillpoint.Protocol.Signing;

namespace Tillpoint.Protocol.Tests.Signing;

/// <summary>Every case of Vectors/canonical-requests.json.</summary>
public sealed class CanonicalRequestVectorTests
{
    // java/get-slashes/* is left out of the rebuild test: its expected CanonicalURI "/" comes from java.net.URI
    // reading "//foo//" as an authority, not from any path rule (Vectors/README.md, "Disagreements found").
    private const string JavaGetSlashesPrefix = "java/get-slashes/";

    public static TheoryData<string> RebuildableCases()
    {
        var data = new TheoryData<string>();
        foreach (var vector in SigningVectors.Canonical)
        {
            if (!vector.Name.StartsWith(JavaGetSlashesPrefix, StringComparison.Ordinal))
            {
                data.Add(vector.Name);
            }
        }

        return data;
    }

    public static TheoryData<string> AllCases()
    {
        var data = new TheoryData<string>();
        foreach (var vector in SigningVectors.Canonical)
        {
            data.Add(vector.Name);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(RebuildableCases))]
    public void Build_FromVectorInputs_ReproducesCanonicalRequestAndStringToSign(string name)
    {
        var vector = SigningVectors.CanonicalCase(name);
        var headers = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (headerName, value) in vector.Headers)
        {
            headers.Add(headerName, value);
        }

        // The vectors list the signed headers already sorted; that list is what a client declares.
        var signedHeaders = string.Join(';', headers.Keys);
        var rawQuery = RawQueryAsSentByClient(vector.Query);

        var result = CanonicalRequest.Build(vector.Method, PathAsSentByClient(vector.Path), rawQuery, signedHeaders,
            headers.GetValueOrDefault, Encoding.UTF8.GetBytes(vector.Payload));

        Assert.Null(result.MissingHeader);
        Assert.Equal(vector.CanonicalRequest, result.CanonicalRequest);
        Assert.True(SignatureAlgorithms.TryParse(vector.Algorithm, out var algorithm));
        Assert.Equal(vector.StringToSign, CanonicalRequest.StringToSign(algorithm, result.CanonicalRequest!));
    }

    [Theory]
    [MemberData(nameof(RebuildableCases))]
    public void CanonicalQueryString_FromDecodedPairs_MatchesVectorQueryLine(string name)
    {
        var vector = SigningVectors.CanonicalCase(name);
        var queryLine = vector.CanonicalRequest.Split('\n')[2];

        Assert.Equal(queryLine, CanonicalRequest.CanonicalQueryString(vector.Query));
    }

    [Theory]
    [MemberData(nameof(AllCases))]
    public void StringToSign_OfVectorCanonicalRequest_MatchesVector(string name)
    {
        // Hashing only: independent of path handling, so java/get-slashes/* belongs here too.
        var vector = SigningVectors.CanonicalCase(name);
        Assert.True(SignatureAlgorithms.TryParse(vector.Algorithm, out var algorithm));

        Assert.Equal(vector.StringToSign, CanonicalRequest.StringToSign(algorithm, vector.CanonicalRequest));
    }

    [Fact]
    public void VectorFile_HasAllCases_AndOnlyJavaGetSlashesIsExcluded()
    {
        Assert.Equal(62, SigningVectors.Canonical.Count);
        Assert.Equal(60, RebuildableCases().Count);
    }

    // The vectors give the path as the SDK caller passed it; the SDK normalises it on the client before sending,
    // so a server only ever sees the result and must use it verbatim. The client-side steps live here, never in
    // the server code:
    //  - the empty path becomes "/" (java/get-empty; a request-target always starts with "/");
    //  - runs of "/" collapse to one (dotnet/GetWithTooManySlashesInUri; both SDK path encoders do it);
    //  - other characters are percent-encoded as UTF-8 (java/get-utf8: "/ሴ" travels as "/%E1%88%B4").
    private static string PathAsSentByClient(string sdkPath)
    {
        if (sdkPath.Length == 0)
        {
            return "/";
        }

        var collapsed = new StringBuilder();
        foreach (var c in sdkPath)
        {
            if (c != '/' || collapsed.Length == 0 || collapsed[^1] != '/')
            {
                collapsed.Append(c);
            }
        }

        var segments = collapsed.ToString().Split('/');
        for (var i = 0; i < segments.Length; i++)
        {
            segments[i] = Uri.EscapeDataString(segments[i]);
        }

        return string.Join('/', segments);
    }

    // The vectors hold decoded pairs; encode them as a client puts them on the wire (Uri.EscapeDataString is an
    // independent RFC 3986 encoder) so the raw-query path of the server code is exercised too.
    private static string? RawQueryAsSentByClient(IReadOnlyList<KeyValuePair<string, string>> pairs)
    {
        if (pairs.Count == 0)
        {
            return null;
        }

        var parts = new string[pairs.Count];
        for (var i = 0; i < pairs.Count; i++)
        {
            parts[i] = Uri.EscapeDataString(pairs[i].Key) + "=" + Uri.EscapeDataString(pairs[i].Value);
        }

        return string.Join('&', parts);
    }
}
