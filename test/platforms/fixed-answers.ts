import { afterEach } from 'vitest';
import { deliveryItem } from './license-fixture.js';
import { startScriptedServer } from './scripted-server.js';
import { soapTarget } from './soap-stand-in.js';

/**
 * Servers answering every request with fixed bytes, and the SOAP target delivering to one: each
 * pushes its closing onto `closers`, closed after each test (the afterEach this registers).
 */
export function fixedAnswers() {
  const closers: (() => Promise<unknown>)[] = [];
  afterEach(async () => {
    for (const c of closers.splice(0).reverse()) await c();
  });

  /** A server answering every request with these bytes. */
  async function answering(contentType: string, body: Buffer): Promise<string> {
    const headers = { 'content-type': contentType, 'content-length': String(body.length) };
    const server = await startScriptedServer(() => ({ status: 200, headers, body }));
    closers.push(server.close);
    return server.url;
  }

  /** The outcome of delivering item 1 to the city's SOAP service at `url`. */
  async function soapOutcome(url: string) {
    const target = soapTarget(url);
    closers.push(() => target.close());
    const [outcome] = await target.deliver([deliveryItem(1, { target: 'city' })]);
    return outcome;
  }

  return { closers, answering, soapOutcome };
}
