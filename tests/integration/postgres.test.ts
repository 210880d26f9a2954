import { expect } from 'chai';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { postgresBinDir, startPostgres, type RunningPostgres } from '../../scripts/stack/index';

/** Whether a process with this PID still exists (signal 0 checks without sending). */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('stack: PostgreSQL for the bench', function () {
  this.timeout(60_000);
  let logDir: string;
  let postgres: RunningPostgres | undefined;

  before(() => {
    logDir = mkdtempSync(join(tmpdir(), 'hydra-oauth-pg-test-'));
  });

  after(async () => {
    await postgres?.stop();
    if (logDir !== undefined) rmSync(logDir, { recursive: true, force: true });
  });

  it('answers SELECT 1 in each database it made, then stops and deletes its folder', async () => {
    const dataDir = join(tmpdir(), `hydra-oauth-pg-test-${process.pid}`);
    postgres = await startPostgres({
      dataDir,
      databases: ['hydra_ours', 'hydra_reference'],
      logFile: join(logDir, 'postgres.log'),
    });
    expect(postgres.url).to.equal(
      `postgres://postgres@127.0.0.1:${postgres.port}/hydra_ours?sslmode=disable`,
    );

    const psql = join(postgresBinDir(), 'psql');
    for (const database of ['hydra_ours', 'hydra_reference']) {
      const answer = execFileSync(psql, [postgres.urlOf(database), '-tAc', 'SELECT 1']);
      expect(answer.toString().trim()).to.equal('1');
    }

    const { pid } = postgres;
    await postgres.stop();
    postgres = undefined;
    expect(alive(pid)).to.equal(false);
    expect(existsSync(dataDir)).to.equal(false);
  });
});
