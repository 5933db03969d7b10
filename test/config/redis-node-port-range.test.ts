/**
 * A Redis sentinel or cluster node is `host:port`; the schema took any one to five digits as the
 * port, so `10.0.0.5:99999` or `10.0.0.5:0` loaded, `config check` said ok, and every connection to
 * that node failed later (ioredis hands the port to the socket, which refuses it). A port from 1 to
 * 65535 is asked for at the node's line.
 */
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../config/loader.js';
import { KEY_PEM, positionOf, problemsOf, VALID_CONFIG, writeConfig } from './fixtures.js';

const QUEUE_LINE = /^queue: .*\n/m;

const sentinels = (...nodes: string[]): string =>
  VALID_CONFIG.replace(
    QUEUE_LINE,
    `queue:\n  redis:\n    name: licbridge\n    sentinels:\n${nodes.map((n) => `      - "${n}"\n`).join('')}`,
  );

const cluster = (...nodes: string[]): string =>
  VALID_CONFIG.replace(
    QUEUE_LINE,
    `queue:\n  prefix: "{licbridge}"\n  redis:\n    cluster:\n${nodes.map((n) => `      - "${n}"\n`).join('')}`,
  );

describe('a Redis sentinel or cluster node whose port no socket takes', () => {
  it.each([
    [
      'a sentinel on port 99999',
      sentinels('10.0.0.5:26379', '10.0.0.6:99999'),
      'queue.redis.sentinels[1]',
      '10.0.0.6:99999',
    ],
    ['a sentinel on port 0', sentinels('10.0.0.5:0'), 'queue.redis.sentinels[0]', '10.0.0.5:0'],
    ['a cluster node on port 65536', cluster('[fd00::1]:65536'), 'queue.redis.cluster[0]', '[fd00::1]:65536'],
  ])('%s is refused at its line', async (_, text, path, node) => {
    const { problems } = await problemsOf(text);
    expect(problems.map((p) => p.path)).toEqual([path]);
    expect(problems[0]?.line).toBe(positionOf(text, node).line);
    expect(problems[0]?.message).toContain('1 to 65535');
    expect(problems[0]?.message).toContain(node);
  });

  it('ports 1 and 65535 and the usual ones load', async () => {
    for (const text of [
      sentinels('10.0.0.5:26379', 'sentinel-b.example:1', '[fd00::2]:65535'),
      cluster('10.0.0.7:6379', '10.0.0.8:07000'),
    ]) {
      const file = await writeConfig(text, { 'data/keys/seal.key.pem': KEY_PEM });
      await expect(loadConfig({ file, env: {} })).resolves.toBeDefined();
    }
  });
});
