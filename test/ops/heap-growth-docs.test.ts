/**
 * docs/operations.md "Memory" shows how an operator gives V8's heap growth themselves. The command
 * as written must start Node (which refuses V8 flags in NODE_OPTIONS that it does not list), and
 * heapGrowthFlag (core/heap-growth.ts) must then see the operator's flag and leave it.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { heapGrowthFlag } from '../../core/heap-growth.js';

const DOC = new URL('../../docs/operations.md', import.meta.url);

/** The first `sh` example of the "Memory" section, its comment cut. */
function memoryExample(): string {
  const text = readFileSync(DOC, 'utf8');
  const section = text.slice(text.indexOf('## Memory'));
  const block = /```sh\n([^\n]*)\n/.exec(section)?.[1];
  if (block === undefined) throw new Error('docs/operations.md: no sh example under "## Memory"');
  return block.replace(/\s+#.*$/, '').trim();
}

/** The example's environment assignments, and the flags it gives `node` before the script. */
function parseExample(line: string): { env: Record<string, string>; flags: string[] } {
  const words = line.split(/\s+/);
  const env: Record<string, string> = {};
  while (words[0] !== undefined && /^[A-Z_][A-Z0-9_]*=/.test(words[0])) {
    const word = words.shift() as string;
    const at = word.indexOf('=');
    env[word.slice(0, at)] = word.slice(at + 1);
  }
  const flags: string[] = [];
  if (words[0] === 'node') {
    words.shift();
    while (words[0]?.startsWith('--')) flags.push(words.shift() as string);
  }
  return { env, flags };
}

describe('the heap growth example of docs/operations.md', () => {
  it("starts Node, and the operator's flag is the one left in force", () => {
    const { env, flags } = parseExample(memoryExample());
    const child = spawnSync(
      process.execPath,
      [...flags, '-e', 'process.stdout.write(JSON.stringify([process.execArgv, process.env.NODE_OPTIONS]))'],
      { env: { ...process.env, NODE_OPTIONS: '', ...env }, encoding: 'utf8' },
    );
    expect(child.stderr).toBe('');
    expect(child.status).toBe(0);
    const [execArgv, nodeOptions] = JSON.parse(child.stdout) as [string[], string | undefined];
    expect(execArgv.some((a) => a.startsWith('--heap-growing-percent='))).toBe(true);
    expect(heapGrowthFlag(execArgv, nodeOptions)).toBeUndefined();
  });
});
