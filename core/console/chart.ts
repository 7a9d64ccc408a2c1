import { html, raw, type SafeHtml } from './html';

export interface HourlySeries {
  /** Per hour, oldest first (24 entries for the last day). */
  accepted: number[];
  duplicate: number[];
  quarantined: number[];
  refused: number[];
}

const KINDS = ['accepted', 'duplicate', 'quarantined', 'refused'] as const;

/**
 * A stacked bar per hour, drawn by the server as SVG (numbers only go into it), with the totals as its
 * text alternative so a screen reader gets the same information.
 */
export function hourlyChart(series: HourlySeries, label: string): SafeHtml {
  const hours = series.accepted.length;
  const totals = series.accepted.map((_, hour) => KINDS.reduce((sum, kind) => sum + series[kind][hour]!, 0));
  const max = Math.max(1, ...totals);
  const width = 240;
  const height = 60;
  const bar = width / hours;
  let bars = '';
  for (let hour = 0; hour < hours; hour++) {
    let y = height;
    for (const kind of KINDS) {
      const value = series[kind][hour]!;
      if (value === 0) continue;
      const h = (value / max) * (height - 2);
      y -= h;
      bars += `<rect class="${kind}" x="${(hour * bar + 0.5).toFixed(1)}" y="${y.toFixed(1)}" width="${(bar - 1).toFixed(1)}" height="${h.toFixed(1)}"></rect>`;
    }
  }
  const sums = KINDS.map((kind) => `${series[kind].reduce((a, b) => a + b, 0)} ${kind}`).join(', ');
  return html`<figure><svg class="chart" viewBox="0 0 ${width} ${height}" role="img" aria-label="${label}: ${sums}"><title>${label}: ${sums}</title>${raw(bars)}</svg>
    <figcaption class="muted">last 24 h: ${sums}</figcaption></figure>`;
}
