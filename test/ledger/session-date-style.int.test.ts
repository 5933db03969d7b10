/**
 * A PostgreSQL ledger whose database or role sets a DateStyle other than ISO (`SQL, DMY` for an
 * application that shows dd/mm/yyyy, `German`, `Postgres`). The server prints a timestamptz as
 * DateStyle says, and node-postgres reads only the ISO style: `08/12/2026 06:52:23.123 CST` came
 * back as null, so a run's start and a delivery's last change could not be read (the ledger
 * refused them as no timestamp) and a run's end read as none. In ISO the offset is printed as a
 * number, which node-postgres reads in any TimeZone (the role's here is Asia/Shanghai).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openLedger } from '../../ledger/open-ledger.js';
import { quietLogger } from './backends.js';
import { type DateStyleRole, dateStyleRole } from './date-style-role.js';
import { candidates, commitOnePage, uniqueName } from './fixtures.js';

describe.each(['SQL, DMY', 'German', 'Postgres, DMY'])('a ledger whose role sets DateStyle %s', (style) => {
  let role: DateStyleRole;

  beforeAll(async () => {
    role = await dateStyleRole(style);
  });
  afterAll(async () => {
    await role?.drop();
  });

  /** One row's timestamps as a session in the ISO style reads them. */
  async function stored(sql: string, params: unknown[] = []): Promise<Record<string, Date | null>> {
    const { rows } = await role.admin.query(sql.replaceAll('$schema', role.schema), params);
    expect(rows).toHaveLength(1);
    return rows[0];
  }

  /** Writes a run, a version and a delivery through a ledger opened on `url`, and reads them back. */
  async function readsAsWritten(url: string): Promise<void> {
    const ledger = await openLedger(url, { logger: quietLogger });
    try {
      const pipeline = uniqueName('datestyle');
      const runId = uniqueName('run');
      const page = await commitOnePage(ledger, pipeline, runId, candidates(1, 1, { pipeline }));
      const ids = page.created.map((c) => c.versionId);
      const [ensured] = await ledger.ensureDeliveries(ids, 'province');
      await ledger.finishRun(runId, { state: 'failed', error: 'datestyle: stopped' });

      const run = await ledger.getRun(runId);
      const runAt = await stored('select started_at, finished_at from $schema.runs where run_id = $1', [
        runId,
      ]);
      expect(run?.startedAt).toEqual(runAt.started_at);
      expect(run?.finishedAt).toEqual(runAt.finished_at);
      expect(run?.finishedAt).toBeInstanceOf(Date);

      const [version] = await ledger.getVersions(ids);
      const versionAt = await stored(
        'select created_at from $schema.license_versions where version_id = $1',
        ids,
      );
      expect(version?.createdAt).toEqual(versionAt.created_at);

      const [delivery] = await ledger.getDeliveries([ensured?.key ?? '']);
      const deliveryAt = await stored(
        'select updated_at from $schema.deliveries where version_id = $1 and target = $2',
        [ids[0], 'province'],
      );
      expect(delivery?.updatedAt).toEqual(deliveryAt.updated_at);
      expect(delivery?.updatedAt.getTime()).not.toBeNaN();
    } finally {
      await ledger.close();
    }
  }

  it("reads its runs', versions' and deliveries' times as written", async () => {
    await readsAsWritten(role.url);
  });

  it("reads them so where the URL's own startup options set another DateStyle", async () => {
    // node-postgres sends a URL's `options` in the startup packet, over the role's settings.
    const url = new URL(role.url);
    url.searchParams.set('options', '-c DateStyle=German -c lock_timeout=5000');
    await readsAsWritten(url.toString());
  });
});
