using System.Security.Cryptography;
using Tillpoint.Protocol.Signing;

namespace Tillpoint.Protocol.Tests.Signing;

public sealed class RsaInstancePoolTests
{
    [Theory]
    [InlineData(1, 4)]
    [InlineData(2, 4)]
    [InlineData(3, 6)]
    [InlineData(8, 16)]
    public void MaxIdleFor_IsTwicePerCore_AndAtLeastFour(int processorCount, int expected)
    {
        Assert.Equal(expected, RsaInstancePool.MaxIdleFor(processorCount));
    }

    [Fact]
    public void Rent_GivesTheFirstInstance_ThenImportsOnAMiss()
    {
        var factory = new CountingFactory();
        var first = new ObservedRsa();
        using var pool = new RsaInstancePool(first, factory.Create, maxIdle: 2);

        var a = pool.Rent();
        var b = pool.Rent();

        Assert.Same(first, a);
        Assert.Same(factory.Made.Single(), b);
    }

    [Fact]
    public void Return_ThenRent_ReusesTheInstance_WithoutImporting()
    {
        var factory = new CountingFactory();
        var first = new ObservedRsa();
        using var pool = new RsaInstancePool(first, factory.Create, maxIdle: 1);

        for (var i = 0; i < 3; i++)
        {
            var rsa = pool.Rent();
            Assert.Same(first, rsa);
            pool.Return(rsa);
        }

        Assert.Empty(factory.Made);
        Assert.False(first.Disposed);
    }

    [Fact]
    public void Return_BeyondMaxIdle_DisposesTheExtraInstance_AndKeepsTheOthers()
    {
        var factory = new CountingFactory();
        var first = new ObservedRsa();
        using var pool = new RsaInstancePool(first, factory.Create, maxIdle: 1);
        var a = pool.Rent();
        var b = pool.Rent();

        pool.Return(a);
        pool.Return(b);

        Assert.False(first.Disposed);
        Assert.True(factory.Made.Single().Disposed);
        // The refused return left the count as it was: the kept instance is still rented and returned without loss.
        Assert.Same(first, pool.Rent());
        pool.Return(first);
        Assert.False(first.Disposed);
        Assert.Single(factory.Made);
        // The disposed instance is not pooled: after the kept one, a miss imports a new one.
        Assert.Same(first, pool.Rent());
        Assert.NotSame(factory.Made[0], pool.Rent());
        Assert.Equal(2, factory.Made.Count);
    }

    [Fact]
    public void Dispose_DisposesIdleInstances_AndRentThenThrows()
    {
        var first = new ObservedRsa();
        var pool = new RsaInstancePool(first, new CountingFactory().Create, maxIdle: 2);

        pool.Dispose();

        Assert.True(first.Disposed);
        Assert.Throws<ObjectDisposedException>(() => pool.Rent());
    }

    [Fact]
    public void Return_AfterDispose_DisposesTheInstance()
    {
        var first = new ObservedRsa();
        var pool = new RsaInstancePool(first, new CountingFactory().Create, maxIdle: 2);
        var rented = pool.Rent();

        pool.Dispose();
        pool.Return(rented);

        Assert.True(first.Disposed);
    }

    private sealed class CountingFactory
    {
        public List<ObservedRsa> Made { get; } = [];

        public RSA Create()
        {
            var rsa = new ObservedRsa();
            Made.Add(rsa);
            return rsa;
        }
    }

    // An RSA that only records whether it was disposed; the pool never uses the key itself.
    private sealed class ObservedRsa : RSA
    {
        public bool Disposed { get; private set; }

        public override RSAParameters ExportParameters(bool includePrivateParameters) => throw new NotSupportedException();

        public override void ImportParameters(RSAParameters parameters) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            Disposed = true;
            base.Dispose(disposing);
        }
    }
}
