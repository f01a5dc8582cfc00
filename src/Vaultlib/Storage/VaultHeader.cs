using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Vaultlib.Internal;

namespace Vaultlib.Storage;

/// <summary>One root key the vault's records are sealed under: how to derive it and a value that checks it.</summary>
/// <param name="Generation">1 for the first root key, one more per rotation; sealed records name it.</param>
/// <param name="Salt">The Argon2id salt of a passphrase root key (empty for a key file or raw key).</param>
/// <param name="Kdf">The Argon2id costs of a passphrase root key; null for a key file or raw key.</param>
/// <param name="KeyCheck">HMAC-SHA256 of a label under a key derived from the root key: a wrong root key is reported as such.</param>
internal sealed record RootKeyGeneration(int Generation, byte[] Salt, PassphraseKdfOptions? Kdf, byte[] KeyCheck);

/// <summary>
/// The vault's one unsealed record (<c>vault/header/header</c>): the vault id (the HKDF salt) and
/// the root key generations in use: one normally, two while a root key rotation is under way. It
/// holds no key material.
/// </summary>
internal sealed record VaultHeader(Guid VaultId, IReadOnlyList<RootKeyGeneration> Generations)
{
    public static readonly RecordKey Key = new("vault", "header", "header");

    private const string FormatName = "vaultlib-vault";
    private static ReadOnlySpan<byte> KeyCheckLabel => "vaultlib/vault/v2/key-check"u8;

    public RootKeyGeneration Current => Generations[^1];

    /// <summary>A header for a new generation of <paramref name="rootKey"/> (a new vault id when <paramref name="vaultId"/> is null).</summary>
    public static RootKeyGeneration NewGeneration(Guid vaultId, int generation, VaultRootKey rootKey)
    {
        byte[] salt = rootKey.IsPassphrase ? RandomNumberGenerator.GetBytes(16) : [];
        var candidate = new RootKeyGeneration(generation, salt, rootKey.IsPassphrase ? rootKey.Kdf : null, []);
        using SecretBuffer check = DeriveKey(vaultId, candidate, rootKey, "vaultlib/vault/v2/key-check");
        return candidate with { KeyCheck = KeyCheck(check) };
    }

    /// <summary>Whether <paramref name="rootKey"/> is the root key of <paramref name="generation"/>.</summary>
    public bool Opens(RootKeyGeneration generation, VaultRootKey rootKey)
    {
        if (rootKey.IsPassphrase != (generation.Kdf is not null))
        {
            return false;
        }

        using SecretBuffer check = DeriveKey(VaultId, generation, rootKey, "vaultlib/vault/v2/key-check");
        return CryptographicOperations.FixedTimeEquals(KeyCheck(check), generation.KeyCheck);
    }

    /// <summary>The master key of a generation, from which every service's record keys are derived.</summary>
    public SecretBuffer MasterKey(RootKeyGeneration generation, VaultRootKey rootKey) =>
        DeriveKey(VaultId, generation, rootKey, "vaultlib/vault/v2/master");

    private static SecretBuffer DeriveKey(Guid vaultId, RootKeyGeneration generation, VaultRootKey rootKey, string purpose)
    {
        Span<byte> ikm = stackalloc byte[VaultRootKey.KeySizeInBytes];
        Span<byte> okm = stackalloc byte[32];
        try
        {
            rootKey.DeriveInputKey(generation.Salt, generation.Kdf, ikm);
            HKDF.DeriveKey(HashAlgorithmName.SHA256, ikm, okm, vaultId.ToByteArray(bigEndian: true), Encoding.ASCII.GetBytes($"{purpose}/{generation.Generation}"));
            return SecretBuffer.Copy(okm);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(ikm);
            CryptographicOperations.ZeroMemory(okm);
        }
    }

    private static byte[] KeyCheck(SecretBuffer checkKey)
    {
        using SecretLease lease = checkKey.Lease();
        return HMACSHA256.HashData(lease.Span, KeyCheckLabel);
    }

    public byte[] ToJson()
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("format", FormatName);
            writer.WriteNumber("version", 2);
            writer.WriteString("vaultId", VaultId.ToString("D"));
            writer.WriteStartArray("rootKeys");
            foreach (RootKeyGeneration generation in Generations)
            {
                writer.WriteStartObject();
                writer.WriteNumber("generation", generation.Generation);
                if (generation.Kdf is { } kdf)
                {
                    writer.WriteString("kdf", "argon2id");
                    writer.WriteBase64String("salt", generation.Salt);
                    writer.WriteNumber("memoryKiB", kdf.MemorySizeKiB);
                    writer.WriteNumber("iterations", kdf.Iterations);
                    writer.WriteNumber("parallelism", kdf.Parallelism);
                }
                else
                {
                    writer.WriteString("kdf", "none");
                }

                writer.WriteBase64String("keyCheck", generation.KeyCheck);
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        return buffer.ToArray();
    }

    public static VaultHeader Read(string location, ReadOnlySpan<byte> json)
    {
        try
        {
            var reader = new Utf8JsonReader(json);
            using JsonDocument document = JsonDocument.ParseValue(ref reader);
            JsonElement root = document.RootElement;
            if (root.GetProperty("format").GetString() != FormatName)
            {
                throw Invalid(location, "it is not a Vaultlib vault header");
            }

            int version = root.GetProperty("version").GetInt32();
            if (version != 2)
            {
                throw Invalid(location, $"its version {version} is not supported (this Vaultlib reads version 2)");
            }

            Guid vaultId = Guid.ParseExact(root.GetProperty("vaultId").GetString()!, "D");
            var generations = new List<RootKeyGeneration>();
            foreach (JsonElement entry in root.GetProperty("rootKeys").EnumerateArray())
            {
                int generation = entry.GetProperty("generation").GetInt32();
                PassphraseKdfOptions? kdf = null;
                byte[] salt = [];
                switch (entry.GetProperty("kdf").GetString())
                {
                    case "none":
                        break;
                    case "argon2id":
                        salt = entry.GetProperty("salt").GetBytesFromBase64();
                        kdf = new PassphraseKdfOptions
                        {
                            MemorySizeKiB = entry.GetProperty("memoryKiB").GetInt32(),
                            Iterations = entry.GetProperty("iterations").GetInt32(),
                            Parallelism = entry.GetProperty("parallelism").GetInt32(),
                        };
                        kdf.Validate(location);
                        if (salt.Length < 16)
                        {
                            throw Invalid(location, "an Argon2id salt is shorter than 16 bytes");
                        }

                        break;
                    default:
                        throw Invalid(location, "a root key's KDF is unknown");
                }

                byte[] keyCheck = entry.GetProperty("keyCheck").GetBytesFromBase64();
                if (keyCheck.Length != 32 || generation < 1 || (generations.Count > 0 && generation <= generations[^1].Generation))
                {
                    throw Invalid(location, "a root key generation is malformed or out of order");
                }

                generations.Add(new RootKeyGeneration(generation, salt, kdf, keyCheck));
            }

            if (generations.Count is 0 or > 2)
            {
                throw Invalid(location, "it lists no root key, or more than two");
            }

            return new VaultHeader(vaultId, generations);
        }
        catch (Exception ex) when (ex is JsonException or KeyNotFoundException or InvalidOperationException or FormatException or ArgumentNullException)
        {
            throw new VaultStoreException(VaultStoreFailure.InvalidHeader, location, $"The vault header in '{location}' is malformed: {ex.GetType().Name}.", ex);
        }
    }

    private static VaultStoreException Invalid(string location, string reason) =>
        new(VaultStoreFailure.InvalidHeader, location, $"The vault header in '{location}' is invalid: {reason}.");
}
