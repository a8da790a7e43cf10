/**
 * Message protocol between a webview page and its host. Imported by both sides (host: src/extension/panels/,
 * page: webview/<panel>/). Every panel defines its own message unions on top of these base shapes, plus
 * validators: messages are untrusted on both sides and checked on arrival.
 */

import type { MetricsSummary } from '../../src/core/experiments/run-record';

/** Every message is an object with a string `type`. */
export interface Message {
  type: string;
}

/** Page -> host. The first message of every page is `{type: 'ready'}`; the host answers with its snapshot. */
export type PageMessage = Message;
/** Host -> page. */
export type HostMessage = Message;

export interface ReadyMessage {
  type: 'ready';
}

export function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function isReadyMessage(v: unknown): v is ReadyMessage {
  return isObject(v) && v.type === 'ready';
}

/** Small validators for message fields (no dependencies, usable in the page and the host). */
export const check = {
  string: (v: unknown, max = 10_000): v is string => typeof v === 'string' && v.length <= max,
  number: (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v),
  int: (v: unknown, min = 0, max = Number.MAX_SAFE_INTEGER): v is number => Number.isInteger(v) && (v as number) >= min && (v as number) <= max,
  boolean: (v: unknown): v is boolean => typeof v === 'boolean',
  oneOf: <T extends string>(v: unknown, values: readonly T[]): v is T => typeof v === 'string' && (values as readonly string[]).includes(v),
  stringArray: (v: unknown, maxLen = 10_000): v is string[] => Array.isArray(v) && v.length <= maxLen && v.every((s) => typeof s === 'string'),
};

/** `s` shortened to at most `max` characters (the last one an ellipsis): hosts cut log text to the page's limits before sending. */
export function cutText(s: string, max: number): string {
  return s.length > max ? `${s.slice(0, max - 1)}…` : s;
}

const SUMMARY_NUMBERS = ['tp', 'fp', 'tn', 'fn', 'accuracy', 'precision', 'recall', 'f1', 'fpr', 'prAuc', 'recallAtFpr5', 'thresholdAtFpr5', 'threshold', 'positives', 'negatives'] as const;

/** A MetricsSummary (core's run-record.ts) as both panels send it: every figure a finite number, rocAuc a number or null. */
export function isMetricsSummary(v: unknown): v is MetricsSummary {
  return isObject(v) && SUMMARY_NUMBERS.every((k) => check.number(v[k])) && (v.rocAuc === null || check.number(v.rocAuc));
}
