// Runs round-trips.json against a Vaultlib endpoint through the AWS SDK for JavaScript v3's own clients over HTTP:
// each operation as the SDK's Command, expected errors as the SDK's typed ServiceException classes (by name and
// instanceof), then the SDK's paginators and waiters. Usage: node round-trips.js SCENARIO MODELS_DIR, with the
// endpoint and credentials in AWS_ENDPOINT_URL and the usual AWS_* variables. One line per step; exit 1 on failure.
'use strict';
const crypto = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');
const zlib = require('node:zlib');

const SERVICES = {
  TrentService: { model: 'kms', module: require('@aws-sdk/client-kms'), client: 'KMSClient' },
  AmazonSSM: { model: 'ssm', module: require('@aws-sdk/client-ssm'), client: 'SSMClient' },
  secretsmanager: { model: 'secretsmanager', module: require('@aws-sdk/client-secrets-manager'), client: 'SecretsManagerClient' },
  CertificateManager: { model: 'acm', module: require('@aws-sdk/client-acm'), client: 'ACMClient' },
  ACMPrivateCA: { model: 'acm-pca', module: require('@aws-sdk/client-acm-pca'), client: 'ACMPCAClient' },
};

const [scenarioPath, modelsDir] = process.argv.slice(2);
const models = Object.fromEntries(Object.values(SERVICES).map(s =>
  [s.model, JSON.parse(zlib.gunzipSync(fs.readFileSync(path.join(modelsDir, `${s.model}.json.gz`))))]));

/** The scenario's JSON as the SDK takes it: blobs as bytes, by the model's input shape. */
function toSdk(model, shapeName, value) {
  const shape = model.shapes[shapeName];
  switch (shape.type) {
    case 'structure': return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, toSdk(model, shape.members[k].shape, v)]));
    case 'list': return value.map(v => toSdk(model, shape.member.shape, v));
    case 'map': return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, toSdk(model, shape.value.shape, v)]));
    case 'blob': return new Uint8Array(Buffer.from(value, 'base64'));
    default: return value;
  }
}

function text(value) {
  if (value instanceof Uint8Array) return Buffer.from(value).toString('base64');
  if (value instanceof Date) return String(value.getTime() / 1000);
  return typeof value === 'string' ? value : JSON.stringify(value);
}

function substitute(value, saved) {
  return JSON.parse(JSON.stringify(value).replace(/\$\{([^}]+)\}/g, (_, expression) => {
    const [fn, name] = expression.includes(':') ? expression.split(':') : [null, expression];
    let result = saved[name];
    if (fn === 'base64') result = Buffer.from(result, 'utf8').toString('base64');
    if (fn === 'oaep') {
      const key = crypto.createPublicKey({ key: Buffer.from(result, 'base64'), format: 'der', type: 'spki' });
      result = crypto.publicEncrypt({ key, padding: crypto.constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha256' }, Buffer.from([...Array(32).keys()])).toString('base64');
    }
    if (result === undefined) throw new Error(`nothing saved as ${name}`);
    return JSON.stringify(result).slice(1, -1);
  }));
}

function navigate(output, dotted) {
  const [where, after] = dotted.split('#');
  let value = output;
  for (const part of where.split('.')) value = value?.[part];
  if (value === undefined || value === null) return undefined;
  const result = text(value);
  return after ? result.slice(result.lastIndexOf(after) + after.length) : result;
}

async function main() {
  const steps = JSON.parse(fs.readFileSync(scenarioPath, 'utf8')).steps;
  const saved = { unique: crypto.randomBytes(4).toString('hex') };
  const clients = new Map();
  const client = (prefix, region) => {
    const key = `${prefix}/${region}`;
    if (!clients.has(key)) {
      const service = SERVICES[prefix];
      clients.set(key, new service.module[service.client]({ region, endpoint: process.env.AWS_ENDPOINT_URL, maxAttempts: 1 }));
    }
    return clients.get(key);
  };
  let failures = 0;
  const report = (name, problems) => {
    console.log((problems.length ? 'FAIL ' : 'ok   ') + name + problems.map(p => '\n     ' + p).join(''));
    failures += problems.length ? 1 : 0;
  };

  for (const step of steps) {
    const [prefix, operation] = step.target.split('.');
    const service = SERVICES[prefix];
    const model = models[service.model];
    const problems = [];
    try {
      const input = toSdk(model, model.operations[operation].input.shape, substitute(step.input, saved));
      const output = await client(prefix, step.region ?? process.env.AWS_DEFAULT_REGION ?? 'us-east-1').send(new service.module[`${operation}Command`](input));
      if (step.error) problems.push(`succeeded where ${step.error} was expected`);
      if (output.$metadata.httpStatusCode !== 200 || !output.$metadata.requestId) problems.push(`metadata ${JSON.stringify(output.$metadata)}`);
      for (const [name, where] of Object.entries(step.save ?? {})) {
        const value = navigate(output, where);
        if (value === undefined) problems.push(`nothing at ${where} to save as ${name}`); else saved[name] = value;
      }
    } catch (error) {
      const typed = service.module[step.error];
      if (!step.error || error.name !== step.error || typeof typed !== 'function' || !(error instanceof typed) || error.$metadata?.httpStatusCode !== 400) {
        problems.push(`${error.name}: ${error.message}`);
      }
    }
    report(step.target, problems);
  }

  // The SDK's paginators, one item per page, and its waiters.
  const kms = require('@aws-sdk/client-kms'), ssm = require('@aws-sdk/client-ssm'), sm = require('@aws-sdk/client-secrets-manager');
  const acm = require('@aws-sdk/client-acm'), pca = require('@aws-sdk/client-acm-pca');
  const count = async (pages, member) => { let n = 0, p = 0; for await (const page of pages) { n += page[member].length; p++; } return [n, p]; };
  const region = process.env.AWS_DEFAULT_REGION ?? 'us-east-1';
  for (const [name, pages, member] of [
    ['paginateListKeys', kms.paginateListKeys({ client: client('TrentService', region), pageSize: 1 }, {}), 'Keys'],
    ['paginateGetParametersByPath', ssm.paginateGetParametersByPath({ client: client('AmazonSSM', region), pageSize: 1 }, { Path: '/', Recursive: true }), 'Parameters'],
    ['paginateListSecrets', sm.paginateListSecrets({ client: client('secretsmanager', region), pageSize: 1 }, {}), 'SecretList'],
    ['paginateListCertificates', acm.paginateListCertificates({ client: client('CertificateManager', region), pageSize: 1 }, { Includes: { keyTypes: ['EC_prime256v1', 'RSA_2048'] } }), 'CertificateSummaryList'],
    ['paginateListCertificateAuthorities', pca.paginateListCertificateAuthorities({ client: client('ACMPrivateCA', region), pageSize: 1 }, {}), 'CertificateAuthorities'],
  ]) {
    try {
      const [items, pageCount] = await count(pages, member);
      report(name, items >= 1 && pageCount >= items ? [] : [`${items} items in ${pageCount} pages`]);
    } catch (error) {
      report(name, [`${error.name}: ${error.message}`]);
    }
  }
  for (const [name, wait] of [
    ['waitUntilCertificateValidated', () => acm.waitUntilCertificateValidated({ client: client('CertificateManager', region), minDelay: 1, maxWaitTime: 30 }, { CertificateArn: saved.cert })],
    ['waitUntilCertificateIssued', () => pca.waitUntilCertificateIssued({ client: client('ACMPrivateCA', region), minDelay: 1, maxWaitTime: 30 }, { CertificateAuthorityArn: saved.ca, CertificateArn: saved.leaf })],
  ]) {
    try {
      const result = await wait();
      report(name, result.state === 'SUCCESS' ? [] : [`state ${result.state}`]);
    } catch (error) {
      report(name, [`${error.name}: ${error.message}`]);
    }
  }

  console.log(`${failures} failures`);
  process.exit(failures ? 1 : 0);
}

main().catch(error => { console.error(error); process.exit(2); });
