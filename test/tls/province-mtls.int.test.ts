// biome-ignore-all lint/suspicious/noTemplateCurlyInString: `${env:…}` and `${file:…}` are config reference syntax, not template slips.
/**
 * Mutual TLS to the province platform, as government-network platforms demand: the simulator
 * serves HTTPS with a certificate from a government test CA and accepts only client certificates
 * that CA issued. licbridge with the right client certificate (its key encrypted, the passphrase
 * from `${env:…}`) delivers; without one, or with one from another CA, it is refused and the
 * error says why. A wrong CA, a wrong host name and an expired server certificate are refused
 * with their own message naming the certificate; `insecureSkipVerify` connects, and
 * `licbridge status` then exits 3.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RestJsonTargetConfig } from '../../adapters/platforms/rest-json/config.js';
import { RestJsonTarget } from '../../adapters/platforms/rest-json/rest-json-target.js';
import {
  type ProvinceSimulator,
  startProvinceSimulator,
} from '../../adapters/simulators/province/province-simulator.js';
import { loadConfig } from '../../config/loader.js';
import { createLogger } from '../../core/logger.js';
import type { TlsSettings } from '../../core/tls.js';
import { openSqliteLedger } from '../ledger/open-sqlite-ledger.js';
import { deliveryItem, restConfig } from '../platforms/license-fixture.js';
import { licbridge } from '../support/cli.js';
import { obliterate } from '../support/demo-workspace.js';
import { createTestCa, type IssuedCertificate, type TestCa } from '../support/test-ca.js';

const PASS = `pw-${process.pid}`;

describe('province platform over mutual TLS', { timeout: 60_000 }, () => {
  let gov: TestCa;
  let rogue: TestCa;
  let client: IssuedCertificate;
  let rogueClient: IssuedCertificate;
  let sim: ProvinceSimulator;
  let wrongHostSim: ProvinceSimulator;
  let expiredSim: ProvinceSimulator;
  let dir: string;
  const closers: Array<() => Promise<void>> = [];
  const prefixes: string[] = [];

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'lb-mtls-'));
    closers.push(() => rm(dir, { recursive: true, force: true }));
    gov = await createTestCa('gov-root');
    rogue = await createTestCa('rogue-root');
    closers.push(
      () => gov.remove(),
      () => rogue.remove(),
    );
    const server = await gov.issue('province', { cn: 'localhost', sans: ['DNS:localhost', 'IP:127.0.0.1'] });
    const otherHost = await gov.issue('other', { cn: 'other.example', sans: ['DNS:other.example'] });
    const expired = await gov.issue('expired', { cn: 'localhost', sans: ['DNS:localhost'], days: -1 });
    client = await gov.issue('department', { cn: 'department-a', client: true, passphrase: PASS });
    rogueClient = await rogue.issue('intruder', { cn: 'intruder', client: true });
    const start = async (cert: IssuedCertificate) => {
      const s = await startProvinceSimulator({ tls: { cert: cert.cert, key: cert.key, clientCa: gov.ca } });
      closers.push(() => s.close());
      return s;
    };
    await mkdir(join(dir, 'catalog'));
    await writeFile(join(dir, 'ca.pem'), gov.ca);
    await writeFile(join(dir, 'client.pem'), client.cert);
    await writeFile(join(dir, 'client.key'), client.key, { mode: 0o600 });
    sim = await start(server);
    wrongHostSim = await start(otherHost);
    expiredSim = await start(expired);
  });
  afterAll(async () => {
    for (const c of closers.reverse()) await c().catch(() => undefined);
    // `status` opens the queues of each config's prefix (their meta keys): left in the shared
    // Redis after every run before.
    for (const prefix of prefixes) await obliterate(prefix);
  });

  const withClient = (): TlsSettings => ({
    ca: gov.ca,
    cert: client.cert,
    key: client.key,
    passphrase: PASS,
  });
  const localhostUrl = (s: ProvinceSimulator) => s.url.replace('127.0.0.1', 'localhost');
  const deliver = async (url: string, tls: TlsSettings | undefined, n = 1) => {
    const target = new RestJsonTarget(
      'province',
      restConfig(url, tls ? { tls } : {}) as RestJsonTargetConfig,
    );
    try {
      return await target.deliver([deliveryItem(n)]);
    } finally {
      await target.close();
    }
  };

  it('delivers with the client certificate the government CA issued (encrypted key, passphrase from ${env:…})', async () => {
    const configFile = join(dir, 'licbridge.yaml');
    await writeFile(configFile, configYaml(sim.url, ['passphrase: "${env:PROVINCE_KEY_PASS}"']));
    const config = await loadConfig({ file: configFile, env: { PROVINCE_KEY_PASS: PASS } });
    const target = new RestJsonTarget('province', config.targets.province as RestJsonTargetConfig);
    try {
      const [outcome] = await target.deliver([deliveryItem(1)]);
      expect(outcome?.state).toBe('accepted');
    } finally {
      await target.close();
    }
    expect(sim.licenses().map((l) => l.key)).toContain('lic-000001:1:province');
  });

  it('without a client certificate: refused, and the error says the platform wants one', async () => {
    const err = await deliver(sim.url, { ca: gov.ca }, 2).catch((e: Error) => e);
    expect(err).toBeInstanceOf(Error);
    expect((err as Error).message).toMatch(/^target province: TLS refused: .*client certificate/);
    expect(sim.licenses().map((l) => l.key)).not.toContain('lic-000002:1:province');
  });

  it('with a client certificate from another CA: refused, and the error says so', async () => {
    const err = await deliver(sim.url, { ca: gov.ca, cert: rogueClient.cert, key: rogueClient.key }, 3).catch(
      (e: Error) => e,
    );
    expect((err as Error).message).toMatch(
      /^target province: TLS refused: the server refused the client certificate/,
    );
    expect((err as Error).message).not.toContain('PRIVATE KEY');
    expect(sim.licenses().map((l) => l.key)).not.toContain('lic-000003:1:province');
  });

  it('a server certificate from a CA not in `tls.ca`: refused, naming its subject and expiry', async () => {
    const err = (await deliver(sim.url, { ...withClient(), ca: rogue.ca }).catch((e: Error) => e)) as Error;
    expect(err.message).toMatch(/^target province: TLS refused: the server certificate is not trusted/);
    expect(err.message).toMatch(/subject O=licbridge test, CN=localhost; expires \d{4}-\d\d-\d\dT/);
  });

  it('a server certificate for another host name: refused with the host-name message', async () => {
    const err = (await deliver(localhostUrl(wrongHostSim), withClient()).catch((e: Error) => e)) as Error;
    expect(err.message).toMatch(
      /^target province: TLS refused: the server certificate does not name the host/,
    );
    expect(err.message).toContain('CN=other.example');
  });

  it('an expired server certificate: refused with the expiry message and the date', async () => {
    const err = (await deliver(localhostUrl(expiredSim), withClient()).catch((e: Error) => e)) as Error;
    expect(err.message).toMatch(/^target province: TLS refused: the server certificate has expired/);
    expect(err.message).toMatch(/expires \d{4}-/);
  });

  it('insecureSkipVerify connects to an untrusted server, and `status` exits 3 naming it', async () => {
    const [outcome] = await deliver(sim.url, { ...withClient(), ca: rogue.ca, insecureSkipVerify: true }, 4);
    expect(outcome?.state).toBe('accepted');

    const secure = join(dir, 'secure.yaml');
    const insecure = join(dir, 'insecure.yaml');
    await writeFile(secure, configYaml(sim.url, [`passphrase: "${PASS}"`]));
    await writeFile(insecure, configYaml(sim.url, [`passphrase: "${PASS}"`, 'insecureSkipVerify: true']));
    // `status` never migrates the ledger: each config's new one is migrated as a run would.
    for (const file of [secure, insecure]) {
      const { url } = (await loadConfig({ file })).ledger;
      await (
        await openSqliteLedger(url.slice('sqlite://'.length), { logger: createLogger({ level: 'silent' }) })
      ).close();
    }
    const ok = await licbridge(['status', '--no-sources', '--config', secure]);
    expect(ok.stdout).not.toMatch(/verification is off/);
    expect(ok.status, ok.stdout + ok.stderr).toBe(0);
    const flagged = await licbridge(['status', '--no-sources', '--config', insecure]);
    expect(flagged.status, flagged.stdout + flagged.stderr).toBe(3);
    expect(flagged.stdout).toContain(
      'target province: TLS certificate verification is off (`targets.province.tls.insecureSkipVerify`)',
    );
    const check = await licbridge(['config', 'check', insecure]);
    expect(check.status).toBe(0);
    expect(check.stderr).toContain('warning: target province: TLS certificate verification is off');
  });

  /** A queue prefix of its own for each config, its keys removed after the file. */
  function queuePrefix(): string {
    const prefix = `tls-test-${process.pid}-${Math.random().toString(36).slice(2)}`;
    prefixes.push(prefix);
    return prefix;
  }

  /** A config whose only target is the simulator, with the TLS files written beside it. */
  function configYaml(url: string, extraTls: string[]): string {
    return [
      `ledger: { url: "sqlite://./ledger-${Math.random().toString(36).slice(2)}.db" }`,
      `queue: { prefix: "${queuePrefix()}" }`,
      'catalog: ./catalog',
      'targets:',
      '  province:',
      '    kind: rest-json',
      `    url: "${url}"`,
      '    tls:',
      '      ca: "${file:./ca.pem}"',
      '      cert: "${file:./client.pem}"',
      '      key: "${file:./client.key}"',
      ...extraTls.map((l) => `      ${l}`),
      '',
    ].join('\n');
  }
});
