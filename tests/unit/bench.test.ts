import { expect } from 'chai';

import { benchChartSvg, escapeXml, niceCeiling } from '../../scripts/bench/chart';
import { formAction, inputValues } from '../../scripts/bench/html';
import { readPlan } from '../../scripts/bench/options';
import { cpuMsFromStat, memoryFromStatus } from '../../scripts/bench/procfs';
import { locate, summariseProfile } from '../../scripts/bench/profile';
import {
  cellFigures,
  freshVerdicts,
  rememberedVerdicts,
  roundFigures,
} from '../../scripts/bench/report';
import { median, percentile, spreadOf } from '../../scripts/bench/stats';
import { formatSpread, formatTable } from '../../scripts/bench/table';
import type { RoundFigures } from '../../scripts/bench/types';

function round(flowsPerSecond: number, p50Ms = 10, p99Ms = 20): RoundFigures {
  return {
    round: 1, flows: 10, errors: 0, elapsedMs: 1000, flowsPerSecond, p50Ms, p99Ms,
    cpuMsPerFlow: {}, errorSamples: [],
  };
}

describe('bench statistics', () => {
  it('takes nearest-rank percentiles of unsorted samples', () => {
    const samples = [5, 1, 4, 2, 3, 10, 9, 8, 7, 6];
    expect(percentile(samples, 50)).to.equal(5);
    expect(percentile(samples, 99)).to.equal(10);
    expect(percentile(samples, 0)).to.equal(1);
    expect(percentile([], 50)).to.be.NaN;
  });

  it('takes the median of odd and even counts', () => {
    expect(median([3, 1, 2])).to.equal(2);
    expect(median([4, 1, 3, 2])).to.equal(2.5);
  });

  it('reports the spread of rounds relative to their median', () => {
    expect(spreadOf([9, 10, 11])).to.deep.equal({ median: 10, min: 9, max: 11, spreadPct: 20 });
  });

  it('turns a raw round into flows per second, percentiles and CPU per flow', () => {
    const figures = roundFigures({
      round: 2, latenciesMs: [10, 20, 30, 40], errors: 0, errorSamples: [],
      elapsedMs: 2000, cpuMs: { idp: 100 },
    });
    expect(figures).to.include({ flows: 4, flowsPerSecond: 2, p50Ms: 20, p99Ms: 40 });
    expect(figures.cpuMsPerFlow).to.deep.equal({ idp: 25 });
  });
});

describe('bench verdicts', () => {
  const cells = [
    cellFigures('remembered', 'ours', 4, [round(12), round(10), round(11)]),
    cellFigures('remembered', 'reference', 4, [round(10)]),
    cellFigures('fresh', 'ours', 1, [round(5)]),
    cellFigures('fresh', 'ours', 4, [round(9)]),
  ];

  it('compares our remembered sessions with the reference at each level', () => {
    expect(rememberedVerdicts(cells, 'remembered')).to.deep.equal([
      { name: 'remembered ours/reference', concurrency: 4, value: 1.1, target: 1, met: true },
    ]);
  });

  it('judges fresh sign-ins against the ceiling and marks the peak level', () => {
    const verdicts = freshVerdicts(cells, 'fresh', 10);
    expect(verdicts.map((verdict) => [verdict.name, verdict.value, verdict.met])).to.deep.equal([
      ['fresh ours/ceiling', 0.5, false],
      ['fresh ours/ceiling (peak)', 0.9, true],
    ]);
  });
});

describe('bench output', () => {
  it('aligns a table: names left, figures right', () => {
    expect(formatTable(['name', 'n'], [['a', '10'], ['bbb', '2']])).to.equal(
      'name   n\n----  --\na     10\nbbb    2',
    );
  });

  it('shows a median with half the spread as ±', () => {
    expect(formatSpread({ median: 10, min: 9, max: 11, spreadPct: 20 })).to.equal('10.0 ±10%');
  });

  it('draws an SVG with one line per scenario and provider and the ceiling guide', () => {
    const svg = benchChartSvg([1, 4], [
      cellFigures('fresh', 'ours', 1, [round(5)]),
      cellFigures('fresh', 'ours', 4, [round(9)]),
      cellFigures('fresh', 'reference', 1, [round(7)]),
    ], 12);
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).to.equal(true);
    expect(svg).to.contain('bcrypt ceiling');
    expect(svg).to.contain('fresh · ours');
    expect(svg).to.contain('fresh · reference');
    expect(svg.match(/<path /g)).to.have.length(6);
  });

  it('rounds axis maxima up to 1, 2 or 5 times a power of ten', () => {
    expect([niceCeiling(7), niceCeiling(13), niceCeiling(0.3)]).to.deep.equal([10, 20, 0.5]);
  });

  it('escapes text for XML', () => {
    expect(escapeXml('a<b & "c">')).to.equal('a&lt;b &amp; &quot;c&quot;&gt;');
  });
});

describe('bench page and process readers', () => {
  it('reads hidden inputs whatever the attribute order, decoding entities', () => {
    const html =
      '<form action="/login" method="post"><input type="hidden" name="_csrf" value="a&amp;b"/>' +
      '<input value="xyz" name="challenge" type="hidden"><input type="password" name="password">';
    expect([...inputValues(html)]).to.deep.equal([['_csrf', 'a&b'], ['challenge', 'xyz']]);
    expect(formAction(html, 'http://127.0.0.1:3000/login?login_challenge=x')).to.equal(
      'http://127.0.0.1:3000/login',
    );
  });

  it('reads CPU ticks after a command name holding spaces and parentheses', () => {
    const stat = '42 (node (x) y) S 1 42 42 0 -1 4194560 100 0 0 0 250 50 0 0 20 0 11';
    expect(cpuMsFromStat(stat)).to.equal(3000);
  });

  it('reads peak and current RSS from /proc status', () => {
    const status = 'Name:\tnode\nVmHWM:\t  204800 kB\nVmRSS:\t  102400 kB\n';
    expect(memoryFromStatus(status)).to.deep.equal({ peakRssMiB: 200, rssMiB: 100 });
  });

  it('sums a CPU profile by package, leaving idle time out', () => {
    const root = 'file:///r/';
    const shares = summariseProfile({
      nodes: [
        { id: 1, callFrame: { functionName: '(idle)', url: '' } },
        { id: 2, callFrame: { functionName: 'render', url: `${root}node_modules/react-dom/x.js` } },
        { id: 3, callFrame: { functionName: 'login', url: `${root}packages/x/lib/a.ts` } },
      ],
      samples: [1, 2, 2, 3],
      timeDeltas: [5000, 3000, 3000, 2000],
    });
    expect(shares).to.deep.equal([
      { where: 'pkg:react-dom', selfMs: 6, sharePct: 75 },
      { where: 'ours:packages/x/lib/a.ts', selfMs: 2, sharePct: 25 },
    ]);
    const collector = { functionName: '(garbage collector)', url: '' };
    expect(locate(collector)).to.equal('(garbage collector)');
  });

  it('plans a quick run of one round and refuses bad levels', () => {
    expect(readPlan(['--quick'])).to.include({ rounds: 1, measureMs: 2000 });
    expect(() => readPlan(['--levels', '0,4'])).to.throw('--levels');
  });
});
