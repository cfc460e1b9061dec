using Microsoft.AspNetCore.Http.Features;

namespace Tillpoint.Server.Hosting;

/// <summary>
/// Keeps a kept-alive HTTP/1.1 connection usable when the server answers without reading the whole request body (a
/// refusal before or while reading it, an unknown route, a wrong method, a failed sign-in). Before such an answer starts,
/// the rest of the body is read and discarded, within <see cref="DrainTimeout"/> and Kestrel's body size limit; when that
/// cannot be done (the body is too large, its framing is broken, it arrives too slowly, or the client waits for
/// <c>100 Continue</c>), the answer says <c>Connection: close</c>, so the client opens a new connection for its next
/// request instead of sending it on one the server is about to close. One place for every route, so no handler has to
/// remember. HTTP/2 needs none of this: an unread body ends with its stream, and the connection stays open.
/// </summary>
internal sealed class UnreadRequestBodies
{
    /// <summary>
    /// How long the rest of a body may take to arrive before the answer gives up on it and closes the connection. The
    /// client of a refused request waits that long at most; a client still sending after it opens a new connection.
    /// </summary>
    public static readonly TimeSpan DrainTimeout = TimeSpan.FromSeconds(2);

    private readonly TimeProvider _clock;

    // One delegate for every request rather than one allocated per request.
    private readonly Func<object, Task> _beforeAnswer;

    /// <param name="clock">Times the drain: the wall clock, never the business clock a test or the sandbox moves.</param>
    public UnreadRequestBodies(TimeProvider clock)
    {
        _clock = clock;
        _beforeAnswer = BeforeAnswerAsync;
    }

    public Task KeepConnectionUsableAsync(HttpContext context, RequestDelegate next)
    {
        // Requests without a body (most GETs) cost nothing here.
        if (context.Features.Get<IHttpRequestBodyDetectionFeature>() is { CanHaveBody: true }
            && (HttpProtocol.IsHttp11(context.Request.Protocol) || HttpProtocol.IsHttp10(context.Request.Protocol)))
        {
            context.Response.OnStarting(_beforeAnswer, context);
        }

        return next(context);
    }

    private async Task BeforeAnswerAsync(object state)
    {
        var context = (HttpContext)state;
        if (!await TryFinishReadingAsync(context))
        {
            context.Response.Headers.Connection = "close";
        }
    }

    /// <summary>True when the body has been read to its end (by the handler, or here); false when the connection must close.</summary>
    private async Task<bool> TryFinishReadingAsync(HttpContext context)
    {
        var request = context.Request;
        // Read-only once the handler started reading the body.
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            // A client that waits for "100 Continue" has not sent the body: asking for it only to discard it would cost it
            // the upload; closing costs it nothing.
            if (request.Headers.Expect.ToString().Contains("100-continue", StringComparison.OrdinalIgnoreCase))
            {
                return false;
            }

            // Kestrel would refuse to read it anyway.
            if (request.ContentLength > limit.MaxRequestBodySize)
            {
                return false;
            }
        }

        var reader = request.BodyReader;
        try
        {
            // The usual case, a body the handler read to its end, is answered without waiting or allocating.
            if (reader.TryRead(out var buffered))
            {
                reader.AdvanceTo(buffered.Buffer.End);
                if (buffered.IsCompleted)
                {
                    return true;
                }
            }

            using var timeout = new CancellationTokenSource(DrainTimeout, _clock);
            while (true)
            {
                var read = await reader.ReadAsync(timeout.Token);
                reader.AdvanceTo(read.Buffer.End);
                if (read.IsCompleted)
                {
                    return true;
                }
            }
        }
        catch (BadHttpRequestException)
        {
            // Broken framing (chunk syntax, a body cut short), over Kestrel's size limit, or too slow for its minimum rate.
            return false;
        }
        catch (OperationCanceledException)
        {
            // Not all there within the drain timeout, or the client went away.
            return false;
        }
        catch (IOException)
        {
            // The connection broke; it will not carry another request either way.
            return false;
        }
    }
}
