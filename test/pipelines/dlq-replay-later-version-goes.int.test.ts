/**
 * The refusal of a named replay while a later version of the license is dead (f447e854) must not
 * hold a dead letter for good: a later version discarded, dead at another target, or pending (not
 * dead) lets the older one go alone, and `--target` takes both, the older first.
 */
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../core/logger.js';
import { replayDeadLetters } from '../../pipelines/dead-letters.js';
import { type IssueThenRevoke, issueThenRevoke } from './dlq-issue-then-revoke.js';

const logger = createLogger({ level: 'silent' });

describe('dead-letter replay of a version whose later one is not dead at its target', () => {
  let f: IssueThenRevoke;

  beforeAll(async () => {
    f = await issueThenRevoke(logger);
  }, 120_000);
  afterAll(async () => f?.ws.cleanup().catch(() => undefined));

  /** The issue dead again, the revocation as `set` leaves it (by its version, whatever its target). */
  function arrange(set: string): void {
    const db = new Database(f.ledgerFile);
    try {
      db.prepare(`update deliveries set state = 'dead', target = 'province' where version_id = ?`).run(
        f.issueVersionId,
      );
      db.prepare(`update deliveries set ${set} where version_id = ?`).run(f.revokeVersionId);
    } finally {
      db.close();
    }
  }

  it.each([
    ['discarded', `state = 'discarded', target = 'province'`],
    ['pending', `state = 'pending', target = 'province'`],
    ['dead at another target', `state = 'dead', target = 'old-province'`],
  ])(
    'named alone, the older goes when the later one is %s',
    async (_, set) => {
      arrange(set);
      const result = await replayDeadLetters(f.config, { keys: [f.issueKey], wait: false, logger });
      expect(result.replayed.map((d) => d.key)).toEqual([f.issueKey]);
    },
    60_000,
  );

  it('by --target, both go, the older first', async () => {
    arrange(`state = 'dead', target = 'province'`);
    const result = await replayDeadLetters(f.config, { target: 'province', wait: false, logger });
    expect(result.replayed.map((d) => d.key)).toEqual([f.issueKey, f.revokeKey]);
  }, 60_000);
});
