// biome-ignore-all lint/suspicious/noTemplateCurlyInString: `${file:…}` and `${env:…}` are config reference syntax, not template slips.
/**
 * A `tls.ca` that resolves to nothing (an empty `${file:…}`, a `${env:…}` set to nothing) is
 * refused by every connection (core/tls.ts). The schema refuses the empty string; one of only
 * blanks passed it, and `config check` said nothing. It now names the config file, the line, the
 * setting and the reference as written (never a value).
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { licbridge } from '../support/cli.js';
import { type ConfigCheckWorkspace, configCheckWorkspace } from './config-check-workspace.js';

const PEM = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n';

describe('config check and an empty tls.ca', () => {
  let ws: ConfigCheckWorkspace;
  let text: string;
  beforeAll(async () => {
    ws = await configCheckWorkspace('emptyca', { files: { 'ca.pem': ' \n', 'good-ca.pem': PEM } });
  });
  afterAll(() => ws.cleanup());

  async function withCa(ca: string): Promise<void> {
    text = ws.config.replace(
      'url: "http://127.0.0.1:9"',
      `url: "https://127.0.0.1:9"\n    tls: { ca: "${ca}" }`,
    );
    await writeFile(ws.file, text);
  }

  it('is a problem naming the file, line, setting, reference and file read of a ${file:…} of blanks', async () => {
    await withCa('${file:./ca.pem}');
    const r = await licbridge(['config', 'check', ws.file], { cwd: ws.dir });
    const lines = text.split('\n');
    const line = lines.findIndex((l) => l.includes('${file:./ca.pem}')) + 1;
    const column = (lines[line - 1] ?? '').indexOf('"${file:./ca.pem}"') + 1;
    expect(r.stderr).toContain(
      `${ws.file}:${line}:${column}: targets.province.tls.ca: \`\${file:./ca.pem}\` (file ${join(ws.dir, 'ca.pem')}) resolves to no text (only whitespace); connecting to target province refuses it`,
    );
    // Refused at run time, so refused here: the exit code of every other config problem.
    expect(r.status).toBe(2);
    expect(r.stdout).not.toContain(': ok');
    expect(r.stderr).toContain('1 problem(s) in the config');
  });

  it('names the variable of a ${env:…} set to a blank', async () => {
    await withCa('${env:PROVINCE_CA}');
    const r = await licbridge(['config', 'check', ws.file], { cwd: ws.dir, env: { PROVINCE_CA: ' ' } });
    expect(r.stderr).toContain(
      'targets.province.tls.ca: `${env:PROVINCE_CA}` resolves to no text (only whitespace)',
    );
    expect(r.status).toBe(2);
  });

  it('says nothing of a CA that holds certificates', async () => {
    await withCa('${file:./good-ca.pem}');
    const r = await licbridge(['config', 'check', ws.file], { cwd: ws.dir });
    expect(r.status).toBe(0);
    expect(r.stderr).toBe('');
  });
});
