namespace Tillpoint.Server.Ipn;

/// <summary>
/// What an operator does with notifications: endpoints, the delivery log, redelivery. Used by the CLI, and meant for the
/// dashboard too, so it knows nothing of either: inputs are checked here and refusals come back as values.
/// </summary>
internal sealed class IpnAdministration(ITillpointStore store, TimeProvider clock, IReadOnlySet<string> allowedHosts)
{
    /// <summary>The most deliveries one listing returns.</summary>
    public const int MaxPageSize = 500;

    public const int DefaultPageSize = 50;

    public async Task<Result<IpnEndpoint>> AddEndpointAsync(string merchantId, ReleaseEnvironment environment, string url, CancellationToken cancellationToken)
    {
        if (IpnTargets.Refusal(url, allowedHosts) is { } refusal)
        {
            return DomainError.InvalidValue("url", refusal);
        }

        if (store.Read(reader => reader.GetMerchant(merchantId)) is null)
        {
            return DomainError.NotFound("merchant", merchantId);
        }

        var endpoint = new IpnEndpoint(merchantId, environment, url, clock.GetUtcNow());
        var added = await store.WriteAsync(write => write.AddIpnEndpoint(endpoint), cancellationToken);
        return added
            ? endpoint
            : new DomainError(ErrorCode.InvalidParameterValue, $"The merchant already has the endpoint {url} in {environment}.");
    }

    public IReadOnlyList<IpnEndpoint> ListEndpoints(string merchantId, ReleaseEnvironment? environment) =>
        store.Read(reader => reader.ListIpnEndpoints(merchantId, environment));

    /// <summary>Returns false when the merchant has no such endpoint.</summary>
    public Task<bool> RemoveEndpointAsync(string merchantId, ReleaseEnvironment environment, string url, CancellationToken cancellationToken) =>
        store.WriteAsync(write => write.RemoveIpnEndpoint(merchantId, environment, url), cancellationToken);

    /// <summary>Newest first; the page size is clamped to 1..<see cref="MaxPageSize"/>.</summary>
    public IReadOnlyList<IpnDelivery> ListDeliveries(IpnDeliveryQuery query) =>
        store.Read(reader => reader.ListIpnDeliveries(query with { Limit = Math.Clamp(query.Limit, 1, MaxPageSize) }));

    public IpnDelivery? GetDelivery(string deliveryId) => store.Read(reader => reader.GetIpnDelivery(deliveryId));

    public IReadOnlyList<IpnAttempt> ListAttempts(string deliveryId) => store.Read(reader => reader.ListIpnAttempts(deliveryId));

    /// <summary>
    /// Makes a delivery (by delivery id) or every delivery of a notification (by notification id) pending again, with a
    /// new series of attempts; the notification id stays, so receivers de-duplicate it. An error when nothing matched.
    /// </summary>
    public async Task<Result<int>> RedeliverAsync(string id, CancellationToken cancellationToken)
    {
        var reset = await store.WriteAsync(write => write.RedeliverIpn(id), cancellationToken);
        return reset > 0 ? reset : DomainError.NotFound("delivery or notification", id);
    }
}
