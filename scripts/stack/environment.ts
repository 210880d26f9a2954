/**
 * The few variables of this process that a child started on loopback still needs. Hydra and
 * FerretDB read every environment variable that matches one of their settings (`DSN`,
 * `LOG_LEVEL`, `FERRETDB_*`), so a value left in a developer's shell must not reach them and
 * quietly reconfigure a test stack.
 */
const passedThrough = ['PATH', 'HOME', 'TMPDIR', 'TZ', 'LANG', 'LC_ALL'] as const;

export function baseEnvironment(
  parent: NodeJS.ProcessEnv = process.env,
): Record<string, string> {
  const env: Record<string, string> = {};
  for (const name of passedThrough) {
    const value = parent[name];
    if (typeof value === 'string') env[name] = value;
  }
  return env;
}
