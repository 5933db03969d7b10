import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { renderConfigDocs } from '../../cli/config-docs.js';
import { configSchema } from '../../config/schema.js';

const DOC = join(import.meta.dirname, '..', '..', 'docs', 'configuration.md');

describe('docs/configuration.md', () => {
  it('is what `licbridge config docs` renders from the schema today (regenerate: licbridge config docs -o docs/configuration.md)', async () => {
    expect(await readFile(DOC, 'utf8')).toBe(renderConfigDocs());
  });

  it('documents every top-level section and the serve knobs with their defaults', () => {
    const md = renderConfigDocs();
    for (const key of Object.keys((configSchema as { properties: object }).properties)) {
      expect(md).toContain(`| \`${key}\` |`);
    }
    expect(md).toContain('| `host` | string | `127.0.0.1` |');
    expect(md).toContain('| `port` | integer | `9464` |');
  });

  it('names each kind of source in its section heading', () => {
    const md = renderConfigDocs();
    expect(md).not.toMatch(/^## .*: \?`/m);
    expect(md).toContain('## `sources.<name>` with `kind: sqlite`\n');
    expect(md).toContain('## `sources.<name>` with `kind: postgres`, `kind: mysql`, `kind: mssql`,');
    expect(md).toContain('## `sources.<name>` with `kind: xml-files`\n');
  });
});
