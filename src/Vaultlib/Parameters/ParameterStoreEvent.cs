namespace Vaultlib.Parameters;

/// <summary>
/// A Parameter Store event, shaped as the EventBridge event AWS sends (<c>source</c> <c>aws.ssm</c>):
/// <c>Parameter Store Change</c> for every create, update, delete and label change, and
/// <c>Parameter Store Policy Action</c> for the actions of parameter policies. Delivered to the
/// subscribers of every instance that shares the store (see <see cref="ParameterStore.Subscribe"/>).
/// Never carries a value.
/// </summary>
public sealed record ParameterStoreEvent
{
    /// <summary>The event's id.</summary>
    public required string Id { get; init; }

    /// <summary>Always <c>aws.ssm</c>.</summary>
    public string Source { get; init; } = "aws.ssm";

    /// <summary><c>Parameter Store Change</c> or <c>Parameter Store Policy Action</c>.</summary>
    public required string DetailType { get; init; }

    /// <summary>The account.</summary>
    public required string Account { get; init; }

    /// <summary>The region.</summary>
    public required string Region { get; init; }

    /// <summary>When it happened (a change's commit time; a policy action's due time).</summary>
    public required DateTimeOffset Time { get; init; }

    /// <summary>The parameter's ARN.</summary>
    public required IReadOnlyList<string> Resources { get; init; }

    /// <summary>The detail: the parameter's name and type and what happened to it.</summary>
    public required ParameterStoreEventDetail Detail { get; init; }
}

/// <summary>The <c>detail</c> of a <see cref="ParameterStoreEvent"/>, with AWS's member names.</summary>
public sealed record ParameterStoreEventDetail
{
    /// <summary>The parameter's name.</summary>
    public required string Name { get; init; }

    /// <summary>Its type.</summary>
    public required ParameterType Type { get; init; }

    /// <summary>For a change: <c>Create</c>, <c>Update</c>, <c>Delete</c> or <c>LabelParameterVersion</c>.</summary>
    public string? Operation { get; init; }

    /// <summary>The description of the latest version, if any.</summary>
    public string? Description { get; init; }

    /// <summary>For a label change: the labels the version now has.</summary>
    public IReadOnlyList<string>? Labels { get; init; }

    /// <summary>For a policy action: <c>Expiration</c>, <c>ExpirationNotification</c> or <c>NoChangeNotification</c>.</summary>
    public string? PolicyType { get; init; }

    /// <summary>For a policy action: <c>Finished</c> or <c>Failed</c>.</summary>
    public string? ActionStatus { get; init; }

    /// <summary>For a policy action: why it ran.</summary>
    public string? ActionReason { get; init; }
}
