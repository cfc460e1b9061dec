using System.Text.Json;
using Tillpoint.Protocol.Signing;

namespace Tillpoint.Protocol.Tests.Signing;

/// <summary>Loads the files in tests/Tillpoint.Protocol.Tests/Vectors (see its README) once per test run.</summary>
internal static class SigningVectors
{
    public const string RegisteredKeyId = "AMZNPAYTESTVECTORKEY0001";
    public const string RegisteredSandboxKeyId = "SANDBOX-AMZNPAYTESTVECTORKEY0002";

    private static readonly Lazy<string> Directory = new(FindVectorDirectory);
    private static readonly Lazy<IReadOnlyList<CanonicalVector>> CanonicalCases = new(LoadCanonical);
    private static readonly Lazy<IReadOnlyList<SignedVector>> SignedCases = new(LoadSigned);
    private static readonly Lazy<ButtonVector> Button = new(LoadButton);
    private static readonly Lazy<RsaVerificationKey> PublicKey = new(() => RsaVerificationKey.FromPem(ReadText("test-key-public.pem")));

    public static IReadOnlyList<CanonicalVector> Canonical => CanonicalCases.Value;

    public static IReadOnlyList<SignedVector> Signed => SignedCases.Value;

    public static ButtonVector ButtonPayload => Button.Value;

    /// <summary>The fixed test public key; shared by all tests and never disposed (it lives as long as the run).</summary>
    public static RsaVerificationKey TestPublicKey => PublicKey.Value;

    public static string ReadText(string fileName) => File.ReadAllText(Path.Combine(Directory.Value, fileName));

    public static CanonicalVector CanonicalCase(string name) => Canonical.Single(c => c.Name == name);

    public static SignedVector SignedCase(string name) => Signed.Single(c => c.Name == name);

    /// <summary>The key registry the README prescribes: the test key under two ids, everything else unknown.</summary>
    public static RsaVerificationKey? LookUpKey(string publicKeyId) =>
        publicKeyId is RegisteredKeyId or RegisteredSandboxKeyId ? TestPublicKey : null;

    // The csproj does not copy the vectors to the output, so walk up to the repository root instead.
    private static string FindVectorDirectory() => Path.Combine(TestRepository.Root, "tests", "Tillpoint.Protocol.Tests", "Vectors");

    private static JsonElement ParseFile(string fileName)
    {
        using var doc = JsonDocument.Parse(ReadText(fileName));
        return doc.RootElement.Clone();
    }

    private static List<CanonicalVector> LoadCanonical()
    {
        var list = new List<CanonicalVector>();
        foreach (var e in ParseFile("canonical-requests.json").EnumerateArray())
        {
            list.Add(new CanonicalVector(
                e.GetProperty("name").GetString()!,
                e.GetProperty("algorithm").GetString()!,
                e.GetProperty("method").GetString()!,
                e.GetProperty("path").GetString()!,
                ReadPairs(e.GetProperty("query")),
                ReadHeaders(e.GetProperty("headers")),
                e.GetProperty("payload").GetString()!,
                e.GetProperty("canonicalRequest").GetString()!,
                e.GetProperty("stringToSign").GetString()!));
        }

        return list;
    }

    private static List<SignedVector> LoadSigned()
    {
        var list = new List<SignedVector>();
        foreach (var e in ParseFile("signed-requests.json").EnumerateArray())
        {
            list.Add(new SignedVector(
                e.GetProperty("name").GetString()!,
                e.GetProperty("expect").GetString()!,
                e.TryGetProperty("failsAt", out var failsAt) ? failsAt.GetString() : null,
                e.GetProperty("method").GetString()!,
                e.GetProperty("path").GetString()!,
                ReadPairs(e.GetProperty("query")),
                e.GetProperty("target").GetString()!,
                ReadHeaders(e.GetProperty("headers")),
                e.GetProperty("body").GetString()!,
                e.GetProperty("canonicalRequest").GetString(),
                e.GetProperty("stringToSign").GetString(),
                e.TryGetProperty("signedStringToSign", out var signed) ? signed.GetString() : null));
        }

        return list;
    }

    private static ButtonVector LoadButton()
    {
        var root = ParseFile("button-payload.json");
        var signatures = new List<ButtonSignatureVector>();
        foreach (var v in root.GetProperty("vectors").EnumerateArray())
        {
            signatures.Add(new ButtonSignatureVector(
                v.GetProperty("algorithm").GetString()!,
                v.GetProperty("saltLength").GetInt32(),
                v.GetProperty("stringToSign").GetString()!,
                v.GetProperty("signature").GetString()!));
        }

        var php = root.GetProperty("phpEscapedInput");
        return new ButtonVector(
            root.GetProperty("payload").GetString()!,
            root.GetProperty("payloadSha256").GetString()!,
            signatures,
            php.GetProperty("string").GetString()!,
            php.GetProperty("sha256").GetString()!);
    }

    private static List<KeyValuePair<string, string>> ReadPairs(JsonElement array)
    {
        var pairs = new List<KeyValuePair<string, string>>();
        foreach (var pair in array.EnumerateArray())
        {
            pairs.Add(new(pair[0].GetString()!, pair[1].GetString()!));
        }

        return pairs;
    }

    // Insertion order matters: the canonical vectors list their headers already sorted, as SignedHeaders expects.
    private static List<KeyValuePair<string, string>> ReadHeaders(JsonElement obj)
    {
        var headers = new List<KeyValuePair<string, string>>();
        foreach (var p in obj.EnumerateObject())
        {
            headers.Add(new(p.Name, p.Value.GetString()!));
        }

        return headers;
    }
}

internal sealed record CanonicalVector(
    string Name,
    string Algorithm,
    string Method,
    string Path,
    IReadOnlyList<KeyValuePair<string, string>> Query,
    IReadOnlyList<KeyValuePair<string, string>> Headers,
    string Payload,
    string CanonicalRequest,
    string StringToSign);

internal sealed record SignedVector(
    string Name,
    string Expect,
    string? FailsAt,
    string Method,
    string Path,
    IReadOnlyList<KeyValuePair<string, string>> Query,
    string Target,
    IReadOnlyList<KeyValuePair<string, string>> Headers,
    string Body,
    string? CanonicalRequest,
    string? StringToSign,
    string? SignedStringToSign)
{
    /// <summary>Case-insensitive, like the header collection of an HTTP server.</summary>
    public Dictionary<string, string> HeaderMap()
    {
        var map = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (name, value) in Headers)
        {
            map.Add(name, value);
        }

        return map;
    }
}

internal sealed record ButtonVector(
    string Payload,
    string PayloadSha256,
    IReadOnlyList<ButtonSignatureVector> Signatures,
    string PhpEscapedInput,
    string PhpEscapedSha256);

internal sealed record ButtonSignatureVector(string Algorithm, int SaltLength, string StringToSign, string Signature);
