using Vaultlib.Scheduling;

namespace Vaultlib.Parameters;

/// <summary>
/// The time-driven part of Parameter Store: parameter policies act when they fall due, dated when
/// they were due, by the scheduler on the one instance that holds the service's lease, and otherwise
/// when the parameter is next touched. An Expiration deletes the parameter; each policy's action is
/// a <c>Parameter Store Policy Action</c> event committed with it.
/// </summary>
internal sealed partial class ParameterTable
{

    /// <inheritdoc/>
    public event EventHandler? DueTimeChanged;

    /// <inheritdoc/>
    public string Name => ServiceName;

    /// <inheritdoc/>
    public DateTimeOffset? NextDueTime =>
        _parameters.Values.Select(p => p.Latest.NextPolicyDue).Where(d => d is not null).Min();

    /// <inheritdoc/>
    public async ValueTask RunDueAsync(CancellationToken cancellationToken)
    {
        if (IsDisposed)
        {
            return;
        }

        DateTimeOffset now = Now;
        string[] due = [.. _parameters.Values.Where(p => p.Latest.NextPolicyDue <= now).Select(p => p.Key)];
        if (due.Length == 0
            || !await TryLeadSchedulerAsync(LeaseDuration, cancellationToken).ConfigureAwait(false))
        {
            return;
        }

        foreach (string key in due)
        {
            await ApplyDueAsync(key, cancellationToken).ConfigureAwait(false);
        }
    }

    protected override void OnChanged(IReadOnlyList<Change>? committed) => DueTimeChanged?.Invoke(this, EventArgs.Empty);

    /// <summary>Applies the policies of <paramref name="key"/> that have fallen due, in due order; returns the parameter, or null once expired.</summary>
    private ValueTask<ParameterRecord?> ApplyDueAsync(string key, CancellationToken cancellationToken) =>
        ExclusiveAsync(
            async () =>
            {
                if (!_parameters.TryGetValue(key, out ParameterRecord? current))
                {
                    return null;
                }

                DateTimeOffset now = Now;
                PolicyState[] due = [.. current.Latest.PolicyStates.Where(p => !p.Finished && p.DueAt <= now).OrderBy(p => p.DueAt)];
                if (due.Length == 0)
                {
                    return current;
                }

                var changes = new List<Change>();
                foreach (PolicyState policy in due)
                {
                    string reason = policy.Type switch
                    {
                        ParameterPolicies.Expiration => "The parameter has expired and was deleted.",
                        ParameterPolicies.ExpirationNotification => "The parameter expires soon.",
                        _ => "The parameter has not changed for the period its policy sets.",
                    };
                    changes.Add(EventWrite(Events.PolicyAction(current, policy.Type, reason, policy.DueAt)));
                }

                PolicyState? expiration = due.FirstOrDefault(p => p.Type == ParameterPolicies.Expiration);
                ParameterRecord? updated = expiration is not null ? null : current with
                {
                    Versions = current.Versions.SetItem(current.Versions.Length - 1, current.Latest with
                    {
                        PolicyStates = [.. current.Latest.PolicyStates.Select(p => due.Contains(p) ? p with { Finished = true } : p)],
                    }),
                };
                changes.Insert(0, updated is null ? Delete(current) : Write(updated));
                if (updated is null && Events.Describe(current, null, expiration!.DueAt) is { } deleted)
                {
                    changes.Add(EventWrite(deleted));
                }

                await CommitLockedAsync(changes, cancellationToken).ConfigureAwait(false);
                return updated;
            },
            cancellationToken);
}
