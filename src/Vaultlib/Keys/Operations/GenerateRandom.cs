using System.Security.Cryptography;
using Vaultlib.Pipeline;

namespace Vaultlib.Keys.Operations;

/// <summary>KMS <c>GenerateRandom</c>: Returns 1-1024 random bytes from a cryptographic generator.</summary>
internal sealed class GenerateRandom() : AccountOperation<GenerateRandomRequest, GenerateRandomResponse>("GenerateRandom", readOnly: true)
{
    public static GenerateRandom Instance { get; } = new();

    public override void Validate(GenerateRandomRequest r) => Internal.Validate.Range(nameof(r.NumberOfBytes), r.NumberOfBytes, 1, 1024);

    protected override GenerateRandomResponse Execute(KeyTable keys, GenerateRandomRequest r, AccountResource resource, RequestContext context) =>
        new() { Plaintext = RandomNumberGenerator.GetBytes(r.NumberOfBytes) };
}
