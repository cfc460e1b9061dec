using System.Buffers;
using System.Security.Cryptography;

namespace Tillpoint.Server.Signing;

/// <summary>
/// The shape of a public key id (spec §1.6): 24 upper-case letters and digits, optionally after <c>SANDBOX-</c> or
/// <c>LIVE-</c>. Issuing and checking live together so the check can never refuse an id this server handed out.
/// </summary>
internal static class PublicKeyIds
{
    private const int RandomLengthInChars = 24;
    private const string SandboxPrefix = "SANDBOX-";
    private const string LivePrefix = "LIVE-";
    private const string Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";

    private static readonly SearchValues<char> AlphabetValues = SearchValues.Create(Alphabet);

    // The longest well-formed id; anything longer is refused before its characters are even looked at.
    private static readonly int MaxLengthInChars = SandboxPrefix.Length + RandomLengthInChars;

    /// <summary>A new random id, prefixed when the key is pinned to one environment.</summary>
    public static string New(ReleaseEnvironment? environment) => environment switch
    {
        ReleaseEnvironment.Sandbox => SandboxPrefix,
        ReleaseEnvironment.Live => LivePrefix,
        null => string.Empty,
    } + RandomNumberGenerator.GetString(Alphabet, RandomLengthInChars);

    /// <summary>
    /// Whether <paramref name="publicKeyId"/> could be an id this server issued. Checked before any lookup, so text
    /// sent by anyone never reaches the store or a cache unless it is short and of the one shape ids have.
    /// </summary>
    public static bool IsWellFormed(string publicKeyId)
    {
        if (publicKeyId.Length > MaxLengthInChars)
        {
            return false;
        }

        // The store compares ids exactly, so the prefixes are matched with their case, as they are issued.
        var random = publicKeyId.AsSpan();
        if (random.StartsWith(SandboxPrefix, StringComparison.Ordinal))
        {
            random = random[SandboxPrefix.Length..];
        }
        else if (random.StartsWith(LivePrefix, StringComparison.Ordinal))
        {
            random = random[LivePrefix.Length..];
        }

        return random.Length == RandomLengthInChars && !random.ContainsAnyExcept(AlphabetValues);
    }
}
