using Tillpoint.Domain.Regions;

namespace Tillpoint.Testing;

/// <summary>How <see cref="TillpointTestServer.StartAsync"/> starts a server. Every property has a default that suits a test.</summary>
public sealed record TillpointTestServerOptions
{
    /// <summary>
    /// A PostgreSQL database the server may create a schema in (<c>Host=…;Database=…;Username=…</c>). The server then
    /// keeps its state in a new schema of its own, dropped when the server is disposed. When <see langword="null"/> (the
    /// default), the state is a SQLite file in a temporary folder, deleted when the server is disposed.
    /// </summary>
    public string? PostgresConnectionString { get; init; }

    /// <summary>
    /// Where the server's business clock starts (payment objects' times, expiries); it then runs at the speed of real
    /// time, and <see cref="TillpointTestServer.Clock"/> moves the sandbox ahead of it. When <see langword="null"/> (the
    /// default), the real time. Request signatures are always checked against the real time.
    /// </summary>
    public DateTimeOffset? ClockStart { get; init; }

    /// <summary>
    /// Makes generated ids (sessions, charges, refunds, merchants), sandbox tokens and injected faults repeat from run
    /// to run, as <c>tillpoint serve --seed</c> does, so a test may compare what the server answered with a snapshot.
    /// When <see langword="null"/> (the default), cryptographic randomness. Keys and secrets are never seeded.
    /// </summary>
    public int? Seed { get; init; }

    /// <summary>
    /// Holds the merchants' requests to Amazon's per-operation quotas, answering 429 <c>TooManyRequests</c> over them,
    /// as <c>tillpoint serve --throttling amazon</c> does, for tests of a merchant's retry logic. Off by default.
    /// </summary>
    public bool AmazonThrottling { get; init; }

    /// <summary>
    /// The first merchant's Amazon Pay region (NA by default): the currencies its buyers may pay in, as
    /// <c>tillpoint merchants create --region</c> sets it.
    /// </summary>
    public Region Region { get; init; } = Region.NA;

    /// <summary>The name given to the merchant <see cref="TillpointTestServer.Client"/> calls for.</summary>
    public string MerchantName { get; init; } = "Test merchant";
}
