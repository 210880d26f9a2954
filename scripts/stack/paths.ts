import { accessSync, constants } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

import { ToolMissingError } from './errors';

/** The repository root: this file lives in `scripts/stack/`. */
export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** Built Go programs (ignored by git); `scripts/setup.mjs` fills it. */
export const toolsBinDir = join(repoRoot, '.tools', 'bin');
export const hydraBinary = join(toolsBinDir, 'hydra');
export const ferretDbBinary = join(toolsBinDir, 'ferretdb');

/** Screenshots, benchmark figures and logs. */
export const artifactsDir = join(repoRoot, 'artifacts');
export const logsDir = join(artifactsDir, 'logs');

/** Data of `npm start` (tests use temporary folders instead). */
export const dataDir = join(repoRoot, '.data');

/** Returns the binary's path, or throws when setup has not built it yet. */
export function requireTool(tool: string, path: string): string {
  try {
    accessSync(path, constants.X_OK);
  } catch {
    throw new ToolMissingError(tool, path);
  }
  return path;
}
