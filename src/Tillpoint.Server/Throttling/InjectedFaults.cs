namespace Tillpoint.Server.Throttling;

/// <summary>What an injected fault does to a request, before its operation runs.</summary>
public enum FaultKind
{
    /// <summary>500 InternalServerError in the API's error format.</summary>
    InternalServerError,

    /// <summary>503 ServiceUnavailable in the API's error format.</summary>
    ServiceUnavailable,

    /// <summary>The answer is delayed by the rule's latency; the operation then runs as usual.</summary>
    Latency,

    /// <summary>The connection is closed without an answer.</summary>
    DropConnection,
}

/// <summary>
/// One fault rule: a <see cref="Rate"/> (0 to 1) of the sandbox requests of a merchant (every merchant when null) to
/// an operation (every operation when null) meet <see cref="Kind"/>.
/// </summary>
internal sealed record FaultRule(string? MerchantId, string? Operation, double Rate, FaultKind Kind, int? LatencyMs)
{
    /// <summary>How closely the rule names a request: the most specific matching rule is the one that applies.</summary>
    public int Specificity => (MerchantId is null ? 0 : 2) + (Operation is null ? 0 : 1);

    public bool Matches(string merchantId, string operation) =>
        (MerchantId is null || MerchantId == merchantId) && (Operation is null || Operation == operation);
}

/// <summary>
/// The operator's fault rules and the draws that pick the requests they hit. A rule applies to Sandbox requests only,
/// after the signature and the throttle, and always before the operation, so a faulted request never changes state.
/// One draw per request a rule matches, from a source of its own (<see cref="RandomSource.Derive"/>): with a seed, the same
/// requests in the same order meet the same faults, and faults never shift the ids a seeded run makes. The rules are
/// this node's, kept in memory: a test's momentary set-up, gone with the process.
/// </summary>
internal sealed class InjectedFaults(ServerOptions options)
{
    /// <summary>A limit like every other: rules are few (one per merchant and operation at most).</summary>
    public const int MaxRules = 100;

    private readonly RandomSource _random = options.Random.Derive("faults");
    private readonly Lock _lock = new();
    private List<FaultRule> _rules = [];
    private long[] _injected = [];

    /// <summary>The rules, most specific first, each with how many requests it has hit.</summary>
    public IReadOnlyList<(FaultRule Rule, long Injected)> List()
    {
        lock (_lock)
        {
            return [.. _rules.Select((rule, i) => (rule, _injected[i]))];
        }
    }

    /// <summary>Adds the rule, replacing the one of the same merchant and operation; false when there are <see cref="MaxRules"/> already.</summary>
    public bool Put(FaultRule rule)
    {
        lock (_lock)
        {
            var existing = _rules.FindIndex(r => r.MerchantId == rule.MerchantId && r.Operation == rule.Operation);
            if (existing < 0 && _rules.Count >= MaxRules)
            {
                return false;
            }

            var rules = _rules.Where((_, i) => i != existing).Append(rule).OrderByDescending(r => r.Specificity).ToList();
            var counts = rules.Select(r => r == rule ? 0 : _injected[_rules.IndexOf(r)]).ToArray();
            _injected = counts;
            Volatile.Write(ref _rules, rules);
            return true;
        }
    }

    /// <summary>Removes every rule.</summary>
    public void Clear()
    {
        lock (_lock)
        {
            _injected = [];
            Volatile.Write(ref _rules, []);
        }
    }

    /// <summary>The fault this request meets, if any: the most specific matching rule, drawn at its rate.</summary>
    public FaultRule? Draw(string merchantId, ReleaseEnvironment environment, string operation)
    {
        // Without rules (nearly always) no request takes the lock.
        if (environment != ReleaseEnvironment.Sandbox || Volatile.Read(ref _rules).Count == 0)
        {
            return null;
        }

        lock (_lock)
        {
            var index = _rules.FindIndex(rule => rule.Matches(merchantId, operation));
            if (index < 0 || _random.NextDouble() >= _rules[index].Rate)
            {
                return null;
            }

            _injected[index]++;
            return _rules[index];
        }
    }
}
