#!/usr/bin/env node
import { reportError } from './errors.js';
import { buildProgram } from './program.js';

buildProgram(process.argv)
  .then((program) => program.parseAsync(process.argv))
  .catch((error: unknown) => {
    process.exitCode = reportError(error);
  });
