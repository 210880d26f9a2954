import { expect } from 'chai';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { pathToFileURL } from 'node:url';
import { MongoClient } from 'mongodb';

import {
  ChildExitedError,
  ChildStartError,
  PortInUseError,
  ReadinessTimeoutError,
  StackConfigError,
  freePort,
  httpAnswers,
  repoRoot,
  runToCompletion,
  runningChildren,
  startChild,
  startFerretDb,
  startHydra,
  tcpAccepts,
  waitUntilReady,
  type HydraOptions,
  type RunningFerretDb,
  type RunningHydra,
} from '../../scripts/stack/index';

const flowUrls = {
  loginUrl: 'http://127.0.0.1:3999/account/login',
  consentUrl: 'http://127.0.0.1:3999/account/consent',
  logoutUrl: 'http://127.0.0.1:3999/account/logout',
} satisfies Partial<HydraOptions>;

const scratchDirs: string[] = [];

function scratchDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), `stack-${prefix}-`));
  scratchDirs.push(dir);
  return dir;
}

after(() => {
  for (const dir of scratchDirs) rmSync(dir, { recursive: true, force: true });
});

/** True while `pid` runs; a zombie (ended, not yet reaped by its new parent) counts as ended. */
function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false;
  }
}

async function waitUntilEnded(pid: number, timeoutMs = 10_000): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (!isRunning(pid)) return true;
    await sleep(50);
  }
  return !isRunning(pid);
}

async function occupyPort(): Promise<{ port: number; server: Server }> {
  const port = await freePort();
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', resolve);
  });
  return { port, server };
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => server.close(() => resolve()));
}

async function getJson(url: string): Promise<{ status: number; body: unknown }> {
  const response = await fetch(url);
  return { status: response.status, body: await response.json() };
}

async function createClient(hydra: RunningHydra, client: object): Promise<Record<string, string>> {
  const response = await fetch(`${hydra.adminUrl}/admin/clients`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(client),
  });
  expect(response.status).to.equal(201);
  return (await response.json()) as Record<string, string>;
}

describe('stack: FerretDB on loopback', function () {
  this.timeout(60_000);

  let ferret: RunningFerretDb;

  before(async () => {
    ferret = await startFerretDb({ dataDir: scratchDir('ferret') });
  });

  after(async () => {
    await ferret?.stop();
  });

  it('answers a MongoDB ping and keeps a document, through the official driver', async () => {
    expect(ferret.url).to.equal(`mongodb://127.0.0.1:${ferret.port}/`);
    const client = await MongoClient.connect(ferret.url, { serverSelectionTimeoutMS: 5_000 });
    try {
      expect(await client.db('admin').command({ ping: 1 })).to.deep.include({ ok: 1 });

      const users = client.db('demand').collection<{ _id: string; username: string }>('users');
      await users.insertOne({ _id: 'u1', username: 'ada' });
      expect(await users.findOne({ _id: 'u1' })).to.deep.equal({ _id: 'u1', username: 'ada' });
    } finally {
      await client.close();
    }
  });

  it('runs a second instance beside the first, since neither opens a debug port', async () => {
    const second = await startFerretDb({ dataDir: scratchDir('ferret2') });
    try {
      expect(second.port).to.not.equal(ferret.port);
      const client = await MongoClient.connect(second.url, { serverSelectionTimeoutMS: 5_000 });
      try {
        expect(await client.db('admin').command({ ping: 1 })).to.deep.include({ ok: 1 });
      } finally {
        await client.close();
      }
    } finally {
      await second.stop();
    }
  });

  it('stop() ends the process and frees its port', async () => {
    const instance = await startFerretDb({ dataDir: scratchDir('ferret3') });
    expect(isRunning(instance.pid)).to.equal(true);

    await instance.stop();

    expect(await waitUntilEnded(instance.pid, 1_000)).to.equal(true);
    expect(await tcpAccepts('127.0.0.1', instance.port).check()).to.equal(false);
  });

  it('refuses a port something else listens on, before starting anything', async () => {
    const { port, server } = await occupyPort();
    const childrenBefore = runningChildren().length;
    try {
      const error = await startFerretDb({ dataDir: scratchDir('ferret-busy'), port }).then(
        () => expect.fail('FerretDB started on a taken port'),
        (caught: unknown) => caught,
      );
      expect(error).to.be.instanceOf(PortInUseError);
      expect((error as PortInUseError).port).to.equal(port);
      expect(runningChildren().length).to.equal(childrenBefore);
    } finally {
      await closeServer(server);
    }
  });
});

describe('stack: Hydra on loopback', function () {
  this.timeout(120_000);

  let hydra: RunningHydra;

  before(async () => {
    hydra = await startHydra({
      dataDir: scratchDir('hydra'),
      ...flowUrls,
      ttl: { accessToken: 120 },
    });
  });

  after(async () => {
    await hydra?.stop();
  });

  it('names the configured issuer in its discovery document', async () => {
    const { status, body } = await getJson(`${hydra.publicUrl}/.well-known/openid-configuration`);

    expect(status).to.equal(200);
    expect(hydra.issuer).to.equal(`http://127.0.0.1:${hydra.publicPort}`);
    expect(body).to.deep.include({
      issuer: hydra.issuer,
      authorization_endpoint: `${hydra.issuer}/oauth2/auth`,
      subject_types_supported: ['public'],
    });
  });

  it('answers its admin API on the admin port and not on the public one', async () => {
    const admin = await getJson(`${hydra.adminUrl}/admin/clients`);
    expect(admin).to.deep.equal({ status: 200, body: [] });

    const onPublic = await fetch(`${hydra.publicUrl}/admin/clients`);
    await onPublic.body?.cancel();
    expect(onPublic.status).to.equal(404);
  });

  it('sends a new authorization request to the configured login URL', async () => {
    const client = await createClient(hydra, {
      client_id: 'login-url-check',
      grant_types: ['authorization_code'],
      response_types: ['code'],
      redirect_uris: ['http://127.0.0.1:4999/callback'],
      scope: 'openid',
    });
    const query = new URLSearchParams({
      client_id: client.client_id ?? '',
      response_type: 'code',
      scope: 'openid',
      redirect_uri: 'http://127.0.0.1:4999/callback',
      state: 'state-of-at-least-eight',
    });

    const response = await fetch(`${hydra.publicUrl}/oauth2/auth?${query}`, { redirect: 'manual' });

    expect(response.status).to.equal(302);
    const location = new URL(response.headers.get('location') ?? '');
    expect(`${location.origin}${location.pathname}`).to.equal(flowUrls.loginUrl);
    expect(location.searchParams.get('login_challenge')).to.be.a('string').and.not.empty;
  });

  it('issues opaque access tokens with the configured lifetime', async () => {
    const client = await createClient(hydra, {
      grant_types: ['client_credentials'],
      token_endpoint_auth_method: 'client_secret_basic',
    });
    const basic = Buffer.from(`${client.client_id}:${client.client_secret}`).toString('base64');

    const response = await fetch(`${hydra.publicUrl}/oauth2/token`, {
      method: 'POST',
      headers: {
        authorization: `Basic ${basic}`,
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: 'grant_type=client_credentials',
    });
    const token = (await response.json()) as { access_token: string; expires_in: number };

    expect(response.status).to.equal(200);
    expect(token.access_token).to.match(/^ory_at_/);
    expect(token.expires_in).to.be.within(119, 120);
  });

  it('runs a second Hydra beside the first without port collisions', async () => {
    const second = await startHydra({ dataDir: scratchDir('hydra2'), ...flowUrls });
    try {
      const ports = [hydra.publicPort, hydra.adminPort, second.publicPort, second.adminPort];
      expect(new Set(ports).size).to.equal(4);

      const first = await getJson(`${hydra.publicUrl}/.well-known/openid-configuration`);
      const other = await getJson(`${second.publicUrl}/.well-known/openid-configuration`);
      expect(first.body).to.deep.include({ issuer: hydra.issuer });
      expect(other.body).to.deep.include({ issuer: second.issuer });
    } finally {
      await second.stop();
    }
  });

  it('stop() ends the process and frees both ports', async () => {
    const instance = await startHydra({ dataDir: scratchDir('hydra3'), ...flowUrls });
    expect(isRunning(instance.pid)).to.equal(true);

    await instance.stop();

    expect(await waitUntilEnded(instance.pid, 1_000)).to.equal(true);
    expect(await tcpAccepts('127.0.0.1', instance.publicPort).check()).to.equal(false);
    expect(await tcpAccepts('127.0.0.1', instance.adminPort).check()).to.equal(false);
  });

  it('serves the same signing key after a restart on the same data', async () => {
    const dataDir = scratchDir('hydra-restart');
    const keyIds = async (instance: RunningHydra) => {
      const { body } = await getJson(`${instance.publicUrl}/.well-known/jwks.json`);
      return (body as { keys: Array<{ kid: string }> }).keys.map((key) => key.kid).sort();
    };

    const first = await startHydra({ dataDir, ...flowUrls });
    const before = await keyIds(first);
    await first.stop();
    const again = await startHydra({ dataDir, ...flowUrls });
    try {
      expect(before).to.have.length.greaterThan(0);
      expect(await keyIds(again)).to.deep.equal(before);
    } finally {
      await again.stop();
    }
  });

  it('refuses a public port something else listens on, before starting anything', async () => {
    const { port, server } = await occupyPort();
    try {
      const error = await startHydra({
        dataDir: scratchDir('hydra-busy'),
        publicPort: port,
        ...flowUrls,
      }).then(
        () => expect.fail('Hydra started on a taken port'),
        (caught: unknown) => caught,
      );
      expect(error).to.be.instanceOf(PortInUseError);
      expect((error as PortInUseError).component).to.equal('hydra public');
    } finally {
      await closeServer(server);
    }
  });

  it('rejects with the tail of its log when Hydra refuses its configuration', async () => {
    const error = await startHydra({
      dataDir: scratchDir('hydra-bad'),
      ...flowUrls,
      extraEnv: { LOG_LEVEL: 'chatty' },
    }).then(
      () => expect.fail('Hydra started with an invalid log level'),
      (caught: unknown) => caught,
    );

    expect(error).to.be.instanceOf(ChildExitedError);
    expect((error as ChildExitedError).component).to.equal('hydra');
    expect((error as ChildExitedError).status).to.deep.equal({ code: 1, signal: null });
    expect((error as ChildExitedError).logTail).to.include('log.level: chatty');
  });

  it('refuses ttl.authenticationSession, which Hydra v2.3 has no setting for', async () => {
    const error = await startHydra({
      dataDir: scratchDir('hydra-ttl'),
      ...flowUrls,
      ttl: { authenticationSession: 3600 },
    }).then(
      () => expect.fail('started with an unsupported option'),
      (caught: unknown) => caught,
    );
    expect(error).to.be.instanceOf(StackConfigError);
    expect((error as StackConfigError).option).to.equal('ttl.authenticationSession');
  });
});

describe('stack: child processes', function () {
  this.timeout(30_000);

  const node = process.execPath;

  function logFile(): string {
    return join(scratchDir('child'), 'child.log');
  }

  it('stop() sends SIGKILL to a child that ignores SIGTERM', async () => {
    const child = await startChild({
      name: 'stubborn',
      command: node,
      args: ['-e', "process.on('SIGTERM', () => {}); console.log('ready'); setInterval(() => {}, 1e3)"],
      env: {},
      logFile: logFile(),
    });
    const logged = { description: 'ready in log', check: async () => child.logTail().includes('ready') };
    await waitUntilReady(child, logged, { timeoutMs: 5_000 });

    const status = await child.stop(300);

    expect(status).to.deep.equal({ code: null, signal: 'SIGKILL' });
  });

  it('rejects a readiness wait at once, with the log tail, when the child exits', async () => {
    const child = await startChild({
      name: 'crasher',
      command: node,
      args: ['-e', "console.error('bad setting: dsn'); process.exit(3)"],
      env: {},
      logFile: logFile(),
    });
    const started = Date.now();

    const error = await waitUntilReady(child, httpAnswers(`http://127.0.0.1:${await freePort()}/`), {
      timeoutMs: 20_000,
    }).then(
      () => expect.fail('became ready'),
      (caught: unknown) => caught,
    );

    expect(error).to.be.instanceOf(ChildExitedError);
    expect((error as ChildExitedError).status).to.deep.equal({ code: 3, signal: null });
    expect((error as ChildExitedError).logTail).to.include('bad setting: dsn');
    expect(Date.now() - started).to.be.below(5_000);
  });

  it('rejects a readiness wait with ReadinessTimeoutError when nothing answers', async () => {
    const child = await startChild({
      name: 'silent',
      command: node,
      args: ['-e', 'setInterval(() => {}, 1e3)'],
      env: {},
      logFile: logFile(),
    });
    try {
      const error = await waitUntilReady(child, tcpAccepts('127.0.0.1', await freePort()), {
        timeoutMs: 300,
      }).then(
        () => expect.fail('became ready'),
        (caught: unknown) => caught,
      );
      expect(error).to.be.instanceOf(ReadinessTimeoutError);
    } finally {
      await child.stop();
    }
  });

  it('runToCompletion rejects with the exit code of a failed command', async () => {
    const error = await runToCompletion({
      name: 'failing migration',
      command: node,
      args: ['-e', "console.log('migration 42 failed'); process.exit(2)"],
      env: {},
      logFile: logFile(),
    }).then(
      () => expect.fail('succeeded'),
      (caught: unknown) => caught,
    );

    expect(error).to.be.instanceOf(ChildExitedError);
    expect((error as ChildExitedError).message).to.match(/^failing migration exited with code 2/);
    expect((error as ChildExitedError).logTail).to.include('migration 42 failed');
  });

  it('startChild rejects with ChildStartError for a program that does not exist', async () => {
    const error = await startChild({
      name: 'ghost',
      command: join(repoRoot, '.tools', 'bin', 'no-such-program'),
      args: [],
      env: {},
      logFile: logFile(),
    }).then(
      () => expect.fail('started'),
      (caught: unknown) => caught,
    );
    expect(error).to.be.instanceOf(ChildStartError);
  });

  /**
   * Runs a Node parent that starts `sleep` through startChild and prints the child's pid, then
   * does `then` ("wait" or "exit"). Resolves the parent process and the child's pid.
   */
  async function parentWithChild(then: 'wait' | 'exit') {
    const processModule = pathToFileURL(join(repoRoot, 'scripts', 'stack', 'process.ts')).href;
    const code = [
      `import { startChild } from ${JSON.stringify(processModule)};`,
      `const child = await startChild({ name: 'sleeper', command: 'sleep', args: ['300'],`,
      `  env: { PATH: process.env.PATH }, logFile: ${JSON.stringify(logFile())} });`,
      `console.log(child.pid);`,
      then === 'exit' ? 'setTimeout(() => process.exit(0), 100);' : 'setInterval(() => {}, 1e3);',
    ].join('\n');
    const parent = spawn(node, ['--import', 'tsx', '--input-type=module', '-e', code], {
      cwd: repoRoot,
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const childPid = await new Promise<number>((resolve, reject) => {
      parent.stdout.once('data', (chunk: Buffer) => resolve(Number(chunk.toString().trim())));
      parent.once('exit', (code) => reject(new Error(`parent exited early with ${code}`)));
    });
    return { parent, childPid };
  }

  it('ends its children when the parent is stopped by SIGTERM', async () => {
    const { parent, childPid } = await parentWithChild('wait');
    expect(isRunning(childPid)).to.equal(true);
    const parentExit = new Promise<NodeJS.Signals | null>((resolve) =>
      parent.once('exit', (_code, signal) => resolve(signal)),
    );

    parent.kill('SIGTERM');

    expect(await parentExit).to.equal('SIGTERM');
    expect(await waitUntilEnded(childPid, 5_000)).to.equal(true);
  });

  it('ends its children when the parent exits on its own', async () => {
    const { parent, childPid } = await parentWithChild('exit');
    const parentExit = new Promise<number | null>((resolve) =>
      parent.once('exit', (code) => resolve(code)),
    );

    expect(await parentExit).to.equal(0);
    expect(await waitUntilEnded(childPid, 5_000)).to.equal(true);
  });
});
