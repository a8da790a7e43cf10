/**
 * The score results panel (host side): one per scored input. Holds the ranked sessions of a score run and serves the
 * page its summary and pages of rows (search, flagged only); moves the threshold (flagged count and metrics follow);
 * opens a session's log at its first line; exports the scores CSV. Results are not kept across a reload: the restored
 * panel offers to score the same input with the same model again.
 */
import * as vscode from 'vscode';
import * as path from 'node:path';
import type { Services } from '../services';
import { PanelHost, registerPanelSerializer } from './panel-host';
import { RankedSessions } from '../../core/scoring/ranked-sessions';
import type { ScoreResult } from '../../core/scoring/score-logs';
import { defaultScoresPath, writeScoresCsv } from '../../core/scoring/scores-csv';
import { isScoreJob, rowView, scoreView, type ScoreJob } from './score-view-data';
import { MAX_PAGE, parsePageMessage, type ScoreHostMessage, type ScorePageMessage } from '../../../webview/score/protocol';
import { showInfo } from '../notify';

export const SCORE_VIEW_TYPE = 'secml.score';

export type Rescore = (job: ScoreJob) => Promise<unknown>;

/** What the in-host tests read from an open panel. */
export interface ScorePanelSummary {
  title: string;
  sessions: number;
  flagged: number;
  threshold: number;
  topSessions: string[];
  scoresCsv?: string;
  unseenTypes: number;
  metrics?: { tp: number; fp: number; tn: number; fn: number; rocAuc: number | null };
}

const keyOf = (inputs: string[]) => inputs.map((i) => path.resolve(i)).join('\n');

export class ScorePanel extends PanelHost<ScorePageMessage, ScoreHostMessage> {
  private static readonly open = new Map<string, ScorePanel>();
  private ranked: RankedSessions | undefined;
  private scoresCsv: string | undefined;
  private generation = 1;
  private emptyMessage = 'Scoring…';

  private constructor(
    services: Services,
    panel: vscode.WebviewPanel,
    private job: ScoreJob | undefined,
    private readonly rescore: Rescore,
  ) {
    super(services, panel, { viewType: SCORE_VIEW_TYPE, script: 'score' });
    if (job) ScorePanel.open.set(keyOf(job.inputs), this);
  }

  /** The panel of these inputs, created (beside the editor) or revealed. */
  static show(services: Services, job: ScoreJob, rescore: Rescore): ScorePanel {
    const existing = ScorePanel.open.get(keyOf(job.inputs));
    if (existing) {
      existing.job = job;
      existing.panel.reveal(existing.panel.viewColumn, false);
      return existing;
    }
    const title = `Scores: ${job.inputs.map((i) => path.basename(i)).join(', ')}`;
    const panel = vscode.window.createWebviewPanel(SCORE_VIEW_TYPE, title, { viewColumn: vscode.ViewColumn.Active, preserveFocus: false }, {});
    return new ScorePanel(services, panel, job, rescore);
  }

  static register(services: Services, rescore: Rescore): void {
    registerPanelSerializer(services, SCORE_VIEW_TYPE, (webviewPanel, state) => {
      const job = (state as { job?: unknown } | undefined)?.job;
      const valid = isScoreJob(job) ? job : undefined;
      if (valid && ScorePanel.open.has(keyOf(valid.inputs))) {
        webviewPanel.dispose();
        return;
      }
      const p = new ScorePanel(services, webviewPanel, valid, rescore);
      p.emptyMessage = valid
        ? `Scores are not kept after a reload: score ${valid.inputs.map((i) => path.basename(i)).join(', ')} again with the same model.`
        : 'Scores are not kept after a reload: right-click a log file and choose "Score This Log File".';
      p.post({ type: 'empty', message: p.emptyMessage, canRescore: Boolean(valid) });
    });
  }

  /** Shows a score run (replacing what the panel showed). */
  setResult(result: ScoreResult, scoresCsv: string | undefined): void {
    this.ranked = new RankedSessions(result);
    this.scoresCsv = scoresCsv;
    this.generation++;
    this.panel.title = `Scores: ${result.inputs.map((i) => path.basename(i)).join(', ')}`;
    this.post(this.stateMessage());
  }

  /** Scoring failed or was cancelled: say so in the panel. */
  setMessage(message: string): void {
    this.ranked = undefined;
    this.emptyMessage = message;
    this.post({ type: 'empty', message, canRescore: Boolean(this.job) });
  }

  get summary(): ScorePanelSummary | undefined {
    const k = this.ranked;
    if (!k) return undefined;
    const r = k.result;
    return {
      title: this.panel.title,
      sessions: r.table.n,
      flagged: r.flagged,
      threshold: r.threshold,
      topSessions: k.page({ text: '', flaggedOnly: false }, 0, 20).map((s) => s.id),
      scoresCsv: this.scoresCsv,
      unseenTypes: Object.keys(r.table.unseen).length,
      metrics: r.metrics ? { tp: r.metrics.tp, fp: r.metrics.fp, tn: r.metrics.tn, fn: r.metrics.fn, rocAuc: r.metrics.rocAuc } : undefined,
    };
  }

  static forInputs(inputs: string[]): ScorePanel | undefined {
    return ScorePanel.open.get(keyOf(inputs));
  }

  private stateMessage(): ScoreHostMessage {
    if (!this.ranked) return { type: 'empty', message: this.emptyMessage, canRescore: Boolean(this.job) };
    return { type: 'state', state: { ...scoreView(this.ranked, { scoresCsv: this.scoresCsv, generation: this.generation }), ...(this.job ? { job: this.job } : {}) } };
  }

  protected snapshot(): ScoreHostMessage[] {
    return [this.stateMessage()];
  }

  protected validate(raw: unknown): ScorePageMessage | undefined {
    return parsePageMessage(raw);
  }

  protected async onMessage(msg: ScorePageMessage): Promise<void> {
    const ranked = this.ranked;
    switch (msg.type) {
      case 'getRows': {
        if (!ranked || msg.generation !== this.generation) return;
        const rows = ranked.page(msg.query, msg.start, Math.min(msg.count, MAX_PAGE)).map(rowView);
        this.post({ type: 'rows', generation: this.generation, query: msg.query, start: msg.start, total: ranked.count(msg.query), rows });
        return;
      }
      case 'setThreshold':
        if (!ranked) return;
        ranked.setThreshold(msg.value);
        this.generation++;
        this.post(this.stateMessage());
        return;
      case 'openSession':
        if (ranked && msg.index < ranked.total) await this.openSession(msg.index);
        return;
      case 'exportCsv':
        await this.exportCsv();
        return;
      case 'rescore':
        if (this.job) await this.rescore(this.job);
        return;
    }
  }

  private async openSession(index: number): Promise<void> {
    const s = this.ranked!.session(index);
    if (/\.gz$/i.test(s.file)) {
      void showInfo(`${path.basename(s.file)} is compressed: its session starts at line ${s.firstLine} once decompressed.`);
      return;
    }
    const doc = await vscode.workspace.openTextDocument(vscode.Uri.file(s.file));
    const line = Math.max(0, Math.min(doc.lineCount - 1, s.firstLine - 1));
    const range = new vscode.Range(line, 0, line, doc.lineAt(line).text.length);
    await vscode.window.showTextDocument(doc, { viewColumn: vscode.ViewColumn.Beside, preview: true, selection: range });
  }

  private async exportCsv(): Promise<void> {
    const r = this.ranked?.result;
    if (!r) return;
    const target = await vscode.window.showSaveDialog({ defaultUri: vscode.Uri.file(this.scoresCsv ?? defaultScoresPath(r.inputs[0])), filters: { CSV: ['csv'] }, saveLabel: 'Export CSV' });
    if (!target) return;
    // The save dialog has asked about replacing an existing file.
    const written = await writeScoresCsv(r, target.fsPath, { overwrite: true });
    const pick = await showInfo(`Exported ${written.rows.toLocaleString('en-US')} scored sessions to ${written.file}.`, 'Open');
    if (pick === 'Open') await vscode.window.showTextDocument(target);
  }

  override dispose(): void {
    for (const [k, p] of ScorePanel.open) if (p === this) ScorePanel.open.delete(k);
    super.dispose();
  }
}
