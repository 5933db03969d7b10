// biome-ignore-all lint/suspicious/noTemplateCurlyInString: `${file:…}` is config reference syntax, not a template slip.
/**
 * `${file:…}` holds memory in proportion to the file it reads: a buffer of the 1 MiB cap was
 * allocated for every reference, a 40-byte secret's too, and the bytes handed back still held it.
 * The cap stays, counted as read: a file whose stat says 0 (one of /proc) is read whole.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readFileRef, resolveRefs } from '../../config/refs.js';

const dir = mkdtempSync(join(tmpdir(), 'licbridge-file-ref-memory-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('${file:…} memory', () => {
  it('a 40-byte secret is held in memory of about its size, not of the cap', () => {
    const file = join(dir, 'secret');
    writeFileSync(file, 's'.repeat(40));
    const bytes = readFileRef(file);
    expect(Buffer.from(bytes).toString('utf8')).toBe('s'.repeat(40));
    expect(bytes.buffer.byteLength).toBeLessThan(64 * 1024);
  });

  it('a file whose stat says 0 bytes is read whole', () => {
    const bytes = readFileRef('/proc/self/status');
    expect(bytes.length).toBeGreaterThan(0);
    expect(Buffer.from(bytes).toString('utf8')).toMatch(/^Name:/);
  });

  it('a file larger than a chunk is read whole, byte for byte', () => {
    const file = join(dir, 'bundle.pem');
    const text = Array.from({ length: 5000 }, (_, i) => `line ${i} ${'c'.repeat(50)}`).join('\n');
    writeFileSync(file, text);
    const r = resolveRefs('${file:./bundle.pem}', { env: {}, baseDir: dir });
    expect(r.problems).toEqual([]);
    expect(r.value).toBe(text);
    expect(readFileRef(file).buffer.byteLength).toBeLessThan(text.length * 2);
  });
});
