using System.Globalization;
using System.Net.Sockets;
using System.Text;

namespace Tillpoint.Server.Tests.Support;

/// <summary>An HTTP/1.1 answer as read off the wire.</summary>
public sealed record RawResponse(int StatusCode, IReadOnlyDictionary<string, string> Headers, byte[] Body)
{
    /// <summary>The server said it closes the connection after this answer.</summary>
    public bool Closes => Headers.TryGetValue("connection", out var value) && value.Contains("close", StringComparison.OrdinalIgnoreCase);

    public string Text => Encoding.UTF8.GetString(Body);
}

/// <summary>
/// One kept-alive HTTP/1.1 connection over a plain socket: requests are written byte for byte (broken framing
/// included), and answers are parsed as a client library would, to tell an answer from a connection that broke.
/// </summary>
public sealed class RawHttpConnection : IAsyncDisposable
{
    private readonly NetworkStream _stream;
    private readonly byte[] _buffer = new byte[64 * 1024];
    private int _start;
    private int _end;

    private RawHttpConnection(Socket socket)
    {
        _stream = new NetworkStream(socket, ownsSocket: true);
    }

    public static async Task<RawHttpConnection> OpenAsync(Uri server, CancellationToken cancellationToken = default)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        await socket.ConnectAsync(server.Host, server.Port, cancellationToken);
        return new RawHttpConnection(socket);
    }

    /// <summary>Writes raw bytes; false when the connection no longer takes them (the server closed it).</summary>
    public async Task<bool> SendAsync(ReadOnlyMemory<byte> bytes, CancellationToken cancellationToken = default)
    {
        try
        {
            await _stream.WriteAsync(bytes, cancellationToken);
            return true;
        }
        catch (IOException)
        {
            return false;
        }
    }

    /// <summary>
    /// The next final answer (a <c>100 Continue</c> is returned too when <paramref name="interim"/>), or null when the
    /// connection ended or broke before a whole answer arrived.
    /// </summary>
    public async Task<RawResponse?> ReadResponseAsync(bool head = false, bool interim = false, CancellationToken cancellationToken = default)
    {
        try
        {
            while (true)
            {
                var statusLine = await ReadLineAsync(cancellationToken);
                if (statusLine is null)
                {
                    return null;
                }

                var parts = statusLine.Split(' ', 3);
                if (parts.Length < 2 || !parts[0].StartsWith("HTTP/1.", StringComparison.Ordinal))
                {
                    throw new InvalidDataException($"Not an HTTP status line: '{statusLine}'.");
                }

                var status = int.Parse(parts[1], CultureInfo.InvariantCulture);
                var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
                while (await ReadLineAsync(cancellationToken) is { Length: > 0 } line)
                {
                    var colon = line.IndexOf(':', StringComparison.Ordinal);
                    var name = line[..colon].Trim();
                    var value = line[(colon + 1)..].Trim();
                    headers[name] = headers.TryGetValue(name, out var earlier) ? $"{earlier}, {value}" : value;
                }

                if (status is >= 100 and < 200)
                {
                    if (interim)
                    {
                        return new RawResponse(status, headers, []);
                    }

                    continue;
                }

                byte[]? body = head || status is 204 or 304 ? []
                    : headers.TryGetValue("transfer-encoding", out var coding) && coding.Contains("chunked", StringComparison.OrdinalIgnoreCase)
                        ? await ReadChunkedAsync(cancellationToken)
                        : headers.TryGetValue("content-length", out var length)
                            ? await ReadExactlyAsync(int.Parse(length, CultureInfo.InvariantCulture), cancellationToken)
                            : await ReadToEndAsync(cancellationToken);
                return body is null ? null : new RawResponse(status, headers, body);
            }
        }
        catch (IOException)
        {
            return null;
        }
    }

    public async ValueTask DisposeAsync() => await _stream.DisposeAsync();

    private async Task<bool> FillAsync(CancellationToken cancellationToken)
    {
        if (_start == _end)
        {
            _start = _end = 0;
        }
        else if (_end == _buffer.Length)
        {
            Buffer.BlockCopy(_buffer, _start, _buffer, 0, _end - _start);
            _end -= _start;
            _start = 0;
        }

        var read = await _stream.ReadAsync(_buffer.AsMemory(_end), cancellationToken);
        _end += read;
        return read > 0;
    }

    private async Task<string?> ReadLineAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            var newline = Array.IndexOf(_buffer, (byte)'\n', _start, _end - _start);
            if (newline >= 0)
            {
                var line = Encoding.Latin1.GetString(_buffer, _start, newline - _start).TrimEnd('\r');
                _start = newline + 1;
                return line;
            }

            if (_end - _start == _buffer.Length)
            {
                throw new InvalidDataException("An answer's line is longer than 64 KiB.");
            }

            if (!await FillAsync(cancellationToken))
            {
                return null;
            }
        }
    }

    private async Task<byte[]?> ReadExactlyAsync(int length, CancellationToken cancellationToken)
    {
        var body = new byte[length];
        var copied = 0;
        while (copied < length)
        {
            if (_start == _end && !await FillAsync(cancellationToken))
            {
                return null;
            }

            var take = Math.Min(length - copied, _end - _start);
            Buffer.BlockCopy(_buffer, _start, body, copied, take);
            _start += take;
            copied += take;
        }

        return body;
    }

    private async Task<byte[]?> ReadChunkedAsync(CancellationToken cancellationToken)
    {
        using var body = new MemoryStream();
        while (true)
        {
            var size = await ReadLineAsync(cancellationToken);
            if (size is null)
            {
                return null;
            }

            var length = int.Parse(size.Split(';')[0], NumberStyles.HexNumber, CultureInfo.InvariantCulture);
            if (length == 0)
            {
                // Trailers, then the empty line.
                while (await ReadLineAsync(cancellationToken) is { Length: > 0 })
                {
                }

                return body.ToArray();
            }

            var chunk = await ReadExactlyAsync(length, cancellationToken);
            if (chunk is null || await ReadLineAsync(cancellationToken) is null)
            {
                return null;
            }

            body.Write(chunk);
        }
    }

    private async Task<byte[]?> ReadToEndAsync(CancellationToken cancellationToken)
    {
        using var body = new MemoryStream();
        do
        {
            body.Write(_buffer, _start, _end - _start);
            _start = _end;
        }
        while (await FillAsync(cancellationToken));

        return body.ToArray();
    }
}

/// <summary>Requests written byte for byte.</summary>
public static class RawBytes
{
    /// <summary>Text as bytes, one per character (HTTP/1.1's header bytes, junk included).</summary>
    public static byte[] Ascii(string text) => Encoding.Latin1.GetBytes(text);

    public static byte[] Concat(params byte[][] parts)
    {
        var all = new byte[parts.Sum(part => part.Length)];
        var offset = 0;
        foreach (var part in parts)
        {
            part.CopyTo(all, offset);
            offset += part.Length;
        }

        return all;
    }
}
