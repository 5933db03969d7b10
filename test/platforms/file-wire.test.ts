// The multipart batch as a client licbridge did not write reads it (undici's form-data parser,
// the one `fetch` uses): the JSON in part `batch`, each file byte for byte in its named part.
// The same batch gives the same bytes, so a retried request is the request sent before.
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { toBatchItem } from '../../adapters/platforms/rest-json/batch-wire.js';
import { licenseFilesOptionOf } from '../../adapters/platforms/rest-json/file-options.js';
import { type FilePart, multipartBody, withFile } from '../../adapters/platforms/rest-json/file-wire.js';
import { deliveryItem } from './license-fixture.js';

const fileOf = (n: number) => {
  // Bytes that look like a boundary line and CRLFs must come through untouched.
  const bytes = Buffer.concat([Buffer.from(`PK\u0003\u0004\r\n--licbridge-\r\n${n}`), Buffer.alloc(300, n)]);
  return {
    name: `lic-${n}-001.ofd`,
    sm3: createHash('sm3').update(bytes).digest('hex'),
    size: bytes.length,
    bytes,
  };
};

describe('license files on the wire', () => {
  it('multipart: a form any parser reads, files in their parts, items naming them', async () => {
    const option = licenseFilesOptionOf({ send: 'multipart' });
    const parts: FilePart[] = [];
    const files = [fileOf(1), fileOf(2)];
    const items = files.map((f, i) => withFile(toBatchItem(deliveryItem(i + 1)), f, option, parts));
    const json = JSON.stringify({ items });
    const { body, contentType } = multipartBody(json, parts, 'ab'.repeat(32));
    const form = await new Response(body, { headers: { 'content-type': contentType } }).formData();

    // A part without a file name is a text field.
    expect(form.get('batch')).toBe(json);
    const sent = JSON.parse(json) as {
      items: { ofd: { part: string; sm3: string; size: number; name: string } }[];
    };
    for (const [i, item] of sent.items.entries()) {
      const f = files[i] as (typeof files)[number];
      expect(item.ofd).toEqual({ name: f.name, size: f.size, sm3: f.sm3, part: `file-${i + 1}` });
      const part = form.get(item.ofd.part) as File;
      expect(part.name).toBe(f.name);
      expect(part.type).toBe('application/ofd');
      expect(Buffer.from(await part.arrayBuffer()).equals(f.bytes)).toBe(true);
    }
    expect(multipartBody(json, parts, 'ab'.repeat(32)).body.equals(body)).toBe(true);
  });

  it('base64: the file in its item, under the configured property', () => {
    const option = licenseFilesOptionOf({ send: 'base64', property: 'zzwj' });
    const f = fileOf(3);
    const parts: FilePart[] = [];
    const item = withFile(toBatchItem(deliveryItem(3)), f, option, parts) as unknown as Record<
      string,
      unknown
    >;
    expect(item.zzwj).toEqual({
      name: f.name,
      size: f.size,
      sm3: f.sm3,
      content: f.bytes.toString('base64'),
    });
    expect(item.ofd).toBeUndefined();
    expect(parts).toEqual([]);
  });

  it('defaults to sending no file', () => {
    expect(licenseFilesOptionOf(undefined)).toEqual({
      send: 'off',
      property: 'ofd',
      maxBytes: 10 * 1024 * 1024,
      whenMissing: 'send-without',
    });
  });
});
