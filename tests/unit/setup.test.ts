import { expect } from 'chai';
import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** The pure parts of `scripts/setup.mjs`, a plain-JavaScript file without type declarations. */
interface SetupModule {
  parseArguments(argv: string[]): { purpose: 'start' | 'test' | 'bench' | undefined };
  installedPostgres(root: string): string | undefined;
  npmInstallNeeded(root: string): boolean;
  pinnedVersion(goMod: string, module: string): string | undefined;
  buildInfoMatches(output: string, module: string, version: string, tags?: string): boolean;
  formatElapsed(ms: number): string;
  SetupError: new (...args: never[]) => Error;
}

// A computed specifier keeps tsc from looking for declarations of the .mjs file.
const setupUrl = new URL('../../scripts/setup.mjs', import.meta.url).href;
const setup = (await import(setupUrl)) as SetupModule;

const hydraBuildInfo = `.tools/bin/hydra: go1.26.8
\tpath\tgithub.com/ory/hydra/v2
\tmod\tgithub.com/ory/hydra/v2\tv2.3.0\th1:bPs5MOWmYLZ9C3oQFhhjnaBrExUgF/zf3u1AJVlR//4=
\tdep\tgithub.com/ory/fosite\tv0.49.0\th1:abc=
\tbuild\t-tags=sqlite,sqlite_omit_load_extension
\tbuild\tCGO_ENABLED=1
`;

describe('setup: arguments', () => {
  it('accepts no argument, --for start, --for test, --for bench and --for=test', () => {
    expect(setup.parseArguments([])).to.deep.equal({ purpose: undefined });
    expect(setup.parseArguments(['--for', 'start'])).to.deep.equal({ purpose: 'start' });
    expect(setup.parseArguments(['--for', 'test'])).to.deep.equal({ purpose: 'test' });
    expect(setup.parseArguments(['--for=test'])).to.deep.equal({ purpose: 'test' });
    expect(setup.parseArguments(['--for', 'bench'])).to.deep.equal({ purpose: 'bench' });
  });

  it('refuses an unknown purpose or argument', () => {
    expect(() => setup.parseArguments(['--for', 'deploy'])).to.throw(setup.SetupError, /deploy/);
    expect(() => setup.parseArguments(['--for'])).to.throw(setup.SetupError);
    expect(() => setup.parseArguments(['--force'])).to.throw(setup.SetupError, /--force/);
  });
});

describe('setup: finding PostgreSQL for the bench', () => {
  let root: string;
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'setup-pg-'));
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('finds the postgres program of an installed major version', () => {
    mkdirSync(join(root, '15', 'bin'), { recursive: true });
    writeFileSync(join(root, '15', 'bin', 'postgres'), '');
    expect(setup.installedPostgres(root)).to.equal(join(root, '15', 'bin', 'postgres'));
  });

  it('reports none when only the client programs or nothing is installed', () => {
    expect(setup.installedPostgres(join(root, 'absent'))).to.equal(undefined);
    mkdirSync(join(root, '15', 'bin'), { recursive: true });
    writeFileSync(join(root, '15', 'bin', 'psql'), '');
    expect(setup.installedPostgres(root)).to.equal(undefined);
  });
});

describe('setup: pinned versions in go.mod', () => {
  it('reads the version from a require block', () => {
    const goMod = 'module x\n\nrequire (\n\tgithub.com/FerretDB/FerretDB v1.24.2 // indirect\n)\n';
    expect(setup.pinnedVersion(goMod, 'github.com/FerretDB/FerretDB')).to.equal('v1.24.2');
  });

  it('reads the version from a single require line', () => {
    const goMod = 'module x\nrequire github.com/ory/hydra/v2 v2.3.0\n';
    expect(setup.pinnedVersion(goMod, 'github.com/ory/hydra/v2')).to.equal('v2.3.0');
  });

  it('does not mistake a module whose path only starts the same', () => {
    const goMod = 'require (\n\tgithub.com/ory/hydra-client-go/v2 v2.2.1\n)\n';
    expect(setup.pinnedVersion(goMod, 'github.com/ory/hydra/v2')).to.equal(undefined);
  });
});

describe('setup: recognising a binary built earlier', () => {
  it('accepts a binary of the pinned module, version and build tags', () => {
    const ok = setup.buildInfoMatches(
      hydraBuildInfo,
      'github.com/ory/hydra/v2',
      'v2.3.0',
      'sqlite,sqlite_omit_load_extension',
    );
    expect(ok).to.equal(true);
  });

  it('rejects another version', () => {
    expect(setup.buildInfoMatches(hydraBuildInfo, 'github.com/ory/hydra/v2', 'v2.2.0')).to.equal(
      false,
    );
  });

  it('rejects a build without the tags the recipe needs', () => {
    const withoutTags = hydraBuildInfo.replace(/\tbuild\t-tags=.*\n/, '');
    const ok = setup.buildInfoMatches(withoutTags, 'github.com/ory/hydra/v2', 'v2.3.0', 'sqlite');
    expect(ok).to.equal(false);
  });

  it('finds a module that is a dependency rather than the main module', () => {
    const ok = setup.buildInfoMatches(hydraBuildInfo, 'github.com/ory/fosite', 'v0.49.0');
    expect(ok).to.equal(true);
  });
});

describe('setup: when npm ci runs', () => {
  let root: string;

  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'setup-npm-'));
    writeFileSync(join(root, 'package-lock.json'), '{}');
  });

  afterEach(() => {
    rmSync(root, { recursive: true, force: true });
  });

  it('runs when node_modules is missing', () => {
    expect(setup.npmInstallNeeded(root)).to.equal(true);
  });

  it('runs when package-lock.json changed after the last install', () => {
    mkdirSync(join(root, 'node_modules'));
    writeFileSync(join(root, 'node_modules', '.package-lock.json'), '{}');
    utimesSync(join(root, 'node_modules', '.package-lock.json'), 1_000, 1_000);
    utimesSync(join(root, 'package-lock.json'), 2_000, 2_000);
    expect(setup.npmInstallNeeded(root)).to.equal(true);
  });

  it('is skipped when the last install is newer than package-lock.json', () => {
    mkdirSync(join(root, 'node_modules'));
    writeFileSync(join(root, 'node_modules', '.package-lock.json'), '{}');
    utimesSync(join(root, 'package-lock.json'), 1_000, 1_000);
    utimesSync(join(root, 'node_modules', '.package-lock.json'), 2_000, 2_000);
    expect(setup.npmInstallNeeded(root)).to.equal(false);
  });
});

describe('setup: elapsed time', () => {
  it('shows seconds under a minute and minutes with padded seconds above', () => {
    expect(setup.formatElapsed(14_600)).to.equal('15s');
    expect(setup.formatElapsed(185_000)).to.equal('3m05s');
  });
});
