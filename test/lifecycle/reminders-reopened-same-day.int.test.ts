/**
 * A reminder reaches its holder once per (license, version, threshold), and a failed send is tried
 * again once a day at most (migration 039), whatever happened to its row in between: closed as
 * `dropped` (reminders switched off, its notify target renamed) and made `pending` again the same
 * day, it keeps the day of its failed send and waits for the next day; one recorded `sent` is not
 * sent again; one the gateway took from a tick killed before it recorded the answer is sent again
 * under its first key, and the gateway replays its answer. On each ledger backend.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NotifyTarget } from '../../adapters/platforms/notify/notify-target.js';
import { contentHash } from '../../catalog/canonical.js';
import { identifierBuilder } from '../../catalog/identifier.js';
import type { License } from '../../catalog/license.js';
import type { Config } from '../../config/types.js';
import { encodeKeyPosition } from '../../connectors/key-position.js';
import type { Ledger } from '../../ledger/ledger.js';
import { sendDueReminders } from '../../pipelines/lifecycle/reminders.js';
import { Runtime } from '../../pipelines/runtime.js';
import { BACKENDS, type TestDatabase } from '../ledger/backends.js';
import { type ReminderWorkspace, reminderWorkspace, TYPE } from './reminders-fixture.js';

const ISSUER = '11370211MB12345672';
const ids = identifierBuilder(TYPE, ISSUER);

describe.each(BACKENDS)('a reminder dropped and made pending again on one day ($name)', (backend) => {
  /** The fixture's notify target and gateway simulator; the ledger is this backend's. */
  let ws: ReminderWorkspace;
  let database: TestDatabase;
  let config: Readonly<Config>;
  let rt: Runtime;
  let ledger: Ledger;
  const serial = (n: number) => `RS${backend.name.slice(0, 2).toUpperCase()}${String(n).padStart(6, '0')}`;
  const licenseId = (n: number) => ids.licenseId(serial(n));

  async function commit(n: number, validTo: string, phone: string): Promise<void> {
    const s = serial(n);
    const license = (version: number): License => ({
      identifier: ids.identifier(s, version),
      number: `JY${s}`,
      type: { name: '食品经营许可证', code: TYPE },
      issuer: { name: '青岛西海岸新区市场监督管理局', code: ISSUER },
      issueDate: '2021-01-01',
      validFrom: '2021-01-01',
      validTo,
      areaCode: '370211',
      holder: { name: '海滨小吃店', idType: '001', id: '91370211MA3C000000' },
      status: 'valid',
      surface: { premises: '长江中路1号' },
    });
    const runId = randomUUID();
    await ledger.startRun({ runId, pipeline: ws.pipeline, mode: 'incremental' });
    await ledger.commitPage({
      pipeline: ws.pipeline,
      runId,
      checkpoint: encodeKeyPosition({ cursor: null, key: 'k' }),
      rowsRead: 1,
      candidates: [
        {
          licenseId: ids.licenseId(s),
          sourceKey: s,
          contentHash: contentHash(license(1)),
          status: 'valid',
          lineage: {
            pipeline: ws.pipeline,
            source: 's',
            sourceKey: s,
            runId,
            catalogVersion: 'c',
            mappingVersion: 'm',
          },
          build: license,
          contact: { phone },
        },
      ],
      quarantined: [],
    });
  }

  async function tick(cfg: Readonly<Config>, today: string) {
    const other = new Runtime(cfg, ws.rt.logger);
    try {
      return await sendDueReminders(other, { today });
    } finally {
      await other.close();
    }
  }
  /** Nothing listens on port 9: every send fails and is counted for the tick's day. */
  const down = () => ({ ...config, targets: ws.withGateway('http://127.0.0.1:9', 300).targets });
  const off = () => ({ ...config, lifecycle: { ...config.lifecycle, reminders: {} } }) as Readonly<Config>;
  /** The gateway's notify target renamed `gateway-b`, the old name gone. */
  function renamed(): Readonly<Config> {
    const { 'holder-sms': old, ...others } = config.targets;
    const reminders = config.lifecycle?.reminders ?? {};
    return {
      ...config,
      targets: { ...others, 'gateway-b': old },
      lifecycle: {
        ...config.lifecycle,
        reminders: Object.fromEntries(
          Object.entries(reminders).map(([type, r]) => [type, { ...r, target: 'gateway-b' }]),
        ),
      },
    } as Readonly<Config>;
  }
  const messagesOf = (n: number) =>
    ws.sim
      .messages()
      .filter((m) => m.reference.startsWith(`${licenseId(n)}:`))
      .map((m) => ({ threshold: Number(m.reference.split(':').at(-1)), daysLeft: m.params.daysLeft }));
  const rowOf = async (n: number) => (await ledger.reminders.forLicenses([licenseId(n)]))[0];

  beforeAll(async () => {
    ws = await reminderWorkspace();
    database = await backend.create();
    config = { ...ws.config, ledger: { ...ws.config.ledger, url: database.url } };
    rt = new Runtime(config, ws.rt.logger);
    ledger = await rt.ledger();
  });
  afterAll(async () => {
    await rt?.close();
    await database?.dispose();
    await ws?.close();
  });

  it('failed this morning, switched off and on again: sent the next day, not this afternoon', async () => {
    await commit(1, '2031-03-20', '13912350001');
    expect(await tick(down(), '2031-03-01')).toMatchObject({ due: 1, sent: 0, failed: 1 });
    expect(await tick(off(), '2031-03-01')).toMatchObject({ dropped: 1, sent: 0 });
    // On again the same day: the reminder is due again, and its send failed today already.
    expect(await tick(config, '2031-03-01')).toMatchObject({ due: 1, sent: 0, failed: 0, deferred: 1 });
    expect(messagesOf(1)).toEqual([]);
    expect(await rowOf(1)).toMatchObject({ state: 'pending', attempts: 1, lastAttemptDay: '2031-03-01' });
    // And a later tick of that day, with the row pending now, leaves it too.
    expect(await tick(config, '2031-03-01')).toMatchObject({ due: 0, sent: 0, deferred: 1 });

    expect(await tick(config, '2031-03-02')).toMatchObject({ sent: 1, deferred: 0 });
    expect(await tick(config, '2031-03-02')).toMatchObject({ due: 0, sent: 0 });
    expect(messagesOf(1)).toEqual([{ threshold: 30, daysLeft: 18 }]);
  });

  it('failed this morning, its target renamed this afternoon: sent through the new name the next day', async () => {
    await commit(2, '2032-03-20', '13912350002');
    expect(await tick(down(), '2032-03-01')).toMatchObject({ failed: 1 });
    // Closed `target-changed` and written again for the target named now, in one tick.
    expect(await tick(renamed(), '2032-03-01')).toMatchObject({ dropped: 1, sent: 0, deferred: 1 });
    expect(messagesOf(2)).toEqual([]);
    expect(await tick(renamed(), '2032-03-02')).toMatchObject({ sent: 1 });
    expect(messagesOf(2)).toEqual([{ threshold: 30, daysLeft: 18 }]);
    expect(await rowOf(2)).toMatchObject({ state: 'sent', target: 'gateway-b', keyTarget: 'holder-sms' });
  });

  it('sent, then switched off and on again the same day: not sent again', async () => {
    await commit(3, '2033-03-20', '13912350003');
    expect(await tick(config, '2033-03-01')).toMatchObject({ due: 1, sent: 1 });
    expect(await tick(off(), '2033-03-01')).toMatchObject({ dropped: 0 });
    expect(await tick(renamed(), '2033-03-01')).toMatchObject({ due: 0, sent: 0 });
    expect(await tick(config, '2033-03-01')).toMatchObject({ due: 0, sent: 0 });
    expect(messagesOf(3)).toEqual([{ threshold: 30, daysLeft: 19 }]);
  });

  it('taken by the gateway from a tick killed before it recorded the answer: replayed, not sent twice', async () => {
    await commit(4, '2034-03-20', '13912350004');
    // The killed tick wrote the row pending and the gateway took its message; nothing more.
    const [row] = await ledger.reminders.open([
      {
        licenseId: licenseId(4),
        version: 1,
        pipeline: ws.pipeline,
        target: 'holder-sms',
        threshold: 30,
        validTo: '2034-03-20',
        daysLeft: 19,
        dueDay: '2034-03-01',
      },
    ]);
    if (!row) throw new Error('expected the pending row');
    const target = config.targets['holder-sms'];
    if (target?.kind !== 'notify') throw new Error('expected the notify target');
    const gateway = new NotifyTarget('holder-sms', target);
    try {
      expect(
        await gateway.send({
          key: row.key,
          recipient: '13912350004',
          params: {
            licenseType: '食品经营许可证',
            number: `JY${serial(4)}`,
            issuer: 'x',
            validTo: '2034-03-20',
            daysLeft: 19,
          },
        }),
      ).toMatchObject({ state: 'sent', replayed: false });
    } finally {
      await gateway.close();
    }
    // Switched off and on again the same day: sent again under its first key, and the gateway
    // answers from its memory.
    expect(await tick(off(), '2034-03-01')).toMatchObject({ dropped: 1 });
    expect(await tick(config, '2034-03-01')).toMatchObject({ due: 1, sent: 1, replayed: 1 });
    expect(messagesOf(4)).toHaveLength(1);
    expect(await rowOf(4)).toMatchObject({ state: 'sent' });
  });
});
