/**
 * A hostile platform answers with terminal escape sequences — an OSC window title, ANSI colours,
 * a screen clear, a bidi override — in its catalog codes, its rejection reasons and its platform
 * ids. Through the command line, `catalog pull`, `run`, `dlq list`, `dlq show` and `status`
 * print what it said as plain text: no control character reaches the terminal.
 */
import { once } from 'node:events';
import { writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { licbridge } from '../support/cli.js';
import { createDemoWorkspace, type DemoWorkspace, demoConfigYaml } from '../support/demo-workspace.js';

const ESC = '\u001b';
const TITLE = `${ESC}]0;pwned-title\u0007`;
const REASON = `${TITLE}${ESC}[31;1mholder refused${ESC}[0m${ESC}[2J\u009b1A\u202eextra\r\nlicbridge: all well`;
const PLATFORM_ID = `P-${ESC}]52;c;ZXZpbA==\u0007${ESC}[8m7`;
/** Anything a terminal would act on: C0 but newline and tab, DEL, C1, bidi controls. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: it looks for control characters on purpose
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/;

let ws: DemoWorkspace;
let platform: Server;
let url: string;

beforeAll(async () => {
  ws = await createDemoWorkspace({ rows: 6, seed: 3 });
  // A scripted platform: publishes a catalog with a hostile code, and rejects every license with
  // a hostile reason and platform id.
  platform = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => {
      body += c.toString('utf8');
    });
    req.on('end', () => {
      res.setHeader('content-type', 'application/json');
      if (req.method === 'GET' && req.url?.startsWith('/catalog/types')) {
        // Beside a usable type: a catalog of no usable type fails the pull as a whole.
        const types = [
          { code: '11370200MB12345674001', name: 'x' },
          { code: `${TITLE}${ESC}[32mEVIL`, name: 'x' },
        ];
        res.end(JSON.stringify({ code: 0, types }));
        return;
      }
      if (req.method === 'POST' && req.url === '/licenses/batch') {
        const items = (JSON.parse(body) as { items: { key: string }[] }).items;
        res.end(
          JSON.stringify({
            code: 0,
            results: items.map((i) => ({
              key: i.key,
              status: 'rejected',
              platformId: PLATFORM_ID,
              errors: [REASON],
            })),
          }),
        );
        return;
      }
      res.statusCode = 404;
      res.end('{}');
    });
  });
  platform.listen(0, '127.0.0.1');
  await once(platform, 'listening');
  url = `http://127.0.0.1:${(platform.address() as AddressInfo).port}`;
  await writeFile(ws.configFile, demoConfigYaml({ prefix: ws.prefix, simulatorUrl: url }));
});

afterAll(async () => {
  platform?.close();
  await ws?.cleanup();
});

async function cli(args: string[]) {
  return licbridge([...args, '--config', ws.configFile], { cwd: ws.dir });
}

describe("a platform's words reach the terminal as plain text", () => {
  it('catalog pull names the unusable code without its escape sequences', async () => {
    const r = await cli(['catalog', 'pull', 'province']);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toContain('skipped a type with an unusable code: EVIL');
    expect(r.stdout).not.toMatch(CONTROL);
    expect(r.stdout).not.toContain('pwned-title');
    const json = await cli(['catalog', 'pull', 'province', '--json']);
    expect(json.stdout).not.toMatch(CONTROL);
    expect((JSON.parse(json.stdout) as { skipped: string[] }).skipped).toEqual(['EVIL']);
  });

  it('run, dlq list, dlq show and status print rejection reasons and platform ids as plain text', async () => {
    const run = await cli(['run', 'food-business-licenses']);
    expect(run.stdout).toMatch(/dead-lettered: [1-9]/);
    const list = await cli(['dlq', 'list']);
    expect(list.status, list.stderr).toBe(0);
    expect(list.stdout).toContain('holder refused');
    const key = list.stdout.split('\n')[1]?.split('\t')[0] ?? '';
    expect(key).toMatch(/:1:province$/);
    const show = await cli(['dlq', 'show', key]);
    expect(show.status, show.stderr).toBe(0);
    // The reason stays one line: its own newline cannot forge a line of licbridge's output.
    expect(show.stdout).toContain('  - holder refusedextra licbridge: all well\n');
    expect(show.stdout).toContain('platform:  P-7\n');
    const showJson = await cli(['dlq', 'show', key, '--json']);
    // The ledger keeps the platform's words as stored: escape sequences and controls removed (and
    // personal values masked) before they are written, so JSON shows the same plain text.
    expect((JSON.parse(showJson.stdout) as { reasons: string[] }).reasons).toEqual([
      'holder refusedextra licbridge: all well',
    ]);
    const status = await cli(['status']);

    for (const r of [run, list, show, showJson, status]) {
      expect(r.stdout).not.toMatch(CONTROL);
      expect(r.stderr).not.toMatch(CONTROL);
    }
    // Text output drops the whole OSC sequence, its payload too; JSON keeps it, escaped.
    for (const r of [run, list, show, status]) expect(r.stdout).not.toContain('pwned-title');
  });
});
