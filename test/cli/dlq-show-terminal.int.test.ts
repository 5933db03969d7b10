/**
 * `dlq show` prints one dead letter as the ledger holds it. Its key went through terminalLine, but
 * the same delivery's target (part of that key), pipeline and operation were printed as they were:
 * a target rewritten in the database with a C1 control sequence or a bidi override reached the
 * terminal on its own line, which the key's line, sanitized, did not show. Every line of it is now
 * plain text; `--json` was already escaped.
 */
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { licbridge } from '../support/cli.js';
import type { DemoWorkspace } from '../support/demo-workspace.js';
import { deadLetterWorkspace } from './dead-letter-workspace.js';

/** An 8-bit CSI (red) and a right-to-left override inside the target's name. */
const TARGET = 'prov\u009b31mince\u202e';
const obeyed = /[\u0080-\u009f\u202a-\u202e\u2066-\u2069]/;

describe('dlq show of a dead letter whose target holds control characters', () => {
  let ws: DemoWorkspace;
  let key: string;

  beforeAll(async () => {
    ws = await deadLetterWorkspace(1);
    const db = new Database(join(ws.dir, 'data', 'ledger.db'));
    try {
      db.prepare('update deliveries set target = ?').run(TARGET);
      const row = db
        .prepare(
          'select v.license_id as id, v.version as version from deliveries d join license_versions v on v.version_id = d.version_id limit 1',
        )
        .get() as { id: string; version: number };
      key = `${row.id}:${row.version}:${TARGET}`;
    } finally {
      db.close();
    }
  }, 120_000);
  afterAll(async () => ws?.cleanup().catch(() => undefined));

  it('prints every line without what a terminal obeys', async () => {
    const r = await licbridge(['dlq', 'show', key, '--config', ws.configFile], { cwd: ws.dir });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^target: +province$/m);
    expect(r.stdout).not.toMatch(obeyed);
  }, 60_000);
});
