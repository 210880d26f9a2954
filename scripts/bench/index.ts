/**
 * `npm run bench [-- --quick] [--profile] [--levels 1,4,16] [--rounds 3] [--seconds 4]`
 *
 * Our identity provider beside Ory's reference login/consent app, each behind its own Hydra
 * of the same build, in one run: whole authorization-code flows with PKCE at several
 * concurrency levels, repeated in rounds, plus the machine's password-verification ceiling.
 * Prints a table; the last line printed is the path of the JSON file with every figure.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { availableParallelism, loadavg } from 'node:os';
import path from 'node:path';

import { repoRoot } from '../stack';
import { createPool } from './browser';
import { measureCeiling } from './ceiling';
import { benchChartSvg } from './chart';
import { runClosedLoop } from './load';
import { BenchUsageError, readPlan, type BenchPlan } from './options';
import { cpuMsOf, memoryOf } from './procfs';
import { summariseProfileDir, type ProfileShare } from './profile';
import {
  cellFigures,
  freshVerdicts,
  rememberedVerdicts,
  roundFigures,
  type RawRound,
} from './report';
import { freshSignIn, rememberedSession, scenarios, type PreparedScenario } from './scenarios';
import { rounded, spreadOf } from './stats';
import {
  ceilingLine,
  cellsTable,
  formatTable,
  verdictsTable,
  type NotApplicable,
} from './table';
import { startBenchStack, type Target } from './targets';
import type { CeilingFigures, CellFigures, ProviderId, RoundFigures } from './types';

type Prepared = Map<string, PreparedScenario>;

const progress = (message: string) => process.stderr.write(`bench: ${message}\n`);

async function main(): Promise<void> {
  const plan = readPlan(process.argv.slice(2));
  const outDir = path.resolve(repoRoot, plan.outDir);
  const profileDir = plan.profile ? path.join(outDir, 'profile') : undefined;
  await mkdir(outDir, { recursive: true });
  if (profileDir !== undefined) await mkdir(profileDir, { recursive: true });
  const startedAt = new Date();

  progress('starting PostgreSQL, FerretDB, two Hydras, our two hosts and the reference');
  const stack = await startBenchStack({
    logDir: path.join(outDir, 'logs'),
    profileDir,
    maxInFlight: Math.max(...plan.levels),
  });
  const pool = createPool(Math.max(...plan.levels) * 2);
  let measured: Measured;
  let memory: Record<ProviderId, ReturnType<typeof memoryOf>>;
  try {
    const prepared = await prepareScenarios(stack.targets, Math.max(...plan.levels), pool);
    measured = await measureRounds(plan, stack.targets, prepared);
    memory = {
      ours: memoryOf(stack.targets.ours.providerPid),
      reference: memoryOf(stack.targets.reference.providerPid),
    };
  } finally {
    await pool.close();
    await stack.stop();
  }
  const profile = profileDir === undefined ? undefined : await summariseProfileDir(profileDir);

  const report = buildReport(plan, startedAt, measured, memory, profile);
  const jsonFile = path.join(outDir, 'bench.json');
  const chartFile = path.join(outDir, 'bench.svg');
  await writeFile(jsonFile, `${JSON.stringify({ ...report, chart: chartFile }, null, 2)}\n`);
  await writeFile(chartFile, benchChartSvg(plan.levels, report.cells, report.ceiling.median));
  printSummary(report, chartFile);
  console.log(jsonFile);
}

interface Measured {
  cells: CellFigures[];
  ceiling: CeilingFigures;
}

async function prepareScenarios(
  targets: Record<ProviderId, Target>,
  workers: number,
  pool: ReturnType<typeof createPool>,
): Promise<Prepared> {
  const prepared: Prepared = new Map();
  for (const scenario of scenarios) {
    for (const provider of scenario.providers) {
      progress(`preparing ${scenario.id} for ${provider} (${workers} users)`);
      const run = await scenario.prepare(targets[provider], workers, pool);
      prepared.set(`${scenario.id}/${provider}`, run);
    }
  }
  return prepared;
}

/**
 * Rounds are the outer loop, so a burst of noise on the shared machine hits one round of
 * every cell rather than every round of one cell; within a level the providers alternate
 * which goes first from round to round.
 */
async function measureRounds(
  plan: BenchPlan,
  targets: Record<ProviderId, Target>,
  prepared: Prepared,
): Promise<Measured> {
  const byCell = new Map<string, RoundFigures[]>();
  const ceilingRuns: number[] = [];
  let threads = 0;
  let inFlight = 0;

  for (let round = 1; round <= plan.rounds; round += 1) {
    const ceiling = await measureCeiling(plan.ceilingMs);
    ({ threads, inFlight } = ceiling);
    ceilingRuns.push(rounded(ceiling.perSecond, 2));
    progress(`round ${round}/${plan.rounds}: ceiling ${ceiling.perSecond.toFixed(1)} checks/s`);

    for (const scenario of scenarios) {
      for (const level of plan.levels) {
        const order = round % 2 === 1 ? scenario.providers : [...scenario.providers].reverse();
        for (const provider of order) {
          const run = prepared.get(`${scenario.id}/${provider}`);
          if (run === undefined) throw new Error(`${scenario.id} was not prepared for ${provider}`);
          const figures = await measureCell(plan, targets[provider], run, level, round);
          progress(
            `  ${scenario.id} ${provider} c=${level}: ${figures.flowsPerSecond} flows/s, ` +
              `p50 ${figures.p50Ms} ms, errors ${figures.errors}` +
              (figures.errorSamples[0] === undefined ? '' : ` (${figures.errorSamples[0]})`),
          );
          const key = `${scenario.id}|${provider}|${level}`;
          byCell.set(key, [...(byCell.get(key) ?? []), figures]);
        }
      }
    }
  }

  const cells = [...byCell.entries()].map(([key, rounds]) => {
    const [scenario = '', provider = 'ours', level = '0'] = key.split('|');
    return cellFigures(scenario, provider as ProviderId, Number(level), rounds);
  });
  const verificationsPerSecond = spreadOf(ceilingRuns);
  const ceiling = { threads, inFlight, rounds: ceilingRuns, verificationsPerSecond };
  return { cells, ceiling };
}

async function measureCell(
  plan: BenchPlan,
  target: Target,
  run: PreparedScenario,
  concurrency: number,
  round: number,
): Promise<RoundFigures> {
  const processes = run.processes ?? target.processes;
  let before: Record<string, number> = {};
  const result = await runClosedLoop({
    concurrency,
    warmupMs: plan.warmupMs,
    measureMs: plan.measureMs,
    maxFlows: plan.maxFlowsPerCell,
    flow: (worker) => run.flow(worker),
    onMeasureStart: () => {
      before = cpuReadings(processes);
    },
  });
  const after = cpuReadings(processes);
  const cpuMs: Record<string, number> = {};
  for (const [name, ms] of Object.entries(after)) cpuMs[name] = ms - (before[name] ?? ms);
  const raw: RawRound = { round, ...result, cpuMs };
  return roundFigures(raw);
}

/** CPU milliseconds used so far by each process serving the cell, and by this client. */
function cpuReadings(processes: Record<string, number>): Record<string, number> {
  const readings: Record<string, number> = {};
  for (const [name, pid] of Object.entries(processes)) readings[name] = cpuMsOf(pid);
  const own = process.cpuUsage();
  readings['bench client'] = (own.user + own.system) / 1000;
  return readings;
}

function buildReport(
  plan: BenchPlan,
  startedAt: Date,
  measured: Measured,
  memory: Record<ProviderId, ReturnType<typeof memoryOf>>,
  profile: { file: string; shares: ProfileShare[] } | undefined,
) {
  const { cells, ceiling } = measured;
  const verdicts = [
    ...rememberedVerdicts(cells, rememberedSession.id),
    ...freshVerdicts(cells, freshSignIn.id, ceiling.verificationsPerSecond.median),
  ];
  return {
    startedAt: startedAt.toISOString(),
    finishedAt: new Date().toISOString(),
    machine: {
      cores: availableParallelism(),
      node: process.version,
      loadAverageAtEnd: loadavg().map((load) => rounded(load, 2)),
    },
    plan,
    setup: {
      hydra:
        'one Hydra v2.3 (project build) per provider, same configuration, ' +
        'each with its own database in one PostgreSQL server (fsync off)',
      client: 'public client, PKCE S256, token_endpoint_auth_method none, skip_consent true',
      ours: 'standalone host, NODE_ENV=production, FerretDB users, bcrypt cost 10',
      tokens:
        'POST /graphql { viewer { id } } with one valid opaque access token; cached: our ' +
        'host with tokens.cacheSeconds at its default; uncached: a second host with 0',
      reference: 'hydra-login-consent-logout@25.4.0 unmodified, NODE_ENV=production',
      threadpool:
        `ceiling child: UV_THREADPOOL_SIZE=${ceiling.threads}; ` +
        'providers: Node default (4)',
    },
    ceiling: {
      ...ceiling.verificationsPerSecond,
      rounds: ceiling.rounds,
      threads: ceiling.threads,
      inFlight: ceiling.inFlight,
    },
    cells,
    notApplicable: notApplicableCells(),
    verdicts,
    memory: {
      ours: roundedMemory(memory.ours),
      reference: roundedMemory(memory.reference),
    },
    profile,
    errors: cells.reduce((sum, cell) => sum + cell.errors, 0),
  };
}

/** Scenario × provider pairs that cannot be measured, so the table says so, not nothing. */
function notApplicableCells(): NotApplicable[] {
  return scenarios.flatMap((scenario) =>
    Object.entries(scenario.notApplicable ?? {}).map(([provider, reason]) => ({
      scenario: scenario.id,
      provider,
      reason,
    })),
  );
}

function roundedMemory(memory: { peakRssMiB: number; rssMiB: number }) {
  return { peakRssMiB: rounded(memory.peakRssMiB, 1), rssMiB: rounded(memory.rssMiB, 1) };
}

type Report = ReturnType<typeof buildReport>;

function printSummary(report: Report, chartFile: string): void {
  const lines = [
    '',
    cellsTable(report.cells, report.notApplicable),
    '',
    ceilingLine({ ...report.ceiling, verificationsPerSecond: report.ceiling }),
    `peak RSS: ours ${report.memory.ours.peakRssMiB} MiB, ` +
      `reference ${report.memory.reference.peakRssMiB} MiB`,
    '',
    verdictsTable(report.verdicts),
    '',
    'CPU ms per flow at the highest level (median round):',
    cpuTable(report.cells),
  ];
  if (report.profile !== undefined) {
    lines.push('', `our provider's busy CPU by location (${report.profile.file}):`);
    lines.push(formatTable(['where', 'self ms', 'share %'], report.profile.shares.map(
      (share) => [share.where, String(share.selfMs), share.sharePct.toFixed(1)],
    )));
  }
  lines.push('', `errors: ${report.errors}`, `chart: ${chartFile}`);
  console.log(lines.join('\n'));
}

function cpuTable(cells: readonly CellFigures[]): string {
  const top = Math.max(...cells.map((cell) => cell.concurrency));
  const names = ['idp', 'hydra', 'ferretdb', 'bench client'];
  const rows = cells
    .filter((cell) => cell.concurrency === top)
    .map((cell) => {
      const medianOf = (name: string) =>
        spreadOf(
          cell.rounds.map((round) => round.cpuMsPerFlow[name] ?? NaN).filter(Number.isFinite),
        );
      return [
        `${cell.scenario} ${cell.provider}`,
        ...names.map((name) => {
          const value = medianOf(name).median;
          return Number.isFinite(value) ? value.toFixed(2) : '-';
        }),
      ];
    });
  return formatTable(['cell', ...names], rows);
}

main().catch((error: unknown) => {
  if (error instanceof BenchUsageError) {
    console.error(error.message);
    process.exit(2);
  }
  console.error('bench failed:', error instanceof Error ? error.stack ?? error.message : error);
  process.exit(1);
});
