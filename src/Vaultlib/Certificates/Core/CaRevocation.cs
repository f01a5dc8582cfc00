namespace Vaultlib.Certificates;

/// <summary>A CA's revocation settings, checked against AWS's limits.</summary>
internal static class CaRevocation
{
    public static void Validate(RevocationConfiguration? configuration)
    {
        if (configuration?.CrlConfiguration is { } crl)
        {
            if (crl.ExpirationInDays is < 1 or > 5000)
            {
                throw new InvalidArgsException("RevocationConfiguration.CrlConfiguration.ExpirationInDays", "ExpirationInDays must be 1-5000.");
            }

            if (crl.CustomCname is { Length: > 253 })
            {
                throw new InvalidArgsException("RevocationConfiguration.CrlConfiguration.CustomCname", "CustomCname must be at most 253 characters.");
            }

            if (crl.S3BucketName is { Length: < 3 or > 255 })
            {
                throw new InvalidArgsException("RevocationConfiguration.CrlConfiguration.S3BucketName", "S3BucketName must be 3-255 characters.");
            }
        }

        if (configuration?.OcspConfiguration is { OcspCustomCname.Length: > 253 })
        {
            throw new InvalidArgsException("RevocationConfiguration.OcspConfiguration.OcspCustomCname", "OcspCustomCname must be at most 253 characters.");
        }
    }
}
