// Policies, grants and the audit trail.
//   1. The policy simulator evaluates the S3 bucket policy that refuses requests without TLS (aws:SecureTransport).
//   2. A KMS key policy, an identity policy and a grant decide who may use a key; the audit trail shows who did.
using Microsoft.Extensions.DependencyInjection;
using Vaultlib;
using Vaultlib.Audit;
using Vaultlib.Authorization;
using Vaultlib.Keys;

// 1. The simulator: any policies, any request, the decision and the statements that made it.
PolicyDocument bucketPolicy = PolicyDocument.Parse("""
    {
      "Version": "2012-10-17",
      "Statement": [
        { "Sid": "AllowGetOverTls", "Effect": "Allow", "Principal": "*", "Action": "s3:GetObject",
          "Resource": "arn:aws:s3:::reports/*", "Condition": { "Bool": { "aws:SecureTransport": "true" } } },
        { "Sid": "DenyPlainHttp", "Effect": "Deny", "Principal": "*", "Action": "s3:*",
          "Resource": ["arn:aws:s3:::reports", "arn:aws:s3:::reports/*"], "Condition": { "Bool": { "aws:SecureTransport": "false" } } }
      ]
    }
    """);
foreach (bool tls in new[] { true, false })
{
    PolicyDecision decision = PolicyEvaluator.Evaluate([bucketPolicy], new PolicyRequest
    {
        Principal = "arn:aws:iam::444455556666:user/reader",
        Action = "s3:GetObject",
        Resource = "arn:aws:s3:::reports/2026-q3.pdf",
        Context = new Dictionary<string, IReadOnlyList<string>> { ["aws:SecureTransport"] = [tls ? "true" : "false"] },
    });
    Console.WriteLine($"1. GetObject with aws:SecureTransport={tls,-5}: {decision.Decision} by {string.Join(", ", decision.DecidingStatements.Select(s => s.Sid))}");
}

// 2. KMS: the key policy delegates to the account; the app role has an identity policy; a worker has a grant.
const string app = "arn:aws:iam::111122223333:role/app", worker = "arn:aws:iam::111122223333:role/worker";
var services = new ServiceCollection();
services.AddVaultlib()
    .AddInMemoryAudit()
    .AddIdentityPolicy(app, """{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":["kms:Encrypt","kms:Decrypt"],"Resource":"*"}}""");
await using ServiceProvider provider = services.BuildServiceProvider();
IKeyService kms = provider.GetRequiredService<IKeyService>();
KeyMetadata key = (await kms.CreateKeyAsync(new CreateKeyRequest { Description = "orders" })).KeyMetadata;

using (VaultlibCaller.Use(new CallerIdentity { Principal = app }))
{
    await kms.EncryptAsync(new EncryptRequest { KeyId = key.KeyId, Plaintext = "order 42"u8.ToArray() });
    Console.WriteLine("2. role/app encrypted: its identity policy allows kms:Encrypt and the key policy delegates to the account");
    try
    {
        await kms.ScheduleKeyDeletionAsync(new ScheduleKeyDeletionRequest { KeyId = key.KeyId });
    }
    catch (AccessDeniedException ex)
    {
        Console.WriteLine($"   role/app may not delete the key: {ex.Message}");
    }
}

await kms.CreateGrantAsync(new CreateGrantRequest
{
    KeyId = key.KeyId,
    GranteePrincipal = worker,
    Operations = [GrantOperation.Encrypt],
    Constraints = new GrantConstraints { EncryptionContextSubset = new Dictionary<string, string> { ["queue"] = "orders" } },
});
using (VaultlibCaller.Use(new CallerIdentity { Principal = worker }))
{
    await kms.EncryptAsync(new EncryptRequest { KeyId = key.KeyId, Plaintext = "job"u8.ToArray(), EncryptionContext = new Dictionary<string, string> { ["queue"] = "orders" } });
    Console.WriteLine("   role/worker encrypted with its grant, for the queue the grant names");
    try
    {
        await kms.EncryptAsync(new EncryptRequest { KeyId = key.KeyId, Plaintext = "job"u8.ToArray(), EncryptionContext = new Dictionary<string, string> { ["queue"] = "billing" } });
    }
    catch (AccessDeniedException)
    {
        Console.WriteLine("   role/worker may not encrypt for another queue: the grant's constraint refuses it");
    }
}

// The audit trail: "audit usage" of the key.
InMemoryAuditSink audit = provider.GetRequiredService<InMemoryAuditSink>();
Console.WriteLine($"3. Audit trail of {key.Arn}:");
foreach (AuditEvent e in audit.Query(key.Arn))
{
    Console.WriteLine($"   {e.EventTime:HH:mm:ss} {e.UserIdentity.Arn,-40} {e.EventName,-20} {e.ErrorCode ?? "ok"}");
}
