/**
 * Whether the day has turned is judged by the ledger's clock (ledger/db-clock.ts), on both ledger
 * backends: by the tick telling its today, and by a page's commit asking whether the page was
 * mapped on another day (ledger/commit-page.ts). Before, each used its host's clock: a reading
 * host behind the ticking host at midnight mapped a page on the day before and committed it after
 * the tick, bringing back as `valid` a license the tick had just expired (and so it stayed at the
 * platform until the next day's tick); a tick on such a host expired nothing of the new day. Each
 * host here is this process with `Date` faked, 5 minutes before midnight of the ledger's day in
 * Asia/Shanghai (`lifecycle.timeZone`'s default); the database keeps its own time.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { addDays, localDate } from '../../core/local-date.js';
import { PageMappedOnAnotherDay } from '../../ledger/commit-page.js';
import type { CommitPageInput } from '../../ledger/ledger.js';
import { lifecycleToday } from '../../pipelines/lifecycle/settings.js';
import { lifecycleTick } from '../../pipelines/lifecycle/tick.js';
import { BACKENDS, type Backend } from '../ledger/backends.js';
import { atHost } from '../ledger/clock-skew.js';
import { realDayWorkspace } from './reminders-fixture.js';

const ZONE = 'Asia/Shanghai';
const DAY_MS = 86_400_000;
/** Asia/Shanghai is UTC+8 all year (no summer time). */
const ZONE_OFFSET_MS = 8 * 3_600_000;

/** A workspace on `backend`, its ledger's day and the skew of a host reading 23:55 of the day before. */
function midnightWorkspace(backend: Backend) {
  const ws = realDayWorkspace({ backend });
  afterEach(() => {
    vi.restoreAllMocks();
  });
  return {
    ws,
    async ledgerDay() {
      const now = await ws.ledger.lostTicks.now();
      const sinceMidnight = (now.getTime() + ZONE_OFFSET_MS) % DAY_MS;
      return { day: localDate(ZONE, now), behindMs: -(sinceMidnight + 5 * 60_000) };
    },
    status: async (n: number) =>
      (await ws.ledger.reminders.licenseStates([ws.licenseId(n)])).get(ws.licenseId(n))?.status,
  };
}

describe.each(BACKENDS)(
  'the day turned by the ledger clock, a host behind at midnight ($name)',
  (backend) => {
    describe('the tick', () => {
      const { ws, ledgerDay, status } = midnightWorkspace(backend);

      it("expires the ledger's day's licenses when the tick runs on a host still on the day before", async () => {
        const { day, behindMs } = await ledgerDay();
        // Valid through yesterday: today's tick expires it.
        await ws.commit(1, addDays(day, -1), { phone: '13912340101' });
        const result = await atHost(behindMs, () => lifecycleTick(ws.rt));
        expect(result.today).toBe(day);
        expect(await status(1)).toBe('expired');
      });
    });

    describe("a page's commit", () => {
      const { ws, ledgerDay, status } = midnightWorkspace(backend);

      it('refuses a page mapped on the day before by a host behind, committed after the tick expired it', async () => {
        const { day, behindMs } = await ledgerDay();
        await ws.commit(2, addDays(day, -1), { phone: '13912340102' });
        await lifecycleTick(ws.rt);
        expect(await status(2)).toBe('expired');

        // The reading host maps the row on its day (yesterday, so still valid) and commits the page
        // with that day, as the extract stage does (pipelines/stages/extract.ts).
        const today = lifecycleToday(ws.config);
        const commitPage = ws.ledger.commitPage.bind(ws.ledger);
        let mappedOn: CommitPageInput['mappedOn'];
        vi.spyOn(ws.ledger, 'commitPage').mockImplementation((input) =>
          commitPage({ ...input, ...(mappedOn ? { mappedOn } : {}) }),
        );
        await atHost(behindMs, async () => {
          mappedOn = { day: today(), today };
          expect(mappedOn.day).toBe(addDays(day, -1));
          await expect(ws.commit(2, addDays(day, -1), { phone: '13912340102' })).rejects.toBeInstanceOf(
            PageMappedOnAnotherDay,
          );
          // Mapped again, the page is mapped on the ledger's day, the tick's, though the host's
          // clock has not turned yet.
          expect(today()).toBe(day);
        });
        expect(await status(2)).toBe('expired');
      });
    });
  },
);
