/**
 * `audit show --json` and `audit config --json` print JSON Lines, one entry a line. An actor an
 * earlier release stored as set may hold U+2028 or U+2029, which JSON.stringify writes as they are:
 * a reader splitting lines as Unicode does (Python's `splitlines`, an editor) cut such an entry in
 * two, neither half JSON, as `audit export` already prevents for its own lines. They are now written
 * as `\u2028` and `\u2029`, and each line parses back to the entry as the chain holds it.
 */
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../config/loader.js';
import { createLogger } from '../../core/logger.js';
import { openLedger } from '../../ledger/open-ledger.js';
import { runPipelines } from '../../pipelines/run-pipelines.js';
import { licbridge } from '../support/cli.js';
import { createDemoWorkspace, type DemoWorkspace } from '../support/demo-workspace.js';

const ACTOR = 'operator:clerk-9\u2028seq 99 revoke\u2029operator:director';

describe('audit JSON Lines of an actor holding line separators', () => {
  let ws: DemoWorkspace;
  let licenseId: string;
  const cli = (args: string[]) =>
    licbridge([...args, '--config', ws.configFile], { cwd: ws.dir, env: { LICBRIDGE_LOG_LEVEL: 'silent' } });

  beforeAll(async () => {
    ws = await createDemoWorkspace({ rows: 3, seed: 5 });
    const config = await loadConfig({ file: ws.configFile, env: process.env });
    await runPipelines(config, {
      pipelines: ['food-business-licenses'],
      full: false,
      logger: createLogger({ level: 'silent' }),
    });
    // As an earlier release wrote them: the chain holds the actor as it was set.
    const ledger = await openLedger(config.ledger.url);
    try {
      const db = new Database(config.ledger.url.slice('sqlite://'.length), { readonly: true });
      try {
        licenseId = (
          db.prepare('select license_id as id from licenses order by license_id limit 1').get() as {
            id: string;
          }
        ).id;
      } finally {
        db.close();
      }
      await ledger.openObjection({ licenseId, unit: '某街道便民服务中心', reason: '地址有误', actor: ACTOR });
      await ledger.configChanges.record({
        actor: ACTOR,
        digest: 'c'.repeat(64),
        parts: { 'pipeline:x': 'c'.repeat(64) },
      });
    } finally {
      await ledger.close();
    }
  }, 120_000);
  afterAll(async () => {
    await ws?.cleanup();
  });

  // As Python's splitlines reads lines: U+0085 and the C0 separators too (JSON escapes those already).
  const unicodeLines = (text: string) =>
    // biome-ignore lint/suspicious/noControlCharactersInRegex: the line breaks Unicode readers split on
    text.split(/\r\n|[\n\r\u2028\u2029\u0085\u000b\u000c]/).filter((l) => l !== '');

  it('audit show --json and audit config --json write each entry on one line as Unicode reads lines', async () => {
    expect(licenseId).not.toBe('');
    for (const args of [
      ['audit', 'show', '--license', licenseId, '--json'],
      ['audit', 'config', '--json'],
    ]) {
      const r = await cli(args);
      expect(r.status, r.stderr).toBe(0);
      const actors = unicodeLines(r.stdout).map((l) => (JSON.parse(l) as { actor: string }).actor);
      expect(actors).toContain(ACTOR);
    }
  });
});
