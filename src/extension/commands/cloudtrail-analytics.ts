/**
 * "SecML: Find Unusual Principal/IP Pairs", "SecML: Show Activity Over Time" and "SecML: Score Principal/IP Pairs with
 * SageMaker IP Insights" (the seed workshop's notebook: train, deploy, score, tear down) on a CloudTrail file or folder (the
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
import { activityView, ipInsightsView, pairsView } from '../panels/analytics-view-data';
import type { SageMakerFeature } from '../sagemaker/register';
import { awsCore } from '../sagemaker/core';
import { PRINCIPAL_ADDRESSES, uploadConsent } from '../sagemaker/upload-consent';
import { cloudTrailSources } from '../../core/query/cloudtrail-files';
import { explorerPaths } from './explorer-selection';
import type { AnalyticsJob } from '../../../webview/analytics/protocol';

export interface AnalyticsCommandResult {
  title: string;
  /**
   * Pairs: the top pairs (principal, address, score); activity: the top spikes (principal, action, score); IP Insights:
   * the lowest dot products (principal, address, dot product).
   */
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

const noAddressEvents = (logs: string[], ev: { records: number; serviceSources: number }) =>
  new SecmlError('NO_SESSIONS', `No CloudTrail events with a source IP address in ${logs.join(', ')} (${ev.records} records, ${ev.serviceSources} from AWS service hosts).`);

const label = (logs: string[]) => (logs.length === 1 ? path.basename(logs[0]) : `${logs.length} locations`);

const jobOf = (kind: AnalyticsJob['kind'], logs: string[]): AnalyticsJob => ({ kind, logs: logs.map((l) => path.resolve(l)) });

const COMMAND_OF: Record<AnalyticsJob['kind'], string> = { pairs: 'secml.findUnusualPairs', activity: 'secml.showActivityOverTime', ipinsights: 'secml.ipInsightsPairs' };

export function registerCloudTrailAnalytics(services: Services, sageMaker: SageMakerFeature): void {
  AnalyticsPanel.register(services, (job) => vscode.commands.executeCommand(COMMAND_OF[job.kind], job.logs));

  services.registerCommand('secml.ipInsightsPairs', async (arg?: unknown, second?: unknown): Promise<AnalyticsCommandResult | undefined> => {
    const logs = await logsOf(services, arg, second);
    if (!logs?.length) return undefined;
    const { aws } = sageMaker;
    // Settings first (bucket, role, instance types, image), so that a missing one is named before any log is read.
    const settings = aws.sageMakerSettings();
    awsCore().checkTrainingSettings(settings);
    awsCore().checkScoringSettings({ ...settings, scoring: 'endpoint' });
    const result = await services.withProgress('IP Insights on SageMaker (a training job and a temporary endpoint)', async (signal, onProgress) => {
      const { readAddressEvents } = require('../../core/analytics/cloudtrail-addresses') as typeof import('../../core/analytics/cloudtrail-addresses');
      const { findUnusualPairs } = require('../../core/analytics/unusual-pairs') as typeof import('../../core/analytics/unusual-pairs');
      const ev = await readAddressEvents(logs, { signal, onProgress, logger: services.logger });
      if (ev.length === 0) throw noAddressEvents(logs, ev);
      // As the workshop: train on the days before the last one, score the pairs active on it (all of them for one day).
      const { lastDayStart, trainingTuples } = require('../../core/analytics/ip-insights-input') as typeof import('../../core/analytics/ip-insights-input');
      const from = lastDayStart(ev);
      const train = trainingTuples(ev, from);
      const pairs = findUnusualPairs(ev, { from }).pairs;
      if (pairs.length === 0) throw new SecmlError('NO_SESSIONS', `No principal/IP pairs to score in ${logs.join(', ')}.`);
      const { runIpInsights } = require('../../core/backends/sagemaker/ipinsights') as typeof import('../../core/backends/sagemaker/ipinsights');
      const run = await runIpInsights(aws.session(), settings, train, pairs.map((p) => ({ entity: p.principal, ip: p.address })), { name: 'cloudtrail', signal, onProgress, logger: services.logger }, { confirmUpload: uploadConsent(services, PRINCIPAL_ADDRESSES) });
      return { run, pairs, from };
    });
    if (!result) return undefined;
    const { run, pairs, from } = result;
    const scored = pairs.map((p, i) => ({ principal: p.principal, address: p.address, dotProduct: Number.isNaN(run.dotProducts[i]) ? null : run.dotProducts[i], events: p.events, firstTime: p.firstTime, file: p.file, line: p.line }));
    const title = `IP Insights: ${label(logs)}`;
    const view = ipInsightsView(title, scored, { trainingJob: run.model.jobName, tuples: run.training.rows, principals: run.training.entities, skippedIpv6: run.training.skippedIpv6, endpoint: run.endpointName, kept: run.kept, from: from === undefined ? undefined : new Date(from).toISOString() });
    AnalyticsPanel.show(services, { ...view, job: jobOf('ipinsights', logs) });
    const ranked = scored.filter((p) => p.dotProduct !== null).sort((a, b) => a.dotProduct! - b.dotProduct!);
    return { title, count: scored.length, top: ranked.slice(0, 10).map((p) => ({ principal: p.principal, subject: p.address, score: p.dotProduct! })) };
  });

  services.registerCommand('secml.findUnusualPairs', async (arg?: unknown, second?: unknown): Promise<AnalyticsCommandResult | undefined> => {
    const logs = await logsOf(services, arg, second);
    if (!logs?.length) return undefined;
    const result = await services.withProgress('Finding unusual principal/IP pairs', async (signal, onProgress) => {
      const { readAddressEvents } = require('../../core/analytics/cloudtrail-addresses') as typeof import('../../core/analytics/cloudtrail-addresses');
      const { findUnusualPairs } = require('../../core/analytics/unusual-pairs') as typeof import('../../core/analytics/unusual-pairs');
      const ev = await readAddressEvents(logs, { signal, onProgress, logger: services.logger });
      if (ev.length === 0) throw noAddressEvents(logs, ev);
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
