/**
 * The repair plan printed by `reconcile --repair` names each item by its record key; a key that is
 * an ID or mobile number is masked there as in the report (the plan itself keeps the key to act on).
 */
import { describe, expect, it } from 'vitest';
import type { RepairPlan } from '../../pipelines/reconcile/repair.js';
import { textPlan } from '../../pipelines/reconcile/text-report.js';

const ID_KEY = '11010519491231002X';

describe('the printed repair plan', () => {
  it('masks record keys that are ID, mobile or passport numbers, and keeps others as they are', () => {
    const item = (sourceKey: string): RepairPlan['items'][number] => ({
      action: 're-read',
      difference: {
        kind: 'missed',
        licenseId: `L-${sourceKey}`,
        sourceKey,
        target: null,
        ledger: null,
        platform: null,
      },
    });
    const plan: RepairPlan = {
      reportId: 'r1',
      pipeline: 'food',
      items: [item(ID_KEY), item('13812345678'), item('E12345678'), item('JY0042')],
      byAction: { 're-read': 4, revoke: 0, cancel: 0, 'adopt-revoke': 0, 're-deliver': 0, flag: 0 },
    };
    const text = textPlan(plan);
    expect(text).not.toContain(ID_KEY);
    expect(text).toContain('1101**********002X');
    expect(text).not.toContain('13812345678');
    expect(text).toContain('*******5678');
    expect(text).not.toContain('E12345678');
    expect(text).toContain('E*******8');
    expect(text).toContain('JY0042');
  });
});
