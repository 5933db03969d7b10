/**
 * An unreadable `Retry-After` is ignored with a warning (shared/http-failure.ts parseRetryAfter).
 * A SOAP/XML target's warning named nothing but the value: a deployment with several targets could
 * not tell whose header it was. Every target's warning names the target and the endpoint the
 * request went to, as errors name it: scheme, host, port and path, never the url's userinfo or query.
 */
import { Writable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { RestJsonTarget } from '../../adapters/platforms/rest-json/rest-json-target.js';
import { createLogger, rootLogger, setRootLogger } from '../../core/logger.js';
import { deliveryItem, restConfig } from './license-fixture.js';
import { type ScriptedReply, startScriptedServer } from './scripted-server.js';
import { soapTarget } from './soap-stand-in.js';

const previous = rootLogger();
const closers: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  setRootLogger(previous);
  for (const c of closers.splice(0).reverse()) await c();
});

/** The root logger's lines while `fn` runs. */
async function logged(fn: () => Promise<unknown>): Promise<Record<string, unknown>[]> {
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk, _enc, done) {
      lines.push(String(chunk));
      done();
    },
  });
  setRootLogger(createLogger({ destination: sink, level: 'info' }));
  await fn().catch(() => undefined);
  return lines
    .join('')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}

async function answering(reply: ScriptedReply): Promise<{ port: number }> {
  const server = await startScriptedServer(() => reply);
  closers.push(() => server.close());
  return { port: Number(new URL(server.url).port) };
}

const serverFault =
  '<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body><soap:Fault>' +
  '<faultcode>soap:Server</faultcode><faultstring>Server.Busy</faultstring>' +
  '</soap:Fault></soap:Body></soap:Envelope>';

describe('an unreadable Retry-After is warned about naming the target and its endpoint', () => {
  it('of a SOAP/XML fault', async () => {
    const { port } = await answering({
      status: 503,
      headers: { 'content-type': 'text/xml; charset=utf-8', 'retry-after': '1.5' },
      body: serverFault,
    });
    const target = soapTarget(`http://svc:pw-secret@127.0.0.1:${port}/ws/city?token=tk-secret`);
    closers.push(() => target.close());
    const lines = await logged(() => target.deliver([deliveryItem(1, { target: 'city' })]));
    const warning = lines.find((l) => String(l.msg).startsWith('Retry-After ignored'));
    expect(warning).toMatchObject({
      from: 'target city',
      endpoint: `http://127.0.0.1:${port}/ws/city`,
      retryAfter: '1.5',
    });
    expect(JSON.stringify(lines)).not.toContain('secret');
  });

  it('of a REST/JSON answer', async () => {
    const { port } = await answering({
      status: 429,
      headers: { 'retry-after': '2026-12-05T09:02:00' },
      body: { code: 429, reason: 'rate-limited' },
    });
    const target = new RestJsonTarget(
      'province',
      restConfig(`http://app:pw-secret@127.0.0.1:${port}/gateway?appkey=ak-secret`),
    );
    closers.push(() => target.close());
    const lines = await logged(() => target.deliver([deliveryItem(1)]));
    const warning = lines.find((l) => String(l.msg).startsWith('Retry-After ignored'));
    expect(warning).toMatchObject({
      from: 'target province',
      endpoint: `http://127.0.0.1:${port}/gateway/licenses/batch`,
    });
    expect(JSON.stringify(lines)).not.toContain('secret');
  });
});
