using Microsoft.Extensions.Logging;
using Vaultlib.Internal;

namespace Vaultlib.Parameters;

/// <summary>
/// Describes the table's changes as <see cref="ParameterStoreEvent"/>s and delivers them, in order, to
/// subscribers on a task of its own, never under the table's write gate (a subscriber may call the
/// store). Each event is a record committed with the change it describes, so every instance sharing
/// the store delivers every event, however the change feed batches its reading.
/// </summary>
internal sealed class ParameterEvents : IDisposable
{
    private readonly VaultlibOptions _options;
    private readonly EventDispatcher<ParameterStoreEvent> _dispatcher;

    public ParameterEvents(VaultlibOptions options, ILogger logger)
    {
        _options = options;
        _dispatcher = new EventDispatcher<ParameterStoreEvent>(logger, "ssm", static e => e.DetailType);
    }

    public IDisposable Subscribe(Action<ParameterStoreEvent> handler) => _dispatcher.Subscribe(handler);

    /// <summary>The event for the change from <paramref name="before"/> to <paramref name="after"/> (null: absent), if it is one SSM reports.</summary>
    public ParameterStoreEvent? Describe(ParameterRecord? before, ParameterRecord? after, DateTimeOffset now)
    {
        ParameterRecord subject = after ?? before!;
        (string? operation, IReadOnlyList<string>? labels) = (before, after) switch
        {
            (null, not null) => ("Create", null),
            (not null, null) => ("Delete", null),
            _ when before!.Latest.Version != after!.Latest.Version => ("Update", null),
            _ when LabelChange(before, after) is { } changed => ("LabelParameterVersion", changed.Labels),
            _ => ((string?)null, (IReadOnlyList<string>?)null),
        };
        if (operation is null)
        {
            return null; // tags only: not a Parameter Store Change
        }

        return Make("Parameter Store Change", subject, operation == "Delete" ? now : after!.Latest.LastModifiedDate, new ParameterStoreEventDetail
        {
            Name = subject.Name,
            Type = subject.Latest.Type,
            Operation = operation,
            Description = subject.Latest.Description,
            Labels = labels,
        });
    }

    /// <summary>The event for a parameter policy that acted (or notified) at <paramref name="at"/>.</summary>
    public ParameterStoreEvent PolicyAction(ParameterRecord subject, string policyType, string reason, DateTimeOffset at) =>
        Make("Parameter Store Policy Action", subject, at, new ParameterStoreEventDetail
        {
            Name = subject.Name,
            Type = subject.Latest.Type,
            PolicyType = policyType,
            ActionStatus = "Finished",
            ActionReason = reason,
        });

    public void Dispose() => _dispatcher.Dispose();

    private static ParameterVersionRecord? LabelChange(ParameterRecord before, ParameterRecord after) =>
        after.Versions.FirstOrDefault(v => before.FindVersion(v.Version) is not { } old || !old.Labels.SequenceEqual(v.Labels));

    /// <summary>Hands an event to the subscribers (in order, on the dispatcher's task).</summary>
    public void Deliver(ParameterStoreEvent e) => _dispatcher.Deliver(e);

    /// <summary>An event, with an id that sorts by time (the id of its record in the store).</summary>
    private ParameterStoreEvent Make(string detailType, ParameterRecord subject, DateTimeOffset time, ParameterStoreEventDetail detail) =>
        new()
        {
            Id = $"{time.UtcTicks:D20}-{Guid.NewGuid():N}",
            DetailType = detailType,
            Account = _options.AccountId,
            Region = _options.Region,
            Time = time,
            Resources = [subject.Arn],
            Detail = detail,
        };
}
