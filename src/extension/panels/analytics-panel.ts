/**
 * The CloudTrail analytics panel (host side): shows one AnalyticsView; a click on a pair opens its first event (looked up
 * in the view it sent). Not restored after a window reload (no serializer, no onWebviewPanel activation): its view is a
 * computation over logs, re-run with the command.
 */
import * as vscode from 'vscode';
import type { Services } from '../services';
import { locationOf } from './analytics-view-data';
import { PanelHost } from './panel-host';
import { parsePageMessage, type AnalyticsHostMessage, type AnalyticsPageMessage, type AnalyticsView } from '../../../webview/analytics/protocol';

export const ANALYTICS_VIEW_TYPE = 'secml.analytics';

export class AnalyticsPanel extends PanelHost<AnalyticsPageMessage, AnalyticsHostMessage> {
  private static current: AnalyticsPanel | undefined;

  private constructor(
    services: Services,
    panel: vscode.WebviewPanel,
    private view: AnalyticsView,
  ) {
    super(services, panel, { viewType: ANALYTICS_VIEW_TYPE, script: 'analytics' });
    this.track(panel.onDidDispose(() => AnalyticsPanel.current === this && (AnalyticsPanel.current = undefined)));
  }

  /** Shows the view in the panel (created beside the editor on first use). */
  static show(services: Services, view: AnalyticsView): AnalyticsPanel {
    const p = AnalyticsPanel.current;
    if (p) {
      p.view = view;
      p.panel.title = view.title;
      p.post({ type: 'show', view });
      p.panel.reveal(p.panel.viewColumn, true);
      return p;
    }
    const panel = vscode.window.createWebviewPanel(ANALYTICS_VIEW_TYPE, view.title, { viewColumn: vscode.ViewColumn.Active, preserveFocus: false }, {});
    AnalyticsPanel.current = new AnalyticsPanel(services, panel, view);
    return AnalyticsPanel.current;
  }

  protected validate(raw: unknown): AnalyticsPageMessage | undefined {
    return parsePageMessage(raw);
  }

  protected async onMessage(msg: AnalyticsPageMessage): Promise<void> {
    const at = locationOf(this.view, msg);
    if (!at) {
      this.services.logger.warn(`${ANALYTICS_VIEW_TYPE}: no location at table ${msg.table}, row ${msg.row}`);
      return;
    }
    const doc = await vscode.workspace.openTextDocument(vscode.Uri.file(at.file));
    const line = Math.max(0, at.line - 1);
    await vscode.window.showTextDocument(doc, { selection: new vscode.Range(line, 0, line, 0), viewColumn: vscode.ViewColumn.Beside });
  }

  protected snapshot(): AnalyticsHostMessage[] {
    return [{ type: 'show', view: this.view }];
  }
}
