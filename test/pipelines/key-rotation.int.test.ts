// The key rotation of docs/signatures.md, followed as written on the demo department through the
// real CLI (real Redis, SQLite ledger, province simulator): run, keep the retired key's public
// side and trust it, swap the key file, change some source rows, run again. `verify --all` then
// passes for old and new versions and names, for each, the key that verified it; and the sign
// stage registered both keys in the ledger, so a config that forgot the trust entry is told
// which ledger key the old signatures need.
import { execFileSync } from 'node:child_process';
import { createPublicKey } from 'node:crypto';
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { keyFingerprint, keyId } from '../../adapters/signers/certificate.js';
import { generateSm2KeyPair } from '../../adapters/signers/local-sm2/keys.js';
import { applyLegacyChanges } from '../../examples/west-coast/update-legacy-db.js';
import { licbridge } from '../support/cli.js';
import { createDemoWorkspace, type DemoWorkspace } from '../support/demo-workspace.js';

const SEAL = '3702110000001';
// Rows enough for the changes below and a first run of a few dozen versions; how many is not what
// the rotation is about, and each one is signed, delivered and verified three times over.
const ROWS = 50;

interface VerifyJson {
  ok: boolean;
  versions: number;
  signatures: number;
  results: {
    versionId: number;
    ok: boolean;
    key: { fingerprint: string; origin: string } | null;
    reasons: string[];
  }[];
}

describe('seal key rotation as the docs describe it', () => {
  let ws: DemoWorkspace;
  let oldFingerprint: string;
  let newFingerprint: string;
  let firstRunMaxVersion = 0;
  let oldCount = 0;
  const keyPath = () => join(ws.dir, 'data', 'keys', 'seal.key.pem');
  const ledgerRows = <T>(sql: string): T[] => {
    const db = new Database(join(ws.dir, 'data', 'ledger.db'), { readonly: true });
    try {
      return db.prepare(sql).all() as T[];
    } finally {
      db.close();
    }
  };
  const run = async () => {
    // The default limit, the case's less the wait for a command past it to stop: 180 s outlasted
    // the case's 60, which then ended first and hid the command's own message.
    const r = await licbridge(['run', '--all', '--json', '--config', ws.configFile]);
    expect(r.status, r.stderr).toBe(0);
    return r;
  };

  beforeAll(async () => {
    ws = await createDemoWorkspace({ rows: ROWS, seed: 5 });
    oldFingerprint = keyFingerprint(ws.publicKeyPem);
  });
  afterAll(async () => {
    await ws?.cleanup();
  });

  it('the first run signs every version and registers the seal key it signed with', async () => {
    await run();
    const [max] = ledgerRows<{ n: number }>('select max(version_id) as n from license_versions');
    firstRunMaxVersion = max?.n ?? 0;
    // About 2 % of the generated rows are quarantined (broken credit codes); the rest is versioned.
    expect(firstRunMaxVersion).toBeGreaterThan(ROWS * 0.8);
    const unsigned = ledgerRows<{ n: number }>(
      'select count(*) as n from license_versions v where not exists (select 1 from signatures s where s.version_id = v.version_id)',
    );
    expect(unsigned[0]?.n).toBe(0);
    // The pipeline's sign stage registers its key, as `sign backfill` does.
    const keys = ledgerRows<{ key_id: string; seal_id: string }>('select key_id, seal_id from signing_keys');
    expect(keys).toEqual([{ key_id: keyId(ws.publicKeyPem), seal_id: SEAL }]);
  });

  it('after the documented key swap, verify --all passes and names the key behind every version', async () => {
    // Step 1: keep the retired key's public side (the demo seal has no certificate).
    await mkdir(join(ws.dir, 'keys', 'retired'), { recursive: true });
    execFileSync('openssl', ['pkey', '-in', keyPath(), '-pubout', '-out', 'keys/retired/seal-2025.pub.pem'], {
      cwd: ws.dir,
    });
    // Step 2: trust it, with the seal id it signed as.
    const config = await readFile(ws.configFile, 'utf8');
    await writeFile(
      ws.configFile,
      `${config}trust:\n  district-seal-2025: { sealId: "${SEAL}", file: ./keys/retired/seal-2025.pub.pem }\n`,
    );
    // Step 3: the new key in the signer's config (the file it names is replaced).
    const next = generateSm2KeyPair();
    await writeFile(keyPath(), next.privateKeyPem);
    await chmod(keyPath(), 0o600);
    newFingerprint = keyFingerprint(next.publicKeyPem);
    expect(newFingerprint).not.toBe(oldFingerprint);

    const changes = await applyLegacyChanges(ws.legacyDb, { revoke: 3, modify: 6, add: 4, seed: 9 });
    await run();
    const newVersions = ledgerRows<{ n: number }>(
      `select count(*) as n from license_versions where version_id > ${firstRunMaxVersion}`,
    )[0]?.n;
    expect(newVersions).toBeGreaterThanOrEqual(changes.revoked.length + changes.added.length);

    // Step 4: verify.
    const r = await licbridge(['verify', '--all', '--json', '--config', ws.configFile]);
    expect(r.status, r.stdout.slice(0, 2000)).toBe(0);
    const report = JSON.parse(r.stdout) as VerifyJson;
    expect(report.ok).toBe(true);
    expect(report.signatures).toBe(report.versions);
    for (const res of report.results) {
      if (res.versionId <= firstRunMaxVersion) {
        expect(res.key).toEqual({
          fingerprint: oldFingerprint,
          origin: 'trust district-seal-2025',
          certificateSerial: null,
        });
      } else {
        expect(res.key).toEqual({
          fingerprint: newFingerprint,
          origin: 'signer district-seal',
          certificateSerial: null,
        });
      }
    }
    expect(report.results.filter((x) => x.versionId > firstRunMaxVersion)).toHaveLength(newVersions ?? -1);
    oldCount = report.results.filter((x) => x.versionId <= firstRunMaxVersion).length;

    // Both keys are registered: the sign stage registered the new one before its first signature.
    const keys = ledgerRows<{ key_id: string }>('select key_id from signing_keys order by registered_at');
    expect(keys.map((k) => k.key_id)).toEqual([keyId(ws.publicKeyPem), keyId(next.publicKeyPem)]);

    const text = await licbridge(['verify', '--all', '--config', ws.configFile]);
    expect(text.status).toBe(0);
    expect(text.stdout).toContain(
      `key ${oldFingerprint} (trust district-seal-2025, seal ${SEAL}): ${oldCount} signature(s) verified`,
    );
    expect(text.stdout).toContain(
      `key ${newFingerprint} (signer district-seal, seal ${SEAL}): ${newVersions} signature(s) verified`,
    );
  });

  it('without the trust entry the old signatures fail, naming the retired key the ledger registered', async () => {
    const config = await readFile(ws.configFile, 'utf8');
    const noTrust = join(ws.dir, 'no-trust.yaml');
    await writeFile(noTrust, config.slice(0, config.indexOf('trust:\n')));
    const r = await licbridge(['verify', '--all', '--json', '--config', noTrust]);
    expect(r.status).toBe(1);
    const report = JSON.parse(r.stdout) as VerifyJson;
    const failed = report.results.filter((x) => !x.ok);
    expect(failed).toHaveLength(oldCount);
    for (const f of failed) {
      expect(f.reasons.join('; ')).toContain(
        `untrusted key: the signature verifies only with key ${oldFingerprint} (ledger)`,
      );
    }
    // The public key the ledger holds is the retired key's (what the docs say to compare).
    const pem = ledgerRows<{ public_key: string }>(
      `select public_key from signing_keys where key_id = '${keyId(ws.publicKeyPem)}'`,
    )[0]?.public_key;
    expect(
      createPublicKey(pem ?? '')
        .export({ type: 'spki', format: 'pem' })
        .toString(),
    ).toBe(ws.publicKeyPem);
  });
});
