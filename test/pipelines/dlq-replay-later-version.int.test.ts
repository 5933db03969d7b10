/**
 * A dead letter replayed alone while a later version of its license is dead at the same target:
 * an issue dead-lettered in an outage holds back the revocation read after it (dead too, `waits
 * for …`). Replaying the issue by its key sent it and left the revocation dead, so the platform
 * showed a revoked license as valid and the replay exited 0. A named replay now refuses, naming
 * the later dead letters, and replays nothing; named with them, or by `--target`, both go, in order.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Config } from '../../config/types.js';
import { createLogger } from '../../core/logger.js';
import { listDeadLetters, replayDeadLetters } from '../../pipelines/dead-letters.js';
import { licbridge } from '../support/cli.js';
import type { DemoWorkspace } from '../support/demo-workspace.js';
import { issueThenRevoke } from './dlq-issue-then-revoke.js';

const logger = createLogger({ level: 'silent' });

describe('dead-letter replay of a version with a later one dead', () => {
  let ws: DemoWorkspace;
  let config: Readonly<Config>;
  let issueKey: string;
  let revokeKey: string;

  beforeAll(async () => {
    ({ ws, config, issueKey, revokeKey } = await issueThenRevoke(logger));
  }, 120_000);
  afterAll(async () => ws?.cleanup().catch(() => undefined));

  it('refuses the older one alone, naming the later dead letter, and replays nothing', async () => {
    await expect(replayDeadLetters(config, { keys: [issueKey], timeoutMs: 3000, logger })).rejects.toThrow(
      `a later version of the same license is dead at the same target: ${revokeKey}`,
    );
    const cli = await licbridge(['dlq', 'replay', issueKey, '--config', ws.configFile]);
    expect(cli.status).toBe(2);
    expect(cli.stderr).toContain(revokeKey);
    expect((await listDeadLetters(config, { limit: 10 })).map((d) => d.key)).toEqual([issueKey, revokeKey]);
  }, 60_000);

  it('named with the later one, both go, the revocation last', async () => {
    const result = await replayDeadLetters(config, {
      keys: [revokeKey, issueKey],
      timeoutMs: 60_000,
      logger,
    });
    expect(result.replayed.map((d) => d.key)).toEqual([issueKey, revokeKey]);
    expect(result.outcomes.map((o) => o.state)).toEqual(['accepted', 'accepted']);
    expect(await listDeadLetters(config, { limit: 10 })).toEqual([]);
  }, 120_000);
});
