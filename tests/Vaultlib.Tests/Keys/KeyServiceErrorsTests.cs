using System.Reflection;
using Vaultlib.Keys;

namespace Vaultlib.Tests.Keys;

/// <summary>
/// Every error a KMS operation raises derives from the KMS base, carries AWS's code, and can be
/// made and thrown by user code (test doubles of <see cref="IKeyService"/>).
/// </summary>
public sealed class KeyServiceErrorsTests
{
    public static TheoryData<Type> KmsErrorTypes()
    {
        var data = new TheoryData<Type>();
        foreach (Type type in typeof(KeyManagementException).Assembly.GetExportedTypes().Where(t => t.IsSubclassOf(typeof(KeyManagementException)) && !t.IsAbstract).OrderBy(t => t.Name))
        {
            data.Add(type);
        }

        return data;
    }

    [Fact]
    public void Every_public_exception_of_the_Keys_namespace_derives_from_the_KMS_base()
    {
        Type[] inKeys = [.. typeof(IKeyService).Assembly.GetExportedTypes().Where(t => t.Namespace == "Vaultlib.Keys" && typeof(Exception).IsAssignableFrom(t))];
        Assert.NotEmpty(inKeys);
        Assert.All(inKeys, t => Assert.True(typeof(KeyManagementException).IsAssignableFrom(t), t.Name));
        Assert.Contains(typeof(ValidationException), inKeys);
        Assert.Contains(typeof(AccessDeniedException), inKeys);
        Assert.Contains(typeof(DryRunOperationException), inKeys);
        Assert.Contains(typeof(MalformedPolicyDocumentException), inKeys);
    }

    [Theory]
    [MemberData(nameof(KmsErrorTypes))]
    public void Each_error_can_be_constructed_and_thrown_by_user_code_with_AWS_s_error_code(Type type)
    {
        ConstructorInfo ctor = type.GetConstructors(BindingFlags.Public | BindingFlags.Instance)
            .OrderByDescending(c => c.GetParameters().Length).First();
        object[] args = [.. ctor.GetParameters().Select(p => (object)$"user-{p.Name}")];
        var error = (KeyManagementException)ctor.Invoke(args);

        KeyManagementException caught = Assert.ThrowsAny<KeyManagementException>(new Action(() => throw error));
        Assert.Equal(type.Name, caught.ErrorCode);
        Assert.Contains("user-message", caught.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Validation_access_denied_and_dry_run_errors_are_caught_as_KeyManagementException()
    {
        using var kms = new InMemoryKeyService();
        KeyMetadata key = await kms.CreateKeyAsync("k");

        await Assert.ThrowsAnyAsync<KeyManagementException>(() => kms.GenerateRandomAsync(new GenerateRandomRequest { NumberOfBytes = 0 }));
        await Assert.ThrowsAnyAsync<KeyManagementException>(() => kms.EncryptAsync(new EncryptRequest { KeyId = key.KeyId, Plaintext = new byte[1], DryRun = true }));
        await Assert.ThrowsAnyAsync<KeyManagementException>(() => kms.PutKeyPolicyAsync(new PutKeyPolicyRequest { KeyId = key.KeyId, Policy = "not json" }));
        await Assert.ThrowsAnyAsync<KeyManagementException>(() => kms.EncryptAsync(new EncryptRequest { KeyId = key.KeyId, Plaintext = new byte[1], EncryptionContext = new Dictionary<string, string> { [""] = "empty key" } }));
        KeyService stranger = kms.AsCaller(new Vaultlib.Authorization.CallerIdentity { Principal = "arn:aws:iam::111122223333:user/stranger" });
        await Assert.ThrowsAnyAsync<KeyManagementException>(() => stranger.DisableKeyAsync(new DisableKeyRequest { KeyId = key.KeyId }));
    }
}
