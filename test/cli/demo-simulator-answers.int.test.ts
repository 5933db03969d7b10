/**
 * `licbridge demo` starts the province simulator unless one already answers on its target's url.
 * It asked at the root of the url's host and port only: with LICBRIDGE_PROVINCE_URL naming a path
 * (`http://127.0.0.1:7801/license`), a simulator already serving another path (or the root) there
 * was taken for the demo's own, none was started, and every batch the demo sent to
 * `/license/licenses/batch` was answered 404. It now asks under the url's path, as the target sends.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { startProvinceSimulator } from '../../adapters/simulators/province/province-simulator.js';
import { provinceSimulatorAnswers } from '../../cli/commands/demo.js';

const closers: Array<() => Promise<unknown>> = [];
afterAll(async () => {
  for (const c of closers.splice(0).reverse()) await c().catch(() => undefined);
});

/** A province simulator on a free port, serving under `basePath`. */
async function running(basePath: string) {
  const sim = await startProvinceSimulator({ host: '127.0.0.1', port: 0, basePath });
  closers.push(() => sim.close());
  return Number(new URL(sim.url).port);
}

describe('whether a province simulator already answers for the demo', () => {
  it.each([
    ['', '/license', false],
    ['/other', '/license', false],
    ['/license', '/license', true],
    ['', '', true],
  ])('one serving under %j, the target url under %j: %s', async (served, wanted, answers) => {
    const port = await running(served);
    const options = { host: '127.0.0.1', port, ...(wanted === '' ? {} : { basePath: wanted }) };
    expect(await provinceSimulatorAnswers(options)).toBe(answers);
  });

  it('nothing listening: no', async () => {
    const port = await running('');
    await closers.pop()?.();
    expect(await provinceSimulatorAnswers({ host: '127.0.0.1', port })).toBe(false);
  });
});
