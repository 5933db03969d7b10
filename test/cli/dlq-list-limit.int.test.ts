/**
 * `dlq list` cut short by `--limit` printed `N dead deliveries` of the N it showed: after a week of
 * failures, `--limit 1000` of 5000 read as 1000 dead. It now says the list was cut and that more
 * are dead; `--json` keeps its array and says so on stderr.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { licbridge } from '../support/cli.js';
import type { DemoWorkspace } from '../support/demo-workspace.js';
import { deadLetterWorkspace } from './dead-letter-workspace.js';

describe('dlq list cut short by --limit', () => {
  let ws: DemoWorkspace;

  beforeAll(async () => {
    ws = await deadLetterWorkspace(5);
  }, 120_000);
  afterAll(async () => ws?.cleanup().catch(() => undefined));

  it('says more are dead than it shows', async () => {
    const cut = await licbridge(['dlq', 'list', '--limit', '2', '--config', ws.configFile]);
    expect(cut.status).toBe(0);
    expect(cut.stdout).not.toMatch(/^2 dead deliveries$/m);
    expect(cut.stdout).toContain(
      'the first 2 dead deliveries; more are dead (raise --limit, or narrow by --target or --pipeline)',
    );
    const json = await licbridge(['dlq', 'list', '--limit', '2', '--json', '--config', ws.configFile]);
    expect(JSON.parse(json.stdout)).toHaveLength(2);
    expect(json.stderr).toContain('the first 2 dead deliveries; more are dead');

    const whole = await licbridge(['dlq', 'list', '--config', ws.configFile]);
    const rows = whole.stdout.split('\n').filter((l) => l.endsWith('\t503'));
    expect(rows.length).toBeGreaterThan(2);
    expect(whole.stdout).toContain(`\n${rows.length} dead deliveries\n`);
    expect(whole.stderr).toBe('');
  }, 60_000);
});
