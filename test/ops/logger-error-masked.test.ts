import { describe, expect, it } from 'vitest';
import { ErrorCodes, LicbridgeError } from '../../core/errors.js';
import { lineLogger } from '../support/log-lines.js';

interface LoggedError {
  message: string;
  stack?: string;
  cause?: LoggedError;
}
interface Line {
  msg: string;
  err: LoggedError;
}

// A driver's message quoting the row it refused: a holder's name and ID number (made up).
const NAME = '欧阳秀英';
const ID = '110105194912310021';
function driverError(): Error {
  const e = new Error(
    `Violation of UNIQUE KEY constraint 'UQ_HOLDER'. The duplicate key value is (${NAME}, ${ID}).`,
  );
  e.name = 'RequestError';
  return e;
}

describe('an error logged as an object', () => {
  it('shows neither the name nor the ID number its message quotes, in msg, message, stack or cause', () => {
    const { lines, logger } = lineLogger('trace');
    logger.warn(driverError());
    logger.error({ err: driverError() }, 'extract: page failed');
    logger.info({ err: new Error('page failed', { cause: driverError() }) }, 'wrapped');
    expect(lines).toHaveLength(3);
    for (const line of lines) {
      expect(line).not.toContain(NAME);
      expect(line).not.toContain(ID);
    }
    const [bare, keyed, wrapped] = [0, 1, 2].map((i) => JSON.parse(lines[i] ?? '{}') as Line) as [
      Line,
      Line,
      Line,
    ];
    // What says what failed stays: the constraint's name, the driver's words, the frames.
    expect(bare.msg).toContain("UNIQUE KEY constraint 'UQ_HOLDER'");
    expect(bare.err.message).toBe(bare.msg);
    expect(bare.err.stack).toMatch(/^RequestError: Violation of UNIQUE KEY[^\n]*\n\s+at /);
    expect(keyed.msg).toBe('extract: page failed');
    expect(keyed.err.message).toContain('The duplicate key value is');
    expect(wrapped.err.message).toBe('page failed');
    expect(wrapped.err.cause?.message).toContain("'UQ_HOLDER'");
  });

  it("keeps what a licbridge error's backticks name (config values), as its error line does", () => {
    const { lines, logger } = lineLogger('trace');
    const own = new LicbridgeError(
      ErrorCodes.TARGET_UNREACHABLE,
      'target `province`: readWindow `22:00-06:00` is closed',
    );
    const foreign = new Error('Duplicate entry `欧阳秀英` for key `holder`');
    logger.warn(own);
    logger.warn(foreign);
    const [ownLine, foreignLine] = [0, 1].map((i) => JSON.parse(lines[i] ?? '{}') as Line) as [Line, Line];
    expect(ownLine.msg).toBe('target `province`: readWindow `22:00-06:00` is closed');
    expect(ownLine.err.message).toBe(ownLine.msg);
    expect(foreignLine.msg).not.toContain(NAME);
  });

  it('keeps a message that quotes nothing as it was', () => {
    const { lines, logger } = lineLogger('trace');
    logger.warn(new Error('connect ECONNREFUSED 127.0.0.1:5432'));
    const line = JSON.parse(lines[0] ?? '{}') as Line;
    expect(line.msg).toBe('connect ECONNREFUSED 127.0.0.1:5432');
    expect(line.err.message).toBe('connect ECONNREFUSED 127.0.0.1:5432');
  });
});
