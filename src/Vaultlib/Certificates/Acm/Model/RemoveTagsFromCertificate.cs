namespace Vaultlib.Certificates.Acm;

/// <summary>RemoveTagsFromCertificate request.</summary>
public sealed record RemoveTagsFromCertificateRequest
{
    /// <summary>The certificate's ARN.</summary>
    public required string CertificateArn { get; init; }

    /// <summary>Tags to remove, 1-50: a tag with a value removes the key only while it has that value.</summary>
    public required IReadOnlyList<Tag> Tags { get; init; }
}

/// <summary>RemoveTagsFromCertificate response (empty, as AWS's).</summary>
public sealed record RemoveTagsFromCertificateResponse;
