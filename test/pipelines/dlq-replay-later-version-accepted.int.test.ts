/**
 * A dead letter whose license has a later version already accepted at the same target: replayed,
 * it went after the later one (the deliver stage orders a version only behind its predecessor)
 * and the platform ended on the older data. Named, the replay is refused (exit 2), naming the
 * later accepted version; by `--target` or `--all`, such letters are left dead and counted, and
 * `dlq discard` is advised for both.
 */
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../core/logger.js';
import { listDeadLetters, replayDeadLetters } from '../../pipelines/dead-letters.js';
import { licbridge } from '../support/cli.js';
import { type IssueThenRevoke, issueThenRevoke } from './dlq-issue-then-revoke.js';

const logger = createLogger({ level: 'silent' });

describe('dead-letter replay of a version with a later one accepted', () => {
  let f: IssueThenRevoke;

  beforeAll(async () => {
    f = await issueThenRevoke(logger);
    // The issue dead, the revocation after it delivered and accepted at the same target.
    const db = new Database(f.ledgerFile);
    try {
      db.prepare(`update deliveries set state = 'dead', target = 'province' where version_id = ?`).run(
        f.issueVersionId,
      );
      db.prepare(
        `update deliveries set state = 'accepted', reasons = '[]', target = 'province' where version_id = ?`,
      ).run(f.revokeVersionId);
    } finally {
      db.close();
    }
  }, 120_000);
  afterAll(async () => f?.ws.cleanup().catch(() => undefined));

  async function deadKeys(): Promise<string[]> {
    return (await listDeadLetters(f.config, { limit: 10 })).map((d) => d.key);
  }

  it('named, refuses, naming the later accepted version and advising dlq discard', async () => {
    await expect(replayDeadLetters(f.config, { keys: [f.issueKey], wait: false, logger })).rejects.toThrow(
      `${f.issueKey} (${f.revokeKey} accepted)`,
    );
    const cli = await licbridge(['dlq', 'replay', f.issueKey, '--no-wait', '--config', f.ws.configFile]);
    expect(cli.status).toBe(2);
    expect(cli.stderr).toContain(f.revokeKey);
    expect(cli.stderr).toContain('licbridge dlq discard');
    expect(await deadKeys()).toEqual([f.issueKey]);
  }, 60_000);

  it('by --target, leaves it dead and counts it', async () => {
    const result = await replayDeadLetters(f.config, { target: 'province', wait: false, logger });
    expect(result.replayed).toEqual([]);
    expect(result.superseded.map((d) => d.key)).toEqual([f.issueKey]);
    expect(await deadKeys()).toEqual([f.issueKey]);
  }, 60_000);

  it('by --all, text and --json say so, with the advice', async () => {
    const text = await licbridge(['dlq', 'replay', '--all', '--no-wait', '--config', f.ws.configFile]);
    expect(text.status).toBe(1);
    expect(text.stdout).toContain('replayed 0');
    expect(text.stdout).toContain('1 left dead: a later version of the same license is already accepted');
    expect(text.stdout).toContain('licbridge dlq discard');
    const json = await licbridge([
      'dlq',
      'replay',
      '--all',
      '--no-wait',
      '--json',
      '--config',
      f.ws.configFile,
    ]);
    const out = JSON.parse(json.stdout) as {
      replayed: number;
      superseded: { count: number; advice: string };
    };
    expect(json.status).toBe(1);
    expect(out.replayed).toBe(0);
    expect(out.superseded.count).toBe(1);
    expect(out.superseded.advice).toContain('licbridge dlq discard');
    expect(await deadKeys()).toEqual([f.issueKey]);
  }, 60_000);
});
