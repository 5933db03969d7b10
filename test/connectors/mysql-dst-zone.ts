/**
 * A time zone that keeps summer time, written into the test MariaDB server's time zone tables
 * (which hold none here) for one test file and removed after: offsets +02:00 in summer and +01:00
 * in winter, the clocks going back at 2024-10-27 01:00 UTC, so 02:00–03:00 local comes twice.
 */
import { randomUUID } from 'node:crypto';
import type { Connection } from 'mysql2/promise';

export interface DstZone {
  /** The zone's name, for `SET time_zone`. */
  name: string;
  drop(): Promise<void>;
}

export async function createDstZone(c: Connection): Promise<DstZone> {
  const name = `lb_dst_${randomUUID().replaceAll('-', '').slice(0, 12)}`;
  // The id by AUTO_INCREMENT, not MAX + 1: another test file may write a zone at the same time.
  const [inserted] = (await c.query(
    "INSERT INTO mysql.time_zone (Use_leap_seconds) VALUES ('N')",
  )) as unknown as [{ insertId: number }];
  const zoneId = Number(inserted.insertId);
  const drop = async () => {
    for (const table of ['time_zone_transition', 'time_zone_transition_type', 'time_zone_name', 'time_zone'])
      await c.query(`DELETE FROM mysql.${table} WHERE Time_zone_id = ?`, [zoneId]);
  };
  try {
    await c.query('INSERT INTO mysql.time_zone_name (Name, Time_zone_id) VALUES (?, ?)', [name, zoneId]);
    await c.query(
      `INSERT INTO mysql.time_zone_transition_type (Time_zone_id, Transition_type_id, \`Offset\`, Is_DST, Abbreviation)
         VALUES (?, 0, 7200, 1, 'LBS'), (?, 1, 3600, 0, 'LBW')`,
      [zoneId, zoneId],
    );
    // Summer time from 2024-03-31 01:00 UTC, winter time from 2024-10-27 01:00 UTC.
    await c.query(
      'INSERT INTO mysql.time_zone_transition (Time_zone_id, Transition_time, Transition_type_id) VALUES (?, 1711846800, 0), (?, 1729990800, 1)',
      [zoneId, zoneId],
    );
  } catch (error) {
    await drop();
    throw error;
  }
  return { name, drop };
}
