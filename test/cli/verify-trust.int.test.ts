// `verify` trusts only keys the config names. A key written into the ledger's `signing_keys` under
// the seal's id, with a stored license re-signed by it, fails verification and is named as
// untrusted; every valid signature names the configured key (fingerprint) that verified it. A seal
// key given as `key: "${file:…}"` that others can read is refused like a `keyFile`.
// biome-ignore-all lint/suspicious/noTemplateCurlyInString: `${file:…}` is config reference syntax.
import { createPublicKey } from 'node:crypto';
import { chmod, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { keyFingerprint, keyId } from '../../adapters/signers/certificate.js';
import { generateSm2KeyPair } from '../../adapters/signers/local-sm2/keys.js';
import { LocalSm2Signer } from '../../adapters/signers/local-sm2/local-sm2-signer.js';
import { canonicalBytes } from '../../catalog/canonical.js';
import type { License } from '../../catalog/license.js';
import { createSignWorkspace, runCli, type SignWorkspace, seedVersions } from './sign-workspace.js';

const COUNT = 40;
const SEAL = '3702110000001';

interface VerifyJson {
  ok: boolean;
  versions: number;
  signatures: number;
  failed: number;
  results: {
    versionId: number;
    ok: boolean;
    key: { fingerprint: string; origin: string } | null;
    reasons: string[];
  }[];
  keys: { fingerprint: string; origin: string; sealId: string; signatures: number }[];
}

function publicPemOf(privateKeyPem: string): string {
  return createPublicKey(privateKeyPem).export({ type: 'spki', format: 'pem' }).toString();
}

describe('verify trusts the configured keys only', () => {
  let ws: SignWorkspace;
  let sealFingerprint: string;
  beforeAll(async () => {
    ws = await createSignWorkspace();
    await seedVersions(`sqlite://${ws.ledgerFile}`, COUNT);
    sealFingerprint = keyFingerprint(publicPemOf(await readFile(join(ws.dir, 'keys', 'seal.pem'), 'utf8')));
    const signed = await runCli(['sign', 'backfill', '--json', '--config', ws.configFile]);
    expect(signed.status, signed.stderr).toBe(0);
  });
  afterAll(() => ws.cleanup());

  it('names the configured key behind every valid signature, in JSON and text', async () => {
    const r = await runCli(['verify', '--all', '--json', '--config', ws.configFile]);
    expect(r.status).toBe(0);
    const report = JSON.parse(r.stdout) as VerifyJson;
    expect(report).toMatchObject({ ok: true, versions: COUNT, signatures: COUNT, failed: 0 });
    expect(report.results).toHaveLength(COUNT);
    for (const res of report.results) {
      expect(res.key).toEqual({
        fingerprint: sealFingerprint,
        origin: 'signer district-seal',
        certificateSerial: null,
      });
    }
    expect(report.keys).toContainEqual(
      expect.objectContaining({ fingerprint: sealFingerprint, sealId: SEAL, signatures: COUNT }),
    );

    const text = await runCli(['verify', '--all', '--config', ws.configFile]);
    expect(text.status).toBe(0);
    const okLines = text.stdout.split('\n').filter((l) => l.startsWith('ok '));
    expect(okLines).toHaveLength(COUNT);
    for (const line of okLines) expect(line).toContain(`key ${sealFingerprint} (signer district-seal)`);
    expect(text.stdout).toContain(
      `key ${sealFingerprint} (signer district-seal, seal ${SEAL}): ${COUNT} signature(s) verified`,
    );
    expect(text.stdout).toMatch(/all valid/);
  });

  it('fails a stored license re-signed with a key inserted into signing_keys under the seal id', async () => {
    const forged = generateSm2KeyPair();
    const db = new Database(ws.ledgerFile);
    const row = db
      .prepare(
        // The payload's text by hand, as docs/operations.md gives it: a row that names a version
        // context holds "@":0 where the type and issuer members stood (migration 026).
        `select v.version_id, v.license_id, v.identifier,
                case when c.payload is null or c.payload = '' then v.payload
                     else replace(v.payload, '"@":0', c.payload) end as payload
           from license_versions v left join version_contexts c on c.context_id = v.context_id
          where v.version_id = 7`,
      )
      .get() as { version_id: number; license_id: string; identifier: string; payload: string };
    // The forger registers its key as the seal's, then re-signs the stored payload with it.
    db.prepare(
      `insert into signing_keys (key_id, seal_id, signer_kind, dist_id, public_key, certificate, certificate_serial,
         certificate_issuer, not_before, not_after, registered_at, certificate_serial_key)
       values (?, ?, 'local-sm2', '1234567812345678', ?, null, null, null, null, null, ?, '')`,
    ).run(keyId(forged.publicKeyPem), SEAL, forged.publicKeyPem, new Date().toISOString());
    const signer = new LocalSm2Signer('forger', {
      kind: 'local-sm2',
      key: forged.privateKeyPem,
      sealId: SEAL,
      distId: '1234567812345678',
      workers: 0,
    });
    await signer.open();
    // The stored text leaves out the identifier, which is the row's own column (docs/operations.md).
    const license = {
      identifier: row.identifier,
      ...(JSON.parse(row.payload) as Omit<License, 'identifier'>),
    };
    const [sig] = await signer.sign([canonicalBytes(license)]);
    await signer.close();
    if (!sig) throw new Error('no signature');
    db.prepare(
      'update signatures set digest = ?, signature = ?, certificate_serial = null, certificate_issuer = null where version_id = ? and seal_id = ?',
    ).run(sig.digest, Buffer.from(sig.signature), row.version_id, SEAL);
    db.close();

    const r = await runCli(['verify', '--all', '--json', '--config', ws.configFile]);
    expect(r.status).toBe(1);
    const report = JSON.parse(r.stdout) as VerifyJson;
    expect(report).toMatchObject({ ok: false, failed: 1 });
    const bad = report.results.find((x) => x.versionId === 7);
    expect(bad?.ok).toBe(false);
    expect(bad?.key).toBeNull();
    expect(bad?.reasons.join('; ')).toContain(
      `untrusted key: the signature verifies only with key ${keyFingerprint(forged.publicKeyPem)} (ledger)`,
    );
    // Every other signature still names the real seal key.
    for (const res of report.results.filter((x) => x.versionId !== 7)) {
      expect(res.key?.fingerprint).toBe(sealFingerprint);
    }

    const text = await runCli(['verify', '--license', row.license_id, '--config', ws.configFile]);
    expect(text.status).toBe(1);
    expect(text.stdout).toContain(`FAIL ${row.license_id} v1 (seal ${SEAL}): untrusted key`);
  });

  it('refuses a seal key given as key: "${file:…}" that group or others can read, naming file and mode only', async () => {
    const keyPath = join(ws.dir, 'keys', 'shared.key.pem');
    const pem = await readFile(join(ws.dir, 'keys', 'seal.pem'), 'utf8');
    await writeFile(keyPath, pem);
    await chmod(keyPath, 0o644);
    const config = (await readFile(ws.configFile, 'utf8')).replace(
      /district-seal: \{ kind: local-sm2, keyFile: [^,]+,/,
      'district-seal: { kind: local-sm2, key: "${file:./keys/shared.key.pem}",',
    );
    expect(config).toContain('${file:./keys/shared.key.pem}');
    const file = join(ws.dir, 'shared-key.yaml');
    await writeFile(file, config);
    // `resign` opens its signer before anything else, so the check runs whatever the ledger holds.
    const r = await runCli(['sign', 'resign', '--seal', 'district-seal', '--limit', '1', '--config', file]);
    expect(r.status).not.toBe(0);
    expect(r.stderr).toContain(
      `signer district-seal: key \${file:} ${keyPath}: open to group or others (mode 0644)`,
    );
    for (const line of pem.split('\n').filter((l) => l && !l.startsWith('-----'))) {
      expect(r.stderr).not.toContain(line);
    }
  });
});
