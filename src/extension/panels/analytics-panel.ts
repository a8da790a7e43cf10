/**
 * The CloudTrail analytics panel (host side): shows one AnalyticsView; a click on a pair opens its first event (looked up
 * in the view it sent). After a window reload the panel comes back without results (they are a computation over logs,
 * not kept) and offers "Run Again" on the same logs, from the job the page saved.
 */
import * as vscode from 'vscode';
import * as path from 'node:path';
import type { Services } from '../services';
import { locationOf } from './analytics-view-data';
import { PanelHost, registerPanelSerializer } from './panel-host';
import { isAnalyticsJob, parsePageMessage, type AnalyticsHostMessage, type AnalyticsJob, type AnalyticsPageMessage, type AnalyticsView } from '../../../webview/analytics/protocol';

export const ANALYTICS_VIEW_TYPE = 'secml.analytics';

/** Runs an analysis again (the command that made it, on the same logs); it shows its result in the panel. */
export type Rerun = (job: AnalyticsJob) => Thenable<unknown>;

const ANALYSIS_NAMES: Record<AnalyticsJob['kind'], string> = { pairs: 'Unusual Pairs', activity: 'Activity Over Time', ipinsights: 'IP Insights' };

export class AnalyticsPanel extends PanelHost<AnalyticsPageMessage, AnalyticsHostMessage> {
  private static current: AnalyticsPanel | undefined;
  private static rerun: Rerun | undefined;
  /** Shown instead of a view after a reload. */
  private emptyMessage = '';

  private constructor(
    services: Services,
    panel: vscode.WebviewPanel,
    private view: AnalyticsView | undefined,
    private job: AnalyticsJob | undefined,
  ) {
    super(services, panel, { viewType: ANALYTICS_VIEW_TYPE, script: 'analytics' });
    this.track(panel.onDidDispose(() => AnalyticsPanel.current === this && (AnalyticsPanel.current = undefined)));
  }

  /** Shows the view in the panel (created beside the editor on first use). */
  static show(services: Services, view: AnalyticsView): AnalyticsPanel {
    const p = AnalyticsPanel.current;
    if (p) {
      p.view = view;
      p.job = view.job;
      p.panel.title = view.title;
      p.post({ type: 'show', view });
      p.panel.reveal(p.panel.viewColumn, true);
      return p;
    }
    const panel = vscode.window.createWebviewPanel(ANALYTICS_VIEW_TYPE, view.title, { viewColumn: vscode.ViewColumn.Active, preserveFocus: false }, {});
    AnalyticsPanel.current = new AnalyticsPanel(services, panel, view, view.job);
    return AnalyticsPanel.current;
  }

  /** Restores panels after a reload (without results; "Run Again" calls `rerun` with the saved job). */
  static register(services: Services, rerun: Rerun): void {
    AnalyticsPanel.rerun = rerun;
    registerPanelSerializer(services, ANALYTICS_VIEW_TYPE, (panel, state) => {
      const saved = (state as { job?: unknown } | undefined)?.job;
      // Only absolute paths: the saved state comes from the page.
      const job = isAnalyticsJob(saved) && saved.logs.every((l) => path.isAbsolute(l)) ? saved : undefined;
      AnalyticsPanel.current?.dispose();
      const p = new AnalyticsPanel(services, panel, undefined, job);
      p.emptyMessage = job
        ? `Results are not kept after a reload: run ${ANALYSIS_NAMES[job.kind]} again on ${job.logs.map((l) => path.basename(l)).join(', ')}.`
        : 'Results are not kept after a reload: run "Find Unusual Principal/IP Pairs" or "Show Activity Over Time" again.';
      AnalyticsPanel.current = p;
    });
  }

  protected validate(raw: unknown): AnalyticsPageMessage | undefined {
    return parsePageMessage(raw);
  }

  protected async onMessage(msg: AnalyticsPageMessage): Promise<void> {
    if (msg.type === 'rerun') {
      if (this.job && AnalyticsPanel.rerun) {
        const result = await AnalyticsPanel.rerun(this.job);
        // Cancelled, or nothing to show: offer the button again.
        if (result === undefined && !this.view) this.post({ type: 'empty', message: this.emptyMessage, canRerun: true });
      }
      return;
    }
    const at = this.view && locationOf(this.view, msg);
    if (!at) {
      this.services.logger.warn(`${ANALYTICS_VIEW_TYPE}: no location at table ${msg.table}, row ${msg.row}`);
      return;
    }
    const doc = await vscode.workspace.openTextDocument(vscode.Uri.file(at.file));
    const line = Math.max(0, at.line - 1);
    await vscode.window.showTextDocument(doc, { selection: new vscode.Range(line, 0, line, 0), viewColumn: vscode.ViewColumn.Beside });
  }

  protected snapshot(): AnalyticsHostMessage[] {
    return [this.view ? { type: 'show', view: this.view } : { type: 'empty', message: this.emptyMessage, canRerun: Boolean(this.job) }];
  }
}
