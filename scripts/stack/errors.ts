/**
 * What can go wrong while running a stack component. Each error names the component, so a
 * failing test or `npm start` says which of Hydra, FerretDB or a migration broke, and carries
 * the tail of that component's log, because the log is where the reason is.
 */

/** Base class: lets callers tell stack failures from everything else. */
export class StackError extends Error {
  override readonly name: string = 'StackError';
}

/** A binary under `.tools/bin` is missing; `npm run setup` builds it. */
export class ToolMissingError extends StackError {
  override readonly name = 'ToolMissingError';

  constructor(
    readonly tool: string,
    readonly path: string,
  ) {
    super(`${tool} is not built at ${path}; run \`npm run setup\` to build it`);
  }
}

/**
 * Something already listens on a port a component was asked to use, often an instance left
 * from an earlier run. Checked before starting: a readiness probe would otherwise be answered
 * by the old listener while the new process fails to bind and exits.
 */
export class PortInUseError extends StackError {
  override readonly name = 'PortInUseError';

  constructor(
    readonly component: string,
    readonly port: number,
  ) {
    super(`${component} cannot listen on 127.0.0.1:${port}: something else already does`);
  }
}

/** The operating system could not start the program at all (missing file, no permission). */
export class ChildStartError extends StackError {
  override readonly name = 'ChildStartError';

  constructor(
    readonly component: string,
    cause: Error,
  ) {
    super(`${component} could not be started: ${cause.message}`, { cause });
  }
}

/** How a child process ended. */
export interface ExitStatus {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export function describeExit(status: ExitStatus): string {
  if (status.signal !== null) return `was killed by ${status.signal}`;
  return `exited with code ${String(status.code)}`;
}

/** A server ended before it answered, or a one-shot command (a migration) failed. */
export class ChildExitedError extends StackError {
  override readonly name = 'ChildExitedError';

  constructor(
    readonly component: string,
    readonly status: ExitStatus,
    readonly logFile: string,
    readonly logTail: string,
  ) {
    super(`${component} ${describeExit(status)}; log ${logFile} ends with:\n${logTail}`);
  }
}

/** A server kept running but did not answer in time. */
export class ReadinessTimeoutError extends StackError {
  override readonly name = 'ReadinessTimeoutError';

  constructor(
    readonly component: string,
    readonly waitedFor: string,
    readonly timeoutMs: number,
    readonly logFile: string,
    readonly logTail: string,
  ) {
    super(
      `${component} did not answer ${waitedFor} within ${timeoutMs} ms; ` +
        `log ${logFile} ends with:\n${logTail}`,
    );
  }
}

/** An option handed to a launcher cannot be expressed in the component's configuration. */
export class StackConfigError extends StackError {
  override readonly name = 'StackConfigError';

  constructor(
    readonly option: string,
    reason: string,
  ) {
    super(`${option}: ${reason}`);
  }
}

/** PostgreSQL's programs (or its system user) are missing; `npm run setup -- --for bench`. */
export class PostgresMissingError extends StackError {
  override readonly name = 'PostgresMissingError';

  constructor(readonly what: string) {
    super(`PostgreSQL needs ${what}; run \`node scripts/setup.mjs --for bench\` to install it`);
  }
}
