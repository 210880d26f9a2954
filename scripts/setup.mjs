#!/usr/bin/env node
// Prepares a clone for `npm start`, `npm test` and `npm run bench`: npm packages, the pinned
// Go programs (Hydra, FerretDB), for tests Chromium and for the bench PostgreSQL. Runs before
// `npm install`, so it uses only Node's own modules. Every step is skipped when its result is
// already there.
//
//   node scripts/setup.mjs [--for start|test|bench]

import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  chmodSync,
  copyFileSync,
  cpSync,
  existsSync,
  mkdirSync,
  readFileSync,
  readdirSync,
  realpathSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..');
const toolsDir = join(repoRoot, '.tools');
const binDir = join(toolsDir, 'bin');
const stampDir = join(toolsDir, 'stamps');
const buildDir = join(toolsDir, 'build');
const chromiumPath = '/usr/bin/chromium';
const postgresRoot = '/usr/lib/postgresql';
const purposes = ['start', 'test', 'bench'];
const progressEveryMs = 15_000;

/** A step that failed; main prints it and exits non-zero. */
export class SetupError extends Error {
  name = 'SetupError';

  /** @param {string} step @param {string} message @param {string} [detail] */
  constructor(step, message, detail) {
    super(message);
    this.step = step;
    this.detail = detail;
  }
}

/**
 * The Go programs, each pinned by a module in `tools/`.
 * FerretDB reads its version from `build/version/version.txt`, a file its release process
 * generates and the published module does not contain. Go 1.24+ records FerretDB's module as
 * the main module of the binary, so FerretDB insists on that file and panics at start-up
 * without it. `versionFile` builds it from a copy of the module with the file written in.
 */
export const tools = [
  {
    name: 'hydra',
    moduleDir: 'tools/hydra',
    module: 'github.com/ory/hydra/v2',
    pkg: 'github.com/ory/hydra/v2',
    tags: 'sqlite,sqlite_omit_load_extension',
    probeArgs: ['version'],
    versionFile: undefined,
  },
  {
    name: 'ferretdb',
    moduleDir: 'tools/ferretdb',
    module: 'github.com/FerretDB/FerretDB',
    pkg: 'github.com/FerretDB/FerretDB/cmd/ferretdb',
    tags: undefined,
    probeArgs: ['--version'],
    versionFile: 'build/version/version.txt',
  },
];

/** @param {string} message */
function say(message) {
  console.log(`setup: ${message}`);
}

/**
 * @param {string[]} argv
 * @returns {{ purpose: 'start' | 'test' | 'bench' | undefined }}
 */
export function parseArguments(argv) {
  let purpose;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const value = arg === '--for' ? argv[++i] : arg.startsWith('--for=') ? arg.slice(6) : null;
    if (value === null) throw new SetupError('arguments', `unknown argument ${arg}`, usage());
    if (!purposes.includes(value)) {
      throw new SetupError('arguments', `--for takes start, test or bench, not ${value}`, usage());
    }
    purpose = /** @type {'start' | 'test' | 'bench'} */ (value);
  }
  return { purpose };
}

function usage() {
  return 'usage: node scripts/setup.mjs [--for start|test|bench]';
}

// --- npm packages -------------------------------------------------------------------------

/**
 * npm writes `node_modules/.package-lock.json` at the end of every install, so a lockfile
 * newer than it means someone changed the dependencies since.
 * @param {string} root
 */
export function npmInstallNeeded(root) {
  const installed = join(root, 'node_modules', '.package-lock.json');
  if (!existsSync(installed)) return true;
  return statSync(join(root, 'package-lock.json')).mtimeMs > statSync(installed).mtimeMs;
}

function ensureNpmPackages() {
  if (!npmInstallNeeded(repoRoot)) {
    say('npm packages up to date');
    return;
  }
  say('installing npm packages (npm ci)');
  // npm 11 skips dependencies' install scripts unless approved; bcrypt and argon2 ship
  // prebuilt binaries, so nothing needs approving.
  const result = spawnSync('npm', ['ci', '--no-audit', '--no-fund'], {
    cwd: repoRoot,
    stdio: 'inherit',
  });
  if (result.error) throw new SetupError('npm ci', `npm could not run: ${result.error.message}`);
  if (result.status !== 0) {
    throw new SetupError('npm ci', `npm ci exited with ${describeStatus(result)}`);
  }
}

// --- Go programs --------------------------------------------------------------------------

/**
 * The version `go.mod` pins for `module`, from a `require` line or block.
 * @param {string} goMod @param {string} module
 */
export function pinnedVersion(goMod, module) {
  const escaped = module.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const match = new RegExp(`^\\s*(?:require\\s+)?${escaped}\\s+(v\\S+)`, 'm').exec(goMod);
  return match?.[1];
}

/**
 * Whether `go version -m` output shows a binary built from `module` at `version` (and with
 * the build tags the recipe needs: Hydra without `sqlite` cannot open its database).
 * @param {string} output @param {string} module @param {string} version @param {string} [tags]
 */
export function buildInfoMatches(output, module, version, tags) {
  const lines = output.split('\n').map((line) => line.trim().split(/\s+/));
  const hasModule = lines.some(
    ([kind, path, ver]) => (kind === 'mod' || kind === 'dep') && path === module && ver === version,
  );
  if (!hasModule) return false;
  if (tags === undefined) return true;
  return lines.some(([kind, setting]) => kind === 'build' && setting === `-tags=${tags}`);
}

/**
 * What a build depends on: the module's go.mod and go.sum and the recipe. A change to any of
 * them makes the stamp differ, so the binary is rebuilt.
 * @param {typeof tools[number]} tool
 */
function buildFingerprint(tool) {
  const hash = createHash('sha256');
  for (const file of ['go.mod', 'go.sum']) {
    hash.update(readFileSync(join(repoRoot, tool.moduleDir, file)));
  }
  hash.update(JSON.stringify({ pkg: tool.pkg, tags: tool.tags, versionFile: tool.versionFile }));
  return hash.digest('hex');
}

/** @param {typeof tools[number]} tool */
function stampPath(tool) {
  return join(stampDir, `${tool.name}.sha256`);
}

/** @param {string} file */
function readIfExists(file) {
  return existsSync(file) ? readFileSync(file, 'utf8').trim() : undefined;
}

/**
 * A binary without a stamp was built by hand or by an older setup. It is kept when Go's build
 * information shows the pinned module and it actually starts, which is far cheaper than a
 * rebuild of several minutes.
 * @param {typeof tools[number]} tool @param {string} binary @param {string} version
 */
function unstampedBinaryUsable(tool, binary, version) {
  const info = spawnSync('go', ['version', '-m', binary], { encoding: 'utf8' });
  if (info.status !== 0 || !buildInfoMatches(info.stdout, tool.module, version, tool.tags)) {
    return false;
  }
  const probe = spawnSync(binary, tool.probeArgs, { encoding: 'utf8', timeout: 30_000 });
  return probe.status === 0;
}

function requireGo() {
  const result = spawnSync('go', ['version'], { encoding: 'utf8' });
  if (result.error || result.status !== 0) {
    throw new SetupError(
      'go',
      'Go is needed to build Hydra and FerretDB but `go version` did not run',
      'install Go (1.26 or newer) and put it on PATH',
    );
  }
}

/** @param {typeof tools[number]} tool */
async function ensureTool(tool) {
  const binary = join(binDir, tool.name);
  const goMod = readFileSync(join(repoRoot, tool.moduleDir, 'go.mod'), 'utf8');
  const version = pinnedVersion(goMod, tool.module);
  if (version === undefined) {
    throw new SetupError(tool.name, `${tool.moduleDir}/go.mod does not require ${tool.module}`);
  }

  const fingerprint = buildFingerprint(tool);
  const stamp = stampPath(tool);
  const label = `${tool.name} ${version}`;

  if (existsSync(binary) && readIfExists(stamp) === fingerprint) {
    say(`${label} present (${relative(repoRoot, binary)})`);
    return;
  }

  requireGo();
  if (existsSync(binary) && readIfExists(stamp) === undefined) {
    if (unstampedBinaryUsable(tool, binary, version)) {
      writeStamp(stamp, fingerprint);
      say(`${label} present (${relative(repoRoot, binary)}), recorded its stamp`);
      return;
    }
    say(`${relative(repoRoot, binary)} is not a working ${label}; rebuilding it`);
  }

  await buildTool(tool, version, binary, label);
  writeStamp(stamp, fingerprint);
}

/** @param {string} stamp @param {string} fingerprint */
function writeStamp(stamp, fingerprint) {
  mkdirSync(dirname(stamp), { recursive: true });
  writeFileSync(stamp, `${fingerprint}\n`);
}

/**
 * Builds into a temporary name beside the target and renames it at the end: a rename within
 * one folder is atomic, so an interrupted build never leaves a half-written binary behind.
 * @param {typeof tools[number]} tool @param {string} version @param {string} binary
 * @param {string} label
 */
async function buildTool(tool, version, binary, label) {
  mkdirSync(binDir, { recursive: true });
  const partial = join(binDir, `.${tool.name}.partial-${process.pid}`);
  const started = Date.now();
  say(`building ${label} (takes minutes on a fresh machine)`);

  try {
    const moduleDir =
      tool.versionFile === undefined
        ? join(repoRoot, tool.moduleDir)
        : prepareModuleWithVersionFile(tool, version);
    const args = ['build', '-v', '-o', partial];
    if (tool.tags !== undefined) args.push('-tags', tool.tags);
    args.push(tool.pkg);

    await runGoWithProgress(args, moduleDir, tool.name, started);
    chmodSync(partial, 0o755);
    renameSync(partial, binary);
  } finally {
    rmSync(partial, { force: true });
    rmSync(join(buildDir, tool.name), { recursive: true, force: true });
  }

  say(`${label} built in ${formatElapsed(Date.now() - started)}`);
}

/**
 * A copy of the tool's module that replaces the pinned dependency with a writable copy of its
 * source, into which the missing version file is written. Lives under `.tools/build/`.
 * @param {typeof tools[number]} tool @param {string} version
 */
function prepareModuleWithVersionFile(tool, version) {
  const work = join(buildDir, tool.name);
  const moduleDir = join(work, 'module');
  const sourceDir = join(work, 'source');
  rmSync(work, { recursive: true, force: true });
  mkdirSync(moduleDir, { recursive: true });
  for (const file of ['go.mod', 'go.sum']) {
    copyFileSync(join(repoRoot, tool.moduleDir, file), join(moduleDir, file));
  }

  const download = runGo(
    ['mod', 'download', '-json', `${tool.module}@${version}`],
    moduleDir,
    `${tool.name}: download`,
  );
  const { Dir: cachedSource } = JSON.parse(download);
  if (typeof cachedSource !== 'string') {
    throw new SetupError(tool.name, `go mod download did not say where ${tool.module} is`);
  }

  // The module cache is read-only; the copy must be writable to add the file (and to be
  // removed by the next build).
  cpSync(cachedSource, sourceDir, { recursive: true });
  makeWritable(sourceDir);
  writeFileSync(join(sourceDir, tool.versionFile), `${version}\n`);

  runGo(
    ['mod', 'edit', `-replace=${tool.module}=${sourceDir}`],
    moduleDir,
    `${tool.name}: go mod edit`,
  );
  return moduleDir;
}

/** @param {string} dir */
function makeWritable(dir) {
  chmodSync(dir, 0o755);
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) makeWritable(path);
    else chmodSync(path, 0o644);
  }
}

function goEnvironment() {
  // The modules live inside this repository's git tree but are not its main module; stamping
  // VCS data would fail on a shallow or dirty checkout and is of no use here.
  const goflags = [process.env.GOFLAGS, '-buildvcs=false'].filter(Boolean).join(' ');
  return { ...process.env, GOFLAGS: goflags };
}

/**
 * Runs a short go command and returns its stdout.
 * @param {string[]} args @param {string} cwd @param {string} step
 */
function runGo(args, cwd, step) {
  const result = spawnSync('go', args, { cwd, env: goEnvironment(), encoding: 'utf8' });
  if (result.status !== 0) {
    throw new SetupError(step, `go ${args.join(' ')} exited with ${describeStatus(result)}`, result.stderr);
  }
  return result.stdout;
}

/** Children still running, so an interrupt of setup also ends them. */
const activeChildren = new Set();
let interrupted = false;

/**
 * Runs `go build -v`, which names each package as it compiles it. Prints how far it got every
 * 15 s so a build of several minutes does not look stuck, and keeps the last lines of output
 * for the error message.
 * @param {string[]} args @param {string} cwd @param {string} name @param {number} started
 */
function runGoWithProgress(args, cwd, name, started) {
  return new Promise((resolveBuild, reject) => {
    const child = spawn('go', args, { cwd, env: goEnvironment(), stdio: ['ignore', 'pipe', 'pipe'] });
    activeChildren.add(child);
    let packages = 0;
    /** @type {string[]} */
    const recent = [];
    let pending = '';

    /** @param {Buffer} chunk */
    const onOutput = (chunk) => {
      pending += chunk.toString('utf8');
      const lines = pending.split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines) {
        // A bare import path is progress; anything else (compiler errors) is worth showing.
        if (/^[\w.\-/]+$/.test(line)) {
          packages++;
          continue;
        }
        recent.push(line);
        if (recent.length > 40) recent.shift();
      }
    };
    child.stdout.on('data', onOutput);
    child.stderr.on('data', onOutput);

    const ticker = setInterval(() => {
      say(`  ${name}: ${packages} packages compiled, ${formatElapsed(Date.now() - started)}`);
    }, progressEveryMs);

    child.once('error', (error) => {
      clearInterval(ticker);
      activeChildren.delete(child);
      reject(new SetupError(name, `go could not run: ${error.message}`));
    });
    child.once('close', (code, signal) => {
      clearInterval(ticker);
      activeChildren.delete(child);
      if (code === 0) {
        resolveBuild(undefined);
        return;
      }
      if (interrupted) {
        reject(new SetupError(name, 'build interrupted; nothing was installed'));
        return;
      }
      const status = describeStatus({ status: code, signal });
      reject(new SetupError(name, `go ${args.join(' ')} exited with ${status}`, recent.join('\n')));
    });
  });
}

// --- Chromium -----------------------------------------------------------------------------

function ensureChromium() {
  if (existsSync(chromiumPath)) {
    say(`chromium present (${chromiumPath})`);
    return;
  }
  aptInstall(
    'chromium',
    'the browser tests need Debian\'s chromium at /usr/bin/chromium; install it as root',
  );
  if (!existsSync(chromiumPath)) {
    throw new SetupError('chromium', `apt-get installed chromium but ${chromiumPath} is missing`);
  }
}

// --- PostgreSQL (bench) -------------------------------------------------------------------

/**
 * The `postgres` program of any installed major version, as Debian lays them out
 * (`/usr/lib/postgresql/15/bin/postgres`), or undefined.
 * @param {string} [root]
 */
export function installedPostgres(root = postgresRoot) {
  if (!existsSync(root)) return undefined;
  return readdirSync(root)
    .map((major) => join(root, major, 'bin', 'postgres'))
    .find((program) => existsSync(program));
}

/** The bench runs Hydra on PostgreSQL: SQLite locks up with more than one flow in flight. */
function ensurePostgres() {
  const present = installedPostgres();
  if (present !== undefined) {
    say(`postgresql present (${present})`);
    return;
  }
  aptInstall('postgresql', 'the bench needs Debian\'s postgresql; install it as root');
  if (installedPostgres() === undefined) {
    throw new SetupError(
      'postgresql',
      `apt-get installed postgresql but no ${postgresRoot}/*/bin/postgres exists`,
    );
  }
}

/**
 * Installs one Debian package, refreshing the package lists first (a fresh image has none).
 * @param {string} pkg @param {string} hint
 */
function aptInstall(pkg, hint) {
  say(`installing ${pkg} from Debian packages (apt-get)`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const asRoot = process.getuid?.() === 0 ? [] : ['sudo', '-n'];
  for (const args of [['update'], ['install', '-y', pkg]]) {
    const [command, ...rest] = [...asRoot, 'apt-get', ...args];
    const result = spawnSync(command, rest, { stdio: 'inherit', env });
    if (result.error || result.status !== 0) {
      const reason = result.error?.message ?? describeStatus(result);
      throw new SetupError(pkg, `apt-get ${args.join(' ')} failed (${reason})`, hint);
    }
  }
}

// --- main ---------------------------------------------------------------------------------

/** @param {{ status: number | null, signal: NodeJS.Signals | null }} result */
function describeStatus(result) {
  return result.signal ? `signal ${result.signal}` : `code ${result.status}`;
}

/** @param {number} ms */
export function formatElapsed(ms) {
  const seconds = Math.round(ms / 1000);
  if (seconds < 60) return `${seconds}s`;
  return `${Math.floor(seconds / 60)}m${String(seconds % 60).padStart(2, '0')}s`;
}

const signalNumbers = { SIGHUP: 1, SIGINT: 2, SIGTERM: 15 };

/** Ends a build in progress when setup is interrupted; its partial binary is then removed. */
function endChildrenOnSignal() {
  for (const signal of /** @type {const} */ (['SIGINT', 'SIGTERM', 'SIGHUP'])) {
    process.once(signal, () => {
      interrupted = true;
      for (const child of activeChildren) child.kill('SIGTERM');
      say(`interrupted by ${signal}`);
      // The build's promise rejects once go has ended; the `finally` removes the partial file.
      process.exitCode = 128 + signalNumbers[signal];
    });
  }
}

/** @param {string[]} argv */
export async function main(argv) {
  const { purpose } = parseArguments(argv);
  endChildrenOnSignal();

  ensureNpmPackages();
  for (const tool of tools) await ensureTool(tool);
  if (purpose === 'test') ensureChromium();
  // The tests cover the bench's PostgreSQL launcher too, so they need it as much as the bench.
  if (purpose === 'test' || purpose === 'bench') ensurePostgres();
  say('ready');
}

function invokedDirectly() {
  const entry = process.argv[1];
  if (entry === undefined) return false;
  return import.meta.url === pathToFileURL(realpathSync(entry)).href;
}

if (invokedDirectly()) {
  main(process.argv.slice(2)).catch((error) => {
    if (error instanceof SetupError) {
      console.error(`setup: FAILED (${error.step}): ${error.message}`);
      if (error.detail) console.error(error.detail.trimEnd());
    } else {
      console.error('setup: FAILED:', error);
    }
    process.exit(process.exitCode || 1);
  });
}
