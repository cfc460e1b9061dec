using System.Diagnostics;
using System.Net.Http.Headers;
using Tillpoint.Protocol.Notifications;
using Tillpoint.Server.Hosting;

namespace Tillpoint.Server.Ipn;

/// <summary>
/// Delivers Instant Payment Notifications (spec §11), at least once. The outbox rows written with each state change are
/// fanned out to the merchant's endpoints (one delivery each), then deliveries are leased in a short transaction, POSTed
/// with no transaction open, and each attempt recorded in another. A node that dies holding leases loses them when they
/// expire, and the work is claimed again, by any node. Every node runs one.
/// </summary>
internal sealed partial class IpnDispatcher : BackgroundService
{
    /// <summary>Deliveries leased (and POSTed concurrently) per round.</summary>
    private const int BatchSize = 16;

    /// <summary>Notifications fanned out per transaction.</summary>
    private const int FanOutBatchSize = 200;

    /// <summary>What is kept of an answer's body: enough to see an error page's title, never a whole page.</summary>
    public const int MaxSnippetChars = 512;

    public const string UserAgent = "Tillpoint-Notification-Agent/1.0";

    /// <summary>How long a lease outlives the POST's timeout: the time to record the attempt, with room to spare.</summary>
    private static readonly TimeSpan LeaseMargin = TimeSpan.FromSeconds(30);

    private readonly ITillpointStore _store;
    private readonly BusinessClocks _clocks;
    private readonly IpnOptions _options;
    private readonly IpnSigner _signer;
    private readonly ILogger<IpnDispatcher> _logger;
    private readonly HttpClient _http;
    private readonly SemaphoreSlim _gate = new(1, 1);

    public IpnDispatcher(ITillpointStore store, BusinessClocks clocks, ServerOptions options, IpnSigner signer, ILogger<IpnDispatcher> logger)
    {
        _store = store;
        _clocks = clocks;
        _options = options.Ipn;
        _signer = signer;
        _logger = logger;
        _http = new HttpClient(new SocketsHttpHandler
        {
            // A notification goes where it was configured to go, not where a redirect points.
            AllowAutoRedirect = false,
            UseCookies = false,
            ConnectTimeout = _options.Timeout,
            PooledConnectionLifetime = TimeSpan.FromMinutes(2),
            // The addresses a target resolves to are judged where the connection is made (IpnTargets).
            ConnectCallback = (context, cancellationToken) => IpnTargets.ConnectAsync(context.DnsEndPoint, _options.AllowedHosts, cancellationToken),
        })
        {
            // Each attempt has its own timeout (on the wall clock), so the client's own is off.
            Timeout = Timeout.InfiniteTimeSpan,
        };
        _http.DefaultRequestHeaders.UserAgent.ParseAdd(UserAgent);
    }

    public IpnCounters Counters { get; } = new();

    /// <summary>The metric's <c>outcome</c> label: a small fixed set, never a URL.</summary>
    private static string MetricOutcome(IpnAttemptOutcome outcome) => outcome switch
    {
        IpnAttemptOutcome.Delivered => "delivered",
        IpnAttemptOutcome.HttpError => "http_error",
        IpnAttemptOutcome.Timeout => "timeout",
        IpnAttemptOutcome.ConnectionError => "connection_error",
        IpnAttemptOutcome.Refused => "refused",
    };

    /// <summary>Notifications not yet fanned out plus pending deliveries.</summary>
    public long Backlog() => _store.Read(reader => reader.CountIpnBacklog());

    /// <summary>
    /// Delivers what is due in <paramref name="environment"/> now, round after round, until nothing due is left that this
    /// node can claim; returns how many attempts were made.
    /// </summary>
    public async Task<int> DispatchAsync(ReleaseEnvironment environment, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            var total = 0;
            while (true)
            {
                var now = _clocks.Now(environment);
                // An idle server only reads: fan-out and claims are writes, and most ticks find nothing.
                if (!_store.Read(reader => reader.HasIpnWork(environment, now)))
                {
                    return total;
                }

                while (await _store.WriteAsync(write => write.FanOutIpnNotifications(environment, now, FanOutBatchSize), cancellationToken) == FanOutBatchSize)
                {
                }

                var realNow = _options.WallClock.GetUtcNow();
                var claim = await _store.WriteAsync(
                    write => write.ClaimIpnDeliveries(environment, now, realNow, realNow + _options.Timeout + LeaseMargin, BatchSize),
                    cancellationToken);
                if (claim.Deliveries.Count == 0)
                {
                    // Nothing due, or only what waits for an earlier notification, or what other nodes hold.
                    return total;
                }

                await Task.WhenAll(claim.Deliveries.Select(delivery => DeliverAsync(claim.LeaseToken, delivery, cancellationToken)));
                total += claim.Deliveries.Count;
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    public override void Dispose()
    {
        _http.Dispose();
        _gate.Dispose();
        base.Dispose();
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        TillpointMetrics.RegisterIpnBacklog(Backlog);
        using var timer = new PeriodicTimer(_options.PollInterval);
        do
        {
            foreach (var environment in Enum.GetValues<ReleaseEnvironment>())
            {
                try
                {
                    await DispatchAsync(environment, stoppingToken);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    // The next tick tries again; notifications stay in the store until they are delivered.
                    DispatchFailed(_logger, e, environment);
                }
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    private async Task DeliverAsync(string leaseToken, IpnDelivery delivery, CancellationToken stoppingToken)
    {
        var attempted = await AttemptAsync(delivery, stoppingToken);
        Counters.Count(attempted.Outcome);
        TillpointMetrics.IpnAttempt(MetricOutcome(attempted.Outcome), attempted.LatencyMs / 1000.0);
        var (state, next) = attempted.Outcome switch
        {
            IpnAttemptOutcome.Delivered => (IpnDeliveryState.Delivered, delivery.NextAttemptAt),
            IpnAttemptOutcome.Refused => (IpnDeliveryState.Failed, delivery.NextAttemptAt),
            IpnAttemptOutcome.HttpError or IpnAttemptOutcome.Timeout or IpnAttemptOutcome.ConnectionError when attempted.Attempt >= _options.MaxAttempts =>
                (IpnDeliveryState.Failed, delivery.NextAttemptAt),
            IpnAttemptOutcome.HttpError or IpnAttemptOutcome.Timeout or IpnAttemptOutcome.ConnectionError =>
                (IpnDeliveryState.Pending, _clocks.Now(delivery.Environment)
                    + IpnRetrySchedule.Delay(attempted.Attempt, _options.FirstRetryDelay, _options.MaxRetryDelay, Random.Shared.NextDouble())),
        };
        // Recorded even when stopping: the POST happened, and the receiver may have acted on it.
        var kept = await _store.WriteAsync(write => write.RecordIpnAttempt(leaseToken, attempted, state, next), CancellationToken.None);
        if (!kept)
        {
            LeaseLost(_logger, delivery.DeliveryId);
        }
        else if (state == IpnDeliveryState.Failed)
        {
            DeliveryFailed(_logger, delivery.DeliveryId, delivery.NotificationId, delivery.Url, attempted.Attempt, IpnResults.Describe(attempted));
        }
    }

    private async Task<IpnAttempt> AttemptAsync(IpnDelivery delivery, CancellationToken stoppingToken)
    {
        var number = delivery.Attempts + 1;
        var attemptedAt = _options.WallClock.GetUtcNow();
        if (IpnTargets.Refusal(delivery.Url, _options.AllowedHosts) is { } refusal)
        {
            return new IpnAttempt(delivery.DeliveryId, delivery.Series, number, attemptedAt, IpnAttemptOutcome.Refused, null, 0, refusal);
        }

        var message = new IpnMessage(
            delivery.MerchantId, WireObjectType(delivery.ObjectType), delivery.ObjectId, delivery.ChargePermissionId, IpnMessage.StateChange,
            delivery.NotificationId, IpnMessage.Version2);
        var envelope = await _signer.SignAsync(delivery.MerchantId, delivery.Environment, message, attemptedAt, stoppingToken);
        using var request = new HttpRequestMessage(HttpMethod.Post, delivery.Url)
        {
            Content = new StringContent(envelope.ToJson(), Encoding.UTF8),
        };
        request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse("text/plain; charset=UTF-8");
        request.Headers.Add("x-amz-sns-message-type", envelope.Type);
        request.Headers.Add("x-amz-sns-message-id", envelope.MessageId);
        request.Headers.Add("x-amz-sns-topic-arn", envelope.TopicArn);

        using var timeout = new CancellationTokenSource(_options.Timeout, _options.WallClock);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token, stoppingToken);
        var started = Stopwatch.GetTimestamp();
        try
        {
            using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, linked.Token);
            var snippet = await SnippetAsync(response, linked.Token);
            var status = (int)response.StatusCode;
            var outcome = status is >= 200 and < 300 ? IpnAttemptOutcome.Delivered : IpnAttemptOutcome.HttpError;
            return new IpnAttempt(delivery.DeliveryId, delivery.Series, number, attemptedAt, outcome, status, Elapsed(started), snippet);
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested && !stoppingToken.IsCancellationRequested)
        {
            return new IpnAttempt(
                delivery.DeliveryId, delivery.Series, number, attemptedAt, IpnAttemptOutcome.Timeout, null, Elapsed(started),
                $"no answer within {_options.Timeout.TotalSeconds:0.###} s");
        }
        catch (HttpRequestException e) when (e.InnerException is IpnTargetRefusedException refused)
        {
            // Never connected: there is no answer, and nothing of the target is shown.
            return new IpnAttempt(delivery.DeliveryId, delivery.Series, number, attemptedAt, IpnAttemptOutcome.Refused, null, 0, refused.Message);
        }
        catch (HttpRequestException e)
        {
            return new IpnAttempt(
                delivery.DeliveryId, delivery.Series, number, attemptedAt, IpnAttemptOutcome.ConnectionError, null, Elapsed(started),
                Bounded(e.InnerException is { } inner ? $"{e.Message} ({inner.Message})" : e.Message));
        }
    }

    /// <summary>The start of the answer's body, read no further than needed.</summary>
    private static async Task<string?> SnippetAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        await using var body = await response.Content.ReadAsStreamAsync(cancellationToken);
        // UTF-8 takes at most 4 bytes a character.
        var buffer = new byte[MaxSnippetChars * 4];
        var read = 0;
        int chunk;
        while (read < buffer.Length && (chunk = await body.ReadAsync(buffer.AsMemory(read), cancellationToken)) > 0)
        {
            read += chunk;
        }

        return read == 0 ? null : Bounded(Encoding.UTF8.GetString(buffer, 0, read));
    }

    private static string Bounded(string text) => text.Length <= MaxSnippetChars ? text : text[..MaxSnippetChars];

    private static long Elapsed(long started) => (long)Stopwatch.GetElapsedTime(started).TotalMilliseconds;

    public static string WireObjectType(ObjectType objectType) => objectType switch
    {
        ObjectType.ChargePermission => IpnObjectTypes.ChargePermission,
        ObjectType.Charge => IpnObjectTypes.Charge,
        ObjectType.Refund => IpnObjectTypes.Refund,
        ObjectType.Dispute => IpnObjectTypes.Chargeback,
        ObjectType.CheckoutSession => throw new InvalidOperationException("Checkout sessions raise no notification (spec §11.4)."),
    };

    [LoggerMessage(EventId = 20, Level = LogLevel.Error, Message = "Dispatching notifications in {Environment} failed; retrying on the next tick")]
    private static partial void DispatchFailed(ILogger logger, Exception exception, ReleaseEnvironment environment);

    [LoggerMessage(EventId = 21, Level = LogLevel.Warning, Message = "Notification delivery {DeliveryId} ({NotificationId}) to {Url} failed after {Attempts} attempts: {Result}")]
    private static partial void DeliveryFailed(ILogger logger, string deliveryId, string notificationId, string url, int attempts, string result);

    [LoggerMessage(EventId = 22, Level = LogLevel.Warning, Message = "Notification delivery {DeliveryId}: the lease expired or was reset during the attempt; its state is left to the new holder")]
    private static partial void LeaseLost(ILogger logger, string deliveryId);
}
