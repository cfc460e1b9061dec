using System.Security.Authentication;
using Tillpoint.Client;
using Tillpoint.Shop.Configuration;

namespace Tillpoint.Shop.Payments;

/// <summary>
/// Checks that the shop's Tillpoint settings work before a buyer finds out: Tillpoint answers at <c>Tillpoint:Url</c> over
/// a trusted connection and knows <c>Tillpoint:PublicKeyId</c>. What is wrong is one sentence, in the log when it is
/// first seen and on the cart page instead of a button that would fail on Tillpoint's page. The probe is a signed Get
/// Checkout Session of an id that does not exist: a working setup answers <c>ResourceNotFound</c>.
/// </summary>
public sealed class TillpointCheck(AmazonPayClient amazonPay, ShopOptions options, TimeProvider clock, ILogger<TillpointCheck> logger) : IDisposable
{
    private const string ProbeCheckoutSessionId = "00000000-0000-4000-8000-000000000000";

    /// <summary>A cart page must not wait for a Tillpoint that does not answer.</summary>
    public static readonly TimeSpan ProbeTimeout = TimeSpan.FromSeconds(5);

    // A working setup is asked again now and then; a broken one at every page view after a short pause, so a fix (a
    // started server, a restored file) shows without restarting the shop.
    private static readonly TimeSpan WorkingFor = TimeSpan.FromMinutes(1);
    private static readonly TimeSpan BrokenFor = TimeSpan.FromSeconds(2);

    private readonly SemaphoreSlim _probing = new(1, 1);
    private (long CheckedAt, string? Problem)? _last;

    /// <summary>What is wrong with the shop's connection to Tillpoint, as one sentence, or <see langword="null"/>.</summary>
    public async Task<string?> ProblemAsync(CancellationToken ct)
    {
        if (Fresh() is { } cached)
        {
            return cached.Problem;
        }

        await _probing.WaitAsync(ct);
        try
        {
            if (Fresh() is { } probed)
            {
                return probed.Problem;
            }

            var problem = await ProbeAsync(ct);
            if (problem != _last?.Problem)
            {
                if (problem is null)
                {
                    logger.LogInformation("Tillpoint at {TillpointUrl} answers and knows the shop's key {PublicKeyId}.", options.TillpointUrl, options.PublicKeyId);
                }
                else
                {
                    logger.LogError("{Problem}", problem);
                }
            }

            _last = (clock.GetTimestamp(), problem);
            return problem;
        }
        finally
        {
            _probing.Release();
        }
    }

    /// <summary>The sentence for a redirect the shop's Content-Security-Policy would block (see <see cref="OrderPayments"/>).</summary>
    public static string BlockedRedirect(ShopOptions options, Uri redirect) =>
        $"Tillpoint sends buyers to {redirect.GetLeftPart(UriPartial.Authority)} to pay, but the shop's Content-Security-Policy allows only "
        + $"Tillpoint:PublicUrl {options.TillpointPublicUrl.GetLeftPart(UriPartial.Authority)}: start tillpoint serve with "
        + $"--public-url {options.TillpointPublicUrl.GetLeftPart(UriPartial.Authority)}, or set the shop's Tillpoint:PublicUrl to "
        + $"{redirect.GetLeftPart(UriPartial.Authority)}.";

    public void Dispose() => _probing.Dispose();

    private (long CheckedAt, string? Problem)? Fresh() =>
        _last is { } last && clock.GetElapsedTime(last.CheckedAt) < (last.Problem is null ? WorkingFor : BrokenFor) ? last : null;

    private async Task<string?> ProbeAsync(CancellationToken ct)
    {
        var url = options.TillpointUrl.GetLeftPart(UriPartial.Authority);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(ProbeTimeout);
        try
        {
            await amazonPay.GetCheckoutSessionAsync(ProbeCheckoutSessionId, null, timeout.Token);
            return null;
        }
        catch (AmazonPayException e) when (e.ReasonCode == "ResourceNotFound")
        {
            return null;
        }
        catch (AmazonPayException e) when (e.ReasonCode == "UnauthorizedAccess")
        {
            return $"Tillpoint at {url} does not know the shop's public key id {options.PublicKeyId}: run samples/Shop/setup.sh --force "
                + "from the directory tillpoint serve runs in, so that both use the same data folder, then restart the shop.";
        }
        catch (AmazonPayException e)
        {
            return $"Tillpoint at {url} refused the shop's signed request with {e.ReasonCode} ({e.Message}): check Tillpoint:PublicKeyId "
                + $"{options.PublicKeyId} and Tillpoint:PrivateKeyPath {options.PrivateKeyPath}.";
        }
        catch (HttpRequestException e) when (e.InnerException is AuthenticationException)
        {
            return options.CertificatePath switch
            {
                null => $"The shop does not trust Tillpoint's HTTPS certificate at {url}: set Tillpoint:CertificatePath to "
                    + "tillpoint-https.pem in the data folder of tillpoint serve.",
                { } path when !File.Exists(path) => $"The shop does not trust Tillpoint's HTTPS certificate at {url}: the certificate "
                    + $"file {path} (Tillpoint:CertificatePath) does not exist; point it at tillpoint-https.pem in the data folder of tillpoint serve.",
                { } path => $"The shop does not trust Tillpoint's HTTPS certificate at {url}: it is not the certificate in {path} "
                    + "(Tillpoint:CertificatePath); point that at tillpoint-https.pem in the data folder of tillpoint serve.",
            };
        }
        catch (HttpRequestException e)
        {
            return $"Tillpoint cannot be reached at {url} ({e.Message}): start tillpoint serve, or set Tillpoint:Url to where it listens.";
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            return $"Tillpoint at {url} did not answer within {ProbeTimeout.TotalSeconds:0} seconds: check that tillpoint serve is "
                + "running there (Tillpoint:Url).";
        }
    }
}

/// <summary>Runs the check once the shop has started, so a wrong setting is in the log before the first buyer comes.</summary>
internal sealed class TillpointCheckAtStart(TillpointCheck check) : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken) => check.ProblemAsync(stoppingToken);
}
