namespace Tillpoint.Server.Signing;

internal static class SigningServices
{
    /// <summary>What checks a signed request: the cache of merchants' public keys, the authenticator that uses it, and the solution providers' delegation tokens.</summary>
    public static IServiceCollection AddRequestSigning(this IServiceCollection services)
    {
        services.AddSingleton<PublicKeyCache>();
        services.AddSingleton<SignatureAuthenticator>();
        services.AddSingleton<AuthorizationTokens>();
        return services;
    }
}
