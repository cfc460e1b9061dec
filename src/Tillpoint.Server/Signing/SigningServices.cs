namespace Tillpoint.Server.Signing;

internal static class SigningServices
{
    /// <summary>What checks a signed request: the cache of merchants' public keys and the authenticator that uses it.</summary>
    public static IServiceCollection AddRequestSigning(this IServiceCollection services)
    {
        services.AddSingleton<PublicKeyCache>();
        services.AddSingleton<SignatureAuthenticator>();
        return services;
    }
}
