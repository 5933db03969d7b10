/**
 * Which expiry reminders are due on a day (pipelines/lifecycle/reminder-due.ts): the smallest
 * threshold a license has reached, each pipeline by its own license type's thresholds, every
 * candidate page read, nothing handed on once the tick is stopped, and the list `licbridge
 * lifecycle reminders` shows cut at its limit while the count is not.
 *
 * The store here answers `candidates` from a list, as the ledger's query does (licenses of the
 * pipelines asked whose validTo is in [from, to], by license id after `after`, `limit` at most):
 * the paging and the thresholds are what is under test. The ledger's query, and reminders already
 * written or continued by a renewal, have integration tests (reminders-tick, reminders-renewed, …).
 */
import { describe, expect, it } from 'vitest';
import type { Config } from '../../config/types.js';
import type { ReminderStore } from '../../ledger/reminders.js';
import {
  daysBetween,
  dueReminders,
  dueThreshold,
  forEachDuePage,
  reminderPlans,
} from '../../pipelines/lifecycle/reminder-due.js';

const TODAY = '2026-03-01';

interface LicenseRow {
  licenseId: string;
  pipeline: string;
  validTo: string;
}

/** A store over these licenses, counting its page reads; `onRead` runs at each read of reminders. */
function storeOf(licenses: LicenseRow[], onRead?: () => void): ReminderStore & { pagesRead: number } {
  const store = {
    pagesRead: 0,
    async candidates(q: {
      pipelines: readonly string[];
      from: string;
      to: string;
      after?: string;
      limit: number;
    }) {
      store.pagesRead += 1;
      return licenses
        .filter((l) => q.pipelines.includes(l.pipeline) && l.validTo >= q.from && l.validTo <= q.to)
        .filter((l) => q.after === undefined || l.licenseId > q.after)
        .sort((a, b) => (a.licenseId < b.licenseId ? -1 : 1))
        .slice(0, q.limit)
        .map((l) => ({ ...l, version: 1 }));
    },
    async forLicenses() {
      onRead?.();
      return [];
    },
    async continued() {
      return new Set<string>();
    },
  };
  return store as unknown as ReminderStore & { pagesRead: number };
}

/** `n` licenses of `pipeline`, ids `<prefix>0001`…, all valid until `validTo`. */
function licenses(n: number, pipeline: string, validTo: string, prefix = 'L'): LicenseRow[] {
  return Array.from({ length: n }, (_, i) => ({
    licenseId: `${prefix}${String(i + 1).padStart(4, '0')}`,
    pipeline,
    validTo,
  }));
}

/** Pipelines of license types with these reminder thresholds (none: no reminders for the type). */
function configOf(pipelines: Record<string, number[] | undefined>): Readonly<Config> {
  const reminders: Record<string, { target: string; thresholds: number[] }> = {};
  const ps: Record<string, { licenseType: string; targets: string[] }> = {};
  for (const [name, thresholds] of Object.entries(pipelines)) {
    ps[name] = { licenseType: `type-${name}`, targets: ['province'] };
    if (thresholds) reminders[`type-${name}`] = { target: 'holder-sms', thresholds };
  }
  return { pipelines: ps, lifecycle: { reminders } } as unknown as Readonly<Config>;
}

describe('the threshold a license has reached', () => {
  it('is the smallest reached, whatever order the thresholds are written in', () => {
    expect(dueThreshold([30, 7], 5)).toBe(7);
    expect(dueThreshold([30, 7], 7)).toBe(7);
    expect(dueThreshold([30, 7], 20)).toBe(30);
    expect(dueThreshold([30, 7], 31)).toBeUndefined();
    expect(dueThreshold([30, 7], -1)).toBeUndefined();
  });

  it('none for a day that is not a date', () => {
    expect(daysBetween(TODAY, '2026-03-31')).toBe(30);
    expect(daysBetween(TODAY, '31/03/2026')).toBeNaN();
    expect(daysBetween('01/03/2026', '2026-03-31')).toBeNaN();
    expect(dueThreshold([30, 7], daysBetween(TODAY, '31/03/2026'))).toBeUndefined();
  });

  it('a plan holds its type’s thresholds ascending, for the pipelines asked', () => {
    const config = configOf({ food: [30, 7, 60], bakery: [7], herbs: undefined });
    const plans = reminderPlans(config);
    expect([...plans.keys()]).toEqual(['food', 'bakery']);
    expect(plans.get('food')?.thresholds).toEqual([7, 30, 60]);
    expect([...reminderPlans(config, ['bakery']).keys()]).toEqual(['bakery']);
  });
});

describe('the reminders due, a page of candidates at a time', () => {
  const due = async (
    config: Readonly<Config>,
    store: ReminderStore,
    pageSize: number,
    stop?: AbortSignal,
  ) => {
    const pages: string[][] = [];
    await forEachDuePage(store, reminderPlans(config), TODAY, pageSize, stop, async (fresh) => {
      pages.push(fresh.map((r) => `${r.licenseId}@${r.threshold}`));
    });
    return pages;
  };

  it('every page is read, up to the last, short or full', async () => {
    const config = configOf({ food: [7, 30] });
    // 31 March: 30 days left. Five licenses, pages of two.
    expect(await due(config, storeOf(licenses(5, 'food', '2026-03-31')), 2)).toEqual([
      ['L0001@30', 'L0002@30'],
      ['L0003@30', 'L0004@30'],
      ['L0005@30'],
    ]);
    expect(await due(config, storeOf(licenses(4, 'food', '2026-03-31')), 2)).toEqual([
      ['L0001@30', 'L0002@30'],
      ['L0003@30', 'L0004@30'],
    ]);
  });

  it('each pipeline by its own thresholds: 20 days out is due at 30, not where only 7 is set', async () => {
    const config = configOf({ food: [7], bakery: [30] });
    const store = storeOf([
      ...licenses(1, 'food', '2026-03-21', 'F'),
      ...licenses(1, 'bakery', '2026-03-21', 'B'),
      ...licenses(1, 'food', '2026-03-06', 'G'),
    ]);
    expect(await due(config, store, 10)).toEqual([['B0001@30', 'G0001@7']]);
  });

  it('a tick stopped before it starts reads no page', async () => {
    const store = storeOf(licenses(3, 'food', '2026-03-31'));
    expect(await due(configOf({ food: [30] }), store, 2, AbortSignal.abort('SIGTERM'))).toEqual([]);
    expect(store.pagesRead).toBe(0);
  });

  it('a stop while a page is read: that page is not handed on, and no further page is read', async () => {
    const stop = new AbortController();
    const store = storeOf(licenses(3, 'food', '2026-03-31'), () => stop.abort('SIGTERM'));
    expect(await due(configOf({ food: [30] }), store, 2, stop.signal)).toEqual([]);
    expect(store.pagesRead).toBe(1);
  });
});

describe('the reminders due, as `licbridge lifecycle reminders` lists them', () => {
  it('the first `limit`, and how many in all, across pages of 500', async () => {
    const store = storeOf(licenses(600, 'food', '2026-03-08'));
    const { due, total } = await dueReminders(configOf({ food: [7, 30] }), store, {
      today: TODAY,
      limit: 550,
    });
    expect(total).toBe(600);
    expect(due).toHaveLength(550);
    expect(due[549]).toEqual({
      licenseId: 'L0550',
      version: 1,
      pipeline: 'food',
      target: 'holder-sms',
      threshold: 7,
      validTo: '2026-03-08',
      daysLeft: 7,
      dueDay: TODAY,
    });
  });

  it('up to 1000 listed when no limit is given', async () => {
    const store = storeOf(licenses(3, 'food', '2026-03-08'));
    const { due, total } = await dueReminders(configOf({ food: [7] }), store, { today: TODAY });
    expect([due.map((r) => r.licenseId), total]).toEqual([['L0001', 'L0002', 'L0003'], 3]);
  });

  it('of the pipelines asked only; none when no pipeline has reminders', async () => {
    const store = storeOf([
      ...licenses(2, 'food', '2026-03-08', 'F'),
      ...licenses(1, 'bakery', '2026-03-08', 'B'),
    ]);
    const config = configOf({ food: [7], bakery: [7], herbs: undefined });
    const bakery = await dueReminders(config, store, { today: TODAY, pipelines: ['bakery'] });
    expect([bakery.due.map((r) => r.licenseId), bakery.total]).toEqual([['B0001'], 1]);
    expect(await dueReminders(config, store, { today: TODAY, pipelines: ['herbs'] })).toEqual({
      due: [],
      total: 0,
    });
  });
});
