using System.Diagnostics;
using System.Security.Cryptography.X509Certificates;
using Tillpoint.Client.Notifications;
using Tillpoint.Server.Ipn;
using Tillpoint.Server.Tests.Support;
using Tillpoint.Storage;

namespace Tillpoint.Server.Tests.Ipn;

/// <summary>What the IPN tests share: fast delivery options, endpoint set-up, waiting on the delivery log, verification.</summary>
internal static class IpnTestSupport
{
    /// <summary>
    /// Quick polling, so a test spends its time on deliveries rather than waits. The answer timeout stays generous: on a
    /// busy machine a receiver's 200 can take a second, and a test that means a success must not see a timeout. Only
    /// the test of a hanging receiver shortens it.
    /// </summary>
    public static Func<ServerOptions, ServerOptions> Fast(int maxAttempts = 5, IReadOnlySet<string>? allowedHosts = null, TimeSpan? timeout = null) => options => options with
    {
        Ipn = options.Ipn with
        {
            PollInterval = TimeSpan.FromMilliseconds(50),
            Timeout = timeout ?? TimeSpan.FromSeconds(10),
            MaxAttempts = maxAttempts,
            AllowedHosts = allowedHosts ?? Loopback,
        },
    };

    /// <summary>The test receivers' host, on any port: receivers on this machine are refused unless allowed.</summary>
    public static readonly IReadOnlySet<string> Loopback = new HashSet<string> { "127.0.0.1" };

    /// <summary>More than the longest second retry delay (30 s × 2 × 1.2): every pending retry is due after it.</summary>
    public static readonly TimeSpan PastAnyEarlyRetry = TimeSpan.FromMinutes(2);

    public static async Task AddEndpointAsync(TillpointHost host, TestMerchant merchant, string url, string environment = "sandbox")
    {
        var (exit, _, error) = await host.CliAsync("ipn", "add", "--merchant", merchant.MerchantId, "--environment", environment, "--url", url, "--allow-host", "127.0.0.1");
        Assert.True(exit == 0, error);
    }

    /// <summary>Waits, bounded, until the delivery of <paramref name="notificationId"/> satisfies <paramref name="condition"/>.</summary>
    public static async Task<IpnDelivery> WaitForDeliveryAsync(TillpointHost host, string notificationId, Func<IpnDelivery, bool> condition)
    {
        var waited = Stopwatch.StartNew();
        while (true)
        {
            var delivery = host.Store.Read(reader => reader.ListIpnDeliveries(new IpnDeliveryQuery(NotificationId: notificationId))).SingleOrDefault();
            if (delivery is not null && condition(delivery))
            {
                return delivery;
            }

            if (waited.Elapsed > IpnReceiver.WaitLimit)
            {
                throw new TimeoutException($"The delivery of {notificationId} did not reach the expected state; it is {delivery}.");
            }

            await Task.Delay(TimeSpan.FromMilliseconds(20));
        }
    }

    /// <summary>A verifier trusting exactly the certificate the server serves at its SigningCertURL path.</summary>
    public static async Task<IpnVerifier> VerifierAsync(TillpointHost host)
    {
        using var http = host.Browser();
        var pem = await http.GetStringAsync(new Uri(IpnSigner.CertificatePath, UriKind.Relative));
        return IpnVerifier.ForCertificate(X509Certificate2.CreateFromPem(pem));
    }

    public static IReadOnlyList<IpnNotificationRecord> Outbox(TillpointHost host, TestMerchant merchant, string chargePermissionId) =>
        host.Store.Read(reader => reader.GetIpnNotifications(merchant.MerchantId, chargePermissionId));
}
