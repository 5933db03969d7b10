/**
 * `dlq discard K` and `dlq replay K` with a key that is no delivery at all (a typo) acted on
 * nothing, printed `1 named not discarded` and exited 0, where a mistyped `--target` is refused
 * (dlq-discard-unknown-target.int.test.ts): read as done in a script. A key that names no delivery
 * is now refused (exit 2), nothing done, the keys shown as any other (terminalLine) with ID and
 * mobile number shapes masked, as what an operator typed may hold one. A key already discarded is
 * a harmless rerun: exit 0, as before.
 */
import { randomInt } from 'node:crypto';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { licbridge } from '../support/cli.js';
import type { DemoWorkspace } from '../support/demo-workspace.js';
import { deadLetterWorkspace } from './dead-letter-workspace.js';

describe('dlq discard and replay with a key that is no delivery', () => {
  let ws: DemoWorkspace;
  const cli = (args: string[]) => licbridge([...args, '--config', ws.configFile], { cwd: ws.dir });
  const ledger = <T>(f: (db: Database.Database) => T): T => {
    const db = new Database(join(ws.dir, 'data', 'ledger.db'), { readonly: true });
    try {
      return f(db);
    } finally {
      db.close();
    }
  };
  const deadKeys = (): string[] =>
    ledger((db) =>
      (
        db
          .prepare(
            `select v.license_id || ':' || v.version || ':' || d.target as k from deliveries d
               join license_versions v on v.version_id = d.version_id where d.state = 'dead' order by k`,
          )
          .all() as { k: string }[]
      ).map((r) => r.k),
    );
  // An 18-digit resident ID shape, generated: what an operator pasted by mistake.
  const idShaped = () =>
    `110105${1950 + randomInt(40)}0${1 + randomInt(9)}1${randomInt(10)}${100 + randomInt(900)}X`;

  beforeAll(async () => {
    ws = await deadLetterWorkspace(3);
  }, 120_000);
  afterAll(async () => ws?.cleanup().catch(() => undefined));

  it('refuses a key that names no delivery (exit 2) and does nothing with the others named', async () => {
    const before = deadKeys();
    expect(before.length).toBeGreaterThan(1);
    const [real] = before as [string];
    const typo = `${real}x`;
    for (const command of ['discard', 'replay'])
      for (const json of [[], ['--json']]) {
        const r = await cli(['dlq', command, real, typo, ...json]);
        expect(r.status, r.stderr).toBe(2);
        expect(r.stderr).toContain(`1 key(s) named no delivery: ${typo}`);
        expect(r.stdout).not.toContain('named not');
      }
    expect(deadKeys()).toEqual(before);
  }, 120_000);

  it('masks an ID number shape in a key it refuses', async () => {
    const id = idShaped();
    for (const command of ['discard', 'replay']) {
      const r = await cli(['dlq', command, id]);
      expect(r.status, r.stderr).toBe(2);
      expect(r.stderr).toContain('named no delivery');
      expect(r.stderr).not.toContain(id);
      expect(r.stderr).toContain(id.slice(0, 4));
    }
  }, 60_000);

  it('discards a key already discarded again as a harmless rerun (exit 0)', async () => {
    const [key] = deadKeys() as [string];
    const first = await cli(['dlq', 'discard', key]);
    expect(first.status, first.stderr).toBe(0);
    expect(first.stdout).toContain('discarded 1');
    const again = await cli(['dlq', 'discard', key]);
    expect(again.status, again.stderr).toBe(0);
    expect(again.stdout).toContain('discarded 0');
    expect(again.stdout).toContain('1 named not discarded');
  }, 60_000);
});
