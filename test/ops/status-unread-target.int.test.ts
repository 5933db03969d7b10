/**
 * A full check that could not ask a target (a kind with neither listing nor lookup) exits 3 from
 * `reconcile`; `status` and `/metrics` read the same stored report and said nothing of it, so a
 * platform never compared looked as settled as one that agrees. It is a `check-unread` attention
 * now, until a full check asks every target; the light checks after each run change nothing there.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../config/loader.js';
import type { Ledger } from '../../ledger/ledger.js';
import { openLedger } from '../../ledger/open-ledger.js';
import { ATTENTION_KINDS } from '../../pipelines/observability/attention.js';
import { unreadTargetAttention } from '../../pipelines/observability/check-attention.js';
import { createDemoWorkspace, type DemoWorkspace } from '../support/demo-workspace.js';
import { licbridge } from './ops-fixtures.js';

const PIPELINE = 'food-business-licenses';

describe('status: targets the last full check could not ask', { timeout: 60_000 }, () => {
  let ws: DemoWorkspace;
  let ledger: Ledger;

  beforeAll(async () => {
    ws = await createDemoWorkspace({ rows: 5 });
    const config = await loadConfig({ file: ws.configFile, env: {} });
    ledger = await openLedger(config.ledger.url);
  });
  afterAll(async () => {
    await ledger?.close();
    await ws?.cleanup();
  });

  const report = (reportId: string, mode: 'full' | 'light', targets: Record<string, unknown>) =>
    ledger.saveReport({
      reportId,
      pipeline: PIPELINE,
      mode,
      differences: 0,
      summary: { byKind: {}, counts: { targets } },
      report: {},
    });
  const status = () => licbridge(['status', '--no-sources', '--json', '--config', ws.configFile]);
  /** The attention lines about unread targets, and how many `/metrics` would count. */
  const unreadNotes = (stdout: string) => {
    const s = JSON.parse(stdout) as { attention: string[]; attentionByKind: Record<string, number> };
    const lines = s.attention.filter((a) => a.includes('could not ask target'));
    expect(s.attentionByKind['check-unread']).toBe(lines.length);
    return lines;
  };

  it('is an attention kind of its own, so /metrics counts it', () => {
    expect(ATTENTION_KINDS).toContain('check-unread');
    expect(unreadTargetAttention(PIPELINE, undefined)).toEqual([]);
  });

  it('names the unread target until a full check asks every target', async () => {
    const unread = { unavailable: 'the target offers no lookup' };
    await report('u1-full', 'full', { province: { total: 5, byStatus: { valid: 5 } }, city: unread });
    const found = await status();
    expect(found.status, found.stdout).toBe(3);
    const [note] = unreadNotes(found.stdout);
    expect(note).toContain('report u1-full');
    expect(note).toContain('city (the target offers no lookup)');
    expect(note).not.toContain('province');

    // The light check after a run asks no platform: the full check's finding stands.
    await report('u2-light', 'light', {});
    const after = await status();
    expect(after.status, after.stdout).toBe(3);
    expect(unreadNotes(after.stdout)).toHaveLength(1);

    await report('u3-full', 'full', { province: { total: 5, byStatus: { valid: 5 } } });
    const cleared = await status();
    expect(unreadNotes(cleared.stdout)).toEqual([]);
    expect(cleared.status, cleared.stdout).toBe(0);
  });
});
