/**
 * A ledger with licenses committed by hand, a notify target `holder-sms` and the gateway
 * simulator, for reminder tests that pick each license's validTo and contact themselves
 * (thresholds [7, 30], one pipeline `food`). The ledger is a SQLite file beside the config, or a
 * fresh database on the `backend` given.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
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
import { createLogger, type Logger } from '../../core/logger.js';
import type { Ledger, VersionCandidate } from '../../ledger/ledger.js';
import { sendDueReminders } from '../../pipelines/lifecycle/reminders.js';
import { createQueues, type QueueSet } from '../../pipelines/queues.js';
import { queueConnection } from '../../pipelines/redis.js';
import { Runtime } from '../../pipelines/runtime.js';
import type { Backend } from '../ledger/backends.js';
import { obliterate } from '../support/demo-workspace.js';

export const TYPE = '11370200MB12345674001';
const ISSUER = '11370211MB12345672';
const ids = identifierBuilder(TYPE, ISSUER);

export interface ReminderWorkspace {
  config: Readonly<Config>;
  rt: Runtime;
  ledger: Ledger;
  sim: GatewaySimulator;
  pipeline: string;
  /** The config file, for a test that runs the built command on the workspace. */
  configFile: string;
  licenseId(n: number): string;
  /** License `n`'s number, as the gateway's message carries it. */
  number(n: number): string;
  /** A new version of license `n` with this validTo and contact (`valid`, or `status`), of `pipeline` (`food`). */
  commit(
    n: number,
    validTo: string,
    contact: HolderContact,
    premises?: string,
    ofPipeline?: string,
    status?: LicenseStatus,
  ): Promise<void>;
  /** The config with the notify target moved to another gateway url. */
  withGateway(url: string, timeoutMs?: number): Readonly<Config>;
  /** The config with reminders switched off for every license type. */
  remindersOff(): Readonly<Config>;
  /** The config with the gateway's notify target renamed `gateway-b`, the old name gone. */
  renamedTarget(): Readonly<Config>;
  /** One tick of reminders for `today` under `config`, in a runtime of its own; `stop` stops it. */
  tick(config: Readonly<Config>, today: string, stop?: AbortSignal): ReturnType<typeof sendDueReminders>;
  /** The gateway's messages about license `n`: each one's threshold and days left. */
  messagesOf(n: number): { threshold: number; daysLeft: string | number | undefined }[];
  close(): Promise<void>;
}

export async function reminderWorkspace(
  options: { logger?: Logger; concurrency?: number; gatewayLatencyMs?: number; backend?: Backend } = {},
): Promise<ReminderWorkspace> {
  const dir = await mkdtemp(join(tmpdir(), 'lb-reminders-'));
  const database = await options.backend?.create();
  const sim = await startGatewaySimulator({
    auth: { appKey: 'gw', secret: 'gw-secret' },
    ...(options.gatewayLatencyMs ? { faults: { latencyMs: options.gatewayLatencyMs } } : {}),
  });
  const pipeline = 'food';
  const tag = randomBytes(3).toString('hex').toUpperCase();
  // K between the tag and the number: a tag ending E (or D, S, P, G) and a hex letter glued to six
  // digits made a passport number's shape (EA8000001) in about one license id of 60, masked in the
  // log lines the tests look for the id in.
  const serial = (n: number) => `RF${tag}K${String(n).padStart(6, '0')}`;
  await writeFile(join(dir, 'seal.key.pem'), generateSm2KeyPair().privateKeyPem, { mode: 0o600 });
  await writeFile(
    join(dir, 'licbridge.yaml'),
    `ledger: { url: "${database?.url ?? 'sqlite://./ledger.db'}" }
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
    concurrency: ${options.concurrency ?? 1}
lifecycle:
  reminders:
    ${TYPE}: { target: holder-sms, thresholds: [7, 30] }
`,
  );
  const config = await loadConfig({ file: join(dir, 'licbridge.yaml'), env: {} });
  const rt = new Runtime(config, options.logger ?? createLogger({ level: 'silent' }));
  const ledger = await rt.ledger();

  const license = (
    s: string,
    version: number,
    validTo: string,
    premises: string,
    status: LicenseStatus = 'valid',
  ): License => ({
    identifier: ids.identifier(s, version),
    number: `JY${s}`,
    type: { name: '食品经营许可证', code: TYPE },
    issuer: { name: '青岛西海岸新区市场监督管理局', code: ISSUER },
    issueDate: '2021-01-01',
    validFrom: '2021-01-01',
    validTo,
    areaCode: '370211',
    holder: { name: '海滨小吃店', idType: '001', id: '91370211MA3C000000' },
    status,
    surface: { premises },
  });

  const licenseId = (n: number) => ids.licenseId(serial(n));
  return {
    config,
    rt,
    ledger,
    sim,
    pipeline,
    configFile: join(dir, 'licbridge.yaml'),
    licenseId,
    number: (n) => `JY${serial(n)}`,
    async commit(n, validTo, contact, premises = '长江中路1号', ofPipeline = pipeline, status = 'valid') {
      const runId = randomUUID();
      await ledger.startRun({ runId, pipeline: ofPipeline, mode: 'incremental' });
      const s = serial(n);
      const c: VersionCandidate = {
        licenseId: ids.licenseId(s),
        sourceKey: s,
        contentHash: contentHash(license(s, 1, validTo, premises, status)),
        status,
        lineage: {
          pipeline: ofPipeline,
          source: 's',
          sourceKey: s,
          runId,
          catalogVersion: 'c',
          mappingVersion: 'm',
        },
        build: (version) => license(s, version, validTo, premises, status),
        contact,
      };
      await ledger.commitPage({
        pipeline: ofPipeline,
        runId,
        checkpoint: encodeKeyPosition({ cursor: null, key: 'k' }),
        rowsRead: 1,
        candidates: [c],
        quarantined: [],
      });
    },
    withGateway(url, timeoutMs = 2000) {
      const t = config.targets['holder-sms'];
      if (t?.kind !== 'notify') throw new Error('expected the notify target');
      return { ...config, targets: { ...config.targets, 'holder-sms': { ...t, url, timeoutMs } } };
    },
    remindersOff: () =>
      ({ ...config, lifecycle: { ...config.lifecycle, reminders: {} } }) as Readonly<Config>,
    renamedTarget() {
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
    },
    async tick(other, today, stop) {
      const tickRt = new Runtime(other, rt.logger);
      try {
        return await sendDueReminders(tickRt, { today, ...(stop ? { stop } : {}) });
      } finally {
        await tickRt.close();
      }
    },
    messagesOf: (n) =>
      sim
        .messages()
        .filter((m) => m.reference.startsWith(`${licenseId(n)}:`))
        .map((m) => ({ threshold: Number(m.reference.split(':').at(-1)), daysLeft: m.params.daysLeft })),
    async close() {
      await rt.close();
      await sim.close();
      await database?.dispose();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/**
 * A reminder workspace (as {@link reminderWorkspace}) made before the calling `describe` block's
 * tests and closed after them. Read it inside the tests and hooks, once `beforeAll` has run.
 */
export function blockWorkspace(options: Parameters<typeof reminderWorkspace>[0] = {}): ReminderWorkspace {
  let ws: ReminderWorkspace | undefined;
  beforeAll(async () => {
    ws = await reminderWorkspace(options);
  });
  afterAll(async () => {
    await ws?.close();
  });
  return new Proxy({} as ReminderWorkspace, {
    get(_, key) {
      if (!ws) throw new Error('reminder workspace: not made yet (read outside its tests)');
      return Reflect.get(ws, key);
    },
  });
}

/**
 * A {@link blockWorkspace} during whose tests LICBRIDGE_TODAY is unset, so a tick's day is the
 * real one; after them it is as it was.
 */
export function realDayWorkspace(options: { backend?: Backend } = {}): ReminderWorkspace {
  const saved = process.env.LICBRIDGE_TODAY;
  beforeAll(() => {
    delete process.env.LICBRIDGE_TODAY;
  });
  afterAll(() => {
    if (saved !== undefined) process.env.LICBRIDGE_TODAY = saved;
  });
  return blockWorkspace(options);
}

/**
 * The workspace's config under a queue prefix of its own, with the queues of its province target,
 * for the scheduled tick's job (tick-job.ts); `close` closes them and empties the prefix.
 */
export function tickJobQueues(ws: ReminderWorkspace): {
  config: Readonly<Config>;
  queues: QueueSet;
  close(): Promise<void>;
} {
  const config = { ...ws.config, queue: { ...ws.config.queue, prefix: `test-${randomUUID()}` } };
  const queues = createQueues(queueConnection(config.queue.redis), config.queue.prefix, ['province']);
  return {
    config,
    queues,
    close: async () => {
      await queues.close();
      await obliterate(config.queue.prefix);
    },
  };
}
