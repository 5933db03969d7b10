// A command run in process (test/support/cli-in-process.ts) that passes its limit cannot be killed:
// it goes on in the background. The next run used to start at once beside it, meeting its sockets,
// Redis connections and files, and failing in a case that did nothing wrong. It now waits for that
// command to stop, and a command that does not stop is named by every run after it.
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { BIN, ROOT } from '../support/cli.js';
import { type InProcessOptions, runInProcess } from '../support/cli-in-process.js';

const licbridge = (args: string[], options: Partial<InProcessOptions> = {}) =>
  runInProcess(args, { argv0: BIN, cwd: ROOT, ...options });

/** What the stand-in commands did, in order: `<name> started`, `<name> ended`. */
const events: string[] = [];
/** A command named here runs until its promise settles, heedless of its limit. */
const holds = new Map<string, Promise<void>>();
const releases: (() => void)[] = [];

function hold(name: string): () => void {
  let release = (): void => undefined;
  holds.set(
    name,
    new Promise<void>((resolve) => {
      release = resolve;
    }),
  );
  releases.push(release);
  return release;
}

/** Every microtask the ending of a released command queues has run by the next macrotask. */
const settled = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

describe('licbridge in process: a command past its limit', () => {
  beforeAll(() => {
    vi.doMock('../../cli/program.js', () => ({
      buildProgram: async () => ({
        parseAsync: async (argv: string[]) => {
          const name = argv[2] ?? '';
          events.push(`${name} started`);
          await holds.get(name);
          events.push(`${name} ended`);
        },
      }),
    }));
  });

  afterEach(async () => {
    for (const release of releases.splice(0)) release();
    await settled();
    holds.clear();
    events.length = 0;
  });

  afterAll(() => {
    vi.doUnmock('../../cli/program.js');
  });

  it('is let stop before the next command starts', async () => {
    const release = hold('slow');
    const slow = await licbridge(['slow'], { timeoutMs: 1 });
    expect(slow.status).toBeNull();
    expect(slow.stderr).toContain('did not finish within 1 ms');

    const next = licbridge(['next']);
    // Time enough for the next command to start beside it, as it did before.
    setTimeout(release, 100);
    expect((await next).status).toBe(0);
    expect(events).toEqual(['slow started', 'slow ended', 'next started', 'next ended']);
  });

  // vitest's limit for the case would end the test and leave the command running into the next.
  // The case's limit is as short as lets the command's differ from the 1000 ms floor: the run
  // waits that long.
  it('without a limit of its own, ends before the case does', { timeout: 11_200 }, async () => {
    hold('slow');
    const slow = await licbridge(['slow'], { stopWaitMs: 10_000 });
    expect(slow.status).toBeNull();
    expect(slow.stderr).toContain('did not finish within 1200 ms');
  });

  // Given more than the case has, vitest ended the case first, and the command's message was lost.
  it("given a limit above the case's, ends before the case does", { timeout: 11_200 }, async () => {
    hold('slow');
    const slow = await licbridge(['slow'], { timeoutMs: 60_000, stopWaitMs: 10_000 });
    expect(slow.status).toBeNull();
    expect(slow.stderr).toContain('did not finish within 1200 ms (asked for 60000 ms;');
  });

  it("given a limit within the case's, keeps it", async () => {
    hold('slow');
    const slow = await licbridge(['slow'], { timeoutMs: 100, stopWaitMs: 10_000 });
    expect(slow.stderr).toContain('did not finish within 100 ms\n');
  });

  it('that does not stop is named by the runs after it, until it stops', async () => {
    const release = hold('endless');
    const endless = await licbridge(['endless', '--all'], { timeoutMs: 1, stopWaitMs: 100 });
    expect(endless.status).toBeNull();

    const named = /`licbridge endless --all` ran past its limit and had not stopped 100 ms later/;
    await expect(licbridge(['next'])).rejects.toThrow(named);
    await expect(licbridge(['next'])).rejects.toThrow(named);
    expect(events).toEqual(['endless started']);

    release();
    await settled();
    expect((await licbridge(['next'])).status).toBe(0);
    expect(events).toEqual(['endless started', 'endless ended', 'next started', 'next ended']);
  });
});
