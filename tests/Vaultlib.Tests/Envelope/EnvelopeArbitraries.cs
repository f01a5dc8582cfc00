using System.Security.Cryptography;
using FsCheck;
using FsCheck.Fluent;
using Vaultlib.Envelope;
using Vaultlib.Tests.TestSupport;

namespace Vaultlib.Tests.Envelope;

/// <summary>One generated envelope case: suite, frame length, keyring choice, plaintext and context.</summary>
public sealed record EnvelopeCase(AlgorithmSuite Suite, int FrameLength, int KeyringChoice, byte[] Plaintext, Dictionary<string, string> Context)
{
    public override string ToString() => $"{Suite}, frame {FrameLength}, keyring {KeyringChoice}, plaintext {Plaintext.Length} B, context {Context.Count} pairs";
}

public static class EnvelopeArbitraries
{
    public static Arbitrary<EnvelopeCase> Case() =>
        (from suite in Gen.Elements(AlgorithmSuite.All.ToArray())
         from frameLength in Gen.Elements(1, 7, 64, 512, 4096)
         from multiple in Gen.Choose(0, 4)
         from extra in Gen.Frequency((3, Gen.Constant(0)), (5, Gen.Choose(1, 700)))
         from shape in Gen.Choose(0, 3)
         let length = shape switch
         {
             0 => 0,                                        // empty plaintext
             1 => frameLength * Math.Max(multiple, 1),      // exact multiple of the frame length
             _ => Math.Min((frameLength * multiple) + extra, 3000),
         }
         from keyring in Gen.Choose(0, 3)
         from context in KmsArbitraries.Context().Generator
         select new EnvelopeCase(suite, frameLength, keyring, RandomNumberGenerator.GetBytes(length), context.Pairs)).ToArbitrary();
}
