/**
 * The metrics panel page: comparison table (sortable, baseline and target rows), the focused run's confusion matrix with a
 * threshold slider and its training curve, ROC and PR curves of the selected runs overlaid, and Export. UI choices (set,
 * sort, selection, focus, slider) are kept with setState so a reload or a hidden tab comes back as it was.
 */
import '@vscode-elements/elements/dist/vscode-button/index.js';
import '@vscode-elements/elements/dist/vscode-single-select/index.js';
import '@vscode-elements/elements/dist/vscode-option/index.js';
import '../shared/base.css';
import '../shared/confusion-matrix.css';
import './metrics.css';
import { el, formatNumber, formatPercent, replaceChildren } from '../shared/dom';
import { getState, post, setState, start } from '../shared/vscode-api';
import { lineChart, type Series } from './charts';
import { confusionPanel, indexAtThreshold } from './confusion';
import { exportCharts } from './export';
import { MAX_DETAIL_RUNS, parseHostMessage, type PageToHost, type CurveView, type EvaluationSet, type ExperimentView, type HostToPage, type RunDetail, type RunView } from './protocol';
import { comparisonTable, sortRuns, type SortDir } from './table';

interface PageState {
  experiment: string;
  set: EvaluationSet;
  sortKey: string;
  sortDir: SortDir;
  selected: string[];
  focus: string;
  /** Slider position per run and set: `<runId>/<set>` -> curve index. */
  slider: Record<string, number>;
}

const MAX_SELECTED = 8;
const send = (msg: PageToHost): void => post(msg);
const saved = getState<PageState>();
const ui = {
  set: (saved.set === 'evaluation' ? 'evaluation' : 'test') as EvaluationSet,
  /** Until the user picks a set, the page shows the evaluation files when the runs have figures on them. */
  setChosen: saved.set === 'evaluation' || saved.set === 'test',
  sortKey: typeof saved.sortKey === 'string' ? saved.sortKey : '',
  sortDir: (saved.sortDir === 'asc' ? 'asc' : 'desc') as SortDir,
  selected: new Set(Array.isArray(saved.selected) ? saved.selected.filter((s) => typeof s === 'string').slice(0, MAX_SELECTED) : []),
  focus: typeof saved.focus === 'string' ? saved.focus : undefined,
  slider: typeof saved.slider === 'object' && saved.slider ? { ...saved.slider } : ({} as Record<string, number>),
  selectionTouched: Array.isArray(saved.selected),
  exportNote: '',
};
let experiment: ExperimentView | undefined;
let lastExperimentJson = '';
const details = new Map<string, RunDetail>();
const requested = new Set<string>();
const app = document.getElementById('app')!;

function save(): void {
  setState<PageState>({ experiment: experiment?.name, set: ui.setChosen ? ui.set : undefined, sortKey: ui.sortKey, sortDir: ui.sortDir, selected: [...ui.selected], focus: ui.focus, slider: ui.slider });
}

const completed = (x: ExperimentView) => x.runs.filter((r) => r.status === 'completed');

/** Default choices for a fresh page: the latest launch's completed runs in the charts, its best run focused. */
function applyDefaults(x: ExperimentView): void {
  const done = completed(x);
  // As the CLI's defaultEvaluationSet: the evaluation files once a run has figures on them, else the test split.
  if (!ui.setChosen) ui.set = x.runs.some((r) => r.evaluation) ? 'evaluation' : 'test';
  const ids = new Set(x.runs.map((r) => r.id));
  for (const id of [...ui.selected]) if (!ids.has(id)) ui.selected.delete(id);
  if (!ui.selectionTouched) {
    const latest = done.filter((r) => r.launchId === x.runs[0]?.launchId);
    for (const r of latest.slice(0, MAX_SELECTED)) ui.selected.add(r.id);
  }
  if (!ui.focus || !ids.has(ui.focus)) ui.focus = sortRuns(done, ui.set, 'recallAtFpr5', 'desc')[0]?.id ?? x.runs[0]?.id;
}

function requestDetails(): void {
  if (!experiment) return;
  const want = [...ui.selected, ...(ui.focus ? [ui.focus] : [])].filter((id) => !requested.has(id) && experiment!.runs.some((r) => r.id === id && r.status === 'completed'));
  if (want.length === 0) return;
  const ids = [...new Set(want)].slice(0, MAX_DETAIL_RUNS);
  ids.forEach((id) => requested.add(id));
  send({ type: 'loadDetails', runIds: ids });
}

function handle(msg: HostToPage): void {
  switch (msg.type) {
    case 'experiment': {
      // Progress updates arrive several times a second: an identical experiment changes nothing on the page.
      const json = JSON.stringify(msg.experiment);
      if (json === lastExperimentJson) return;
      lastExperimentJson = json;
      const before = new Map(experiment?.runs.map((r) => [r.id, r.status]));
      experiment = msg.experiment;
      // A run that just completed gets its curves (re)loaded.
      for (const r of experiment.runs) if (r.status === 'completed' && before.get(r.id) !== 'completed' && before.size) (requested.delete(r.id), details.delete(r.id));
      applyDefaults(experiment);
      break;
    }
    case 'details':
      for (const d of msg.details) details.set(d.id, d);
      break;
    case 'focus':
      ui.focus = msg.runId;
      break;
    case 'exported':
      ui.exportNote = `Exported ${msg.files.length} file(s) to ${msg.folder}`;
      break;
  }
  save();
  requestDetails();
  render();
}

// ---- rendering -------------------------------------------------------------------------------------------------

function curveSeries(runs: RunView[], set: EvaluationSet, toXY: (c: CurveView, p: [number, number, number]) => [number, number]): Series[] {
  const out: Series[] = [];
  runs.forEach((r, i) => {
    const c = details.get(r.id)?.curves[set];
    if (c && c.points.length) out.push({ name: r.variant, slot: i, points: c.points.map((p) => toXY(c, p)) });
  });
  return out;
}

function curvesSection(x: ExperimentView): HTMLElement {
  const runs = x.runs.filter((r) => ui.selected.has(r.id));
  const roc = curveSeries(runs, ui.set, (c, [, tp, fp]) => [c.negatives ? fp / c.negatives : 0, c.positives ? tp / c.positives : 0]);
  const pr = curveSeries(runs, ui.set, (c, [, tp, fp]) => [c.positives ? tp / c.positives : 0, tp + fp ? tp / (tp + fp) : 1]);
  const anyCurve = runs.map((r) => details.get(r.id)?.curves[ui.set]).find((c) => c !== undefined);
  const prevalence = anyCurve ? anyCurve.positives / Math.max(1, anyCurve.positives + anyCurve.negatives) : undefined;
  const setName = ui.set === 'test' ? 'test split' : 'evaluation files';
  if (runs.length === 0) return el('p', { class: 'muted' }, 'Tick runs in the table to overlay their ROC and PR curves.');
  const rocChart = lineChart({
    id: 'chart-roc',
    title: `ROC (${setName})`,
    xLabel: 'False positive rate',
    yLabel: 'Recall (true positive rate)',
    x: [0, 1],
    y: [0, 1],
    series: roc,
    legendAt: 'bottom-right',
    guides: [
      { from: [0, 0], to: [1, 1], cls: 'chance', label: 'chance' },
      { from: [x.target.fpr, 0], to: [x.target.fpr, 1], cls: 'target' },
      { from: [0, x.target.recall], to: [1, x.target.recall], cls: 'target' },
    ],
    markers: [{ x: x.target.fpr, y: x.target.recall, cls: 'target', label: `target ${formatPercent(x.target.recall, 0)} @ ${formatPercent(x.target.fpr, 0)}` }],
    summary: `${roc.length} run(s). Target: recall ${formatPercent(x.target.recall, 0)} at FPR ${formatPercent(x.target.fpr, 0)}.`,
  });
  const prChart = lineChart({
    id: 'chart-pr',
    title: `Precision-recall (${setName})`,
    xLabel: 'Recall',
    yLabel: 'Precision',
    x: [0, 1],
    y: [0, 1],
    series: pr,
    legendAt: 'bottom-left',
    guides: prevalence !== undefined ? [{ from: [0, prevalence], to: [1, prevalence], cls: 'chance', label: 'chance (prevalence)' }] : [],
    summary: `${pr.length} run(s).`,
  });
  const loading = runs.some((r) => !details.has(r.id)) ? el('p', { class: 'muted' }, 'Loading curves…') : null;
  return el('div', {}, loading, el('div', { class: 'charts' }, rocChart, prChart));
}

function trainingChart(run: RunView, d: RunDetail | undefined): HTMLElement | SVGElement {
  if (!d) return el('p', { class: 'muted' }, 'Loading…');
  const t = d.trainingCurve;
  if (!t || t.rounds.length === 0) return el('p', { class: 'muted' }, run.backend === 'local' ? 'No training curve recorded.' : 'The backend reports no per-round curve.');
  const series: Series[] = t.metrics.map((name, k) => ({ name, slot: k, dashed: name.startsWith('train'), points: t.rounds.flatMap((row, i): [number, number][] => (row[k] === null || row[k] === undefined ? [] : [[i + 1, row[k] as number]])) }));
  const values = series.flatMap((s) => s.points.map((p) => p[1]));
  const lo = Math.min(...values);
  const hi = Math.max(...values);
  const pad = (hi - lo) * 0.05 || 0.05;
  return lineChart({
    id: `chart-training-${run.variant}`,
    title: `Training curve: ${run.variant}`,
    xLabel: 'Round',
    yLabel: 'Metric',
    x: [1, Math.max(2, t.rounds.length)],
    y: [Math.max(0, lo - pad), hi + pad],
    series,
    legendAt: 'auto', // train curves run high and validation curves low: wherever the legend covers neither
    guides: t.bestIteration !== undefined ? [{ from: [t.bestIteration + 1, Math.max(0, lo - pad)], to: [t.bestIteration + 1, hi + pad], cls: 'best', label: 'best' }] : [],
    summary: `${t.rounds.length} rounds of ${t.metrics.join(', ')}.`,
  });
}

function focusSection(x: ExperimentView): HTMLElement {
  const run = x.runs.find((r) => r.id === ui.focus);
  if (!run) return el('p', { class: 'muted' }, 'Choose a run in the table to see its confusion matrix.');
  const facts = [run.variantSpec !== run.variant ? run.variantSpec : '', run.launchId, run.backend, run.status].filter(Boolean).join(' · ');
  const heading = el('h2', {}, `Run ${run.variant}`, el('span', { class: 'muted' }, ` ${facts}`));
  if (run.status !== 'completed') {
    const why = run.error ? el('p', { class: 'error mono' }, run.error) : el('p', { class: 'muted' }, run.phase ? `${run.phase}…` : run.status);
    return el('section', { class: 'focus' }, heading, why);
  }
  const d = details.get(run.id);
  const curve = d?.curves[ui.set];
  const m = run[ui.set];
  let matrix: HTMLElement;
  if (!curve || !m) matrix = el('p', { class: 'muted' }, d ? `No ${ui.set === 'test' ? 'test split' : 'evaluation'} metrics for this run.` : 'Loading…');
  else {
    const key = `${run.id}/${ui.set}`;
    const index = ui.slider[key] ?? indexAtThreshold(curve, m.threshold);
    matrix = confusionPanel({
      variant: run.variant,
      curve,
      index,
      runThreshold: m.threshold,
      thresholdAtFpr5: m.thresholdAtFpr5,
      onIndex: (i) => {
        ui.slider[key] = i;
        save();
      },
    });
  }
  return el('section', { class: 'focus' }, heading, el('div', { class: 'focus-grid' }, el('div', {}, el('h3', {}, 'Confusion matrix'), matrix), el('div', {}, el('h3', {}, 'Training'), trainingChart(run, d))));
}

/**
 * Which threshold the table's precision, recall, F1 and counts are at: each run's own (0.5 unless set), while Recall @ FPR 5%
 * is at the threshold giving FPR 5% (the one the Score panel uses), so the two do not read as contradictory.
 */
function thresholdNote(x: ExperimentView): string {
  const thresholds = [...new Set(completed(x).flatMap((r) => (r[ui.set] ? [formatNumber(r[ui.set]!.threshold, 2)] : [])))];
  if (thresholds.length === 0) return '';
  const at = thresholds.length === 1 ? `at threshold ${thresholds[0]}` : "at each run's own threshold";
  return `Precision, recall, F1, TP, FP, TN and FN are ${at}; Recall @ FPR 5% is at each model's threshold for FPR 5%.`;
}

function toolbar(x: ExperimentView): HTMLElement {
  const select = el('vscode-single-select', { 'aria-label': 'Evaluation set', 'data-focus-key': 'set-select', disabled: x.evaluationFiles.length === 0 });
  select.append(el('vscode-option', { value: 'test' }, 'Test split'), el('vscode-option', { value: 'evaluation' }, `Evaluation files${x.evaluationFiles.length ? ` (${x.evaluationFiles.join(', ')})` : ''}`));
  (select as unknown as { value: string }).value = ui.set;
  select.addEventListener('change', () => {
    const v = (select as unknown as { value: string }).value;
    ui.set = v === 'evaluation' ? 'evaluation' : 'test';
    ui.setChosen = true;
    save();
    render();
  });
  const exportButton = el('vscode-button', { 'data-focus-key': 'export', title: 'Write the comparison (CSV) and the charts (SVG and PNG) to the experiment\'s exports folder', onclick: () => void doExport() }, 'Export');
  return el('div', { class: 'toolbar' }, el('label', {}, 'Compare on'), select, exportButton, ui.exportNote ? el('span', { class: 'muted', role: 'status' }, ui.exportNote) : null);
}

async function doExport(): Promise<void> {
  if (!experiment) return;
  const runIds = sortRuns(experiment.runs, ui.set, ui.sortKey, ui.sortDir).map((r) => r.id);
  send({ type: 'export', set: ui.set, runIds, charts: await exportCharts(app) });
}

/** While a pointer is down (dragging the slider, selecting text) host updates wait, so the DOM is not replaced mid-gesture. */
let pointerDown = false;
let renderPending = false;
document.addEventListener('pointerdown', () => (pointerDown = true));
document.addEventListener('pointerup', () => {
  pointerDown = false;
  if (renderPending) render();
});

function render(): void {
  if (pointerDown) {
    renderPending = true;
    return;
  }
  renderPending = false;
  if (!experiment) {
    replaceChildren(app, el('p', { class: 'muted' }, 'Loading…'));
    return;
  }
  const x = experiment;
  // Re-rendering replaces the DOM: keep keyboard focus on the same control.
  const focusKey = (document.activeElement as HTMLElement | null)?.getAttribute?.('data-focus-key');
  const done = completed(x).length;
  const meets = completed(x).filter((r) => (r[ui.set]?.recallAtFpr5 ?? 0) >= x.target.recall).map((r) => r.variant);
  replaceChildren(
    app,
    el('header', {}, el('h1', {}, x.name), x.description ? el('p', { class: 'description' }, x.description) : null),
    toolbar(x),
    el('p', { class: 'summary' }, `${done}/${x.runs.length} run(s) completed. Target (seed): recall ≥ ${formatPercent(x.target.recall, 0)} at FPR ≤ ${formatPercent(x.target.fpr, 0)}: `, meets.length ? el('strong', {}, `met by ${meets.join(', ')}`) : done < x.runs.length ? 'not met yet' : 'not met', '.', el('span', { class: 'threshold-note' }, ` ${thresholdNote(x)}`)),
    el(
      'div',
      { class: 'table-wrap' },
      comparisonTable({
        experiment: x,
        set: ui.set,
        sortKey: ui.sortKey,
        sortDir: ui.sortDir,
        selected: ui.selected,
        focus: ui.focus,
        onSort: (key) => {
          ui.sortDir = ui.sortKey === key && ui.sortDir === 'desc' ? 'asc' : 'desc';
          ui.sortKey = key;
          save();
          render();
        },
        onToggle: (id) => {
          ui.selectionTouched = true;
          if (ui.selected.has(id)) ui.selected.delete(id);
          else if (ui.selected.size < MAX_SELECTED) ui.selected.add(id);
          save();
          requestDetails();
          render();
        },
        onFocus: (id) => {
          ui.focus = id;
          save();
          requestDetails();
          render();
        },
        onOpenLog: (id) => send({ type: 'openLog', runId: id }),
      }),
    ),
    focusSection(x),
    el('section', {}, el('h2', {}, 'Curves'), curvesSection(x)),
    el('p', { class: 'muted footnote' }, 'The slider moves only the confusion matrix, not the table. Only aggregates are shown here; no session data leaves the run store.'),
  );
  if (focusKey) app.querySelector<HTMLElement>(`[data-focus-key="${CSS.escape(focusKey)}"]`)?.focus();
}

render();
start(parseHostMessage, handle);
