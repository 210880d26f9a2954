import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

export const DEMO_CLIENT_ENTRY = fileURLToPath(new URL('./client.tsx', import.meta.url));

/**
 * Bundles the browser code that hydrates the screens (React and the host's overrides) with
 * esbuild, in memory, once at start-up: about a second, and no build step to forget.
 */
export async function buildClientBundle(entry: string = DEMO_CLIENT_ENTRY): Promise<string> {
  const result = await build({
    entryPoints: [entry],
    bundle: true,
    minify: true,
    write: false,
    format: 'iife',
    platform: 'browser',
    target: ['es2020'],
    jsx: 'automatic',
    define: { 'process.env.NODE_ENV': '"production"' },
    logLevel: 'silent',
  });
  const [output] = result.outputFiles;
  if (!output) throw new Error(`esbuild produced no output for ${entry}`);
  return output.text;
}
