namespace Vaultlib.Audit;

/// <summary>
/// Marks a request or response member that carries a secret (a SecureString value, a secret
/// string, a grant token, an export passphrase). The audit recorder writes every such member as
/// <see cref="AuditEvent.Hidden"/>, whatever its type; byte members are hidden whether marked or not.
/// </summary>
[AttributeUsage(AttributeTargets.Property, Inherited = true, AllowMultiple = false)]
internal sealed class SensitiveAttribute : Attribute;
