namespace Vaultlib.Keys;

/// <summary>The root of every error raised by <see cref="IKeyService"/> with an AWS KMS error name.</summary>
public abstract class KeyManagementException : VaultlibException
{
    private protected KeyManagementException(string errorCode, string message)
        : base(errorCode, message)
    {
    }
}

/// <summary>The key or alias does not exist (or no longer exists). AWS <c>NotFoundException</c>.</summary>
public sealed class NotFoundException : KeyManagementException
{
    internal NotFoundException(string message)
        : base("NotFoundException", message)
    {
    }
}

/// <summary>The key is disabled. AWS <c>DisabledException</c>.</summary>
public sealed class DisabledException : KeyManagementException
{
    internal DisabledException(string message)
        : base("DisabledException", message)
    {
    }
}

/// <summary>The key's state does not allow the operation (e.g. PendingDeletion). AWS <c>KMSInvalidStateException</c>.</summary>
public sealed class KMSInvalidStateException : KeyManagementException
{
    internal KMSInvalidStateException(string message)
        : base("KMSInvalidStateException", message)
    {
    }
}

/// <summary>
/// The ciphertext cannot be decrypted: malformed, tampered, made under another encryption context,
/// or naming material that does not exist. Every such failure carries the same message, so the
/// error is no oracle. AWS <c>InvalidCiphertextException</c>.
/// </summary>
public sealed class InvalidCiphertextException : KeyManagementException
{
    internal const string StandardMessage = "The ciphertext is invalid, was tampered with, or its encryption context does not match.";

    internal InvalidCiphertextException()
        : base("InvalidCiphertextException", StandardMessage)
    {
    }
}

/// <summary>The key named in the request is not the key that encrypted the ciphertext. AWS <c>IncorrectKeyException</c>.</summary>
public sealed class IncorrectKeyException : KeyManagementException
{
    internal IncorrectKeyException(string message)
        : base("IncorrectKeyException", message)
    {
    }
}

/// <summary>The key's usage or spec does not support the operation or algorithm. AWS <c>InvalidKeyUsageException</c>.</summary>
public sealed class InvalidKeyUsageException : KeyManagementException
{
    internal InvalidKeyUsageException(string message)
        : base("InvalidKeyUsageException", message)
    {
    }
}

/// <summary>An alias with that name already exists. AWS <c>AlreadyExistsException</c>.</summary>
public sealed class AlreadyExistsException : KeyManagementException
{
    internal AlreadyExistsException(string message)
        : base("AlreadyExistsException", message)
    {
    }
}

/// <summary>The alias name is malformed or reserved. AWS <c>InvalidAliasNameException</c>.</summary>
public sealed class InvalidAliasNameException : KeyManagementException
{
    internal InvalidAliasNameException(string message)
        : base("InvalidAliasNameException", message)
    {
    }
}

/// <summary>The operation is not supported for this key or configuration. AWS <c>UnsupportedOperationException</c>.</summary>
public sealed class UnsupportedOperationException : KeyManagementException
{
    internal UnsupportedOperationException(string message)
        : base("UnsupportedOperationException", message)
    {
    }
}

/// <summary>A quota was reached, e.g. more than 25 on-demand rotations of one key. AWS <c>LimitExceededException</c>.</summary>
public sealed class LimitExceededException : KeyManagementException
{
    internal LimitExceededException(string message)
        : base("LimitExceededException", message)
    {
    }
}

/// <summary>The paging marker was not one this service issued. AWS <c>InvalidMarkerException</c>.</summary>
public sealed class InvalidMarkerException : KeyManagementException
{
    internal InvalidMarkerException()
        : base("InvalidMarkerException", "The request was rejected because the marker that specifies where pagination should next begin is not valid.")
    {
    }
}

/// <summary>An ARN is malformed. AWS <c>InvalidArnException</c>.</summary>
public sealed class InvalidArnException : KeyManagementException
{
    internal InvalidArnException(string message)
        : base("InvalidArnException", message)
    {
    }
}

/// <summary>A tag key or value is invalid, reserved or over the limit. AWS <c>TagException</c>.</summary>
public sealed class TagException : KeyManagementException
{
    internal TagException(string message)
        : base("TagException", message)
    {
    }
}

/// <summary>The signature does not verify. AWS <c>KMSInvalidSignatureException</c>.</summary>
public sealed class KMSInvalidSignatureException : KeyManagementException
{
    internal KMSInvalidSignatureException()
        : base("KMSInvalidSignatureException", "The signature verification failed. Verify that the signature, message, key and signing algorithm are correct.")
    {
    }
}

/// <summary>The MAC does not verify. AWS <c>KMSInvalidMacException</c>.</summary>
public sealed class KMSInvalidMacException : KeyManagementException
{
    internal KMSInvalidMacException()
        : base("KMSInvalidMacException", "The MAC verification failed. Verify that the message, MAC, key and MAC algorithm are correct.")
    {
    }
}

/// <summary>The grant token is not one this service issued. AWS <c>InvalidGrantTokenException</c>.</summary>
public sealed class InvalidGrantTokenException : KeyManagementException
{
    internal InvalidGrantTokenException()
        : base("InvalidGrantTokenException", "The request was rejected because the specified grant token is not valid.")
    {
    }
}

/// <summary>The grant id is malformed or names no grant of the key. AWS <c>InvalidGrantIdException</c>.</summary>
public sealed class InvalidGrantIdException : KeyManagementException
{
    internal InvalidGrantIdException(string message)
        : base("InvalidGrantIdException", message)
    {
    }
}
