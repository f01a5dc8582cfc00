using System.Reflection;
using Vaultlib.Keys;

namespace Vaultlib.Tests.Pipeline;

/// <summary>After Dispose, every operation fails with <see cref="ObjectDisposedException"/>, before it looks at its request.</summary>
public sealed class DisposalTests
{
    public static TheoryData<string> Operations()
    {
        var data = new TheoryData<string>();
        foreach (MethodInfo method in typeof(IKeyService).GetMethods().OrderBy(m => m.Name))
        {
            data.Add(method.Name);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Operations))]
    public void Every_operation_after_Dispose_throws_ObjectDisposedException(string operation)
    {
        var kms = new InMemoryKeyService();
        IKeyService bound = kms.AsCaller(new Vaultlib.Authorization.CallerIdentity { Principal = "arn:aws:iam::111122223333:role/app" });
        kms.Dispose();
        MethodInfo method = typeof(IKeyService).GetMethod(operation)!;

        foreach (IKeyService service in new[] { kms, bound })
        {
            var error = Assert.Throws<TargetInvocationException>(() => method.Invoke(service, [null, CancellationToken.None]));
            Assert.IsType<ObjectDisposedException>(error.InnerException);
        }
    }

    [Fact]
    public async Task Disposing_a_caller_bound_facade_leaves_the_service_open()
    {
        using var kms = new InMemoryKeyService();
        KeyService bound = kms.AsCaller(new Vaultlib.Authorization.CallerIdentity { Principal = "arn:aws:iam::111122223333:root" });
        bound.Dispose();

        Assert.NotNull((await kms.CreateKeyAsync("still open")).KeyId);
        Assert.NotNull((await bound.CreateKeyAsync("and through the facade")).KeyId);
    }
}
