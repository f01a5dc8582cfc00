using Vaultlib.Keys;

namespace Vaultlib.Tests.Keys;

/// <summary>Contract tests: the KeyId forms every operation accepts, and the errors for the others.</summary>
public abstract partial class KeyServiceContractTests
{
    /// <summary>Operations that take a KeyId, and whether AWS accepts alias names and alias ARNs there (docs/kms-keyid-forms.md).</summary>
    public static TheoryData<string, bool> KeyIdOperations() => new()
    {
        { "Encrypt", true }, { "Decrypt", true }, { "ReEncrypt (source)", true }, { "ReEncrypt (destination)", true },
        { "GenerateDataKey", true }, { "GenerateDataKeyWithoutPlaintext", true }, { "GenerateDataKeyPair", true },
        { "GenerateDataKeyPairWithoutPlaintext", true }, { "DescribeKey", true }, { "GetPublicKey", true }, { "Sign", true },
        { "Verify", true }, { "GenerateMac", true }, { "VerifyMac", true },
        { "TagResource", false }, { "UntagResource", false }, { "ListResourceTags", false }, { "EnableKeyRotation", false },
        { "DisableKeyRotation", false }, { "GetKeyRotationStatus", false }, { "RotateKeyOnDemand", false }, { "ListKeyRotations", false },
        { "EnableKey", false }, { "DisableKey", false }, { "UpdateKeyDescription", false }, { "ScheduleKeyDeletion", false },
        { "CancelKeyDeletion", false }, { "PutKeyPolicy", false }, { "GetKeyPolicy", false }, { "ListKeyPolicies", false },
        { "CreateGrant", false }, { "ListGrants", false }, { "RevokeGrant", false }, { "RetireGrant", false },
        { "ListAliases", false }, { "CreateAlias (target)", false }, { "UpdateAlias (target)", false },
    };

    [SkippableTheory]
    [MemberData(nameof(KeyIdOperations))]
    public async Task Each_operation_accepts_exactly_the_KeyId_forms_AWS_documents(string operation, bool acceptsAliases)
    {
        KeyMetadata key = await NewKey();
        KeyMetadata signing = (await Kms.CreateKeyAsync(new CreateKeyRequest { KeySpec = KeySpec.ECC_NIST_P256, KeyUsage = KeyUsageType.SIGN_VERIFY })).KeyMetadata;
        KeyMetadata mac = (await Kms.CreateKeyAsync(new CreateKeyRequest { KeySpec = KeySpec.HMAC_256, KeyUsage = KeyUsageType.GENERATE_VERIFY_MAC })).KeyMetadata;
        KeyMetadata subject = operation switch
        {
            "GetPublicKey" or "Sign" or "Verify" => signing,
            "GenerateMac" or "VerifyMac" => mac,
            _ => key,
        };
        await Kms.CreateAliasAsync(new CreateAliasRequest { AliasName = "alias/forms", TargetKeyId = subject.KeyId });
        await Kms.CreateAliasAsync(new CreateAliasRequest { AliasName = "alias/spare", TargetKeyId = key.KeyId });
        byte[] message = [1, 2, 3];
        byte[] blob = await Encrypt(key.KeyId, message);
        byte[] signature = (await Kms.SignAsync(new SignRequest { KeyId = signing.KeyId, Message = message, SigningAlgorithm = SigningAlgorithmSpec.ECDSA_SHA_256 })).Signature.ToArray();
        byte[] tag = (await Kms.GenerateMacAsync(new GenerateMacRequest { KeyId = mac.KeyId, Message = message, MacAlgorithm = MacAlgorithmSpec.HMAC_SHA_256 })).Mac.ToArray();
        int aliases = 0;

        async Task Run(string form)
        {
            switch (operation)
            {
                case "Encrypt": await Kms.EncryptAsync(new EncryptRequest { KeyId = form, Plaintext = message }); break;
                case "Decrypt": await Kms.DecryptAsync(new DecryptRequest { CiphertextBlob = blob, KeyId = form }); break;
                case "ReEncrypt (source)": await Kms.ReEncryptAsync(new ReEncryptRequest { CiphertextBlob = blob, SourceKeyId = form, DestinationKeyId = key.KeyId }); break;
                case "ReEncrypt (destination)": await Kms.ReEncryptAsync(new ReEncryptRequest { CiphertextBlob = blob, DestinationKeyId = form }); break;
                case "GenerateDataKey": await Kms.GenerateDataKeyAsync(new GenerateDataKeyRequest { KeyId = form, KeySpec = DataKeySpec.AES_256 }); break;
                case "GenerateDataKeyWithoutPlaintext": await Kms.GenerateDataKeyWithoutPlaintextAsync(new GenerateDataKeyWithoutPlaintextRequest { KeyId = form, NumberOfBytes = 16 }); break;
                case "GenerateDataKeyPair": await Kms.GenerateDataKeyPairAsync(new GenerateDataKeyPairRequest { KeyId = form, KeyPairSpec = DataKeyPairSpec.ECC_NIST_P256 }); break;
                case "GenerateDataKeyPairWithoutPlaintext": await Kms.GenerateDataKeyPairWithoutPlaintextAsync(new GenerateDataKeyPairWithoutPlaintextRequest { KeyId = form, KeyPairSpec = DataKeyPairSpec.ECC_NIST_P256 }); break;
                case "DescribeKey": await Kms.DescribeKeyAsync(new DescribeKeyRequest { KeyId = form }); break;
                case "GetPublicKey": await Kms.GetPublicKeyAsync(new GetPublicKeyRequest { KeyId = form }); break;
                case "Sign": await Kms.SignAsync(new SignRequest { KeyId = form, Message = message, SigningAlgorithm = SigningAlgorithmSpec.ECDSA_SHA_256 }); break;
                case "Verify": await Kms.VerifyAsync(new VerifyRequest { KeyId = form, Message = message, Signature = signature, SigningAlgorithm = SigningAlgorithmSpec.ECDSA_SHA_256 }); break;
                case "GenerateMac": await Kms.GenerateMacAsync(new GenerateMacRequest { KeyId = form, Message = message, MacAlgorithm = MacAlgorithmSpec.HMAC_SHA_256 }); break;
                case "VerifyMac": await Kms.VerifyMacAsync(new VerifyMacRequest { KeyId = form, Message = message, Mac = tag, MacAlgorithm = MacAlgorithmSpec.HMAC_SHA_256 }); break;
                case "TagResource": await Kms.TagResourceAsync(new TagResourceRequest { KeyId = form, Tags = [new Tag { TagKey = "t", TagValue = "v" }] }); break;
                case "UntagResource": await Kms.UntagResourceAsync(new UntagResourceRequest { KeyId = form, TagKeys = ["t"] }); break;
                case "ListResourceTags": await Kms.ListResourceTagsAsync(new ListResourceTagsRequest { KeyId = form }); break;
                case "EnableKeyRotation": await Kms.EnableKeyRotationAsync(new EnableKeyRotationRequest { KeyId = form }); break;
                case "DisableKeyRotation": await Kms.DisableKeyRotationAsync(new DisableKeyRotationRequest { KeyId = form }); break;
                case "GetKeyRotationStatus": await Kms.GetKeyRotationStatusAsync(new GetKeyRotationStatusRequest { KeyId = form }); break;
                case "RotateKeyOnDemand": await Kms.RotateKeyOnDemandAsync(new RotateKeyOnDemandRequest { KeyId = form }); break;
                case "ListKeyRotations": await Kms.ListKeyRotationsAsync(new ListKeyRotationsRequest { KeyId = form }); break;
                case "EnableKey": await Kms.EnableKeyAsync(new EnableKeyRequest { KeyId = form }); break;
                case "DisableKey":
                    await Kms.DisableKeyAsync(new DisableKeyRequest { KeyId = form });
                    await Kms.EnableKeyAsync(new EnableKeyRequest { KeyId = key.KeyId });
                    break;
                case "UpdateKeyDescription": await Kms.UpdateKeyDescriptionAsync(new UpdateKeyDescriptionRequest { KeyId = form, Description = "d" }); break;
                case "ScheduleKeyDeletion":
                    await Kms.ScheduleKeyDeletionAsync(new ScheduleKeyDeletionRequest { KeyId = form });
                    await Kms.CancelKeyDeletionAsync(new CancelKeyDeletionRequest { KeyId = key.KeyId });
                    await Kms.EnableKeyAsync(new EnableKeyRequest { KeyId = key.KeyId });
                    break;
                case "CancelKeyDeletion":
                    await Kms.ScheduleKeyDeletionAsync(new ScheduleKeyDeletionRequest { KeyId = key.KeyId });
                    try
                    {
                        await Kms.CancelKeyDeletionAsync(new CancelKeyDeletionRequest { KeyId = form });
                    }
                    finally
                    {
                        if ((await Kms.DescribeKeyAsync(new DescribeKeyRequest { KeyId = key.KeyId })).KeyMetadata.KeyState == KeyState.PendingDeletion)
                        {
                            await Kms.CancelKeyDeletionAsync(new CancelKeyDeletionRequest { KeyId = key.KeyId });
                        }

                        await Kms.EnableKeyAsync(new EnableKeyRequest { KeyId = key.KeyId });
                    }

                    break;
                case "PutKeyPolicy": await Kms.PutKeyPolicyAsync(new PutKeyPolicyRequest { KeyId = form, Policy = (await Kms.GetKeyPolicyAsync(new GetKeyPolicyRequest { KeyId = key.KeyId })).Policy }); break;
                case "GetKeyPolicy": await Kms.GetKeyPolicyAsync(new GetKeyPolicyRequest { KeyId = form }); break;
                case "ListKeyPolicies": await Kms.ListKeyPoliciesAsync(new ListKeyPoliciesRequest { KeyId = form }); break;
                case "CreateGrant": await Kms.CreateGrantAsync(new CreateGrantRequest { KeyId = form, GranteePrincipal = "arn:aws:iam::111122223333:role/app", Operations = [GrantOperation.Encrypt] }); break;
                case "ListGrants": await Kms.ListGrantsAsync(new ListGrantsRequest { KeyId = form }); break;
                case "RevokeGrant":
                case "RetireGrant":
                    string grantId = (await Kms.CreateGrantAsync(new CreateGrantRequest { KeyId = key.KeyId, GranteePrincipal = "arn:aws:iam::111122223333:role/app", Operations = [GrantOperation.Encrypt] })).GrantId;
                    Task removal = operation == "RevokeGrant"
                        ? Kms.RevokeGrantAsync(new RevokeGrantRequest { KeyId = form, GrantId = grantId })
                        : Kms.RetireGrantAsync(new RetireGrantRequest { KeyId = form, GrantId = grantId });
                    await removal;
                    break;
                case "ListAliases": await Kms.ListAliasesAsync(new ListAliasesRequest { KeyId = form }); break;
                case "CreateAlias (target)": await Kms.CreateAliasAsync(new CreateAliasRequest { AliasName = $"alias/new-{++aliases}", TargetKeyId = form }); break;
                case "UpdateAlias (target)": await Kms.UpdateAliasAsync(new UpdateAliasRequest { AliasName = "alias/spare", TargetKeyId = form }); break;
                default: throw new ArgumentOutOfRangeException(nameof(operation), operation, "no such row");
            }
        }

        await Run(subject.KeyId);
        await Run(subject.Arn);
        if (acceptsAliases)
        {
            await Run("alias/forms");
            await Run("arn:aws:kms:us-east-1:111122223333:alias/forms");
        }
        else
        {
            var byName = await Assert.ThrowsAsync<NotFoundException>(() => Run("alias/forms"));
            Assert.Contains("alias/forms", byName.Message, StringComparison.Ordinal);
            var byArn = await Assert.ThrowsAsync<InvalidArnException>(() => Run("arn:aws:kms:us-east-1:111122223333:alias/forms"));
            Assert.Equal("Key Aliases are not supported for this operation.", byArn.Message);
        }
    }

    [SkippableFact]
    public async Task Unknown_and_malformed_key_ids_fail_with_aws_errors()
    {
        await NewKey();
        string missing = Guid.NewGuid().ToString("D");

        var notFound = await Assert.ThrowsAsync<NotFoundException>(() => Kms.DescribeKeyAsync(new DescribeKeyRequest { KeyId = missing }));
        Assert.Contains($"arn:aws:kms:us-east-1:111122223333:key/{missing}", notFound.Message, StringComparison.Ordinal);
        Assert.Equal("NotFoundException", notFound.ErrorCode);
        await Assert.ThrowsAsync<NotFoundException>(() => Kms.DescribeKeyAsync(new DescribeKeyRequest { KeyId = "alias/none" }));
        await Assert.ThrowsAsync<NotFoundException>(() => Kms.DescribeKeyAsync(new DescribeKeyRequest { KeyId = "not-a-key" }));
        string existing = (await NewKey()).KeyId;
        await Assert.ThrowsAsync<NotFoundException>(() => Kms.DescribeKeyAsync(new DescribeKeyRequest { KeyId = existing + "\n" })); // no trailing line break slips past the pattern
        await Assert.ThrowsAsync<NotFoundException>(() => Kms.DescribeKeyAsync(new DescribeKeyRequest { KeyId = $"arn:aws:kms:eu-west-1:111122223333:key/{missing}" }));
        await Assert.ThrowsAsync<InvalidArnException>(() => Kms.DescribeKeyAsync(new DescribeKeyRequest { KeyId = "arn:aws:s3:::bucket" }));
        await Assert.ThrowsAsync<InvalidArnException>(() => Kms.DescribeKeyAsync(new DescribeKeyRequest { KeyId = "arn:aws:kms:us-east-1:111122223333:key/xyz" }));
        // Every field of an ARN is checked: its shape (InvalidArnException), then that it names this partition, Region and account (NotFoundException, even for a key id that exists here).
        string here = (await NewKey()).KeyId;
        foreach (string malformed in new[] { "arn:aws:kms:us-east-1:111122223333", $"arn::kms:us-east-1:111122223333:key/{here}", $"arn:aws:kms::111122223333:key/{here}", $"arn:aws:kms:us-east-1::key/{here}", $"arn:aws:sns:us-east-1:111122223333:key/{here}", "arn:aws:kms:us-east-1:111122223333:alias/", $"arn:aws:kms:us-east-1:111122223333:kez/{here}", $"arn:aws:kms:us-east-1:111122223333:key/{here}\n" })
        {
            await Assert.ThrowsAsync<InvalidArnException>(() => Kms.DescribeKeyAsync(new DescribeKeyRequest { KeyId = malformed }));
        }

        foreach (string elsewhere in new[] { $"arn:aws-cn:kms:us-east-1:111122223333:key/{here}", $"arn:aws:kms:eu-west-1:111122223333:key/{here}", $"arn:aws:kms:us-east-1:444455556666:key/{here}" })
        {
            await Assert.ThrowsAsync<NotFoundException>(() => Kms.DescribeKeyAsync(new DescribeKeyRequest { KeyId = elsewhere }));
        }

        Assert.Contains("alias/x", (await Assert.ThrowsAsync<NotFoundException>(() => Kms.DescribeKeyAsync(new DescribeKeyRequest { KeyId = "arn:aws:kms:us-east-1:111122223333:alias/x" }))).Message, StringComparison.Ordinal);
        var empty = await Assert.ThrowsAsync<ValidationException>(() => Kms.DescribeKeyAsync(new DescribeKeyRequest { KeyId = "" }));
        Assert.Equal("KeyId", empty.MemberName);
        await Assert.ThrowsAsync<ValidationException>(() => Kms.DescribeKeyAsync(new DescribeKeyRequest { KeyId = new string('a', 2049) }));
    }
}
