namespace Vaultlib.Envelope;

/// <summary>The curves of the ECDH keyrings (the Material Providers Library's <c>ECDHCurveSpec</c>). SM2 is refused: .NET has no SM2 key agreement.</summary>
public enum EcdhCurveSpec
{
    /// <summary>NIST P-256.</summary>
    ECC_NIST_P256,

    /// <summary>NIST P-384.</summary>
    ECC_NIST_P384,

    /// <summary>NIST P-521.</summary>
    ECC_NIST_P521,

    /// <summary>SM2 (not supported here).</summary>
    SM2,
}
