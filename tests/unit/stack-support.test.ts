import { expect } from 'chai';
import { appendFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { freePort, readLogTail } from '../../scripts/stack/index';

describe('stack: freePort', () => {
  it('hands out distinct ports that can be bound on 127.0.0.1', async () => {
    const ports = await Promise.all(Array.from({ length: 10 }, () => freePort()));
    expect(new Set(ports).size).to.equal(10);

    for (const port of ports.slice(0, 3)) {
      const server = createServer();
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, '127.0.0.1', resolve);
      });
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });
});

describe('stack: readLogTail', () => {
  let dir: string;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'log-tail-'));
  });

  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('returns the last lines only', () => {
    const file = join(dir, 'a.log');
    writeFileSync(file, Array.from({ length: 100 }, (_, i) => `line ${i + 1}`).join('\n') + '\n');
    expect(readLogTail(file, 0, 3)).to.equal('line 98\nline 99\nline 100');
  });

  it('ignores what was written before the given offset, from an earlier run', () => {
    const file = join(dir, 'b.log');
    writeFileSync(file, 'old run failed\n');
    const offset = Buffer.byteLength('old run failed\n');
    appendFileSync(file, 'new run\n');
    expect(readLogTail(file, offset)).to.equal('new run');
  });

  it('says so when the log is missing or empty', () => {
    expect(readLogTail(join(dir, 'missing.log'))).to.equal('(no log)');
    writeFileSync(join(dir, 'empty.log'), '');
    expect(readLogTail(join(dir, 'empty.log'))).to.equal('(log is empty)');
  });
});
