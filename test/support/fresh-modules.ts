/**
 * Setup file of every project (vitest.config.ts). The files of a project share a process to save
 * its start-up, but not licbridge's module state: before each file every licbridge module is
 * forgotten, so a file sees registries, caches and defaults as a fresh process would, whatever
 * ran before it. Libraries from node_modules stay loaded (they hold no licbridge state).
 */
import { vi } from 'vitest';

vi.resetModules();
