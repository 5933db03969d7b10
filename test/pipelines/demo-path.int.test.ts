import { execFileSync, spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { canonicalBytes } from '../../catalog/canonical.js';
import { loadConfig } from '../../config/loader.js';
import type { Config } from '../../config/types.js';
import { createLogger } from '../../core/logger.js';
import { applyLegacyChanges } from '../../examples/west-coast/update-legacy-db.js';
import type { Ledger } from '../../ledger/ledger.js';
import { openLedger } from '../../ledger/open-ledger.js';
import { runPipelines } from '../../pipelines/run-pipelines.js';
import { createDemoWorkspace, type DemoWorkspace } from '../support/demo-workspace.js';

const logger = createLogger({ level: 'silent' });
const PIPELINE = 'food-business-licenses';
const ROWS = 150;

describe('the demo department, end to end through every stage', () => {
  let ws: DemoWorkspace;
  let config: Readonly<Config>;

  beforeAll(async () => {
    // Two pages of rows (the demo reads 100 a page), some quarantined: every stage and the page
    // boundary, as 400 rows were, in less than half the reading, signing and delivering.
    ws = await createDemoWorkspace({ rows: ROWS });
    config = await loadConfig({ file: ws.configFile, env: {} });
  });
  afterAll(async () => {
    await ws?.cleanup();
  });

  const run = async () => {
    const [summary] = await runPipelines(config, { pipelines: [PIPELINE], full: false, logger });
    if (!summary) throw new Error('no summary');
    return summary;
  };

  it('reads every row into exactly one outcome, and signs and delivers every created license', async () => {
    const s = await run();
    expect(s.state).toBe('done');
    expect(s.read).toBe(ROWS);
    expect(s.read).toBe(s.created + s.unchanged + s.quarantined);
    // The generator plants invalid credit codes and zero dates: some rows must be quarantined.
    expect(s.quarantined).toBeGreaterThan(0);
    expect(s.created).toBeGreaterThan(ROWS * 0.8);
    expect(s.signed).toBe(s.created);
    expect(s.delivered.province).toBe(s.created);
    const stats = ws.simulator.stats();
    expect(stats.accepted).toBe(s.created);
    expect(stats.duplicates).toBe(0);
  });

  it('keeps personal data out of Redis: jobs carry ids only', async () => {
    const legacy = new Database(ws.legacyDb, { readonly: true });
    const personal = legacy
      .prepare(
        'SELECT TRIM(JYZMC) a, TRIM(TYSHXYDM) b, TRIM(FDDBR) c, TRIM(FDDBRSFZ) d FROM T_SPXK_XKZ LIMIT 50',
      )
      .all() as Record<string, string>[];
    legacy.close();
    const redis = new Redis({ host: '127.0.0.1', port: 6379 });
    try {
      const keys = await redis.keys(`${ws.prefix}:*`);
      expect(keys.length).toBeGreaterThan(0);
      let dump = '';
      for (const key of keys) {
        const type = await redis.type(key);
        if (type === 'hash') dump += JSON.stringify(await redis.hgetall(key));
        else if (type === 'string') dump += await redis.get(key);
        else if (type === 'list') dump += JSON.stringify(await redis.lrange(key, 0, -1));
      }
      expect(dump).toContain('versionIds');
      for (const row of personal) {
        for (const value of Object.values(row)) {
          if (value && value.length >= 2) expect(dump).not.toContain(value);
        }
      }
    } finally {
      redis.disconnect();
    }
  });

  it('is idempotent: a second run creates and delivers nothing, and the platform sees no duplicate', async () => {
    const s = await run();
    expect(s.created).toBe(0);
    expect(s.delivered.province).toBe(0);
    const full = (await runPipelines(config, { pipelines: [PIPELINE], full: true, logger }))[0];
    expect(full?.read).toBe(ROWS);
    expect(full?.created).toBe(0);
    expect(full?.unchanged).toBe((full?.read ?? 0) - (full?.quarantined ?? 0));
    expect(ws.simulator.stats().duplicates).toBe(0);
  });

  it('turns a revocation in the source into a new version delivered after the issue', async () => {
    const before = ws.simulator.stats().accepted;
    const changes = await applyLegacyChanges(ws.legacyDb, { revoke: 5, modify: 0, add: 0, seed: 3 });
    const s = await run();
    expect(s.read).toBeGreaterThanOrEqual(5);
    expect(s.created).toBe(changes.revoked.length);
    expect(s.delivered.province).toBe(s.created);
    expect(ws.simulator.stats().accepted).toBe(before + s.created);
    expect(ws.simulator.stats().outOfOrder).toBe(0);
    const ledger = await openLedger(config.ledger.url);
    try {
      const ids = await ledger.runVersionIds(s.runId);
      const versions = await ledger.getVersions(ids);
      expect(
        versions.every((v) => v.operation === 'revoke' && v.version === 2 && v.status === 'revoked'),
      ).toBe(true);
    } finally {
      await ledger.close();
    }
  });

  describe('signatures verify with OpenSSL alone', () => {
    let ledger: Ledger;
    beforeAll(async () => {
      ledger = await openLedger(config.ledger.url);
    });
    afterAll(async () => ledger?.close());

    const opensslVerify = (message: Uint8Array, signature: Uint8Array): boolean => {
      const dir = ws.dir;
      writeFileSync(join(dir, 'pub.pem'), ws.publicKeyPem);
      writeFileSync(join(dir, 'msg.bin'), message);
      writeFileSync(join(dir, 'sig.der'), signature);
      const r = spawnSync('openssl', [
        'pkeyutl',
        '-verify',
        '-rawin',
        '-digest',
        'sm3',
        '-pubin',
        '-inkey',
        join(dir, 'pub.pem'),
        '-sigfile',
        join(dir, 'sig.der'),
        '-in',
        join(dir, 'msg.bin'),
        '-pkeyopt',
        'distid:1234567812345678',
      ]);
      return r.status === 0;
    };

    it('accepts the stored signature over the canonical form and rejects a tampered payload', async () => {
      const [id] = await ledger.unsignedVersionIds({ sealId: 'nobody', limit: 1 });
      expect(id).toBeDefined();
      const [version] = await ledger.getVersions([id as number]);
      const [sig] = await ledger.getSignatures([id as number]);
      expect(version && sig).toBeTruthy();
      if (!version || !sig) return;
      expect(sig.algorithm).toBe('1.2.156.10197.1.501');
      expect(opensslVerify(canonicalBytes(version.payload), sig.signature)).toBe(true);
      const tampered = { ...version.payload, number: `${version.payload.number}1` };
      expect(opensslVerify(canonicalBytes(tampered), sig.signature)).toBe(false);
    });
  });

  it('has openssl on this machine', () => {
    expect(execFileSync('openssl', ['version']).toString()).toMatch(/OpenSSL 3/);
  });
});
