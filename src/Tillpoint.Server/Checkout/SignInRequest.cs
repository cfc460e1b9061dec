using System.Text.Json.Serialization;
using Microsoft.AspNetCore.DataProtection;
using Tillpoint.Domain.CheckoutSessions;
using Tillpoint.Server.Signing;

namespace Tillpoint.Server.Checkout;

/// <summary>The buyer details a merchant may ask for with <c>signInScopes</c>; <c>buyerId</c> is always shared.</summary>
[Flags]
internal enum SignInScopes
{
    None = 0,
    Name = 1,
    Email = 2,
    PostalCode = 4,
    ShippingAddress = 8,
    BillingAddress = 16,
    PhoneNumber = 32,
    All = Name | Email | PostalCode | ShippingAddress | BillingAddress | PhoneNumber,
}

/// <summary>A sign-in button's request whose signature checked out, as the hosted sign-in page acts on it.</summary>
internal sealed record SignInRequest(
    string MerchantId, ReleaseEnvironment Environment, string ReturnUrl, string? CancelUrl, SignInScopes Scopes)
{
    /// <summary>The wire names, in the order the page lists them, with the resource that names each on the page.</summary>
    public static IReadOnlyList<(string Name, SignInScopes Scope, string Description)> KnownScopes { get; } =
    [
        ("name", SignInScopes.Name, "ScopeName"),
        ("email", SignInScopes.Email, "ScopeEmail"),
        ("postalCode", SignInScopes.PostalCode, "ScopePostalCode"),
        ("shippingAddress", SignInScopes.ShippingAddress, "ScopeShippingAddress"),
        ("billingAddress", SignInScopes.BillingAddress, "ScopeBillingAddress"),
        ("phoneNumber", SignInScopes.PhoneNumber, "ScopePhoneNumber"),
    ];

    // The page hands the verified request to its own forms in a protected field rather than the payload and signature
    // again: browsers turn LF into CRLF in submitted form values, which would break the signature of a pretty-printed
    // payload.
    private const string ProtectorPurpose = "Tillpoint.SignIn.Request";
    private const byte FormatVersion = 1;

    private static readonly string[] ButtonParameters = ["payload", "signature", "publicKeyId", "algorithm", "sandbox"];

    /// <summary>
    /// Verifies what the sign-in button sent (<c>payload</c>, <c>signature</c>, <c>publicKeyId</c>, and optionally
    /// <c>algorithm</c> and <c>sandbox</c>) as any button payload is, then reads the payload.
    /// </summary>
    public static Result<SignInRequest> FromButton(IQueryCollection query, PublicKeyCache keys, ITillpointStore store, Limits limits)
    {
        var verified = ButtonPayloads.VerifyQuery(query, keys, ButtonParameters);
        if (!verified.IsSuccess)
        {
            return verified.Error;
        }

        var (caller, payloadJson) = verified.Value;
        var parsed = ButtonPayloads.Parse(payloadJson, SignInJsonContext.Default.SignInPayload);
        if (!parsed.IsSuccess)
        {
            return parsed.Error;
        }

        var payload = parsed.Value;
        if (string.IsNullOrEmpty(payload.SignInReturnUrl))
        {
            return DomainError.Missing("signInReturnUrl");
        }

        if (string.IsNullOrEmpty(payload.StoreId))
        {
            return DomainError.Missing("storeId");
        }

        var scopes = ParseScopes(payload.SignInScopes);
        var error = scopes.Error
            ?? Urls.Validate("signInReturnUrl", payload.SignInReturnUrl, caller.Environment, limits)
            ?? Urls.Validate("signInCancelUrl", payload.SignInCancelUrl, caller.Environment, limits)
            ?? ButtonPayloads.CheckStore(store, caller, payload.StoreId);
        if (error is not null)
        {
            return error;
        }

        return new SignInRequest(caller.MerchantId, caller.Environment, payload.SignInReturnUrl, payload.SignInCancelUrl, scopes.Value);
    }

    /// <summary>The request as an opaque, tamper-proof form field.</summary>
    public string Protect(IDataProtectionProvider protection) =>
        SignInProtection.Protect(protection, ProtectorPurpose, FormatVersion, writer =>
        {
            writer.Write(MerchantId);
            writer.Write((byte)Environment);
            writer.Write(ReturnUrl);
            writer.Write(CancelUrl is not null);
            writer.Write(CancelUrl ?? string.Empty);
            writer.Write((int)Scopes);
        });

    /// <summary>The request a form carried, or null when the field is missing, altered or from another key ring.</summary>
    public static SignInRequest? Unprotect(IDataProtectionProvider protection, string? field) => SignInProtection.Unprotect(
        protection,
        ProtectorPurpose,
        FormatVersion,
        field,
        static reader =>
        {
            var merchantId = reader.ReadString();
            var environment = (ReleaseEnvironment)reader.ReadByte();
            var returnUrl = reader.ReadString();
            var hasCancelUrl = reader.ReadBoolean();
            var cancelUrl = reader.ReadString();
            return new SignInRequest(merchantId, environment, returnUrl, hasCancelUrl ? cancelUrl : null, (SignInScopes)reader.ReadInt32());
        });

    /// <summary>Absent scopes ask for everything [U: Amazon's default is undocumented]; an empty list for the buyer id only.</summary>
    private static Result<SignInScopes> ParseScopes(List<string?>? names)
    {
        if (names is null)
        {
            return SignInScopes.All;
        }

        var scopes = SignInScopes.None;
        foreach (var name in names)
        {
            var known = KnownScopes.FirstOrDefault(k => k.Name == name);
            if (known.Name is null)
            {
                return DomainError.InvalidValue(
                    "signInScopes", $"'{name ?? "null"}' is not one of {string.Join(", ", KnownScopes.Select(k => k.Name))}.");
            }

            scopes |= known.Scope;
        }

        return scopes;
    }
}

/// <summary>The sign-in button's <c>payloadJSON</c> (spec §9.2).</summary>
internal sealed class SignInPayload
{
    public string? SignInReturnUrl { get; set; }

    public string? StoreId { get; set; }

    public List<string?>? SignInScopes { get; set; }

    public string? SignInCancelUrl { get; set; }
}

/// <summary>Read as strictly as API bodies: an unknown key is refused by name.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow)]
[JsonSerializable(typeof(SignInPayload))]
internal sealed partial class SignInJsonContext : JsonSerializerContext;
