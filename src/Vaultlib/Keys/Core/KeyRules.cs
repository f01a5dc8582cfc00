using Vaultlib.Pipeline;

namespace Vaultlib.Keys;

/// <summary>
/// The key-state machine and the usage rules: which states and key kinds allow which operations.
/// Pure functions of a key snapshot; each refusal is AWS's error for it.
/// </summary>
internal static class KeyRules
{
    /// <summary>Cryptographic use needs an enabled key.</summary>
    public static void RequireUsable(KeyRecord key)
    {
        switch (key.KeyState)
        {
            case KeyState.Enabled:
                return;
            case KeyState.Disabled:
                throw KmsErrors.Disabled(key.Arn);
            case KeyState.PendingDeletion:
                throw KmsErrors.PendingDeletion(key.Arn);
            default:
                throw KmsErrors.InvalidState(key.Arn, key.KeyState);
        }
    }

    /// <summary>Management operations are refused once deletion is scheduled.</summary>
    public static void RequireNotPendingDeletion(KeyRecord key)
    {
        if (key.KeyState == KeyState.PendingDeletion)
        {
            throw KmsErrors.PendingDeletion(key.Arn);
        }
    }

    /// <summary>The key must encrypt, with the requested algorithm (default SYMMETRIC_DEFAULT) among its algorithms.</summary>
    public static EncryptionAlgorithmSpec RequireEncryptionKey(KeyRecord key, EncryptionAlgorithmSpec? requested)
    {
        if (key.KeyUsage != KeyUsageType.ENCRYPT_DECRYPT)
        {
            throw KmsErrors.WrongUsage(key.Arn, key.KeyUsage, "ENCRYPT_DECRYPT");
        }

        EncryptionAlgorithmSpec algorithm = requested ?? EncryptionAlgorithmSpec.SYMMETRIC_DEFAULT;
        EncryptionAlgorithmSpec[] supported = KeySpecs.EncryptionAlgorithms(key.KeySpec, key.KeyUsage);
        if (!supported.Contains(algorithm))
        {
            throw KmsErrors.UnsupportedAlgorithm(key.Arn, "encryption algorithm", algorithm, string.Join(", ", supported));
        }

        return algorithm;
    }

    /// <summary>Data keys and data key pairs come only from symmetric encryption keys.</summary>
    public static void RequireSymmetricEncryption(KeyRecord key)
    {
        if (!key.IsSymmetricEncryption)
        {
            throw new InvalidKeyUsageException($"{key.Arn} key usage is {key.KeyUsage} and key spec {key.KeySpec}; this operation needs a SYMMETRIC_DEFAULT ENCRYPT_DECRYPT key.");
        }
    }

    /// <summary>AWS managed keys refuse every change of state and policy, for everyone.</summary>
    public static void RequireCustomerManaged(KeyRecord key, Operation operation)
    {
        if (key.KeyManager == KeyManagerType.AWS)
        {
            throw KmsErrors.AwsManagedKey(operation.Action, key.Arn);
        }
    }

    /// <summary>Only customer managed symmetric encryption keys rotate.</summary>
    public static void RequireRotatable(KeyRecord key, Operation operation)
    {
        RequireCustomerManaged(key, operation);
        if (!key.IsSymmetricEncryption)
        {
            throw KmsErrors.NoRotation(key.Arn);
        }
    }

    /// <summary>An alias points to a customer managed key that is not pending deletion.</summary>
    public static void RequireAliasTarget(KeyRecord key)
    {
        if (key.KeyManager == KeyManagerType.AWS)
        {
            throw new NotFoundException($"Aliases can only point to customer managed keys; {key.Arn} is AWS managed.");
        }

        RequireNotPendingDeletion(key);
    }

    /// <summary>The key must sign with <paramref name="algorithm"/>; a DIGEST must be the hash's length.</summary>
    public static MessageType RequireSigning(KeyRecord key, SigningAlgorithmSpec algorithm, MessageType? requestedType, int messageLength)
    {
        if (key.KeyUsage != KeyUsageType.SIGN_VERIFY)
        {
            throw KmsErrors.WrongUsage(key.Arn, key.KeyUsage, "SIGN_VERIFY");
        }

        SigningAlgorithmSpec[] supported = KeySpecs.SigningAlgorithms(key.KeySpec, key.KeyUsage);
        if (!supported.Contains(algorithm))
        {
            throw KmsErrors.UnsupportedAlgorithm(key.Arn, "signing algorithm", algorithm, string.Join(", ", supported));
        }

        RequireUsable(key);
        MessageType type = requestedType ?? MessageType.RAW;
        if (type == MessageType.DIGEST)
        {
            if (algorithm == SigningAlgorithmSpec.ED25519_SHA_512)
            {
                throw new ValidationException("MessageType", "ED25519_SHA_512 signs RAW messages only; DIGEST is not supported with it.");
            }

            int expected = KeySpecs.HashLength(KeySpecs.Hash(algorithm));
            if (messageLength != expected)
            {
                throw new ValidationException("Message", $"A DIGEST for {algorithm} must be {expected} bytes; it is {messageLength}.");
            }
        }

        return type;
    }

    /// <summary>The key must be an HMAC key of <paramref name="algorithm"/>.</summary>
    public static void RequireMac(KeyRecord key, MacAlgorithmSpec algorithm)
    {
        if (key.KeyUsage != KeyUsageType.GENERATE_VERIFY_MAC)
        {
            throw KmsErrors.WrongUsage(key.Arn, key.KeyUsage, "GENERATE_VERIFY_MAC");
        }

        if (!KeySpecs.MacAlgorithms(key.KeySpec).Contains(algorithm))
        {
            throw new InvalidKeyUsageException($"{key.Arn} is a {key.KeySpec} key; it supports {string.Join(", ", KeySpecs.MacAlgorithms(key.KeySpec))}, not {algorithm}.");
        }

        RequireUsable(key);
    }

    /// <summary>Only symmetric encryption keys report rotation status and history.</summary>
    public static void RequireRotationQueryable(KeyRecord key, string what)
    {
        if (!key.IsSymmetricEncryption)
        {
            throw new UnsupportedOperationException($"{key.Arn} key usage or key spec does not support {what}.");
        }
    }
}
