using System.Collections.Immutable;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;

namespace Vaultlib.Internal;

/// <summary>
/// Delivers a service's events, in order, to its subscribers on a task of its own, never under the service's write
/// gate (a subscriber may call the service). A subscriber's failure is logged (by event type only) and stops neither
/// the others nor later events.
/// </summary>
/// <typeparam name="TEvent">The service's event record.</typeparam>
internal sealed class EventDispatcher<TEvent> : IDisposable
    where TEvent : class
{
    private readonly Channel<TEvent> _queue = Channel.CreateUnbounded<TEvent>(new UnboundedChannelOptions { SingleReader = true });
    private readonly ILogger _logger;
    private readonly string _service;
    private readonly Func<TEvent, string> _typeOf;
    private readonly Task _dispatcher;
    private ImmutableArray<Action<TEvent>> _subscribers = [];

    /// <param name="logger">Where a subscriber's failure is logged.</param>
    /// <param name="service">The service, for the log.</param>
    /// <param name="typeOf">An event's type, for the log (never its content).</param>
    public EventDispatcher(ILogger logger, string service, Func<TEvent, string> typeOf)
    {
        _logger = logger;
        _service = service;
        _typeOf = typeOf;
        _dispatcher = Task.Run(DispatchAsync);
    }

    /// <summary>Adds a subscriber until the returned handle is disposed.</summary>
    public IDisposable Subscribe(Action<TEvent> handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        ImmutableInterlocked.Update(ref _subscribers, (list, h) => list.Add(h), handler);
        return new Subscription(this, handler);
    }

    /// <summary>Hands an event to the subscribers (in order, on the dispatcher's task).</summary>
    public void Deliver(TEvent e) => _queue.Writer.TryWrite(e);

    public void Dispose()
    {
        _queue.Writer.TryComplete();
        _dispatcher.Wait(TimeSpan.FromSeconds(5));
    }

    private async Task DispatchAsync()
    {
        await foreach (TEvent e in _queue.Reader.ReadAllAsync().ConfigureAwait(false))
        {
            foreach (Action<TEvent> subscriber in _subscribers)
            {
                try
                {
                    subscriber(e);
                }
                catch (Exception ex)
                {
                    // A subscriber's failure must not stop the others, nor later events.
                    Log.SubscriberFailed(_logger, _service, _typeOf(e), ex.GetType().Name);
                }
            }
        }
    }

    private sealed class Subscription(EventDispatcher<TEvent> owner, Action<TEvent> handler) : IDisposable
    {
        public void Dispose() => ImmutableInterlocked.Update(ref owner._subscribers, (list, h) => list.Remove(h), handler);
    }
}
