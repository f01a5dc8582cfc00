// Runs a batch of jobs through the AWS Encryption SDK for JavaScript, for Vaultlib's interop tests.
// Usage: node interop.js <jobs.json>. Each job: { op: "decrypt"|"encrypt", keyring (raw-aes, raw-rsa, or, with an
// endpoint: kms, kms-discovery, kms-mrk, kms-mrk-discovery; or hierarchy, whose key store hands out the one branch key
// the job carries), input, output,
// suiteId?, frameLength?, encryptionContext?, policy? }. Writes <jobs.json>.results.json with one
// { ok, error? } per job, so one Node start serves the whole batch.
'use strict';
const fs = require('fs');
const crypto = require('crypto');
const {
  AwsKmsMrkAwareSymmetricDiscoveryKeyringNode, AwsKmsMrkAwareSymmetricKeyringNode,
  buildClient, CommitmentPolicy, getClient, KmsKeyringNode, RawAesKeyringNode, RawAesWrappingSuiteIdentifier, RawRsaKeyringNode,
} = require('@aws-crypto/client-node');
const { KMS } = require('@aws-sdk/client-kms');

function keyring(k) {
  if (k.type === 'raw-aes') {
    const key = new Uint8Array(Buffer.from(k.keyMaterialBase64, 'base64')); // the SDK wants an isolated buffer
    const suite = { 16: 'AES128', 24: 'AES192', 32: 'AES256' }[key.length];
    return new RawAesKeyringNode({
      keyNamespace: k.keyNamespace, keyName: k.keyName, unencryptedMasterKey: key,
      wrappingSuite: RawAesWrappingSuiteIdentifier[`${suite}_GCM_IV12_TAG16_NO_PADDING`],
      utf8Sorting: true,
    });
  }
  if (k.type === 'raw-rsa') {
    return new RawRsaKeyringNode({
      keyNamespace: k.keyNamespace, keyName: k.keyName,
      rsaKey: { publicKey: k.publicKeyPem, privateKey: k.privateKeyPem },
      padding: crypto.constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha256',
    });
  }
  if (k.type === 'kms') {
    // The SDK's KMS keyring, its KMS client pointed at a Vaultlib endpoint (every Region to the same endpoint).
    const clientProvider = getClient(KMS, {
      endpoint: k.endpoint, maxAttempts: 1,
      credentials: { accessKeyId: k.accessKeyId, secretAccessKey: k.secretAccessKey },
    });
    return new KmsKeyringNode({ generatorKeyId: k.keyId, clientProvider });
  }
  const kms = () => new KMS({
    region: k.region, endpoint: k.endpoint, maxAttempts: 1,
    credentials: { accessKeyId: k.accessKeyId, secretAccessKey: k.secretAccessKey },
  });
  if (k.type === 'kms-discovery') {
    const clientProvider = getClient(KMS, {
      endpoint: k.endpoint, maxAttempts: 1,
      credentials: { accessKeyId: k.accessKeyId, secretAccessKey: k.secretAccessKey },
    });
    return new KmsKeyringNode({ discovery: true, discoveryFilter: k.discoveryFilter, clientProvider, grantTokens: k.grantTokens });
  }
  if (k.type === 'kms-mrk') {
    return new AwsKmsMrkAwareSymmetricKeyringNode({ client: kms(), keyId: k.keyId, grantTokens: k.grantTokens });
  }
  if (k.type === 'kms-mrk-discovery') {
    return new AwsKmsMrkAwareSymmetricDiscoveryKeyringNode({ client: kms(), discoveryFilter: k.discoveryFilter, grantTokens: k.grantTokens });
  }
  if (k.type === 'hierarchy') {
    // The SDK's hierarchical keyring, its key store replaced by one that hands out the job's branch key, so the
    // test checks the wrapping itself (derivation, AAD, layout) with no DynamoDB.
    const { KmsHierarchicalKeyRingNode } = require('@aws-crypto/kms-keyring-node');
    const { BranchKeyStoreNode } = require('@aws-crypto/branch-keystore-node');
    const { NodeBranchKeyMaterial } = require('@aws-crypto/material-management');
    const material = () => new NodeBranchKeyMaterial(Buffer.from(k.branchKeyBase64, 'base64'), k.branchKeyId, k.version, {});
    const keyStore = Object.create(BranchKeyStoreNode.prototype, {
      getKeyStoreInfo: { value: () => ({ logicalKeyStoreName: k.logicalKeyStoreName }) },
      getActiveBranchKey: { value: async (id) => { if (id !== k.branchKeyId) throw new Error(`no branch key ${id}`); return material(); } },
      getBranchKeyVersion: {
        value: async (id, version) => {
          if (id !== k.branchKeyId || version !== k.version) throw new Error(`no branch key ${id} version ${version}`);
          return material();
        },
      },
    });
    return new KmsHierarchicalKeyRingNode({ branchKeyId: k.branchKeyId, keyStore, cacheLimitTtl: 60, utf8Sorting: true });
  }
  throw new Error(`unknown keyring ${k.type}`);
}

async function run(job) {
  const client = buildClient(CommitmentPolicy[job.policy || 'REQUIRE_ENCRYPT_ALLOW_DECRYPT']);
  const input = fs.readFileSync(job.input);
  if (job.op === 'decrypt') {
    const { plaintext, messageHeader } = await client.decrypt(keyring(job.keyring), input);
    fs.writeFileSync(job.output, plaintext);
    return { ok: true, suiteId: messageHeader.suiteId, encryptionContext: messageHeader.encryptionContext };
  }
  const { result } = await client.encrypt(keyring(job.keyring), input, {
    suiteId: job.suiteId, frameLength: job.frameLength, encryptionContext: job.encryptionContext || {},
  });
  fs.writeFileSync(job.output, result);
  return { ok: true };
}

(async () => {
  const path = process.argv[2];
  const jobs = JSON.parse(fs.readFileSync(path, 'utf8'));
  const results = [];
  for (const job of jobs) {
    try {
      results.push(await run(job));
    } catch (e) {
      results.push({ ok: false, error: String(e && e.message || e) });
    }
  }
  fs.writeFileSync(`${path}.results.json`, JSON.stringify(results));
})().catch((e) => { console.error(e); process.exit(1); });
