/**
 * Expiry reminders end to end in one process, ledger → notify target → gateway simulator, with
 * thresholds [30, 7]. Which license gets which reminder on which day is worked out by hand below
 * from the dates alone; the simulator's record of what it sent is the evidence.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { type AddressInfo, connect, createServer as createNetServer, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateSm2KeyPair } from '../../adapters/signers/local-sm2/keys.js';
import {
  type GatewaySimulator,
  startGatewaySimulator,
} from '../../adapters/simulators/gateway/gateway-simulator.js';
import { contentHash } from '../../catalog/canonical.js';
import type { HolderContact } from '../../catalog/holder-contact.js';
import { identifierBuilder } from '../../catalog/identifier.js';
import type { License, LicenseStatus } from '../../catalog/license.js';
import { loadConfig } from '../../config/loader.js';
import type { Config } from '../../config/types.js';
import { encodeKeyPosition } from '../../connectors/key-position.js';
import { createLogger } from '../../core/logger.js';
import type { Ledger, VersionCandidate } from '../../ledger/ledger.js';
import { daysBetween, dueThreshold } from '../../pipelines/lifecycle/reminder-due.js';
import { sendDueReminders } from '../../pipelines/lifecycle/reminders.js';
import { Runtime } from '../../pipelines/runtime.js';

const TYPE = '11370200MB12345674001';
const ISSUER = '11370211MB12345672';
const ids = identifierBuilder(TYPE, ISSUER);
const HOLDER = '海滨小吃店';
const UNREACHABLE = '13900009999';

/**
 * A way to the gateway at `origin` on which every answer is lost: each request reaches the gateway
 * as sent, and the caller's connection is cut once the gateway has answered.
 */
async function answersLost(origin: string): Promise<{ url: string; close(): Promise<void> }> {
  const { hostname, port } = new URL(origin);
  const sockets = new Set<Socket>();
  const server = createNetServer((caller) => {
    const gateway = connect(Number(port), hostname);
    for (const s of [caller, gateway]) {
      sockets.add(s);
      s.on('error', () => undefined);
      s.on('close', () => sockets.delete(s));
    }
    caller.pipe(gateway);
    gateway.once('data', () => {
      caller.destroy();
      gateway.destroy();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () =>
      new Promise<void>((r) => {
        for (const s of sockets) s.destroy();
        server.close(() => r());
      }),
  };
}

interface Fixture {
  n: number;
  validTo: string;
  contact: HolderContact | null;
  status?: LicenseStatus;
  /** Changes the license's content (a new version) without touching validTo. */
  premises?: string;
}

function license(serial: string, version: number, f: Fixture): License {
  return {
    identifier: ids.identifier(serial, version),
    number: `JY${serial}`,
    type: { name: '食品经营许可证', code: TYPE },
    issuer: { name: '青岛西海岸新区市场监督管理局', code: ISSUER },
    issueDate: '2021-01-01',
    validFrom: '2021-01-01',
    validTo: f.validTo,
    areaCode: '370211',
    holder: { name: HOLDER, idType: '001', id: '91370211MA3C000000' },
    status: f.status ?? 'valid',
    surface: { premises: f.premises ?? '长江中路1号' },
  };
}

describe('sendDueReminders', () => {
  let dir: string;
  let config: Readonly<Config>;
  let rt: Runtime;
  let ledger: Ledger;
  let sim: GatewaySimulator;
  const logLines: string[] = [];
  const tag = randomBytes(3).toString('hex').toUpperCase();
  const serial = (n: number) => `RT${tag}${String(n).padStart(6, '0')}`;
  const licenseId = (n: number) => ids.licenseId(serial(n));
  const phone = (n: number) => `1391234${String(n).padStart(4, '0')}`;
  const number = (n: number) => `JY${serial(n)}`;
  const pipeline = 'food';

  async function commit(fixtures: Fixture[]): Promise<void> {
    const runId = randomUUID();
    await ledger.startRun({ runId, pipeline, mode: 'incremental' });
    const candidates: VersionCandidate[] = fixtures.map((f) => {
      const s = serial(f.n);
      return {
        licenseId: ids.licenseId(s),
        sourceKey: s,
        contentHash: contentHash(license(s, 1, f)),
        status: f.status ?? 'valid',
        lineage: { pipeline, source: 's', sourceKey: s, runId, catalogVersion: 'c', mappingVersion: 'm' },
        build: (version) => license(s, version, f),
        contact: f.contact,
      };
    });
    await ledger.commitPage({
      pipeline,
      runId,
      checkpoint: encodeKeyPosition({ cursor: null, key: 'k' }),
      rowsRead: candidates.length,
      candidates,
      quarantined: [],
    });
  }

  /** The config with the notify target moved to another gateway. */
  function withGateway(url: string, timeoutMs: number): Readonly<Config> {
    const t = config.targets['holder-sms'];
    if (t?.kind !== 'notify') throw new Error('expected the notify target');
    return { ...config, targets: { ...config.targets, 'holder-sms': { ...t, url, timeoutMs } } };
  }

  /** (license number, threshold) of every message the gateway sent, in order. */
  const received = () => sim.messages().map((m) => `${m.params.number}@${m.reference.split(':').at(-1)}`);

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'lb-reminders-'));
    sim = await startGatewaySimulator({
      auth: { appKey: 'gw', secret: 'gw-secret' },
      unreachable: [UNREACHABLE],
    });
    await writeFile(join(dir, 'seal.key.pem'), generateSm2KeyPair().privateKeyPem, { mode: 0o600 });
    await writeFile(
      join(dir, 'licbridge.yaml'),
      `ledger: { url: "sqlite://./ledger.db" }
catalog: ./catalog
sources:
  s: { kind: sqlite, path: ./legacy.db }
pipelines:
  ${pipeline}:
    source: s
    stream: { table: T, key: ID }
    mapping: ./mapping.yaml
    licenseType: ${TYPE}
    issuer: { name: 青岛西海岸新区市场监督管理局, code: ${ISSUER} }
    signer: seal
    targets: [province]
signers:
  seal: { kind: local-sm2, keyFile: ${join(dir, 'seal.key.pem')}, sealId: "3702110000001" }
targets:
  province: { kind: rest-json, url: "http://127.0.0.1:9" }
  holder-sms:
    kind: notify
    url: "${sim.url}"
    auth: { scheme: hmac, appKey: gw, secret: gw-secret }
    timeoutMs: 5000
    attempts: 1
    backoffMs: 10
    concurrency: 2
lifecycle:
  reminders:
    ${TYPE}: { target: holder-sms, thresholds: [7, 30] }
`,
    );
    config = await loadConfig({ file: join(dir, 'licbridge.yaml'), env: {} });
    const sink = new Writable({
      write(chunk, _enc, done) {
        logLines.push(String(chunk));
        done();
      },
    });
    rt = new Runtime(config, createLogger({ level: 'debug', destination: sink }));
    ledger = await rt.ledger();
    await commit([
      { n: 1, validTo: '2026-03-20', contact: { phone: phone(1) } }, // 19 days on 03-01
      { n: 2, validTo: '2026-03-05', contact: { phone: `${phone(2).slice(0, 3)}-${phone(2).slice(3)}` } }, // 4 days
      { n: 3, validTo: '2026-05-01', contact: { phone: phone(3) } }, // 61 days
      { n: 4, validTo: '2026-03-10', contact: null }, // no contact: never a candidate
      { n: 5, validTo: '2026-03-10', contact: { phone: '12' } }, // not a phone number
      { n: 6, validTo: '2026-03-10', contact: { phone: UNREACHABLE } },
      { n: 7, validTo: '2026-03-10', contact: { phone: phone(7) }, status: 'revoked' },
      { n: 8, validTo: '2026-03-10', contact: { appUserId: 'wx-8' } }, // no phone for an sms gateway
      { n: 9, validTo: '2026-03-01', contact: { phone: phone(9) } }, // expires today: 0 days left
    ]);
  });

  afterAll(async () => {
    await rt?.close();
    await sim?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('works out days and thresholds as the calendar does', () => {
    expect(daysBetween('2026-03-01', '2026-03-20')).toBe(19);
    expect(daysBetween('2026-02-27', '2026-03-01')).toBe(2); // not a leap year
    expect(daysBetween('2028-02-27', '2028-03-01')).toBe(3); // a leap year
    expect(dueThreshold([7, 30], 31)).toBeUndefined();
    expect(dueThreshold([7, 30], 30)).toBe(30);
    expect(dueThreshold([7, 30], 8)).toBe(30);
    expect(dueThreshold([7, 30], 7)).toBe(7);
    expect(dueThreshold([7, 30], 0)).toBe(7);
    expect(dueThreshold([7, 30], -1)).toBeUndefined();
  });

  it('sends each license the reminder of the smallest threshold it reached, and skips what cannot be sent', async () => {
    const summary = await sendDueReminders(rt, { today: '2026-03-01' });
    expect(summary).toEqual({
      today: '2026-03-01',
      due: 6, // 1, 2, 5, 6, 8, 9
      sent: 3,
      replayed: 0,
      skipped: 3,
      dropped: 0,
      failed: 0,
      deferred: 0,
      byOtherTick: 0,
      contactsPurged: 1, // license 7 is revoked: its contact is of no more use
    });
    expect(received().sort()).toEqual([`${number(1)}@30`, `${number(2)}@7`, `${number(9)}@7`].sort());
    const two = sim.messages().find((m) => m.params.number === number(2));
    // The gateway gets the number as it dials it, and the message names the license, not its holder.
    expect(two).toMatchObject({ channel: 'sms', recipient: phone(2), template: 'license-expiry' });
    expect(two?.params).toEqual({
      licenseType: '食品经营许可证',
      number: number(2),
      issuer: '青岛西海岸新区市场监督管理局',
      validTo: '2026-03-05',
      daysLeft: 4,
    });
    const skipped = await ledger.reminders.list({ state: 'skipped' });
    expect(Object.fromEntries(skipped.map((r) => [r.licenseId, r.reason]))).toEqual({
      [licenseId(5)]: 'contact-invalid',
      [licenseId(6)]: 'gateway-refused:unreachable-recipient',
      [licenseId(8)]: 'no-contact',
    });
  });

  it('sends nothing more when the tick runs again on the same day', async () => {
    const summary = await sendDueReminders(rt, { today: '2026-03-01' });
    expect(summary).toMatchObject({ due: 0, sent: 0, skipped: 0 });
    expect(sim.stats().sent).toBe(3);
  });

  it('sends the 7-day reminder once the license reaches it, and nothing again for a new version with the same validTo', async () => {
    await commit([{ n: 1, validTo: '2026-03-20', contact: { phone: phone(1) }, premises: '长江中路2号' }]);
    expect(
      (
        await ledger.reminders.candidates({
          pipelines: [pipeline],
          from: '2026-03-02',
          to: '2026-04-01',
          limit: 10,
        })
      ).find((c) => c.licenseId === licenseId(1))?.version,
    ).toBe(2);
    await sendDueReminders(rt, { today: '2026-03-02' });
    expect(received()).toHaveLength(3);
    const summary = await sendDueReminders(rt, { today: '2026-03-13' });
    expect(summary).toMatchObject({ due: 1, sent: 1 });
    expect(received().at(-1)).toBe(`${number(1)}@7`);
    const [seven] = (await ledger.reminders.forLicenses([licenseId(1)])).filter((r) => r.threshold === 7);
    expect(seven).toMatchObject({ version: 2, daysLeft: 7, state: 'sent' });
    await sendDueReminders(rt, { today: '2026-03-19' });
    expect(received()).toHaveLength(4);
  });

  it('starts over for a renewed validTo', async () => {
    await sendDueReminders(rt, { today: '2026-04-05' }); // license 3: 26 days
    expect(received().at(-1)).toBe(`${number(3)}@30`);
    await commit([{ n: 2, validTo: '2031-03-05', contact: { phone: phone(2) } }]);
    await sendDueReminders(rt, { today: '2031-02-27' });
    expect(received().at(-1)).toBe(`${number(2)}@7`);
    expect(received().filter((r) => r === `${number(2)}@7`)).toHaveLength(2);
  });

  it('re-sends a reminder whose answer was lost under its first key: the gateway sends it once', async () => {
    await commit([{ n: 10, validTo: '2032-01-10', contact: { phone: phone(10) } }]);
    const sentBefore = sim.stats().sent;
    // The gateway takes the message and answers; the answer is lost on its way back (the caller's
    // connection cut once the gateway answered): sent there, unknown here. Lost to the caller's
    // timeout instead, a loaded machine could time the request out before it was written, and the
    // gateway never had it.
    const gateway = await startGatewaySimulator({ auth: { appKey: 'gw', secret: 'gw-secret' } });
    const lossy = await answersLost(gateway.url);
    const lossyRt = new Runtime(withGateway(lossy.url, 5000), rt.logger);
    try {
      const first = await sendDueReminders(lossyRt, { today: '2032-01-01' });
      expect(first).toMatchObject({ due: 1, sent: 0, failed: 1 });
      expect(gateway.messages()).toHaveLength(1);
      const [row] = await ledger.reminders.forLicenses([licenseId(10)]);
      expect(row).toMatchObject({ state: 'pending', attempts: 1 });
      // The next tick (its answers reach the caller again) re-sends under the same key: a replay.
      const fastRt = new Runtime(withGateway(gateway.url, 5000), rt.logger);
      try {
        const second = await sendDueReminders(fastRt, { today: '2032-01-02' });
        expect(second).toMatchObject({ due: 0, sent: 1, replayed: 1 });
      } finally {
        await fastRt.close();
      }
      expect(gateway.messages()).toHaveLength(1);
      expect(gateway.stats().replays).toBe(1);
      expect((await ledger.reminders.forLicenses([licenseId(10)]))[0]).toMatchObject({ state: 'sent' });
    } finally {
      await lossyRt.close();
      await lossy.close();
      await gateway.close();
    }
    expect(sim.stats().sent).toBe(sentBefore);
  });

  it('drops a pending reminder whose license is no longer valid', async () => {
    await commit([{ n: 11, validTo: '2033-01-10', contact: { phone: phone(11) } }]);
    const [opened] = await ledger.reminders.open([
      {
        licenseId: licenseId(11),
        version: 1,
        pipeline,
        target: 'holder-sms',
        threshold: 30,
        validTo: '2033-01-10',
        daysLeft: 20,
        dueDay: '2032-12-21',
      },
    ]);
    await commit([{ n: 11, validTo: '2033-01-10', contact: { phone: phone(11) }, status: 'revoked' }]);
    const summary = await sendDueReminders(rt, { today: '2032-12-22' });
    expect(summary).toMatchObject({ dropped: 1, sent: 0 });
    expect((await ledger.reminders.forLicenses([licenseId(11)]))[0]).toMatchObject({
      key: opened?.key,
      state: 'dropped',
      reason: 'license-not-valid',
    });
  });

  it('leaves the rest pending once a gateway is down, and sends them all once it is back', async () => {
    const batch = [20, 21, 22, 23, 24, 25, 26, 27, 28, 29];
    await commit(batch.map((n) => ({ n, validTo: '2034-01-10', contact: { phone: phone(n) } })));
    const downRt = new Runtime(withGateway('http://127.0.0.1:9', 300), rt.logger);
    try {
      const down = await sendDueReminders(downRt, { today: '2034-01-01' });
      expect(down).toMatchObject({ due: 10, sent: 0, failed: 10 });
      // Five reminders in a row failed (two at a time): the other ones were not tried.
      const rows = await ledger.reminders.forLicenses(batch.map(licenseId));
      expect(rows.every((r) => r.state === 'pending')).toBe(true);
      const tried = rows.filter((r) => r.attempts > 0).length;
      expect(tried).toBeGreaterThanOrEqual(5);
      expect(tried).toBeLessThan(10);
    } finally {
      await downRt.close();
    }
    const before = sim.stats().sent;
    const back = await sendDueReminders(rt, { today: '2034-01-02' });
    expect(back).toMatchObject({ due: 0, sent: 10, replayed: 0, failed: 0 });
    expect(sim.stats().sent - before).toBe(10);
    const numbers = new Set(batch.map((n) => `${number(n)}@30`));
    expect(received().filter((r) => numbers.has(r))).toHaveLength(10);
  });

  it('a tick of other pipelines leaves the reminders alone; a full one closes those no longer configured', async () => {
    await commit([{ n: 30, validTo: '2035-01-10', contact: { phone: phone(30) } }]);
    await ledger.reminders.open([
      {
        licenseId: licenseId(30),
        version: 1,
        pipeline,
        target: 'holder-sms',
        threshold: 30,
        validTo: '2035-01-10',
        daysLeft: 9,
        dueDay: '2035-01-01',
      },
    ]);
    const other = await sendDueReminders(rt, { today: '2035-01-01', pipelines: ['another'] });
    expect(other).toMatchObject({ due: 0, sent: 0, dropped: 0 });
    expect((await ledger.reminders.forLicenses([licenseId(30)]))[0]?.state).toBe('pending');
    const { lifecycle: _off, ...withoutReminders } = config;
    const offRt = new Runtime(withoutReminders, rt.logger);
    try {
      const off = await sendDueReminders(offRt, { today: '2035-01-01' });
      expect(off).toMatchObject({ due: 0, sent: 0, dropped: 1 });
    } finally {
      await offRt.close();
    }
    expect((await ledger.reminders.forLicenses([licenseId(30)]))[0]).toMatchObject({
      state: 'dropped',
      reason: 'reminders-off',
    });
  });

  it('audits every final state, and no log line or audit entry holds a contact or the holder', async () => {
    const rows = await ledger.reminders.list({ limit: 1000 });
    const final = rows.filter((r) => r.state !== 'pending');
    const audit = await ledger.readAudit({ limit: 10_000 });
    const reminds = audit.filter((e) => e.action === 'remind');
    expect(reminds).toHaveLength(final.length);
    expect(
      new Set(reminds.map((e) => `${e.licenseId}:${e.version}:${JSON.parse(e.detail).threshold}`)),
    ).toEqual(new Set(final.map((r) => r.key)));
    const text = `${logLines.join('')}\n${JSON.stringify(audit)}\n${JSON.stringify(rows)}`;
    expect(logLines.join('')).toContain('lifecycle: expiry reminders');
    for (const n of [1, 2, 3, 5, 6, 7, 8, 9, 10, 11, 20, 25, 29, 30])
      expect(text).not.toContain(phone(n).slice(-8));
    for (const secret of [UNREACHABLE, 'wx-8', HOLDER]) expect(text).not.toContain(secret);
  });
});
