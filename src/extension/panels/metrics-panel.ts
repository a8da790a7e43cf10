/**
 * The metrics panel: one per experiment. Sends the comparison (headline metrics of every run, baseline, target) and, on
 * request, the curves and training curve of the runs the page shows; re-sends the comparison as runs progress. Exports
 * the comparison CSV and the charts the page rendered (SVG, PNG) into the experiment's exports folder.
 */
import * as vscode from 'vscode';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { comparisonCsv, comparisonRows, baselineOf } from '../../core/experiments/comparison';
import { utcStamp } from '../../core/time-stamp';
import { writeFileAtomic } from '../../core/fs-atomic';
import type { Services } from '../services';
import type { ExperimentLaunches } from '../commands/experiment-launches';
import { PanelHost, registerPanelSerializer } from './panel-host';
import { experimentView, runDetail } from './metrics-view-data';
import { isSafeSvg } from './metrics-safe-svg';
import { parsePageMessage, type ExportChart, type HostToPage, type PageToHost } from '../../../webview/metrics/protocol';
import { showInfo } from '../notify';

export const METRICS_VIEW_TYPE = 'secml.metrics';
const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

export class MetricsPanel extends PanelHost<PageToHost, HostToPage> {
  private static readonly open = new Map<string, MetricsPanel>();
  /** A run to focus, replayed with the snapshot when the page (re)loads. */
  private pendingFocus: string | undefined;

  /** Shows (or reveals) the experiment's panel, optionally focusing one run. */
  static show(services: Services, launches: ExperimentLaunches, experiment: string, focusRunId?: string): MetricsPanel {
    let panel = MetricsPanel.open.get(experiment);
    if (panel) panel.panel.reveal(undefined, false);
    else {
      const webviewPanel = vscode.window.createWebviewPanel(METRICS_VIEW_TYPE, `Metrics: ${experiment}`, vscode.ViewColumn.Active, {});
      panel = new MetricsPanel(services, webviewPanel, launches, experiment);
    }
    if (focusRunId) panel.focus(focusRunId);
    return panel;
  }

  static register(services: Services, launches: ExperimentLaunches): void {
    registerPanelSerializer(services, METRICS_VIEW_TYPE, (webviewPanel, state) => {
      const experiment = (state as { experiment?: unknown } | undefined)?.experiment;
      if (typeof experiment !== 'string' || !/^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$/.test(experiment)) {
        webviewPanel.dispose();
        return;
      }
      const existing = MetricsPanel.open.get(experiment);
      if (existing) {
        webviewPanel.dispose();
        existing.panel.reveal();
        return;
      }
      new MetricsPanel(services, webviewPanel, launches, experiment);
    });
  }

  private constructor(
    services: Services,
    panel: vscode.WebviewPanel,
    private readonly launches: ExperimentLaunches,
    readonly experiment: string,
  ) {
    super(services, panel, { viewType: METRICS_VIEW_TYPE, script: 'metrics' });
    panel.title = `Metrics: ${experiment}`;
    MetricsPanel.open.set(experiment, this);
    this.track(services.runsChanged.event(() => void this.refresh()));
    // A hidden webview cannot receive messages: catch up when it becomes visible.
    this.track(panel.onDidChangeViewState((e) => e.webviewPanel.visible && void this.refresh()));
  }

  protected validate(raw: unknown): PageToHost | undefined {
    return parsePageMessage(raw);
  }

  protected async snapshot(): Promise<HostToPage[]> {
    const focus: HostToPage[] = this.pendingFocus ? [{ type: 'focus', runId: this.pendingFocus }] : [];
    this.pendingFocus = undefined;
    return [await this.experimentMessage(), ...focus];
  }

  focus(runId: string): void {
    this.pendingFocus = runId;
    this.post({ type: 'focus', runId });
  }

  private async experimentMessage(): Promise<HostToPage> {
    // The listing the Experiments view reads on the same signal (one read of the run records per progress tick).
    const entry = (await this.launches.listExperiments()).find((e) => e.name === this.experiment);
    const runs = (entry?.runs ?? []).map((r) => this.launches.overlay(r));
    const record = entry?.record;
    return { type: 'experiment', experiment: experimentView(this.experiment, record?.description ?? '', runs, record?.spec.evaluation.files ?? []) };
  }

  private async refresh(): Promise<void> {
    if (!this.panel.visible) return;
    try {
      this.post(await this.experimentMessage());
    } catch (e) {
      this.services.logger.warn(`Metrics panel ${this.experiment}: ${(e as Error).message}`);
    }
  }

  protected async onMessage(msg: PageToHost): Promise<void> {
    const store = this.launches.store();
    switch (msg.type) {
      case 'loadDetails': {
        const details = await Promise.all(msg.runIds.map(async (id) => runDetail(id, await store.readMetrics(this.experiment, id).catch(() => undefined))));
        this.post({ type: 'details', details });
        return;
      }
      case 'openLog': {
        const file = store.logFile(this.experiment, msg.runId);
        await fs.access(file).then(
          async () => vscode.window.showTextDocument(await vscode.workspace.openTextDocument(file), { preview: true, viewColumn: vscode.ViewColumn.Beside }),
          () => showInfo('This run has no log yet.'),
        );
        return;
      }
      case 'export':
        await this.export(msg.set, msg.runIds, msg.charts);
        return;
    }
  }

  private async export(set: 'test' | 'evaluation', runIds: string[], charts: ExportChart[]): Promise<void> {
    const store = this.launches.store();
    const all = await store.listRuns(this.experiment);
    const runs = runIds.map((id) => all.find((r) => r.id === id)).filter((r) => r !== undefined);
    const folder = path.join(store.experimentDir(this.experiment), 'exports', utcStamp());
    const files: string[] = [];
    const write = async (name: string, data: string | Uint8Array) => {
      await writeFileAtomic(path.join(folder, name), data);
      files.push(name);
    };
    await write(`comparison-${set}.csv`, comparisonCsv(comparisonRows(runs, set), set, baselineOf(runs, set)));
    for (const c of charts) {
      if (!isSafeSvg(c.svg)) {
        this.services.logger.warn(`Export: chart ${c.name} was not a plain SVG; skipped.`);
        continue;
      }
      await write(`${c.name}.svg`, c.svg);
      if (c.png) {
        const png = Buffer.from(c.png, 'base64');
        if (png.subarray(0, 8).equals(PNG_SIGNATURE)) await write(`${c.name}.png`, png);
      }
    }
    this.post({ type: 'exported', folder, files });
    void showInfo(`Exported ${files.length} file(s) to ${folder}`, 'Reveal in File Explorer').then((pick) => {
      if (pick) void vscode.commands.executeCommand('revealFileInOS', vscode.Uri.file(path.join(folder, files[0])));
    });
  }

  override dispose(): void {
    if (MetricsPanel.open.get(this.experiment) === this) MetricsPanel.open.delete(this.experiment);
    super.dispose();
  }
}
