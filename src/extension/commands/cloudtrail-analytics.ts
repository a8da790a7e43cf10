/**
 * "SecML: Find Unusual Principal/IP Pairs" and "SecML: Show Activity Over Time" on a CloudTrail file or folder (the
 * Explorer's context menu), or from the palette on the workspace's CloudTrail (secml.query.cloudTrailPaths, else its
 * AWSLogs folders, else a folder you pick). Both run in a progress notification with Cancel and show their result in
 * the CloudTrail analytics panel; both return a summary (automation, tests). DuckDB loads only when activity runs.
 * The panel keeps which analysis ran on which logs, to offer "Run Again" after a window reload.
 */
import * as vscode from 'vscode';
import * as path from 'node:path';
import { SecmlError } from '../../core/errors';
import type { Services } from '../services';
import { AnalyticsPanel } from '../panels/analytics-panel';
import { activityView, pairsView } from '../panels/analytics-view-data';
import { cloudTrailSources } from '../../core/query/cloudtrail-files';
import { explorerPaths } from './explorer-selection';
import type { AnalyticsJob } from '../../../webview/analytics/protocol';

export interface AnalyticsCommandResult {
  title: string;
  /** Pairs: the top pairs (principal, address, score); activity: the top spikes (principal, action, score). */
  top: { principal: string; subject: string; score: number }[];
  count: number;
}

async function logsOf(services: Services, arg: unknown, second: unknown): Promise<string[] | undefined> {
  if (arg instanceof vscode.Uri) return explorerPaths(arg, second);
  if (Array.isArray(arg) && arg.every((a) => typeof a === 'string')) return arg as string[];
  const found = await cloudTrailSources(services.settings().query.cloudTrailPaths, services.workspaceRoot());
  if (found.length) return found;
  const picked = await vscode.window.showOpenDialog({ canSelectFolders: true, canSelectFiles: true, canSelectMany: true, openLabel: 'Analyse', title: 'Which CloudTrail files or folders?' });
  return picked?.map((u) => u.fsPath);
}

const label = (logs: string[]) => (logs.length === 1 ? path.basename(logs[0]) : `${logs.length} locations`);

const jobOf = (kind: AnalyticsJob['kind'], logs: string[]): AnalyticsJob => ({ kind, logs: logs.map((l) => path.resolve(l)) });

export function registerCloudTrailAnalytics(services: Services): void {
  AnalyticsPanel.register(services, (job) => vscode.commands.executeCommand(job.kind === 'pairs' ? 'secml.findUnusualPairs' : 'secml.showActivityOverTime', job.logs));

  services.registerCommand('secml.findUnusualPairs', async (arg?: unknown, second?: unknown): Promise<AnalyticsCommandResult | undefined> => {
    const logs = await logsOf(services, arg, second);
    if (!logs?.length) return undefined;
    const result = await services.withProgress('Finding unusual principal/IP pairs', async (signal, onProgress) => {
      const { readAddressEvents } = require('../../core/analytics/cloudtrail-addresses') as typeof import('../../core/analytics/cloudtrail-addresses');
      const { findUnusualPairs } = require('../../core/analytics/unusual-pairs') as typeof import('../../core/analytics/unusual-pairs');
      const ev = await readAddressEvents(logs, { signal, onProgress, logger: services.logger });
      if (ev.length === 0) throw new SecmlError('NO_SESSIONS', `No CloudTrail events with a source IP address in ${logs.join(', ')} (${ev.records} records, ${ev.serviceSources} from AWS service hosts).`);
      return { ev, r: findUnusualPairs(ev) };
    });
    if (!result) return undefined;
    const title = `Unusual Pairs: ${label(logs)}`;
    AnalyticsPanel.show(services, { ...pairsView(title, result.r, result.ev), job: jobOf('pairs', logs) });
    return { title, count: result.r.pairs.length, top: result.r.pairs.slice(0, 10).map((p) => ({ principal: p.principal, subject: p.address, score: p.score })) };
  });

  services.registerCommand('secml.showActivityOverTime', async (arg?: unknown, second?: unknown): Promise<AnalyticsCommandResult | undefined> => {
    const logs = await logsOf(services, arg, second);
    if (!logs?.length) return undefined;
    const result = await services.withProgress('Counting activity over time', async (signal, onProgress) => {
      // Loaded on first use (require: esbuild keeps DuckDB's native module out of activation).
      const { DuckDBEngine } = require('../../core/query/duckdb-engine') as typeof import('../../core/query/duckdb-engine');
      const { activityCounts, eventDays, findSpikes } = require('../../core/analytics/activity-over-time') as typeof import('../../core/analytics/activity-over-time');
      const engine = await DuckDBEngine.open({ logs, materialize: false }, { signal, onProgress });
      try {
        const days = await eventDays(engine, { signal });
        if (!days) throw new SecmlError('NO_SESSIONS', `No CloudTrail events in ${logs.join(', ')}.`);
        const range = { ...days, bucketSeconds: 3600 };
        // The last day is scored against the days before it (the whole range when there is only one day).
        const lastDay = new Date(Date.parse(days.to) - 86_400_000).toISOString();
        onProgress({ message: 'Counting calls per principal and API per hour' });
        return findSpikes(await activityCounts(engine, range, { signal }), range, { scoreFrom: lastDay });
      } finally {
        await engine.dispose();
      }
    });
    if (!result) return undefined;
    const title = `Activity Over Time: ${label(logs)}`;
    AnalyticsPanel.show(services, { ...activityView(title, result), job: jobOf('activity', logs) });
    return { title, count: result.spikes.length, top: result.spikes.slice(0, 10).map((s) => ({ principal: s.principal, subject: s.action, score: s.score })) };
  });
}
