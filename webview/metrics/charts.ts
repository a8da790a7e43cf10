/**
 * Plain-SVG line charts (CSP-safe: no eval, no inline styles; colours come from CSS classes over VS Code's chart theme
 * colours). Every label is a text node. A chart is an <svg role="img"> with a <title> and an aria-label summary.
 */
import { svg } from '../shared/dom';

export interface Series {
  name: string;
  points: [number, number][];
  /** Colour slot 0..7 (CSS class `series-N`). */
  slot: number;
  dashed?: boolean;
}

export interface Marker {
  x: number;
  y: number;
  label: string;
  /** CSS class, e.g. `target`. */
  cls: string;
}

export interface Guide {
  /** A line from (x1,y1) to (x2,y2) in data units. */
  from: [number, number];
  to: [number, number];
  label?: string;
  cls: string;
}

export interface ChartSpec {
  id: string;
  title: string;
  xLabel: string;
  yLabel: string;
  x: [number, number];
  y: [number, number];
  series: Series[];
  markers?: Marker[];
  guides?: Guide[];
  /** Short description for screen readers. */
  summary: string;
  /** Where the legend sits inside the plot: a corner the curves leave free, or `auto`: the place that covers least of them. */
  legendAt?: LegendPlace | 'auto';
}

type LegendPlace = 'top-right' | 'middle-right' | 'bottom-right' | 'top-left' | 'middle-left' | 'bottom-left';
/** Candidates for `auto`, in order of preference when several cover equally little. */
const PLACES: LegendPlace[] = ['top-right', 'bottom-right', 'middle-right', 'top-left', 'bottom-left', 'middle-left'];

const W = 420;
const H = 300;
const M = { left: 52, right: 14, top: 30, bottom: 44 };
const PW = W - M.left - M.right;
const PH = H - M.top - M.bottom;

function ticks([lo, hi]: [number, number], n = 5): number[] {
  const span = hi - lo || 1;
  const raw = span / n;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * mag).find((s) => span / s <= n) ?? raw;
  const out: number[] = [];
  for (let v = Math.ceil(lo / step) * step; v <= hi + step * 1e-9; v += step) out.push(+v.toFixed(10));
  return out;
}

function fmtTick(v: number): string {
  return Math.abs(v) >= 1000 ? v.toLocaleString('en-US') : String(+v.toFixed(3));
}

export function lineChart(spec: ChartSpec): SVGElement {
  const sx = (v: number) => M.left + ((v - spec.x[0]) / (spec.x[1] - spec.x[0] || 1)) * PW;
  const sy = (v: number) => M.top + PH - ((v - spec.y[0]) / (spec.y[1] - spec.y[0] || 1)) * PH;
  const clampY = (v: number) => Math.min(spec.y[1], Math.max(spec.y[0], v));
  const root = svg('svg', { id: spec.id, class: 'chart', viewBox: `0 0 ${W} ${H}`, role: 'img', 'aria-label': `${spec.title}. ${spec.summary}`, xmlns: 'http://www.w3.org/2000/svg' });
  root.appendChild(svg('title', {}, spec.title));
  root.appendChild(svg('rect', { class: 'chart-bg', x: 0, y: 0, width: W, height: H }));
  root.appendChild(svg('text', { class: 'chart-title', x: M.left, y: 18 }, spec.title));
  const grid = svg('g', { class: 'grid' });
  for (const t of ticks(spec.x)) {
    grid.appendChild(svg('line', { x1: sx(t), x2: sx(t), y1: M.top, y2: M.top + PH }));
    grid.appendChild(svg('text', { class: 'tick', x: sx(t), y: M.top + PH + 14, 'text-anchor': 'middle' }, fmtTick(t)));
  }
  for (const t of ticks(spec.y)) {
    grid.appendChild(svg('line', { x1: M.left, x2: M.left + PW, y1: sy(t), y2: sy(t) }));
    grid.appendChild(svg('text', { class: 'tick', x: M.left - 6, y: sy(t) + 4, 'text-anchor': 'end' }, fmtTick(t)));
  }
  root.appendChild(grid);
  root.appendChild(svg('rect', { class: 'axis', x: M.left, y: M.top, width: PW, height: PH, fill: 'none' }));
  root.appendChild(svg('text', { class: 'axis-label', x: M.left + PW / 2, y: H - 8, 'text-anchor': 'middle' }, spec.xLabel));
  root.appendChild(svg('text', { class: 'axis-label', x: 14, y: M.top + PH / 2, 'text-anchor': 'middle', transform: `rotate(-90 14 ${M.top + PH / 2})` }, spec.yLabel));
  for (const g of spec.guides ?? []) {
    root.appendChild(svg('line', { class: `guide ${g.cls}`, x1: sx(g.from[0]), y1: sy(g.from[1]), x2: sx(g.to[0]), y2: sy(g.to[1]) }));
    if (g.label) root.appendChild(svg('text', { class: `guide-label ${g.cls}`, x: sx(g.to[0]) - 4, y: sy(g.to[1]) - 4, 'text-anchor': 'end' }, g.label));
  }
  for (const s of spec.series) {
    if (s.points.length === 0) continue;
    const d = s.points.map(([x, y], i) => `${i ? 'L' : 'M'}${sx(x).toFixed(1)},${sy(clampY(y)).toFixed(1)}`).join('');
    root.appendChild(svg('path', { class: `series series-${s.slot % 8}${s.dashed ? ' dashed' : ''}`, d, fill: 'none' }, svg('title', {}, s.name)));
  }
  for (const m of spec.markers ?? []) {
    root.appendChild(svg('circle', { class: `marker ${m.cls}`, cx: sx(m.x), cy: sy(m.y), r: 4 }, svg('title', {}, m.label)));
    root.appendChild(svg('text', { class: `marker-label ${m.cls}`, x: sx(m.x) + 7, y: sy(m.y) - 6 }, m.label));
  }
  // Legend inside the plot, in the corner the curves leave free: one line per series, over a background.
  const shown = spec.series.slice(0, 10);
  const lw = 124;
  const lh = shown.length * 14 + 6;
  const box = (at: LegendPlace) => ({
    x: at.endsWith('left') ? M.left + 6 : M.left + PW - lw - 6,
    y: at.startsWith('top') ? M.top + 6 : at.startsWith('middle') ? M.top + (PH - lh) / 2 : M.top + PH - lh - 6,
  });
  const at = spec.legendAt === 'auto' ? leastCovered(spec, sx, (v) => sy(clampY(v)), box, lw, lh) : (spec.legendAt ?? 'bottom-right');
  const { x: lx, y: ly } = box(at);
  const legend = svg('g', { class: 'legend' });
  if (shown.length) legend.appendChild(svg('rect', { class: 'legend-bg', x: lx, y: ly, width: lw, height: lh, rx: 2 }));
  shown.forEach((s, i) => {
    const y = ly + 14 + i * 14;
    const x = lx + 6;
    legend.appendChild(svg('line', { class: `series series-${s.slot % 8}${s.dashed ? ' dashed' : ''}`, x1: x, x2: x + 16, y1: y - 4, y2: y - 4 }));
    legend.appendChild(svg('text', { class: 'legend-label', x: x + 20, y }, s.name.length > 18 ? `${s.name.slice(0, 17)}…` : s.name));
  });
  root.appendChild(legend);
  return root;
}

/** The legend place whose box the curves and guides cross least (sampled every few pixels along each segment). */
function leastCovered(spec: ChartSpec, sx: (v: number) => number, sy: (v: number) => number, box: (at: LegendPlace) => { x: number; y: number }, w: number, h: number): LegendPlace {
  const lines: [number, number][][] = [...spec.series.map((s) => s.points), ...(spec.guides ?? []).map((g) => [g.from, g.to])];
  const pixels: [number, number][] = [];
  for (const pts of lines) {
    for (let i = 0; i < pts.length; i++) {
      const [x1, y1] = [sx(pts[i][0]), sy(pts[i][1])];
      if (i === 0) pixels.push([x1, y1]);
      if (i + 1 >= pts.length) break;
      const [x2, y2] = [sx(pts[i + 1][0]), sy(pts[i + 1][1])];
      const steps = Math.min(200, Math.ceil(Math.hypot(x2 - x1, y2 - y1) / 3));
      for (let k = 1; k <= steps; k++) pixels.push([x1 + ((x2 - x1) * k) / steps, y1 + ((y2 - y1) * k) / steps]);
    }
  }
  let best = PLACES[0];
  let bestCount = Infinity;
  for (const at of PLACES) {
    const { x, y } = box(at);
    const count = pixels.filter(([px, py]) => px >= x - 2 && px <= x + w + 2 && py >= y - 2 && py <= y + h + 2).length;
    if (count < bestCount) [best, bestCount] = [at, count];
  }
  return best;
}
