using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Vaultlib.Keys;
using Vaultlib.Tests.TestSupport;

namespace Vaultlib.Tests.Keys;

/// <summary>Round trips and tamper detection over generated plaintexts, contexts and bit positions.</summary>
[Properties(Arbitrary = [typeof(KmsArbitraries)], MaxTest = 300)]
public sealed class KeyServicePropertyTests : IClassFixture<KeyServicePropertyTests.Fixture>
{
    private readonly Fixture _fixture;

    public KeyServicePropertyTests(Fixture fixture) => _fixture = fixture;

    private InMemoryKeyService Kms => _fixture.Kms;

    private byte[] Encrypt(string keyId, KmsPlaintext plaintext, KmsContext context) =>
        Kms.EncryptAsync(new EncryptRequest { KeyId = keyId, Plaintext = plaintext.Bytes, EncryptionContext = context.Pairs }).GetAwaiter().GetResult().CiphertextBlob.ToArray();

    private byte[] Decrypt(byte[] blob, IReadOnlyDictionary<string, string> context) =>
        Kms.DecryptAsync(new DecryptRequest { CiphertextBlob = blob, EncryptionContext = context }).GetAwaiter().GetResult().Plaintext.ToArray();

    private bool FailsAsInvalidCiphertext(byte[] blob, IReadOnlyDictionary<string, string> context)
    {
        try
        {
            Decrypt(blob, context);
            return false;
        }
        catch (InvalidCiphertextException ex)
        {
            return ex.Message == InvalidCiphertextException.StandardMessage;
        }
    }

    [Property]
    public bool Encrypt_then_Decrypt_round_trips_any_plaintext_and_context(KmsPlaintext plaintext, KmsContext context) =>
        Decrypt(Encrypt(_fixture.KeyA, plaintext, context), context.Pairs).AsSpan().SequenceEqual(plaintext.Bytes);

    [Property]
    public Property Any_single_bit_flip_fails_with_InvalidCiphertextException(KmsPlaintext plaintext, KmsContext context, PositiveInt position)
    {
        byte[] blob = Encrypt(_fixture.KeyA, plaintext, context);
        int bit = position.Get % (blob.Length * 8);
        blob[bit / 8] ^= (byte)(1 << (bit % 8));
        return FailsAsInvalidCiphertext(blob, context.Pairs).Label($"bit {bit} of {blob.Length * 8}");
    }

    [Property]
    public Property Any_change_of_context_fails_with_InvalidCiphertextException(KmsPlaintext plaintext, KmsContext context, KmsContext other)
    {
        byte[] blob = Encrypt(_fixture.KeyA, plaintext, context);
        var changed = new Dictionary<string, string>(context.Pairs);
        if (changed.Count > 0 && other.Pairs.Count % 2 == 0)
        {
            string victim = changed.Keys.First();
            changed[victim] = changed[victim] + "!";
        }
        else
        {
            changed["extra:" + other.Pairs.Count] = string.Empty;
        }

        return FailsAsInvalidCiphertext(blob, changed).Label($"changed context {string.Join(",", changed.Keys)}");
    }

    [Property]
    public bool ReEncrypt_then_Decrypt_returns_the_original(KmsPlaintext plaintext, KmsContext source, KmsContext destination)
    {
        byte[] blob = Encrypt(_fixture.KeyA, plaintext, source);
        ReEncryptResponse moved = Kms.ReEncryptAsync(new ReEncryptRequest
        {
            CiphertextBlob = blob,
            SourceEncryptionContext = source.Pairs,
            DestinationKeyId = _fixture.KeyB,
            DestinationEncryptionContext = destination.Pairs,
        }).GetAwaiter().GetResult();
        return moved.KeyId.EndsWith(_fixture.KeyB, StringComparison.Ordinal)
            && Decrypt(moved.CiphertextBlob.ToArray(), destination.Pairs).AsSpan().SequenceEqual(plaintext.Bytes);
    }

    [Property(MaxTest = 1000)]
    public Property Arbitrary_bytes_are_never_anything_but_InvalidCiphertextException()
    {
        Gen<byte[]> blobs = Gen.Choose(1, 200).SelectMany(n => Gen.ArrayOf(Gen.Choose(0, 255).Select(i => (byte)i), n));
        return Prop.ForAll(blobs.ToArbitrary(), blob =>
        {
            blob[0] = (byte)(blob[0] % 3); // Often the right version byte, so parsing goes deeper.
            return FailsAsInvalidCiphertext(blob, new Dictionary<string, string>());
        });
    }

    public sealed class Fixture : IDisposable
    {
        public Fixture()
        {
            Kms = new InMemoryKeyService();
            KeyA = Kms.CreateKeyAsync("a").GetAwaiter().GetResult().KeyId;
            KeyB = Kms.CreateKeyAsync("b").GetAwaiter().GetResult().KeyId;
            Kms.RotateKeyOnDemandAsync(new RotateKeyOnDemandRequest { KeyId = KeyA }).GetAwaiter().GetResult();
        }

        public InMemoryKeyService Kms { get; }

        public string KeyA { get; }

        public string KeyB { get; }

        public void Dispose() => Kms.Dispose();
    }
}
