using System.Security.Cryptography;

namespace Tillpoint.Domain;

/// <summary>Creates object identifiers in Amazon Pay's formats. Injected so tests can make them predictable.</summary>
public interface IIdGenerator
{
    /// <summary>Where the ids' randomness comes from, for the ids and sandbox secrets made outside this interface.</summary>
    RandomSource Random => RandomSource.Cryptographic;

    string NewCheckoutSessionId();

    /// <summary><c>S01-1234567-1234567</c> in Sandbox, <c>P01-…</c> in Live.</summary>
    string NewChargePermissionId(ReleaseEnvironment environment);

    /// <summary><c>{chargePermissionId}-C{6 digits}</c>.</summary>
    string NewChargeId(string chargePermissionId);

    /// <summary><c>{chargePermissionId}-R{6 digits}</c>.</summary>
    string NewRefundId(string chargePermissionId);

    /// <summary><c>{chargePermissionId}-B{6 digits}</c>.</summary>
    string NewDisputeId(string chargePermissionId);

    string NewRequestId();
}

public sealed class RandomIdGenerator(RandomSource random) : IIdGenerator
{
    public static RandomIdGenerator Instance { get; } = new(RandomSource.Cryptographic);

    public RandomSource Random => random;

    public string NewCheckoutSessionId() => random.NewGuid().ToString("D");

    public string NewChargePermissionId(ReleaseEnvironment environment) =>
        $"{(environment == ReleaseEnvironment.Sandbox ? "S01" : "P01")}-{Digits(7)}-{Digits(7)}";

    public string NewChargeId(string chargePermissionId) => $"{chargePermissionId}-C{Digits(6)}";

    public string NewRefundId(string chargePermissionId) => $"{chargePermissionId}-R{Digits(6)}";

    public string NewDisputeId(string chargePermissionId) => $"{chargePermissionId}-B{Digits(6)}";

    public string NewRequestId() => random.NewGuid().ToString("N");

    private string Digits(int count) =>
        random.GetInt32((int)Math.Pow(10, count - 1), (int)Math.Pow(10, count)).ToString(System.Globalization.CultureInfo.InvariantCulture);
}

/// <summary>
/// The one source of the randomness in generated ids, sandbox tokens and simulated outcomes: cryptographic, unless a run
/// is seeded (<c>serve --seed</c>), when the same requests in the same order get the same ids. A seeded source never
/// makes secrets for Live: <see cref="GetSecretBytes"/> stays cryptographic there.
/// </summary>
public abstract class RandomSource
{
    public static RandomSource Cryptographic { get; } = new CryptographicSource();

    /// <summary>Whether the numbers repeat from run to run.</summary>
    public abstract bool IsSeeded { get; }

    /// <summary>A reproducible source: two sources of one seed draw the same numbers.</summary>
    public static RandomSource Seeded(int seed) => new SeededSource(seed);

    /// <summary>
    /// A source of its own for <paramref name="purpose"/>, so that drawing for one purpose (which requests fail) never moves
    /// another's sequence (which ids are made); seeded from this one's seed, or cryptographic when this one is.
    /// </summary>
    public abstract RandomSource Derive(string purpose);

    /// <summary>A whole number from <paramref name="fromInclusive"/> up to, not including, <paramref name="toExclusive"/>.</summary>
    public abstract int GetInt32(int fromInclusive, int toExclusive);

    /// <summary>A number from 0 up to, not including, 1.</summary>
    public abstract double NextDouble();

    public abstract byte[] GetBytes(int count);

    /// <summary>Bytes of a secret that protects an object of <paramref name="environment"/>: seeded in the sandbox only.</summary>
    public byte[] GetSecretBytes(ReleaseEnvironment environment, int count) =>
        environment == ReleaseEnvironment.Sandbox ? GetBytes(count) : RandomNumberGenerator.GetBytes(count);

    /// <summary><paramref name="length"/> characters drawn from <paramref name="choices"/>.</summary>
    public string GetString(string choices, int length) =>
        string.Create(length, (this, choices), static (span, state) =>
        {
            for (var i = 0; i < span.Length; i++)
            {
                span[i] = state.choices[state.Item1.GetInt32(0, state.choices.Length)];
            }
        });

    /// <summary>A version-4 UUID.</summary>
    public virtual Guid NewGuid()
    {
        Span<byte> bytes = stackalloc byte[16];
        GetBytes(16).CopyTo(bytes);
        // The version (4, random) and the variant (RFC 4122), as Guid.NewGuid sets them.
        bytes[7] = (byte)((bytes[7] & 0x0F) | 0x40);
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80);
        return new Guid(bytes);
    }

    private sealed class CryptographicSource : RandomSource
    {
        public override bool IsSeeded => false;

        public override RandomSource Derive(string purpose) => this;

        public override int GetInt32(int fromInclusive, int toExclusive) => RandomNumberGenerator.GetInt32(fromInclusive, toExclusive);

        public override double NextDouble() => RandomNumberGenerator.GetInt32(0, 1 << 30) / (double)(1 << 30);

        public override byte[] GetBytes(int count) => RandomNumberGenerator.GetBytes(count);

        public override Guid NewGuid() => Guid.NewGuid();

        public override string ToString() => "cryptographic";
    }

    /// <summary>
    /// <see cref="System.Random"/> with a seed, whose sequence .NET keeps the same for a seed across versions. Its draws
    /// are serialized: requests draw from many threads.
    /// </summary>
    private sealed class SeededSource(int seed) : RandomSource
    {
        private readonly Random _random = new(seed);
        private readonly Lock _lock = new();

        public override bool IsSeeded => true;

        public override RandomSource Derive(string purpose)
        {
            // FNV-1a over the purpose: string.GetHashCode differs from process to process.
            var hash = 2166136261u;
            foreach (var c in purpose)
            {
                hash = (hash ^ c) * 16777619u;
            }

            return new SeededSource(seed ^ (int)hash);
        }

        public override int GetInt32(int fromInclusive, int toExclusive)
        {
            lock (_lock)
            {
                return _random.Next(fromInclusive, toExclusive);
            }
        }

        public override double NextDouble()
        {
            lock (_lock)
            {
                return _random.NextDouble();
            }
        }

        public override byte[] GetBytes(int count)
        {
            var bytes = new byte[count];
            lock (_lock)
            {
                _random.NextBytes(bytes);
            }

            return bytes;
        }

        public override string ToString() => $"seeded ({seed})";
    }
}
