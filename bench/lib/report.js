// Renders the results of one `npm run bench` as Markdown: a header naming the machine, one table row per
// figure (each number a median with the min and max over its runs), then per-figure notes.
'use strict';
const { summary } = require('./stats');
const { loadIsHigh, CORES } = require('./machine');

const integer = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });

function formatValue(value, format) {
  switch (format) {
    case 'rate':
      return integer.format(value);
    case 'ms':
      return value < 10 ? value.toFixed(2) : value.toFixed(1);
    case 'mb':
      return value.toFixed(1);
    case 'us':
      return value < 100 ? value.toFixed(1) : integer.format(value);
    default:
      return String(value);
  }
}

function spread(values, format, unit = '') {
  const stats = summary(values ?? []);
  if (!stats) return '—';
  const suffix = unit ? ` ${unit}` : '';
  if (stats.runs === 1) return `${formatValue(stats.median, format)}${suffix}`;
  return `${formatValue(stats.median, format)}${suffix} (${formatValue(stats.min, format)}–${formatValue(stats.max, format)})`;
}

function formatRatio(value, kind) {
  if (kind === 'percent') return `${(value * 100).toFixed(0)}%`;
  if (kind === 'mb') return `${value >= 0 ? '+' : ''}${value.toFixed(1)} MB`;
  return `${value < 10 ? value.toFixed(2) : value.toFixed(1)}×`;
}

function ratioCell(row) {
  const stats = summary(row.ratio ?? []);
  if (!stats) return '—';
  const kind = row.ratioFormat ?? 'times';
  const label = row.ratioLabel ? ` ${row.ratioLabel}` : '';
  if (stats.runs === 1) return `${formatRatio(stats.median, kind)}${label}`;
  return `${formatRatio(stats.median, kind)}${label} (${formatRatio(stats.min, kind)}–${formatRatio(stats.max, kind)})`;
}

/** Whether the median of the values the target applies to meets it. */
function verdict(row) {
  if (!row.target) return '—';
  const stats = summary(row.targetValues ?? row.ratio ?? []);
  if (!stats) return '—';
  const { op, value } = row.target;
  const met = op === '<=' ? stats.median <= value : op === '<' ? stats.median < value : op === '>=' ? stats.median >= value : stats.median > value;
  return met ? 'yes' : '**no**';
}

function runsOf(row) {
  return summary(row.ratio ?? row.measured ?? [])?.runs ?? 0;
}

function renderReport({ header, results, quick, full, seconds }) {
  const lines = [];
  const highest = Math.max(0, ...results.flatMap((result) => result.load ?? []));
  lines.push(`**Machine:** ${header.cpu}, ${header.cores} cores, ${header.ramGb} GB RAM, ${header.os}; Node ${header.node}.  `);
  lines.push(
    `**Run:** ${header.date}, commit ${header.commit}, ${Math.round(seconds / 60)} min${quick ? ', quick smoke run (BENCH_QUICK=1): fewer and shorter runs, not comparable with a full run' : ''}${full ? '' : quick ? '' : ', partial run'}.  `,
  );
  lines.push(
    `**Load average:** ${header.loadAtStart.join(' / ')} (1/5/15 min) at the start, highest 1-min value ${highest.toFixed(2)} during the figures on ${CORES} cores${highest > CORES ? ' — **the load was high** (other work on the machine); rates per CPU-second and ratios against a baseline measured in the same run are the figures to read' : ''}.`,
  );
  lines.push('');
  lines.push('| # | Figure | Measured: median (min–max) | Baseline: median (min–max) | Ratio: median (min–max) | Target | Met? | Runs |');
  lines.push('|---|---|---|---|---|---|---|---|');
  for (const result of results) {
    if (result.failed || result.skipped) {
      lines.push(`| ${result.figure.id} | ${result.figure.title} | ${result.failed ? `failed: ${result.failed}` : `skipped: ${result.skipped}`} | | | | | |`);
      continue;
    }
    for (const row of result.rows) {
      const measured = `${spread(row.measured, row.format, row.unit)}`;
      const baseline = row.baselineLabel ? `${row.baselineLabel}: ${spread(row.baseline, row.baselineFormat ?? row.format, row.baselineUnit ?? row.unit)}` : spread(row.baseline, row.baselineFormat ?? row.format, row.baselineUnit ?? row.unit);
      lines.push(`| ${row.id} | ${row.figure} | ${row.measuredLabel ? `${row.measuredLabel}: ` : ''}${measured} | ${baseline} | ${ratioCell(row)} | ${row.target?.text ?? '—'} | ${verdict(row)} | ${runsOf(row)} |`);
    }
  }
  lines.push('');
  lines.push('Notes (from the same run):');
  lines.push('');
  for (const result of results) {
    const high = loadIsHigh(result.load ?? []);
    const load = `1-min load average up to ${Math.max(0, ...(result.load ?? [0])).toFixed(1)}${high ? ' (high)' : ''}`;
    const notes = [...(result.notes ?? []), ...(result.rows ?? []).flatMap((row) => row.notes ?? [])];
    lines.push(`- **${result.figure.id}. ${result.figure.title}** (${result.seconds} s, ${load}). ${result.failed ? `Failed: ${result.failed}.` : result.skipped ? `Skipped: ${result.skipped}.` : notes.join(' ')}`);
  }
  lines.push('');
  return lines.join('\n');
}

module.exports = { renderReport };
