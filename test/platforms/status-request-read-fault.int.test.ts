/**
 * A fault of no known kind (the adapter's own) reading a status request's answer left its keys
 * unverified with the fault's own text as their reason ('signing: cannot read properties of
 * undefined (holder 13912340001)'): no target, no request named, and a text that may quote a
 * license's holder made the job's failure and each check's last error. As a batch upload's such
 * fault reads (2e22ba86), it now reads 'target province: status request to https://host:port
 * failed unexpectedly'; the keys still unverified, retryable.
 */
import { describe, expect, it, vi } from 'vitest';
import { RestJsonTarget } from '../../adapters/platforms/rest-json/rest-json-target.js';
import { closedAfterEach, strategyFault } from './auth-strategy-fault.js';
import { restConfig } from './license-fixture.js';
import { startScriptedServer } from './scripted-server.js';
import { soapServiceAnswering, soapTarget } from './soap-stand-in.js';

const faulty = vi.hoisted(() => ({ key: '', fault: undefined as Error | undefined }));
vi.mock('../../adapters/platforms/rest-json/outcome.js', async (original) => {
  const real = await original<typeof import('../../adapters/platforms/rest-json/outcome.js')>();
  return {
    ...real,
    answerOutcome: (key: string, answer: Parameters<typeof real.answerOutcome>[1]) => {
      if (key === faulty.key) throw faulty.fault;
      return real.answerOutcome(key, answer);
    },
  };
});

vi.mock('../../adapters/platforms/shared/key-results.js', async (original) => {
  const real = await original<typeof import('../../adapters/platforms/shared/key-results.js')>();
  return {
    ...real,
    keyOutcome: (...args: Parameters<typeof real.keyOutcome>) => {
      if (args[0] === faulty.key) throw faulty.fault;
      return real.keyOutcome(...args);
    },
  };
});

const closers = closedAfterEach();

describe("rest-json: a fault of no known kind reading a status request's answer", () => {
  it('leaves its keys unverified, naming the target and the request, not the fault', async () => {
    const platform = await startScriptedServer((_n, req) => {
      const { keys } = JSON.parse(req.body) as { keys: string[] };
      return { status: 200, body: { code: 0, results: keys.map((key) => ({ key, status: 'submitted' })) } };
    });
    closers.push(() => platform.close());
    const name = `province-status-${process.pid}`;
    const target = new RestJsonTarget(name, restConfig(platform.url));
    closers.push(() => target.close());
    faulty.key = 'k2';
    faulty.fault = strategyFault();

    const outcomes = await target.poll(['k1', 'k2'].map((key) => ({ key, platformId: null, receipt: null })));

    const reason = `target ${name}: status request to ${platform.url} failed unexpectedly`;
    expect(outcomes).toEqual([
      expect.objectContaining({
        key: 'k1',
        state: 'failed',
        retryable: true,
        unverified: true,
        reasons: [reason],
      }),
      expect.objectContaining({
        key: 'k2',
        state: 'failed',
        retryable: true,
        unverified: true,
        reasons: [reason],
      }),
    ]);
  });

  it('soap-xml: leaves its keys unverified, naming QueryStatus and the service, not the fault', async () => {
    const service = await soapServiceAnswering((keys) =>
      keys.map((key) => ({ key, status: 'submitted', platformId: null, errors: [], duplicate: false })),
    );
    closers.push(() => service.close());
    const target = soapTarget(service.url);
    closers.push(() => target.close());
    faulty.key = 'k2';
    faulty.fault = strategyFault();

    const outcomes = await target.poll(['k1', 'k2'].map((key) => ({ key, platformId: null, receipt: null })));

    const reason = `target city: QueryStatus to ${new URL(service.url).origin} failed unexpectedly`;
    for (const o of outcomes)
      expect(o).toMatchObject({ state: 'failed', retryable: true, unverified: true, reasons: [reason] });
    expect(outcomes.map((o) => o.key)).toEqual(['k1', 'k2']);
  });
});
