/**
 * Follows docs/onboarding.md word by word, steps 1–7 (discover the table, describe the license type,
 * complete the mapping, add the pipeline, preview, mapping tests, first run), on a private copy of
 * the demo department: writes every file the guide shows, applies every edit it shows, runs every
 * command as written and checks every output excerpt against what the command printed
 * (test/support/onboarding-guide.ts). Then checks the outcome the guide promises: the new pipeline
 * created the licenses, quarantined exactly the faulty rows and delivered the rest to the province
 * platform. Steps 8–10 are test/ops/onboarding-operate.e2e.test.ts.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { openLedger } from '../../ledger/open-ledger.js';
import {
  followGuide,
  GUIDE,
  type GuideWorkspace,
  openGuideWorkspace,
  PIPELINE,
  readGuide,
  stopLongLived,
  TABLE,
} from '../support/onboarding-guide.js';

// GB 11643-1999 and the calendar, written here from the standards, apart from the catalog's code.
function realDate(y: number, m: number, d: number): boolean {
  const t = new Date(Date.UTC(y, m - 1, d));
  return t.getUTCFullYear() === y && t.getUTCMonth() === m - 1 && t.getUTCDate() === d;
}
function idCheck(first17: string): string {
  const w = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  return '10X98765432'.charAt(w.reduce((s, x, i) => s + x * Number(first17.charAt(i)), 0) % 11);
}
/** Valid once normalised the way the guide's mapping does: trimmed, `x` → `X`, 15 digits → 18. */
function residentIdValid(raw: string): boolean {
  let id = raw.trim().toUpperCase();
  if (/^\d{15}$/.test(id))
    id = `${id.slice(0, 6)}19${id.slice(6)}${idCheck(`${id.slice(0, 6)}19${id.slice(6)}`)}`;
  if (!/^\d{17}[\dX]$/.test(id)) return false;
  const birth = realDate(Number(id.slice(6, 10)), Number(id.slice(10, 12)), Number(id.slice(12, 14)));
  return birth && idCheck(id.slice(0, 17)) === id.charAt(17);
}
/** `yyyy/M/d` or `yyyy-MM-dd` naming a real day. */
function registryDateValid(text: string): boolean {
  const m = /^(\d{4})[/-](\d{1,2})[/-](\d{1,2})$/.exec(text.trim());
  return m !== null && realDate(Number(m[1]), Number(m[2]), Number(m[3]));
}

describe('the onboarding guide, steps 1–7, followed as written', () => {
  let ws: GuideWorkspace;

  beforeAll(async () => {
    ws = await openGuideWorkspace();
  });

  afterAll(async () => {
    await ws?.close();
  });

  it('covers every step of onboarding with files and commands', async () => {
    const steps = readGuide(await readFile(GUIDE, 'utf8'));
    const run = steps.flatMap((s) => (s.kind === 'commands' ? s.commands.map((c) => c.text) : []));
    const verbs = run.map((c) => c.split(/\s+/)[1]);
    for (const verb of [
      'discover',
      'catalog',
      'config',
      'preview',
      'test',
      'run',
      'schedule',
      'worker',
      'status',
    ]) {
      expect(verbs, `the guide runs \`licbridge ${verb}\``).toContain(verb);
    }
    expect(run).toContain(
      `licbridge discover market-food --table ${TABLE} --draft-mapping mappings/small-catering-registration.yaml`,
    );
    const written = steps.flatMap((s) =>
      s.kind === 'file' || s.kind === 'edit' ? [`${s.kind} ${s.path}`] : [],
    );
    expect(written).toEqual(
      expect.arrayContaining(['file catalog/small-catering-registration.yaml', 'edit licbridge.yaml']),
    );
    // The seam between this file and onboarding-operate: both halves hold steps.
    expect(new Set(steps.map((s) => s.section))).toEqual(new Set([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]));
  });

  // Some ten commands run one after another: the limit is there to stop a hang on a loaded host,
  // not to time the steps.
  it('runs every command, writes every file and prints every excerpt of steps 1–7', async () => {
    const steps = readGuide(await readFile(GUIDE, 'utf8'));
    await followGuide(
      steps.filter((s) => s.section <= 7),
      ws,
    );
    await stopLongLived(ws);
  }, 120_000);

  it('ends with the registrations delivered and exactly the faulty rows quarantined', async () => {
    const db = new Database(join(ws.dir, 'data', 'legacy.db'), { readonly: true });
    const rows = db.prepare(`SELECT XH, DJZBH, SFZHM, DJRQ FROM ${TABLE}`).all() as {
      XH: number;
      DJZBH: string;
      SFZHM: string;
      DJRQ: string;
    }[];
    db.close();
    const badId = rows.filter((r) => !residentIdValid(r.SFZHM));
    const badDate = rows.filter((r) => !registryDateValid(r.DJRQ));
    // The data plants both faults; a table without them would prove nothing here.
    expect(badId.length).toBeGreaterThan(0);
    expect(badDate.length).toBeGreaterThan(0);
    const faulty = new Set([...badId, ...badDate].map((r) => String(r.XH)));
    const good = rows.filter((r) => !faulty.has(String(r.XH)));

    const ledger = await openLedger(`sqlite://${join(ws.dir, 'data', 'ledger.db')}`);
    try {
      const run = await ledger.lastRun(PIPELINE);
      expect(run).toMatchObject({
        state: 'done',
        read: rows.length,
        created: good.length,
        quarantined: faulty.size,
      });
      const quarantined = await ledger.quarantineFor(run?.runId ?? '');
      expect(new Set(quarantined.map((q) => q.sourceKey))).toEqual(faulty);
      // A date that fails stops the row at the mapping, before the catalog checks the ID number.
      const dated = new Set(badDate.map((r) => String(r.XH)));
      for (const q of quarantined) {
        const codes = q.reasons.map((r) => `${r.code} ${r.path}`).sort();
        expect(codes, `row ${q.sourceKey}`).toEqual(
          dated.has(q.sourceKey)
            ? ['LB_MAP_DATE issueDate', 'LB_MAP_DATE validFrom']
            : ['LB_HOLDER_ID_CHECK holder.id'],
        );
      }
    } finally {
      await ledger.close();
    }

    const typeCode = String(
      parse(await readFile(join(ws.dir, 'catalog', 'small-catering-registration.yaml'), 'utf8')).code,
    );
    const delivered = ws.simulator.licenses().filter((l) => l.license.zzlxdm === typeCode);
    expect(delivered.map((l) => l.license.zzbh).sort()).toEqual(
      good.map((r) => r.DJZBH.trim().toUpperCase()).sort(),
    );
    expect(new Set(delivered.map((l) => l.license.czztdmlx))).toEqual(new Set(['111']));
    expect(ws.simulator.stats().duplicates).toBe(0);
  });
});
