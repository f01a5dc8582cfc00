using FsCheck;
using FsCheck.Fluent;

namespace Vaultlib.Tests.TestSupport;

/// <summary>A KMS plaintext: 1-4096 bytes, with the bounds (1 and 4096) drawn often.</summary>
public sealed record KmsPlaintext(byte[] Bytes)
{
    public override string ToString() => $"KmsPlaintext[{Bytes.Length}]";
}

/// <summary>An encryption context: 0-6 pairs of printable, multi-byte and astral-plane strings.</summary>
public sealed record KmsContext(Dictionary<string, string> Pairs)
{
    public override string ToString() => "{" + string.Join(", ", Pairs.Select(p => $"{p.Key}={p.Value}")) + "}";
}

/// <summary>FsCheck generators for the KMS property tests.</summary>
public static class KmsArbitraries
{
    private static readonly Gen<byte> s_byte = Gen.Choose(0, 255).Select(i => (byte)i);

    private static readonly Gen<string> s_text = Gen.Choose(1, 12)
        .SelectMany(n => Gen.ArrayOf(Gen.Elements("a", "Z", "0", "-", ":", " ", "/", "é", "ß", "中", "😀", "\u0000"), n))
        .Select(parts => string.Concat(parts));

    public static Arbitrary<KmsPlaintext> Plaintext() =>
        Gen.Frequency(
                (1, Gen.Constant(1)),
                (1, Gen.Constant(4096)),
                (8, Gen.Choose(1, 64)),
                (4, Gen.Choose(1, 4096)))
            .SelectMany(length => Gen.ArrayOf(s_byte, length))
            .Select(bytes => new KmsPlaintext(bytes))
            .ToArbitrary();

    public static Arbitrary<KmsContext> Context() =>
        Gen.Choose(0, 6)
            .SelectMany(n => Gen.ArrayOf(Gen.Zip(s_text, s_text.Or(Gen.Constant(string.Empty))), n))
            .Select(pairs => new KmsContext(pairs.DistinctBy(p => p.Item1).ToDictionary(p => p.Item1, p => p.Item2)))
            .ToArbitrary();
}
