/**
 * A MySQL or MariaDB BIT(n) column in the in-database row fingerprint. It was cast to CHAR: its
 * bytes made characters, and a byte from 0x80 on is no utf8mb4 character, printed `?`. BIT(16)
 * business-scope flags 0x02AA and 0x02AB both printed `\x02?`… as one fingerprint, so a check
 * comparing the source with the ledger never saw such a flag change (an edit in place that left
 * the cursor where it was, what the check is there to find). A BIT is fingerprinted by its number
 * in hex, which tells every value apart. A BIT(1) flag keeps its CAST, 0x00 or 0x01, which NULL's
 * `N` is not: the fingerprints stored for its rows before are the ones read now.
 */
import type { RowDataPacket } from 'mysql2/promise';
import { describe, expect, it } from 'vitest';
import { withSourceDefaults } from '../../config/source-defaults.js';
import { decodingPrefix } from '../../connectors/sql/fingerprint.js';
import { digestsInDb } from './bucket-folds.js';
import { mariadbConfig, mariadbSource } from './legacy-sources.js';

const legacy = mariadbSource(async (c) => {
  await c.query('CREATE TABLE T_JY (ID INT PRIMARY KEY, MC VARCHAR(20), JYXM BIT(16), ZT BIT(1))');
  await c.query(
    "INSERT INTO T_JY VALUES (1, '甲店', b'0000001010101010', b'1'), (2, '乙店', NULL, b'0'), (3, '丙店', b'1', NULL)",
  );
  await c.query('CREATE TABLE T_ZT (ID INT PRIMARY KEY, ZT BIT(1))');
  await c.query("INSERT INTO T_ZT VALUES (1, b'0'), (2, b'1'), (3, NULL)");
});

const stream = { table: 'T_JY', key: 'ID' };

async function fingerprints(from = stream): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for await (const page of legacy.source.read({ stream: from, after: null, pageSize: 2 })) {
    for (const [key, fp] of page.fingerprints ?? []) out.set(key, fp);
  }
  return out;
}

const changed = (before: Map<string, string>, after: Map<string, string>): string[] =>
  [...after].filter(([k, fp]) => before.get(k) !== fp).map(([k]) => k);

describe('mysql BIT columns in the row fingerprint', () => {
  it.each([
    ['a flag past the seventh changes', "b'0000001010101011'"],
    ['its high byte changes', "b'0000011010101011'"],
    ['it is set to NULL', 'NULL'],
  ])("changes the row's fingerprint, and its bucket's digest, when %s", async (_, value) => {
    const before = await fingerprints();
    const digests = await digestsInDb(legacy.source, stream, 1);
    await legacy.fresh.conn.query(`UPDATE T_JY SET JYXM = ${value} WHERE ID = 1`);
    expect(changed(before, await fingerprints())).toEqual(['1']);
    expect(await digestsInDb(legacy.source, stream, 1)).not.toEqual(digests);
  });

  it("changes a BIT(1)'s row's fingerprint when the flag is cleared", async () => {
    const before = await fingerprints();
    await legacy.fresh.conn.query("UPDATE T_JY SET ZT = b'0' WHERE ID = 1");
    expect(changed(before, await fingerprints())).toEqual(['1']);
  });

  it('keeps the fingerprints of a BIT(1) flag as they were stored, 0, 1 and NULL each its own', async () => {
    // The expression 89f62e29 selected, before b7b59773 fingerprinted every BIT by HEX.
    const prefix = decodingPrefix(withSourceDefaults(mariadbConfig(legacy.fresh.database)));
    const [stored] = await legacy.fresh.conn.query<RowDataPacket[]>(
      "SELECT ID, MD5(CONCAT_WS(',', ?, IFNULL(CAST(`ID` AS CHAR), 'N'), IFNULL(CAST(`ZT` AS CHAR), 'N'))) AS fp FROM T_ZT ORDER BY ID",
      [prefix],
    );
    const now = await fingerprints({ table: 'T_ZT', key: 'ID' });
    expect([...now]).toEqual(stored.map((r) => [String(r.ID), r.fp]));
    expect(new Set(now.values()).size).toBe(3);
  });
});
