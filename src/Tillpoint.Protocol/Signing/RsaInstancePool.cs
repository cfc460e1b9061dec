using System.Collections.Concurrent;
using System.Security.Cryptography;

namespace Tillpoint.Protocol.Signing;

/// <summary>
/// A small lock-free pool of <see cref="RSA"/> instances for one key. .NET does not document RSA objects as safe for
/// concurrent use, so each operation rents an instance exclusively; importing happens only on a pool miss.
/// </summary>
internal sealed class RsaInstancePool : IDisposable
{
    private readonly Func<RSA> _factory;
    private readonly ConcurrentQueue<RSA> _idle = new();
    private readonly int _maxIdle;
    private int _idleCount;
    private volatile bool _disposed;

    public RsaInstancePool(RSA first, Func<RSA> factory)
        : this(first, factory, MaxIdleFor(Environment.ProcessorCount))
    {
    }

    public RsaInstancePool(RSA first, Func<RSA> factory, int maxIdle)
    {
        _factory = factory;
        _maxIdle = maxIdle;
        _idle.Enqueue(first);
        _idleCount = 1;
    }

    // Enough for every core to sign or verify at once plus some headroom; extra instances are disposed on return.
    public static int MaxIdleFor(int processorCount) => Math.Max(4, processorCount * 2);

    public RSA Rent()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_idle.TryDequeue(out var rsa))
        {
            Interlocked.Decrement(ref _idleCount);
            return rsa;
        }

        return _factory();
    }

    public void Return(RSA rsa)
    {
        if (Interlocked.Increment(ref _idleCount) > _maxIdle)
        {
            Interlocked.Decrement(ref _idleCount);
            rsa.Dispose();
            return;
        }

        _idle.Enqueue(rsa);
        // After Dispose, or when Dispose drained the queue between the count and the enqueue, nothing may stay pooled.
        if (_disposed)
        {
            Drain();
        }
    }

    public void Dispose()
    {
        _disposed = true;
        Drain();
    }

    private void Drain()
    {
        while (_idle.TryDequeue(out var rsa))
        {
            rsa.Dispose();
        }
    }
}
