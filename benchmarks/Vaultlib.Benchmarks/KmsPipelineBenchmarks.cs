using BenchmarkDotNet.Attributes;
using Vaultlib.Audit;
using Vaultlib.Authorization;
using Vaultlib.Keys;

namespace Vaultlib.Benchmarks;

/// <summary>
/// What authorization and the audit trail add to a 1 KiB Encrypt, in the same run: the account root
/// without an audit sink (the baseline: its key-policy evaluation is the cheapest), a role whose
/// access needs the key policy and its identity policy, and each with a sink that receives the
/// full CloudTrail-shaped event.
/// </summary>
[MemoryDiagnoser]
public class KmsPipelineBenchmarks
{
    private const string Role = "arn:aws:iam::111122223333:role/app";
    private readonly byte[] _plaintext = new byte[1024];
    private readonly Dictionary<string, string> _context = new() { ["tenant"] = "acme" };
    private InMemoryKeyService _plain = null!;
    private InMemoryKeyService _audited = null!;
    private string _plainKey = null!;
    private string _auditedKey = null!;

    [GlobalSetup]
    public void Setup()
    {
        _plain = new InMemoryKeyService();
        _audited = new InMemoryKeyService(auditSink: new DiscardingAuditSink());
        foreach (InMemoryKeyService kms in new[] { _plain, _audited })
        {
            kms.IdentityPolicies.Set(Role, """{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"kms:Encrypt","Resource":"*","Condition":{"StringEquals":{"kms:EncryptionContext:tenant":"acme"}}}}""");
        }

        _plainKey = _plain.CreateKeyAsync(new CreateKeyRequest()).GetAwaiter().GetResult().KeyMetadata.KeyId;
        _auditedKey = _audited.CreateKeyAsync(new CreateKeyRequest()).GetAwaiter().GetResult().KeyMetadata.KeyId;
    }

    private readonly byte[] _key = System.Security.Cryptography.RandomNumberGenerator.GetBytes(32);
    private readonly byte[] _nonce = new byte[12];
    private readonly byte[] _tag = new byte[16];
    private readonly byte[] _output = new byte[1024];

    [Benchmark(Description = "AesGcm encrypt 1 KiB (floor)")]
    public byte[] Floor()
    {
        System.Security.Cryptography.RandomNumberGenerator.Fill(_nonce);
        using var gcm = new System.Security.Cryptography.AesGcm(_key, 16);
        gcm.Encrypt(_nonce, _plaintext, _output, _tag);
        return _output;
    }

    [Benchmark(Baseline = true, Description = "Encrypt as root, no audit")]
    public ReadOnlyMemory<byte> Root() => Encrypt(_plain, _plainKey);

    [Benchmark(Description = "Encrypt as a role (key + identity policy)")]
    public ReadOnlyMemory<byte> AsRole()
    {
        using (VaultlibCaller.Use(new CallerIdentity { Principal = Role }))
        {
            return Encrypt(_plain, _plainKey);
        }
    }

    [Benchmark(Description = "Encrypt as root, audited")]
    public ReadOnlyMemory<byte> RootAudited() => Encrypt(_audited, _auditedKey);

    [Benchmark(Description = "Encrypt as a role, audited")]
    public ReadOnlyMemory<byte> RoleAudited()
    {
        using (VaultlibCaller.Use(new CallerIdentity { Principal = Role }))
        {
            return Encrypt(_audited, _auditedKey);
        }
    }

    private ReadOnlyMemory<byte> Encrypt(InMemoryKeyService kms, string keyId) =>
        kms.EncryptAsync(new EncryptRequest { KeyId = keyId, Plaintext = _plaintext, EncryptionContext = _context }).GetAwaiter().GetResult().CiphertextBlob;

    /// <summary>Receives events and drops them, so the measure is building the event, not storing it.</summary>
    private sealed class DiscardingAuditSink : IAuditSink
    {
        public void Write(AuditEvent auditEvent)
        {
        }
    }
}
