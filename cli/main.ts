#!/usr/bin/env node
import { reportError } from './errors.js';
import { buildProgram } from './program.js';

const program = buildProgram();
program.parseAsync(process.argv).catch((error: unknown) => {
  process.exitCode = reportError(error);
});
