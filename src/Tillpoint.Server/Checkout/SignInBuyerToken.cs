using Microsoft.AspNetCore.DataProtection;

namespace Tillpoint.Server.Checkout;

/// <summary>
/// What a <c>buyerToken</c> from the hosted sign-in stands for: this buyer signed in to this merchant, in this
/// environment, and shared these details, at this time. The token is the record itself, protected
/// (<see cref="SignInProtection"/>), so Get Buyer needs no storage and any node can read it.
/// </summary>
internal sealed record BuyerToken(string MerchantId, ReleaseEnvironment Environment, string BuyerId, SignInScopes Scopes, DateTimeOffset IssuedAt)
{
    // Not the time-limited protector: it checks expiry against the wall clock, and a token's lifetime runs on the
    // business clock, which the sandbox moves (and tests set). The issue time is inside and checked by IsUsableAt.
    private const string ProtectorPurpose = "Tillpoint.SignIn.BuyerToken";
    private const byte FormatVersion = 1;

    public string Protect(IDataProtectionProvider protection) =>
        SignInProtection.Protect(protection, ProtectorPurpose, FormatVersion, writer =>
        {
            writer.Write(MerchantId);
            writer.Write((byte)Environment);
            writer.Write(BuyerId);
            writer.Write((int)Scopes);
            writer.Write(IssuedAt.UtcTicks);
        });

    /// <summary>The token's content, or null when it is not a token this server issued (or was altered).</summary>
    public static BuyerToken? Unprotect(IDataProtectionProvider protection, string? token) => SignInProtection.Unprotect(
        protection,
        ProtectorPurpose,
        FormatVersion,
        token,
        static reader => new BuyerToken(
            MerchantId: reader.ReadString(),
            Environment: (ReleaseEnvironment)reader.ReadByte(),
            BuyerId: reader.ReadString(),
            Scopes: (SignInScopes)reader.ReadInt32(),
            IssuedAt: new DateTimeOffset(reader.ReadInt64(), TimeSpan.Zero)));

    /// <summary>Usable from issue until <paramref name="lifetime"/> later on the business clock, that instant excluded.</summary>
    public bool IsUsableAt(DateTimeOffset now, TimeSpan lifetime) => now < IssuedAt + lifetime;
}
