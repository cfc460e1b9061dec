namespace Tillpoint.Protocol.Signing;

/// <summary>The request-signature algorithms of the Amazon Pay v2 API (spec §2.1).</summary>
public enum SignatureAlgorithm
{
    /// <summary><c>AMZN-PAY-RSASSA-PSS</c>: RSASSA-PSS, SHA-256, MGF1-SHA-256, salt length 20.</summary>
    RsassaPss,

    /// <summary><c>AMZN-PAY-RSASSA-PSS-V2</c>: RSASSA-PSS, SHA-256, MGF1-SHA-256, salt length 32.</summary>
    RsassaPssV2,
}

/// <summary>Wire names and parameters of <see cref="SignatureAlgorithm"/> values.</summary>
public static class SignatureAlgorithms
{
    /// <summary>The wire name of <see cref="SignatureAlgorithm.RsassaPss"/>.</summary>
    public const string RsassaPssName = "AMZN-PAY-RSASSA-PSS";

    /// <summary>The wire name of <see cref="SignatureAlgorithm.RsassaPssV2"/>.</summary>
    public const string RsassaPssV2Name = "AMZN-PAY-RSASSA-PSS-V2";

    /// <summary>Returns the name used in the <c>authorization</c> header and as the string-to-sign prefix.</summary>
    /// <param name="a">The algorithm.</param>
    /// <returns>The exact wire name.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="a"/> is not a defined value.</exception>
    public static string Name(SignatureAlgorithm a) => a switch
    {
        SignatureAlgorithm.RsassaPss => RsassaPssName,
        SignatureAlgorithm.RsassaPssV2 => RsassaPssV2Name,
        _ => throw new ArgumentOutOfRangeException(nameof(a), a, "Unknown signature algorithm."),
    };

    /// <summary>Returns the PSS salt length in bytes: 20 for V1, 32 for V2.</summary>
    /// <param name="a">The algorithm.</param>
    /// <returns>The salt length the algorithm requires exactly.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="a"/> is not a defined value.</exception>
    public static int SaltLength(SignatureAlgorithm a) => a switch
    {
        SignatureAlgorithm.RsassaPss => 20,
        SignatureAlgorithm.RsassaPssV2 => 32,
        _ => throw new ArgumentOutOfRangeException(nameof(a), a, "Unknown signature algorithm."),
    };

    /// <summary>Parses an exact, case-sensitive algorithm name.</summary>
    /// <param name="name">The wire name, e.g. <c>AMZN-PAY-RSASSA-PSS-V2</c>.</param>
    /// <param name="a">The parsed algorithm, or the default value when parsing fails.</param>
    /// <returns><see langword="true"/> when <paramref name="name"/> is one of the two known names.</returns>
    public static bool TryParse(string name, out SignatureAlgorithm a) => TryParse(name.AsSpan(), out a);

    internal static bool TryParse(ReadOnlySpan<char> name, out SignatureAlgorithm a)
    {
        if (name.SequenceEqual(RsassaPssName))
        {
            a = SignatureAlgorithm.RsassaPss;
            return true;
        }

        if (name.SequenceEqual(RsassaPssV2Name))
        {
            a = SignatureAlgorithm.RsassaPssV2;
            return true;
        }

        a = default;
        return false;
    }

    internal static bool IsDefined(SignatureAlgorithm a) =>
        a is SignatureAlgorithm.RsassaPss or SignatureAlgorithm.RsassaPssV2;
}
