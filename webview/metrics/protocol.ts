/**
 * Messages of the metrics panel (host: src/extension/panels/metrics-panel.ts, page: webview/metrics/main.ts). Only
 * aggregates cross: headline metrics, downsampled curves as (threshold, tp, fp) points, training curves. Both sides
 * validate what they receive.
 */
import type { MetricsSummary } from '../../src/core/experiments/run-record';
import { check, isMetricsSummary, isObject } from '../shared/protocol';

export type EvaluationSet = 'test' | 'evaluation';
export const EVALUATION_SETS: readonly EvaluationSet[] = ['test', 'evaluation'];

export interface RunView {
  id: string;
  variant: string;
  variantSpec: string;
  launchId: string;
  backend: string;
  status: string;
  /** Progress of an active run, 0..1, and a phase label. */
  fraction?: number;
  phase?: string;
  trainingSeconds?: number;
  test?: MetricsSummary;
  evaluation?: MetricsSummary;
  /** Why the run failed or was interrupted (log text: shown as text only). */
  error?: string;
}

export interface ExperimentView {
  name: string;
  description: string;
  target: { recall: number; fpr: number };
  runs: RunView[];
  baseline: { test?: MetricsSummary; evaluation?: MetricsSummary };
  /** Names of the evaluation files, when the spec has some. */
  evaluationFiles: string[];
}

/** A downsampled threshold sweep: [threshold, tp, fp] from the strictest threshold to the loosest. */
export interface CurveView {
  positives: number;
  negatives: number;
  points: [number, number, number][];
}

export interface TrainingCurveView {
  metrics: string[];
  /** One row per round, one value per metric (null where a metric is undefined, e.g. AUC with one class). */
  rounds: (number | null)[][];
  bestIteration?: number;
}

export interface RunDetail {
  id: string;
  curves: { test?: CurveView; evaluation?: CurveView };
  trainingCurve?: TrainingCurveView;
}

export type HostToPage =
  | { type: 'experiment'; experiment: ExperimentView }
  | { type: 'details'; details: RunDetail[] }
  | { type: 'focus'; runId: string }
  | { type: 'exported'; folder: string; files: string[] };

export interface ExportChart {
  /** File stem: `roc`, `pr`, `training-first5`. */
  name: string;
  svg: string;
  /** Base64 PNG bytes, when the page could render one. */
  png?: string;
}

export type PageToHost =
  | { type: 'loadDetails'; runIds: string[] }
  | { type: 'export'; set: EvaluationSet; runIds: string[]; charts: ExportChart[] }
  | { type: 'openLog'; runId: string };

export const MAX_DETAIL_RUNS = 50;
export const MAX_EXPORT_CHARTS = 12;
export const MAX_SVG_CHARS = 2_000_000;
/** Longest experiment description and run error (an error may quote log content: the host cuts both). */
export const MAX_DESCRIPTION = 10_000;
export const MAX_PHASE = 200;
export const MAX_EVALUATION_FILES = 1000;
export const MAX_PNG_BASE64_CHARS = 8_000_000;
const RUN_ID = /^[0-9]{8}-[0-9]{6}(-[0-9]+)?-[A-Za-z0-9._-]+$/;
const CHART_NAME = /^[A-Za-z0-9._-]{1,80}$/;

const isRunId = (v: unknown): v is string => typeof v === 'string' && v.length <= 200 && RUN_ID.test(v);
const isRunIds = (v: unknown, max: number): v is string[] => Array.isArray(v) && v.length <= max && v.every(isRunId);

function isChart(v: unknown): v is ExportChart {
  if (!isObject(v) || !check.string(v.name, 80) || !CHART_NAME.test(v.name)) return false;
  if (!check.string(v.svg, MAX_SVG_CHARS) || !/^<svg[\s>]/.test(v.svg)) return false;
  return v.png === undefined || (check.string(v.png, MAX_PNG_BASE64_CHARS) && /^[A-Za-z0-9+/]+={0,2}$/.test(v.png));
}

/** Host side: validates a message from the page. */
export function parsePageMessage(v: unknown): PageToHost | undefined {
  if (!isObject(v)) return undefined;
  switch (v.type) {
    case 'loadDetails':
      return isRunIds(v.runIds, MAX_DETAIL_RUNS) ? { type: 'loadDetails', runIds: v.runIds } : undefined;
    case 'openLog':
      return isRunId(v.runId) ? { type: 'openLog', runId: v.runId } : undefined;
    case 'export':
      if (!check.oneOf(v.set, EVALUATION_SETS) || !isRunIds(v.runIds, 10_000)) return undefined;
      if (!Array.isArray(v.charts) || v.charts.length > MAX_EXPORT_CHARTS || !v.charts.every(isChart)) return undefined;
      return { type: 'export', set: v.set, runIds: v.runIds, charts: v.charts.map((c: ExportChart) => ({ name: c.name, svg: c.svg, png: c.png })) };
    default:
      return undefined;
  }
}

const isNum = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
const isOptNum = (v: unknown) => v === undefined || isNum(v);
const isOptStr = (v: unknown, max = MAX_DESCRIPTION) => v === undefined || check.string(v, max);

const isOptSummary = (v: unknown) => v === undefined || isMetricsSummary(v);

function isRunView(v: unknown): v is RunView {
  return (
    isObject(v) &&
    isRunId(v.id) &&
    ['variant', 'variantSpec', 'launchId', 'backend', 'status'].every((k) => check.string(v[k], 200)) &&
    isOptNum(v.fraction) &&
    isOptStr(v.phase, MAX_PHASE) &&
    isOptNum(v.trainingSeconds) &&
    isOptSummary(v.test) &&
    isOptSummary(v.evaluation) &&
    isOptStr(v.error)
  );
}

function isExperimentView(v: unknown): v is ExperimentView {
  return (
    isObject(v) &&
    check.string(v.name, 200) &&
    check.string(v.description, MAX_DESCRIPTION) &&
    isObject(v.target) &&
    isNum(v.target.recall) &&
    isNum(v.target.fpr) &&
    Array.isArray(v.runs) &&
    v.runs.every(isRunView) &&
    isObject(v.baseline) &&
    isOptSummary(v.baseline.test) &&
    isOptSummary(v.baseline.evaluation) &&
    check.stringArray(v.evaluationFiles, MAX_EVALUATION_FILES)
  );
}

function isCurve(v: unknown): v is CurveView {
  return isObject(v) && isNum(v.positives) && isNum(v.negatives) && Array.isArray(v.points) && v.points.length <= 2000 && v.points.every((p) => Array.isArray(p) && p.length === 3 && p.every(isNum));
}

function isDetail(v: unknown): v is RunDetail {
  if (!isObject(v) || !isRunId(v.id) || !isObject(v.curves)) return false;
  if (!(v.curves.test === undefined || isCurve(v.curves.test)) || !(v.curves.evaluation === undefined || isCurve(v.curves.evaluation))) return false;
  const t = v.trainingCurve;
  if (t === undefined) return true;
  return isObject(t) && check.stringArray(t.metrics, 20) && Array.isArray(t.rounds) && t.rounds.length <= 100_000 && t.rounds.every((r) => Array.isArray(r) && r.every((x) => x === null || isNum(x))) && isOptNum(t.bestIteration);
}

/** Page side: validates a message from the host. */
export function parseHostMessage(v: unknown): HostToPage | undefined {
  if (!isObject(v)) return undefined;
  switch (v.type) {
    case 'experiment':
      return isExperimentView(v.experiment) ? { type: 'experiment', experiment: v.experiment } : undefined;
    case 'details':
      return Array.isArray(v.details) && v.details.length <= MAX_DETAIL_RUNS && v.details.every(isDetail) ? { type: 'details', details: v.details } : undefined;
    case 'focus':
      return isRunId(v.runId) ? { type: 'focus', runId: v.runId } : undefined;
    case 'exported':
      return check.string(v.folder, 4096) && check.stringArray(v.files, 100) ? { type: 'exported', folder: v.folder, files: v.files } : undefined;
    default:
      return undefined;
  }
}
