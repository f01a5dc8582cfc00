namespace Vaultlib.Keys;

/// <summary>An operation a grant permits (AWS <c>GrantOperation</c>).</summary>
public enum GrantOperation
{
    /// <summary>Decrypt.</summary>
    Decrypt,

    /// <summary>Encrypt.</summary>
    Encrypt,

    /// <summary>GenerateDataKey.</summary>
    GenerateDataKey,

    /// <summary>GenerateDataKeyWithoutPlaintext.</summary>
    GenerateDataKeyWithoutPlaintext,

    /// <summary>ReEncrypt from this key.</summary>
    ReEncryptFrom,

    /// <summary>ReEncrypt to this key.</summary>
    ReEncryptTo,

    /// <summary>Sign.</summary>
    Sign,

    /// <summary>Verify.</summary>
    Verify,

    /// <summary>GetPublicKey.</summary>
    GetPublicKey,

    /// <summary>CreateGrant.</summary>
    CreateGrant,

    /// <summary>RetireGrant.</summary>
    RetireGrant,

    /// <summary>DescribeKey.</summary>
    DescribeKey,

    /// <summary>GenerateDataKeyPair.</summary>
    GenerateDataKeyPair,

    /// <summary>GenerateDataKeyPairWithoutPlaintext.</summary>
    GenerateDataKeyPairWithoutPlaintext,

    /// <summary>GenerateMac.</summary>
    GenerateMac,

    /// <summary>VerifyMac.</summary>
    VerifyMac,

    /// <summary>DeriveSharedSecret.</summary>
    DeriveSharedSecret,
}
