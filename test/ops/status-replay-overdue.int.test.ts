/**
 * `licbridge status` right after `licbridge dlq replay` of dead letters written days ago names no
 * overdue delivery: a replayed delivery is open since its replay, not since its row was written.
 * Once its new round has been open past the target's `pendingAlertMs`, it is overdue again.
 */
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { zonedTime } from '../../core/zoned-time.js';
import { createDemoWorkspace, type DemoWorkspace } from '../support/demo-workspace.js';
import { licbridge, runOffline } from './ops-fixtures.js';

const HOUR = 3_600_000;

interface StatusJson {
  attention: string[];
  attentionByKind: Record<string, number>;
}

describe('status: overdue deliveries after a replay', () => {
  let ws: DemoWorkspace;
  const sql = (statement: string, ...params: unknown[]) => {
    const db = new Database(join(ws.dir, 'data', 'ledger.db'));
    try {
      db.prepare(statement).run(...params);
    } finally {
      db.close();
    }
  };
  const status = async (): Promise<StatusJson> => {
    const r = await licbridge(['status', '--no-sources', '--json', '--config', ws.configFile]);
    return JSON.parse(r.stdout) as StatusJson;
  };

  beforeAll(async () => {
    ws = await createDemoWorkspace({ rows: 5 });
  });
  afterAll(async () => ws?.cleanup());

  it('counts a replayed dead letter from its replay', async () => {
    // The platform is unreachable and one attempt is allowed: every delivery becomes a dead letter.
    const { run } = await runOffline(ws);
    const dead = run?.deadLettered.province ?? 0;
    expect(dead).toBeGreaterThan(0);
    // Three days later (the default `pendingAlertMs` is an hour), the cause is fixed and they are
    // replayed; no worker has taken them yet.
    sql('UPDATE deliveries SET created_at = ?', new Date(Date.now() - 72 * HOUR).toISOString());
    const replay = await licbridge([
      'dlq',
      'replay',
      '--all',
      '--target',
      'province',
      '--no-wait',
      '--config',
      ws.configFile,
    ]);
    expect(replay.status, replay.stderr).toBe(0);

    const now = await status();
    expect(now.attentionByKind['delivery-overdue'], now.attention.join('\n')).toBe(0);

    // Two hours after the replay, still open: overdue, from the replay.
    const replayedAt = new Date(Date.now() - 2 * HOUR);
    sql("UPDATE dead_letter_actions SET created_at = ? WHERE action = 'replay'", replayedAt.toISOString());
    // The round the replay began (migration 050).
    sql("UPDATE deliveries SET opened_at = ? WHERE state = 'pending'", replayedAt.toISOString());
    const later = await status();
    expect(later.attentionByKind['delivery-overdue']).toBe(1);
    expect(later.attention).toContain(
      `pipeline food-business-licenses: ${dead} delivery(ies) to province still open after 1 h (oldest since ${zonedTime(replayedAt.toISOString(), 'Asia/Shanghai')}); keep a \`licbridge worker\` or \`licbridge run\` going and check the platform`,
    );
  }, 120_000);
});
