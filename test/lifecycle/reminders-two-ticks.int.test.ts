/**
 * Two lifecycle ticks running at once on one day (BullMQ hands a stalled tick to another worker,
 * and a stalled-out tick is queued again once): both read the same due and pending reminders,
 * and each reminder still reaches the gateway once — the tick that claims it sends it, the other
 * waits for its outcome. A reminder claimed by a tick that died is sent once its lease ran out.
 * The gateway answers slowly, so the two ticks' sends overlap.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateSm2KeyPair } from '../../adapters/signers/local-sm2/keys.js';
import {
  type GatewaySimulator,
  startGatewaySimulator,
} from '../../adapters/simulators/gateway/gateway-simulator.js';
import { contentHash } from '../../catalog/canonical.js';
import { identifierBuilder } from '../../catalog/identifier.js';
import type { License } from '../../catalog/license.js';
import { loadConfig } from '../../config/loader.js';
import type { Config } from '../../config/types.js';
import { encodeKeyPosition } from '../../connectors/key-position.js';
import type { VersionCandidate } from '../../ledger/ledger.js';
import { sendDueReminders } from '../../pipelines/lifecycle/reminders.js';
import { Runtime } from '../../pipelines/runtime.js';
import { quietLogger } from '../ledger/backends.js';

const TYPE = '11370200MB12345674001';
const ISSUER = '11370211MB12345672';
const ids = identifierBuilder(TYPE, ISSUER);
const TODAY = '2026-03-01';
const COUNT = 12;

function license(serial: string, version: number, validTo: string): License {
  return {
    identifier: ids.identifier(serial, version),
    number: `JY${serial}`,
    type: { name: '食品经营许可证', code: TYPE },
    issuer: { name: '青岛西海岸新区市场监督管理局', code: ISSUER },
    issueDate: '2021-01-01',
    validFrom: '2021-01-01',
    validTo,
    areaCode: '370211',
    holder: { name: '海滨小吃店', idType: '001', id: '91370211MA3C000000' },
    status: 'valid',
    surface: { premises: '长江中路1号' },
  };
}

describe('two reminder ticks at once', () => {
  let dir: string;
  let config: Readonly<Config>;
  let sim: GatewaySimulator;
  const runtimes: Runtime[] = [];
  const tag = randomBytes(3).toString('hex').toUpperCase();
  const serial = (n: number) => `TT${tag}${String(n).padStart(6, '0')}`;
  const pipeline = 'food';

  /** A tick of its own process: its own runtime and ledger connection. */
  function runtime(): Runtime {
    const rt = new Runtime(config, quietLogger);
    runtimes.push(rt);
    return rt;
  }

  async function commit(rt: Runtime, validTo: string, from: number, to: number): Promise<void> {
    const ledger = await rt.ledger();
    const runId = randomUUID();
    await ledger.startRun({ runId, pipeline, mode: 'incremental' });
    const candidates: VersionCandidate[] = [];
    for (let n = from; n <= to; n++) {
      const s = serial(n);
      candidates.push({
        licenseId: ids.licenseId(s),
        sourceKey: s,
        contentHash: contentHash(license(s, 1, validTo)),
        status: 'valid',
        lineage: { pipeline, source: 's', sourceKey: s, runId, catalogVersion: 'c', mappingVersion: 'm' },
        build: (version) => license(s, version, validTo),
        contact: { phone: `1391234${String(n).padStart(4, '0')}` },
      });
    }
    await ledger.commitPage({
      pipeline,
      runId,
      checkpoint: encodeKeyPosition({ cursor: null, key: 'k' }),
      rowsRead: candidates.length,
      candidates,
      quarantined: [],
    });
  }

  /** Requests the gateway got, replays included. */
  const requests = () => sim.stats().requests;
  /** (license number, threshold) of every message the gateway sent, in order. */
  const received = () => sim.messages().map((m) => `${m.params.number}@${m.reference.split(':').at(-1)}`);

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'lb-two-ticks-'));
    sim = await startGatewaySimulator({
      auth: { appKey: 'gw', secret: 'gw-secret' },
      faults: { latencyMs: 60 },
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
    concurrency: 3
lifecycle:
  reminders:
    ${TYPE}: { target: holder-sms, thresholds: [7, 30] }
`,
    );
    config = await loadConfig({ file: join(dir, 'licbridge.yaml'), env: {} });
    await commit(runtime(), '2026-03-20', 1, COUNT); // 19 days left on TODAY: the 30-day reminder
  });

  afterAll(async () => {
    for (const rt of runtimes) await rt.close();
    await sim?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('sends each due reminder once when two ticks write and send them at the same moment', async () => {
    const [s1, s2] = await Promise.all([
      sendDueReminders(runtime(), { today: TODAY }),
      sendDueReminders(runtime(), { today: TODAY }),
    ]);
    // One request per reminder: the gateway is never asked for one twice, so no holder depends on
    // it deduplicating simultaneous repeats.
    expect(requests()).toBe(COUNT);
    expect(received()).toHaveLength(COUNT);
    expect(new Set(received()).size).toBe(COUNT);
    expect(s1.sent + s2.sent).toBe(COUNT);
    expect(s1.failed + s2.failed).toBe(0);
    const ledger = await runtime().ledger();
    expect(await ledger.reminders.countByState()).toMatchObject({ pending: 0, sent: COUNT });
  });

  it('sends a pending reminder whose tick died holding it once the claim ran out', async () => {
    const rt = runtime();
    const ledger = await rt.ledger();
    await commit(rt, '2026-03-06', COUNT + 1, COUNT + 1); // 5 days left: the 7-day reminder
    // A tick wrote it pending and claimed it, then died before the gateway was asked.
    const [row] = await ledger.reminders.open([
      {
        licenseId: ids.licenseId(serial(COUNT + 1)),
        version: 1,
        pipeline,
        target: 'holder-sms',
        threshold: 7,
        validTo: '2026-03-06',
        daysLeft: 5,
        dueDay: TODAY,
      },
    ]);
    expect((await ledger.reminders.claim([row?.key ?? ''], 'tick:dead', 400)).claimed).toHaveLength(1);
    const before = requests();
    const [s1, s2] = await Promise.all([
      sendDueReminders(runtime(), { today: TODAY }),
      sendDueReminders(runtime(), { today: TODAY }),
    ]);
    expect(requests() - before).toBe(1);
    expect(received().filter((m) => m.startsWith(`JY${serial(COUNT + 1)}@`))).toEqual([
      `JY${serial(COUNT + 1)}@7`,
    ]);
    expect(s1.sent + s2.sent).toBe(1);
    expect(await ledger.reminders.countByState()).toMatchObject({ pending: 0, sent: COUNT + 1 });
  });
});
