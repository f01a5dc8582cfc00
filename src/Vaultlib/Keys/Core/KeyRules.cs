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
        switch (key.KeyState)
        {
            case KeyState.PendingDeletion:
                throw KmsErrors.PendingDeletion(key.Arn);
            case KeyState.PendingReplicaDeletion:
                throw KmsErrors.InvalidState(key.Arn, key.KeyState);
        }
    }

    /// <summary>Enabling or disabling needs key material: a key waiting for its import is in the wrong state.</summary>
    public static void RequireNotPendingImport(KeyRecord key)
    {
        if (key.KeyState == KeyState.PendingImport)
        {
            throw KmsErrors.InvalidState(key.Arn, key.KeyState);
        }
    }

    /// <summary>The import operations apply only to keys created for imported material.</summary>
    public static void RequireExternal(KeyRecord key)
    {
        if (key.Origin != OriginType.EXTERNAL)
        {
            throw new UnsupportedOperationException($"{key.Arn} origin is {key.Origin}, which is invalid for this operation; its origin must be EXTERNAL.");
        }
    }

    /// <summary>ReplicateKey and UpdatePrimaryRegion act on a multi-Region primary key.</summary>
    public static void RequireMultiRegionPrimary(KeyRecord key)
    {
        if (key.PrimaryRegion is null)
        {
            throw new UnsupportedOperationException($"{key.Arn} is not a multi-Region key.");
        }

        if (key.IsReplica)
        {
            throw new UnsupportedOperationException($"{key.Arn} is a replica key; this operation needs the primary key, in {key.PrimaryRegion}.");
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
    // Stryker disable once all : unreachable while key policies are evaluated (an AWS managed key's policy allows none of
    // these actions, so the authorize step refuses first); kept so the rule holds whatever a policy says
    public static void RequireCustomerManaged(KeyRecord key, Operation operation)
    {
        if (key.KeyManager == KeyManagerType.AWS)
        {
            throw KmsErrors.AwsManagedKey(operation.Action, key.Arn);
        }
    }

    /// <summary>Only customer managed symmetric encryption keys rotate.</summary>
    /// <remarks>
    /// Imported material does not rotate here (AWS rotates it on demand only after a second import,
    /// which Vaultlib does not offer), and a replica follows its primary's rotations.
    /// </remarks>
    public static void RequireRotatable(KeyRecord key, Operation operation)
    {
        // Stryker disable once Statement : as in RequireCustomerManaged: the key policy refuses first
        RequireCustomerManaged(key, operation);
        if (!key.IsSymmetricEncryption)
        {
            throw KmsErrors.NoRotation(key.Arn);
        }

        if (key.Origin != OriginType.AWS_KMS)
        {
            throw new UnsupportedOperationException($"{key.Arn} origin is {key.Origin}; only keys whose material KMS generated (AWS_KMS) rotate.");
        }

        if (key.IsReplica)
        {
            throw new UnsupportedOperationException($"{key.Arn} is a multi-Region replica key; rotation is a shared property managed on its primary key in {key.PrimaryRegion}.");
        }
    }

    /// <summary>An alias points to a customer managed key that is not pending deletion.</summary>
    public static void RequireAliasTarget(KeyRecord key)
    {
        // Stryker disable once all : as in RequireCustomerManaged: the key policy refuses CreateAlias and UpdateAlias first
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
