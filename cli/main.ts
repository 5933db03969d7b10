#!/usr/bin/env node
import { buildProgram } from './program.js';
import { reportError } from './errors.js';

const program = buildProgram();
program.parseAsync(process.argv).catch((error: unknown) => {
  process.exitCode = reportError(error);
});
