import { spawn, type ChildProcess } from 'node:child_process';
import { appendFileSync, closeSync, mkdirSync, openSync, readSync, statSync } from 'node:fs';
import { connect } from 'node:net';
import { dirname } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import createDebug from 'debug';

import {
  ChildExitedError,
  ChildStartError,
  ReadinessTimeoutError,
  type ExitStatus,
} from './errors';

export interface ChildSpec {
  /** Used in messages and errors: "hydra", "hydra migrate", "ferretdb". */
  name: string;
  command: string;
  args: readonly string[];
  /** The whole environment of the child; nothing is inherited implicitly. */
  env: NodeJS.ProcessEnv;
  cwd?: string;
  /** stdout and stderr are appended here. */
  logFile: string;
}

export interface RunningChild {
  readonly name: string;
  readonly pid: number;
  readonly logFile: string;
  /** Settles when the process has ended, however it ended. */
  readonly exited: Promise<ExitStatus>;
  /** The exit status once the process has ended, otherwise undefined. */
  exitStatus(): ExitStatus | undefined;
  /** The last lines the process wrote to its log since it started. */
  logTail(): string;
  /** SIGTERM, then SIGKILL after `graceMs`; resolves once the process is gone. */
  stop(graceMs?: number): Promise<ExitStatus>;
}

export interface WaitOptions {
  timeoutMs?: number;
  intervalMs?: number;
}

/** A readiness check: resolves true once the component answers, false while it does not yet. */
export interface Probe {
  description: string;
  check(): Promise<boolean>;
}

const defaultGraceMs = 5_000;
const defaultReadyTimeoutMs = 60_000;
const defaultPollIntervalMs = 100;
const logTailLines = 40;
const logTailMaxBytes = 16 * 1024;

const log = createDebug('hydra-oauth:stack');

/** Children still alive; killed when this process exits or is told to stop. */
const liveChildren = new Set<RunningChild>();

/**
 * Starts `spec.command` with its output appended to `spec.logFile`. Resolves once the process
 * exists; rejects with ChildStartError when it cannot be started at all.
 */
export async function startChild(spec: ChildSpec): Promise<RunningChild> {
  installParentExitCleanup();

  mkdirSync(dirname(spec.logFile), { recursive: true });
  appendFileSync(spec.logFile, `--- ${new Date().toISOString()} start ${spec.name}\n`);
  const logStart = statSync(spec.logFile).size;

  // The child writes straight into the file, so its output survives even when this process
  // dies, and no pipe can fill up and block the child while nobody reads it.
  const logFd = openSync(spec.logFile, 'a');
  let child: ChildProcess;
  try {
    child = spawn(spec.command, spec.args, {
      cwd: spec.cwd,
      env: spec.env,
      stdio: ['ignore', logFd, logFd],
    });
  } finally {
    closeSync(logFd);
  }

  await spawned(child, spec.name);
  const running = trackChild(child, spec, logStart);
  log('started name=%s pid=%d log=%s', spec.name, running.pid, spec.logFile);
  return running;
}

function spawned(child: ChildProcess, name: string): Promise<void> {
  return new Promise((resolveSpawn, reject) => {
    child.once('spawn', () => resolveSpawn());
    child.once('error', (error) => reject(new ChildStartError(name, error)));
  });
}

function trackChild(child: ChildProcess, spec: ChildSpec, logStart: number): RunningChild {
  let status: ExitStatus | undefined;
  const exited = new Promise<ExitStatus>((resolveExit) => {
    child.once('exit', (code, signal) => {
      status = { code, signal };
      liveChildren.delete(running);
      log('exited name=%s pid=%d code=%s signal=%s', spec.name, child.pid, code, signal);
      resolveExit(status);
    });
  });

  const running: RunningChild = {
    name: spec.name,
    pid: child.pid as number,
    logFile: spec.logFile,
    exited,
    exitStatus: () => status,
    logTail: () => readLogTail(spec.logFile, logStart),
    stop: (graceMs = defaultGraceMs) => stopChild(child, exited, () => status, graceMs),
  };
  liveChildren.add(running);
  return running;
}

async function stopChild(
  child: ChildProcess,
  exited: Promise<ExitStatus>,
  currentStatus: () => ExitStatus | undefined,
  graceMs: number,
): Promise<ExitStatus> {
  const already = currentStatus();
  if (already !== undefined) return already;

  child.kill('SIGTERM');
  const escalation = setTimeout(() => child.kill('SIGKILL'), graceMs);
  try {
    return await exited;
  } finally {
    clearTimeout(escalation);
  }
}

/**
 * Runs a command that is expected to finish (a migration) and rejects with its log tail when
 * it fails or takes longer than `timeoutMs`.
 */
export async function runToCompletion(spec: ChildSpec, timeoutMs = 120_000): Promise<void> {
  const child = await startChild(spec);
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    void child.stop();
  }, timeoutMs);
  const status = await child.exited;
  clearTimeout(timer);

  if (status.code !== 0) {
    const component = timedOut ? `${spec.name} (stopped after ${timeoutMs} ms)` : spec.name;
    throw new ChildExitedError(component, status, spec.logFile, child.logTail());
  }
}

/**
 * Polls `probe` until it passes. Rejects as soon as the child exits (with the tail of its log)
 * or when `timeoutMs` passes. The child is left running on timeout: the caller decides.
 */
export async function waitUntilReady(
  child: RunningChild,
  probe: Probe,
  options: WaitOptions = {},
): Promise<void> {
  const timeoutMs = options.timeoutMs ?? defaultReadyTimeoutMs;
  const intervalMs = options.intervalMs ?? defaultPollIntervalMs;
  const deadline = Date.now() + timeoutMs;

  for (;;) {
    throwIfExited(child);
    const answered = await probe.check();
    throwIfExited(child);
    if (answered) return;
    if (Date.now() >= deadline) {
      throw new ReadinessTimeoutError(
        child.name,
        probe.description,
        timeoutMs,
        child.logFile,
        child.logTail(),
      );
    }
    // Wake early when the child dies, so a crash is reported at once, not at the deadline.
    await Promise.race([sleep(intervalMs), child.exited]);
  }
}

function throwIfExited(child: RunningChild): void {
  const status = child.exitStatus();
  if (status !== undefined) {
    throw new ChildExitedError(child.name, status, child.logFile, child.logTail());
  }
}

/** Passes when GET `url` answers with a status `accept` likes (200 by default). */
export function httpAnswers(
  url: string,
  accept: (status: number) => boolean = (status) => status === 200,
): Probe {
  return {
    description: `GET ${url}`,
    async check() {
      try {
        const response = await fetch(url, { signal: AbortSignal.timeout(2_000) });
        await response.body?.cancel();
        return accept(response.status);
      } catch {
        return false;
      }
    },
  };
}

/** Passes when a TCP connection to host:port is accepted. */
export function tcpAccepts(host: string, port: number): Probe {
  return {
    description: `TCP ${host}:${port}`,
    check: () =>
      new Promise((resolveCheck) => {
        const socket = connect({ host, port });
        socket.setTimeout(2_000);
        const finish = (accepted: boolean) => {
          socket.destroy();
          resolveCheck(accepted);
        };
        socket.once('connect', () => finish(true));
        socket.once('error', () => finish(false));
        socket.once('timeout', () => finish(false));
      }),
  };
}

/** The last lines written to `logFile` after byte offset `from`. */
export function readLogTail(logFile: string, from = 0, lines = logTailLines): string {
  let size: number;
  try {
    size = statSync(logFile).size;
  } catch {
    return '(no log)';
  }

  const start = Math.max(from, size - logTailMaxBytes);
  const length = Math.max(0, size - start);
  const buffer = Buffer.alloc(length);
  const fd = openSync(logFile, 'r');
  try {
    readSync(fd, buffer, 0, length, start);
  } finally {
    closeSync(fd);
  }

  const text = buffer.toString('utf8').trimEnd();
  if (text === '') return '(log is empty)';
  return text.split('\n').slice(-lines).join('\n');
}

/** Processes started here that are still running. */
export function runningChildren(): readonly RunningChild[] {
  return [...liveChildren];
}

/** Stops every child still running. */
export async function stopAllChildren(graceMs = defaultGraceMs): Promise<void> {
  await Promise.allSettled([...liveChildren].map((child) => child.stop(graceMs)));
}

let cleanupInstalled = false;

const parentSignals = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

/**
 * Servers started for a test or `npm start` must not outlive it: a leftover Hydra would hold
 * its ports and its SQLite file. On a normal exit only synchronous work is possible, so the
 * children get SIGKILL (SQLite keeps committed data safe). On a signal they get the usual
 * SIGTERM-then-SIGKILL first.
 */
function installParentExitCleanup(): void {
  if (cleanupInstalled) return;
  cleanupInstalled = true;

  process.on('exit', killChildrenNow);
  for (const signal of parentSignals) {
    process.once(signal, () => void stopChildrenThenResignal(signal));
  }
}

function killChildrenNow(): void {
  for (const child of liveChildren) {
    try {
      process.kill(child.pid, 'SIGKILL');
    } catch {
      // Already gone between its exit and our bookkeeping.
    }
  }
}

async function stopChildrenThenResignal(signal: NodeJS.Signals): Promise<void> {
  await stopAllChildren(2_000);

  // Our listener replaced the default action (terminate). When nothing else in the program
  // handles the signal, restore that action so the parent still ends as it was asked to.
  if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
}
