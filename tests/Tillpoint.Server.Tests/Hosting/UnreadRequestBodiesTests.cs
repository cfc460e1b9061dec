using System.IO.Pipelines;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Time.Testing;
using Tillpoint.Server.Hosting;

namespace Tillpoint.Server.Tests.Hosting;

/// <summary>The drain before an answer, timed on the clock it is given rather than on real seconds.</summary>
public sealed class UnreadRequestBodiesTests
{
    [Fact]
    public async Task BodyStillArriving_IsWaitedForUntilTheDrainTimeout_ThenTheAnswerClosesTheConnection()
    {
        var clock = new FakeTimeProvider();
        var (context, answerStarting) = await RefusedUnreadAsync(clock);
        var draining = answerStarting();

        clock.Advance(UnreadRequestBodies.DrainTimeout - TimeSpan.FromMilliseconds(1));
        Assert.False(draining.IsCompleted);

        clock.Advance(TimeSpan.FromMilliseconds(1));
        await draining.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal("close", context.Response.Headers.Connection.ToString());
    }

    [Fact]
    public async Task BodyThatArrivesWithinTheDrainTimeout_IsDiscarded_AndTheConnectionStaysOpen()
    {
        var clock = new FakeTimeProvider();
        var body = new Pipe();
        var (context, answerStarting) = await RefusedUnreadAsync(clock, body);
        var draining = answerStarting();

        clock.Advance(UnreadRequestBodies.DrainTimeout - TimeSpan.FromMilliseconds(1));
        await body.Writer.WriteAsync(new byte[] { 1, 2, 3 });
        await body.Writer.CompleteAsync();
        await draining.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(string.Empty, context.Response.Headers.Connection.ToString());
    }

    /// <summary>A handler that answers an HTTP/1.1 request without reading its body; returns what runs as its answer starts.</summary>
    private static async Task<(HttpContext Context, Func<Task> AnswerStarting)> RefusedUnreadAsync(TimeProvider clock, Pipe? body = null)
    {
        var response = new StartingCallbacks();
        var context = new DefaultHttpContext();
        context.Features.Set<IHttpResponseFeature>(response);
        context.Features.Set<IHttpRequestBodyDetectionFeature>(new HasBody());
        context.Features.Set<IRequestBodyPipeFeature>(new BodyPipe((body ?? new Pipe()).Reader));
        context.Request.Protocol = "HTTP/1.1";

        await new UnreadRequestBodies(clock).KeepConnectionUsableAsync(context, _ => Task.CompletedTask);

        var (callback, state) = Assert.Single(response.Starting);
        return (context, () => callback(state));
    }

    private sealed class StartingCallbacks : HttpResponseFeature
    {
        public List<(Func<object, Task> Callback, object State)> Starting { get; } = [];

        public override void OnStarting(Func<object, Task> callback, object state) => Starting.Add((callback, state));
    }

    private sealed class HasBody : IHttpRequestBodyDetectionFeature
    {
        public bool CanHaveBody => true;
    }

    private sealed class BodyPipe(PipeReader reader) : IRequestBodyPipeFeature
    {
        public PipeReader Reader => reader;
    }
}
