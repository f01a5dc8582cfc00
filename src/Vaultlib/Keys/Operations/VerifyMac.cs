using System.Security.Cryptography;
using Vaultlib.Pipeline;

namespace Vaultlib.Keys.Operations;

/// <summary>KMS <c>VerifyMac</c>: Verifies an HMAC in constant time; a wrong one is KMSInvalidMacException.</summary>
internal sealed class VerifyMac() : KeyOperation<VerifyMacRequest, VerifyMacResponse>("VerifyMac", readOnly: true, KeyIdForms.Any)
{
    public static VerifyMac Instance { get; } = new();

    public override void Validate(VerifyMacRequest r)
    {
        KmsValidate.Mac(r.KeyId, r.Message, r.MacAlgorithm, r.GrantTokens);
        Internal.Validate.ByteLength(nameof(r.Mac), r.Mac, 1, 6144);
    }

    public override RequestFacts Facts(VerifyMacRequest r) => new() { KeyId = r.KeyId };

    protected override VerifyMacResponse Execute(KeyTable keys, VerifyMacRequest r, KeyRecord key, RequestContext context)
    {
        KeyRules.RequireMac(key, r.MacAlgorithm);
        byte[] expected = AsymmetricCrypto.Mac(key.Current.Secret, r.MacAlgorithm, r.Message.Span);
        if (!CryptographicOperations.FixedTimeEquals(expected, r.Mac.Span))
        {
            throw new KMSInvalidMacException();
        }

        return new VerifyMacResponse { KeyId = key.Arn, MacValid = true, MacAlgorithm = r.MacAlgorithm };
    }
}
