namespace Tillpoint.Server;

/// <summary>How notifications are delivered. Every limit is named with its unit.</summary>
public sealed record IpnOptions
{
    /// <summary>Attempts per series before a delivery is Failed (a redelivery starts a new series).</summary>
    public int MaxAttempts { get; init; } = 12;

    /// <summary>How long one POST may take, connection included, before it counts as a timeout.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>The wait after the first failed attempt; it doubles after each further one, up to <see cref="MaxRetryDelay"/>.</summary>
    public TimeSpan FirstRetryDelay { get; init; } = TimeSpan.FromSeconds(30);

    public TimeSpan MaxRetryDelay { get; init; } = TimeSpan.FromHours(1);

    /// <summary>
    /// Receivers the operator allowed, <c>host</c> (every port) or <c>host:port</c>, names or IP literals compared
    /// case-insensitively: the only targets that may be plain HTTP or on a loopback, private, link-local or unspecified
    /// address (see <see cref="Ipn.IpnTargets"/>).
    /// </summary>
    public IReadOnlySet<string> AllowedHosts { get; init; } = new HashSet<string>(StringComparer.OrdinalIgnoreCase);

    /// <summary>
    /// The <c>SigningCertURL</c> notifications carry. When unset, the certificate's path under the public URL, or under
    /// the first address listened on. Set it when receivers only fetch certificates from a host they trust.
    /// </summary>
    public Uri? CertificateUrl { get; init; }

    /// <summary>How often the dispatcher looks for work when nothing else wakes it.</summary>
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Real time, for leases and attempt times: never the sandbox clock, since a lease must expire in real time when a
    /// node dies, whatever the operator does to business time.
    /// </summary>
    public TimeProvider WallClock { get; init; } = TimeProvider.System;
}
