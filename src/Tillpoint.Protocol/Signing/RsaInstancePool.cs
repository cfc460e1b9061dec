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
    {
        _factory = factory;
        // Enough for every core to verify at once plus some headroom; extra instances are disposed on return.
        _maxIdle = Math.Max(4, Environment.ProcessorCount * 2);
        _idle.Enqueue(first);
        _idleCount = 1;
    }

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
        if (!_disposed && Interlocked.Increment(ref _idleCount) <= _maxIdle)
        {
            _idle.Enqueue(rsa);
            // Dispose may have drained the queue between the check and the enqueue; drain again so nothing leaks.
            if (_disposed)
            {
                Drain();
            }

            return;
        }

        if (!_disposed)
        {
            Interlocked.Decrement(ref _idleCount);
        }

        rsa.Dispose();
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
