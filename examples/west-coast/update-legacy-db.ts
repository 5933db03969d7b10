/**
 * Simulates one working day in the legacy system: some valid licenses revoked, some edited, some
 * newly issued. Every change bumps GXSJ past the current maximum, as the legacy application does,
 * and the revocations share one GXSJ (the clerk revokes them in one batch) — so an incremental run
 * from yesterday's checkpoint must find exactly these rows.
 */
import {
  insertRecords,
  LEGACY_TABLE,
  type LegacyRecord,
  newRecord,
  openWritable,
  updateTime,
} from './generate-legacy-db.js';
import { address, type BusinessForm, businessItems, draw, personName } from './legacy-records.js';

export interface LegacyChanges {
  /** Valid licenses to revoke (ZT 1 → 0). @defaultValue 5 */
  revoke?: number;
  /** Licenses to edit (address, items or legal representative). @defaultValue 10 */
  modify?: number;
  /** New licenses to issue. @defaultValue 5 */
  add?: number;
  /** @defaultValue 1 */
  seed?: number;
}

/** The IDs touched, as text (the connector's row keys). */
export interface AppliedChanges {
  revoked: string[];
  modified: string[];
  added: string[];
  /** The day the changes were made on (`yyyy-MM-dd`). */
  day: string;
}

export async function applyLegacyChanges(path: string, changes: LegacyChanges = {}): Promise<AppliedChanges> {
  const d = draw(changes.seed ?? 1);
  const db = await openWritable(path);
  try {
    const { maxTime, maxId } = db
      .prepare(`SELECT max(GXSJ) AS maxTime, max(ID) AS maxId FROM ${LEGACY_TABLE}`)
      .get() as { maxTime: string | null; maxId: number | null };
    // The next calendar day after the latest change, so every new GXSJ is strictly later.
    const last = Date.parse(`${(maxTime ?? '2025-12-31').slice(0, 10)}T00:00:00Z`);
    const day = new Date(last + 86_400_000);
    const dayText = day.toISOString().slice(0, 10);
    const pickIds = (where: string, n: number, exclude: readonly number[]): number[] => {
      const ids = (
        db.prepare(`SELECT ID FROM ${LEGACY_TABLE} WHERE ${where} ORDER BY ID`).all() as { ID: number }[]
      )
        .map((r) => r.ID)
        .filter((id) => !exclude.includes(id));
      const chosen: number[] = [];
      while (chosen.length < n && ids.length > 0) chosen.push(...ids.splice(d.int(0, ids.length - 1), 1));
      return chosen.sort((a, b) => a - b);
    };

    const revoked = pickIds(`ZT = '1'`, changes.revoke ?? 5, []);
    const modified = pickIds('1 = 1', changes.modify ?? 10, revoked);
    db.transaction(() => {
      const batch = updateTime(day, d);
      const revoke = db.prepare(`UPDATE ${LEGACY_TABLE} SET ZT = '0', GXSJ = ? WHERE ID = ?`);
      for (const id of revoked) revoke.run(batch, id);
      const formOf = db.prepare(`SELECT ZTYT FROM ${LEGACY_TABLE} WHERE ID = ?`).pluck();
      for (const id of modified) {
        const column = d.weighted([
          ['JYCS', 3],
          ['JYXM', 1],
          ['FDDBR', 1],
        ] as const);
        const value =
          column === 'JYCS'
            ? address(d)
            : column === 'FDDBR'
              ? personName(d)
              : businessItems(d, formOf.get(id) as BusinessForm);
        db.prepare(`UPDATE ${LEGACY_TABLE} SET ${column} = ?, GXSJ = ? WHERE ID = ?`).run(
          value,
          updateTime(day, d),
          id,
        );
      }
    })();

    const serials = new Set(
      (db.prepare(`SELECT XKZBH FROM ${LEGACY_TABLE}`).all() as { XKZBH: string }[]).map((r) =>
        r.XKZBH.slice(9, 16),
      ),
    );
    const records: LegacyRecord[] = [];
    for (let i = 1; i <= (changes.add ?? 5); i++) {
      let serial = String(d.int(1_000_000, 9_999_999));
      while (serials.has(serial)) serial = String(d.int(1_000_000, 9_999_999));
      serials.add(serial);
      const record = newRecord(d, (maxId ?? 0) + i, serial, day);
      record.ZT = '1';
      records.push(record);
    }
    insertRecords(db, records);
    return {
      revoked: revoked.map(String),
      modified: modified.map(String),
      added: records.map((r) => String(r.ID)),
      day: dayText,
    };
  } finally {
    db.close();
  }
}
