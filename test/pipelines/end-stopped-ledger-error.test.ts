// A stopped run that the ledger refused to end `abandoned` (an error other than the ledger being
// away) stayed `running` with no log line: a later run closed it with no trace of why. The
// error is logged now, naming the run and the error's code, its text masked.
import { describe, expect, it } from 'vitest';
import { ErrorCodes, LicbridgeError } from '../../core/errors.js';
import type { Ledger } from '../../ledger/ledger.js';
import { endStopped, RunStopped } from '../../pipelines/run-stop.js';
import { lineLogger } from '../support/log-lines.js';

type StopLedger = Pick<Ledger, 'getRun' | 'finishRun'>;

function refusingLedger(error: unknown): StopLedger {
  return {
    getRun: async () => ({ state: 'running' }) as never,
    finishRun: async () => {
      throw error;
    },
  };
}

describe('endStopped', () => {
  it("logs a ledger's refusal to end a stopped run, naming the run and the code, masked", async () => {
    const { logger, lines } = lineLogger('info');
    const runId = `run-${Math.random().toString(36).slice(2, 10)}`;
    // A generated 18-character ID number quoted by a driver's words must not reach the line.
    const idNumber = `11010119900307${String(1000 + Math.floor(Math.random() * 8999))}`;
    const error = new LicbridgeError(
      ErrorCodes.LEDGER,
      `ledger: finishing run failed: duplicate key (${idNumber})`,
    );
    const stopped = new RunStopped('SIGTERM', [{ pipeline: 'food', runId }]);
    await endStopped(refusingLedger(error), stopped, logger);
    expect(stopped.abandoned).toEqual([]);
    const line = lines.map((l) => JSON.parse(l) as Record<string, unknown>).find((l) => l.runId === runId);
    expect(line).toBeDefined();
    expect(line?.pipeline).toBe('food');
    expect(line?.code).toBe(ErrorCodes.LEDGER);
    expect(String(line?.msg)).toContain('finishing run failed');
    expect(lines.join('\n')).not.toContain(idNumber);
  });

  it('goes on to the next run after a refusal', async () => {
    const { logger, lines } = lineLogger('info');
    let finished = 0;
    const ledger: StopLedger = {
      getRun: async () => ({ state: 'running' }) as never,
      finishRun: async (runId: string) => {
        finished += 1;
        if (runId === 'r-a') throw new Error('deadlock detected');
        return { applied: true } as never;
      },
    };
    const stopped = new RunStopped('SIGINT', [
      { pipeline: 'p', runId: 'r-a' },
      { pipeline: 'p', runId: 'r-b' },
    ]);
    await endStopped(ledger, stopped, logger);
    expect(finished).toBe(2);
    expect(stopped.abandoned).toEqual([{ pipeline: 'p', runId: 'r-b' }]);
    expect(lines.filter((l) => l.includes('"runId":"r-a"'))).toHaveLength(1);
  });
});
