using System.Diagnostics;
using System.Numerics;
using Microsoft.Extensions.Time.Testing;
using Vaultlib.Keys;
using Vaultlib.Tests.TestSupport;

namespace Vaultlib.Tests.Keys;

/// <summary>
/// The behaviour every <see cref="IKeyService"/> implementation must have, as AWS KMS has it.
/// Subclassed once per implementation, so both run every test here.
/// </summary>
/// <remarks>One file per AWS operation in this folder (Contract/Encrypt.cs …), as src/Vaultlib/Keys/Operations; this file holds the shared fixture and helpers.</remarks>
public abstract partial class KeyServiceContractTests : IDisposable
{
    private KeyService? _kms;

    protected FakeTimeProvider Clock { get; } = TestData.NewClock();

    protected KeyService Kms => _kms ??= CreateService(Clock);

    protected abstract KeyService CreateService(FakeTimeProvider clock);

    /// <summary>A new, empty vault of the store under test, for tests that need a <see cref="VaultlibHost"/> (several Regions); the test class disposes it.</summary>
    protected abstract Vaultlib.Storage.Vault CreateVault(FakeTimeProvider clock);

    public virtual void Dispose()
    {
        _kms?.Dispose();
        GC.SuppressFinalize(this);
    }

    private async Task<KeyMetadata> NewKey(string? description = null) =>
        (await Kms.CreateKeyAsync(new CreateKeyRequest { Description = description })).KeyMetadata;

    private async Task<byte[]> Encrypt(string keyId, byte[] plaintext, Dictionary<string, string>? context = null) =>
        (await Kms.EncryptAsync(new EncryptRequest { KeyId = keyId, Plaintext = plaintext, EncryptionContext = context })).CiphertextBlob.ToArray();

    private async Task<byte[]> Decrypt(byte[] blob, Dictionary<string, string>? context = null, string? keyId = null) =>
        (await Kms.DecryptAsync(new DecryptRequest { CiphertextBlob = blob, EncryptionContext = context, KeyId = keyId })).Plaintext.ToArray();

    private async Task<KeyMetadata> NewKey(KeySpec spec, KeyUsageType? usage = null) =>
        (await Kms.CreateKeyAsync(new CreateKeyRequest { KeySpec = spec, KeyUsage = usage })).KeyMetadata;

    private async Task<byte[]> PublicKey(string keyId) =>
        (await Kms.GetPublicKeyAsync(new GetPublicKeyRequest { KeyId = keyId })).PublicKey.ToArray();

    private async Task<byte[]> Sign(string keyId, byte[] message, SigningAlgorithmSpec algorithm, MessageType type = MessageType.RAW) =>
        (await Kms.SignAsync(new SignRequest { KeyId = keyId, Message = message, SigningAlgorithm = algorithm, MessageType = type })).Signature.ToArray();

    private Task<VerifyResponse> Verify(string keyId, byte[] message, byte[] signature, SigningAlgorithmSpec algorithm, MessageType type = MessageType.RAW) =>
        Kms.VerifyAsync(new VerifyRequest { KeyId = keyId, Message = message, Signature = signature, SigningAlgorithm = algorithm, MessageType = type });

    private static string OpenSsl(string arguments, byte[] input)
    {
        var start = new ProcessStartInfo("openssl", arguments) { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        using Process process = Process.Start(start)!;
        process.StandardInput.BaseStream.Write(input);
        process.StandardInput.Close();
        string output = process.StandardOutput.ReadToEnd() + process.StandardError.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, $"openssl {arguments}: {output}");
        return output;
    }
}

/// <summary>ECDSA-Sig-Value { r, s } helpers for building malformed and high-S signatures.</summary>
internal static class EcdsaDer
{
    public static (BigInteger R, BigInteger S) Read(byte[] der)
    {
        var reader = new System.Formats.Asn1.AsnReader(der, System.Formats.Asn1.AsnEncodingRules.DER).ReadSequence();
        return (reader.ReadInteger(), reader.ReadInteger());
    }

    public static byte[] Write(BigInteger r, BigInteger s)
    {
        var writer = new System.Formats.Asn1.AsnWriter(System.Formats.Asn1.AsnEncodingRules.DER);
        using (writer.PushSequence())
        {
            writer.WriteInteger(r);
            writer.WriteInteger(s);
        }

        return writer.Encode();
    }

    /// <summary>Hand-assembled DER-like bytes, to express encodings a DER writer refuses (e.g. leading zeros).</summary>
    public static byte[] WriteRaw(byte[] r, byte[] s)
    {
        byte[] body = [0x02, (byte)r.Length, .. r, 0x02, (byte)s.Length, .. s];
        return [0x30, (byte)body.Length, .. body];
    }

    public static byte[] LowS(byte[] der, BigInteger n)
    {
        (BigInteger r, BigInteger s) = Read(der);
        return s > n / 2 ? Write(r, n - s) : der;
    }
}
