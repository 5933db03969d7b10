/**
 * `dlq replay K` with a key that names no delivery (a typo) is refused (dlq-unknown-key), but only
 * after the replay had reached Redis and written the configuration in force to the audit chain: with
 * Redis away the typo was reported as Redis being unreachable, and after a config edit the refused
 * command left a `config` entry in the audit log of a replay that never happened. The keys are now
 * checked first, against the ledger alone: exit 2, nothing audited, Redis not asked.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { licbridge } from '../support/cli.js';
import type { DemoWorkspace } from '../support/demo-workspace.js';
import { deadLetterWorkspace } from './dead-letter-workspace.js';

describe('dlq replay with a key that names no delivery', () => {
  let ws: DemoWorkspace;
  let written: string;
  const cli = (args: string[]) => licbridge([...args, '--config', ws.configFile], { cwd: ws.dir });
  const db = <T>(f: (d: Database.Database) => T): T => {
    const d = new Database(join(ws.dir, 'data', 'ledger.db'), { readonly: true });
    try {
      return f(d);
    } finally {
      d.close();
    }
  };
  const auditEntries = () =>
    (db((d) => d.prepare('select count(*) as n from audit_log').get()) as { n: number }).n;
  const deadKey = () =>
    (
      db((d) =>
        d
          .prepare(
            `select v.license_id || ':' || v.version || ':' || d.target as k from deliveries d
               join license_versions v on v.version_id = d.version_id where d.state = 'dead' order by k`,
          )
          .get(),
      ) as { k: string }
    ).k;

  beforeAll(async () => {
    ws = await deadLetterWorkspace(2);
    written = await readFile(ws.configFile, 'utf8');
  }, 120_000);
  afterAll(async () => {
    if (written !== undefined) await writeFile(ws.configFile, written).catch(() => undefined);
    await ws?.cleanup().catch(() => undefined);
  });

  it('is refused with Redis away, as a typo, not as Redis being unreachable', async () => {
    // Port 1 on the loopback: nothing listens there.
    await writeFile(ws.configFile, written.replace('redis://127.0.0.1:6379', 'redis://127.0.0.1:1'));
    try {
      const before = auditEntries();
      const typo = `${deadKey()}x`;
      const r = await cli(['dlq', 'replay', typo, '--wait-seconds', '5']);
      expect(r.status, r.stderr).toBe(2);
      expect(r.stderr).toContain(`1 key(s) named no delivery: ${typo}`);
      expect(auditEntries()).toBe(before);
    } finally {
      await writeFile(ws.configFile, written);
    }
  }, 60_000);

  it('writes no config entry to the audit log after a config edit', async () => {
    // An edit the audit chain records (a pipeline's setting): a replay that acts writes the config
    // in force first.
    expect(written).toContain('pageSize: 100');
    await writeFile(ws.configFile, written.replace('pageSize: 100', 'pageSize: 50'));
    try {
      const before = auditEntries();
      const r = await cli(['dlq', 'replay', `${deadKey()}x`, '--no-wait']);
      expect(r.status, r.stderr).toBe(2);
      expect(r.stderr).toContain('named no delivery');
      expect(auditEntries()).toBe(before);
    } finally {
      await writeFile(ws.configFile, written);
    }
  }, 60_000);
});
