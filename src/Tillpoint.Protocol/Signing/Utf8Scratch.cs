using System.Buffers;
using System.Text;

namespace Tillpoint.Protocol.Signing;

/// <summary>
/// The UTF-8 bytes of a text, in the caller's stack buffer when they are sure to fit, otherwise in an array rented from
/// the shared pool and returned on <see cref="Dispose"/>. Signing runs per request, so short texts never touch the heap.
/// </summary>
internal readonly ref struct Utf8Scratch
{
    private readonly byte[]? _rented;

    public Utf8Scratch(ReadOnlySpan<char> text, Span<byte> stackBuffer)
    {
        var maxBytes = Encoding.UTF8.GetMaxByteCount(text.Length);
        var buffer = maxBytes <= stackBuffer.Length ? stackBuffer : (_rented = ArrayPool<byte>.Shared.Rent(maxBytes));
        Bytes = buffer[..Encoding.UTF8.GetBytes(text, buffer)];
    }

    /// <summary>The encoded bytes; writable, so that percent-decoding can run in place.</summary>
    public Span<byte> Bytes { get; }

    public void Dispose()
    {
        // An array not returned is collected instead; returning it only saves the next allocation.
        if (_rented is not null)
        {
            ArrayPool<byte>.Shared.Return(_rented);
        }
    }
}
