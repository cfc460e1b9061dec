using System.Buffers.Text;
using System.Security.Cryptography;
using Microsoft.AspNetCore.DataProtection;

namespace Tillpoint.Server.Checkout;

/// <summary>
/// Small self-contained values the sign-in flow hands out (form state, buyer tokens): written in a versioned binary
/// form, encrypted and authenticated with ASP.NET Core Data Protection under a purpose of their own, and base64url
/// encoded so they fit in a URL path or query unescaped.
/// </summary>
internal static class SignInProtection
{
    public static string Protect(IDataProtectionProvider protection, string purpose, byte version, Action<BinaryWriter> write)
    {
        using var buffer = new MemoryStream();
        using (var writer = new BinaryWriter(buffer, Encoding.UTF8, leaveOpen: true))
        {
            writer.Write(version);
            write(writer);
        }

        return Base64Url.EncodeToString(protection.CreateProtector(purpose).Protect(buffer.ToArray()));
    }

    /// <summary>
    /// What <paramref name="read"/> makes of the content after the version byte, or null when the text is not base64url,
    /// was altered, was made for another purpose or key ring, or has another version.
    /// </summary>
    public static T? Unprotect<T>(IDataProtectionProvider protection, string purpose, byte version, string? text, Func<BinaryReader, T> read)
        where T : class
    {
        if (string.IsNullOrEmpty(text) || !Base64Url.IsValid(text, out var length))
        {
            return null;
        }

        var bytes = new byte[length];
        Base64Url.DecodeFromChars(text, bytes);
        byte[] plain;
        try
        {
            plain = protection.CreateProtector(purpose).Unprotect(bytes);
        }
        catch (CryptographicException)
        {
            // Tampered, truncated, or protected with a key this ring does not hold: simply not a valid value.
            return null;
        }

        // The bytes are authenticated, so they are what Protect wrote; only the version can differ.
        using var reader = new BinaryReader(new MemoryStream(plain), Encoding.UTF8);
        return plain.Length > 0 && reader.ReadByte() == version ? read(reader) : null;
    }
}
