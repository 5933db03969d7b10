/**
 * Platforms that number their records with 64-bit ids (snowflake ids) answer them as bare JSON
 * integers: `{"platformId": 1234567890123456789}`. Read with `JSON.parse`, the id past 2^53 was
 * rounded and then refused for not being a string, so the delivery's receipt had no platform id,
 * the one later revocations and lookups are sent with. The REST/JSON target keeps every digit, as
 * a string, in the batch answer and in what lookup and list read back.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { toBatchItem } from '../../adapters/platforms/rest-json/batch-wire.js';
import { RestJsonTarget } from '../../adapters/platforms/rest-json/rest-json-target.js';
import { deliveryItem, restConfig } from './license-fixture.js';
import { type ScriptedReply, type SeenRequest, startScriptedServer } from './scripted-server.js';

// Past 2^53: JSON.parse reads it as 1234567890123456800.
const ID = '1234567890123456789';
const BATCH = '9223372036854775807';

const closers: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const c of closers.splice(0).reverse()) await c();
});

async function targetAnswering(script: (n: number, req: SeenRequest) => ScriptedReply) {
  const server = await startScriptedServer(script);
  closers.push(() => server.close());
  const target = new RestJsonTarget('province', restConfig(`${server.url}/api`, { timeoutMs: 2000 }));
  closers.push(() => target.close());
  return target;
}

/** `doc` as JSON text, with the string `"<digits>"` written as the bare integer `<digits>`. */
const withIntegerIds = (doc: unknown, ...ids: string[]): string =>
  ids.reduce((text, id) => text.replaceAll(`"${id}"`, id), JSON.stringify(doc));

/** What the platform holds for delivery item `n`, its id an integer. */
function entry(n: number) {
  const item = deliveryItem(n);
  return {
    key: item.key,
    licenseId: item.licenseId,
    version: 1,
    platformId: ID,
    license: toBatchItem(item).license,
  };
}

describe('a 64-bit integer platform id', () => {
  it('is kept with every digit in the delivery receipt', async () => {
    const target = await targetAnswering((_n, req) => {
      const { items } = JSON.parse(req.body) as { items: { key: string }[] };
      const body = withIntegerIds(
        {
          code: 0,
          batchId: BATCH,
          results: items.map((i) => ({ key: i.key, status: 'accepted', platformId: ID })),
        },
        ID,
        BATCH,
      );
      return { status: 200, body };
    });
    const [outcome] = await target.deliver([deliveryItem(1)]);
    expect(outcome).toMatchObject({ state: 'accepted', platformId: ID, receipt: { batchId: BATCH } });
  });

  it('an integer id that a double holds reads as its digits too', async () => {
    const target = await targetAnswering((_n, req) => {
      const { items } = JSON.parse(req.body) as { items: { key: string }[] };
      return {
        status: 200,
        body: { code: 0, results: items.map((i) => ({ key: i.key, status: 'accepted', platformId: 40213 })) },
      };
    });
    const [outcome] = await target.deliver([deliveryItem(2)]);
    expect(outcome).toMatchObject({ state: 'accepted', platformId: '40213' });
  });

  it('is read back exactly by lookup and list', async () => {
    const target = await targetAnswering((_n, req) => {
      if (req.url.startsWith('/api/licenses/current')) {
        const after = new URL(req.url, 'http://platform').searchParams.get('after');
        const items = after === '' ? [entry(3)] : [];
        return { status: 200, body: withIntegerIds({ code: 0, items }, ID) };
      }
      return { status: 200, body: withIntegerIds({ code: 0, current: entry(3) }, ID) };
    });
    const [record] = await target.lookup([deliveryItem(3).licenseId]);
    expect(record?.platformId).toBe(ID);
    const listed = [];
    for await (const page of target.list({ chunkSize: 10 })) listed.push(...page);
    expect(listed.map((r) => r.platformId)).toEqual([ID]);
  });
});
