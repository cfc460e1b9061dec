namespace Tillpoint.Server.Api;

internal static class ApiEndpoints
{
    /// <summary>What the merchant API's operations need: the id generator, their shared services and the operation list.</summary>
    public static IServiceCollection AddMerchantApi(this IServiceCollection services, IIdGenerator ids)
    {
        services.AddSingleton(ids);
        services.AddSingleton<ApiServices>();
        services.AddSingleton<ApiOperations>();
        return services;
    }
}
