/**
 * What every command, view and panel of the extension shares: the output channel (as a core Logger), settings,
 * change events, the workspace's SecML folder, and the bridge from VS Code progress/cancellation to core's
 * AbortSignal/onProgress. No business logic lives here.
 */
import * as vscode from 'vscode';
import * as path from 'node:path';
import { formatLocated, isCancellation, isSecmlError, SecmlError, userMessage } from '../core/errors';
import type { Logger, ProgressCallback } from '../core/progress';
import { readSettings, type SecmlSettings } from './settings';
import { showErrorText } from './notify';

export class Services implements vscode.Disposable {
  readonly output: vscode.LogOutputChannel;
  readonly logger: Logger;
  /** Datasets on disk changed (flatten finished, dataset deleted). */
  readonly datasetsChanged = new vscode.EventEmitter<void>();
  /** Runs or experiments changed (a run progressed, finished, was deleted). */
  readonly runsChanged = new vscode.EventEmitter<void>();
  /** Local models changed (a run completed with a model, a run was deleted, a model folder was written): not fired on progress. */
  readonly modelsChanged = new vscode.EventEmitter<void>();
  /** AWS connection changed (profile, region, endpoint): every AWS view reloads. */
  readonly awsChanged = new vscode.EventEmitter<void>();
  private readonly disposables: vscode.Disposable[] = [];

  constructor(readonly context: vscode.ExtensionContext) {
    this.output = vscode.window.createOutputChannel('SecML Lab', { log: true });
    const out = this.output;
    this.logger = {
      debug: (m) => out.debug(m),
      info: (m) => out.info(m),
      warn: (m) => out.warn(m),
      error: (m) => out.error(m),
    };
    this.disposables.push(this.output, this.datasetsChanged, this.runsChanged, this.modelsChanged, this.awsChanged);
  }

  settings(): SecmlSettings {
    return readSettings();
  }

  /** The first workspace folder, or undefined when no folder is open. */
  workspaceRoot(): string | undefined {
    return vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
  }

  /** `<workspace>/.secml`, where datasets and experiment runs live. Throws a clear message without a folder. */
  secmlDir(): string {
    const root = this.workspaceRoot();
    if (!root) throw new SecmlError('BAD_ARGUMENT', 'Open a folder first: SecML Lab keeps datasets and runs in the workspace (.secml/).');
    return path.join(root, '.secml');
  }

  /** Extension-bundled file, e.g. `dist/webview/metrics.js`. */
  asset(...parts: string[]): vscode.Uri {
    return vscode.Uri.joinPath(this.context.extensionUri, ...parts);
  }

  /**
   * Runs long core work in a cancellable progress notification. The callback gets an AbortSignal (aborted by
   * Cancel) and an onProgress that maps core progress to the notification.
   */
  async withProgress<T>(title: string, work: (signal: AbortSignal, onProgress: ProgressCallback) => Promise<T>, location = vscode.ProgressLocation.Notification): Promise<T | undefined> {
    return vscode.window.withProgress({ location, title, cancellable: true }, async (progress, token) => {
      const controller = new AbortController();
      const sub = token.onCancellationRequested(() => controller.abort());
      let lastFraction = 0;
      const onProgress: ProgressCallback = (p) => {
        let increment: number | undefined;
        if (p.fraction !== undefined) {
          const f = Math.max(0, Math.min(1, p.fraction));
          increment = Math.max(0, (f - lastFraction) * 100);
          lastFraction = Math.max(lastFraction, f);
        }
        progress.report({ message: p.message, increment });
      };
      try {
        return await work(controller.signal, onProgress);
      } catch (e) {
        if (isCancellation(e)) {
          this.logger.info(`${title}: cancelled`);
          return undefined;
        }
        throw e;
      } finally {
        sub.dispose();
      }
    });
  }

  /** Shows an error the way users should see it: one actionable line, details in the output channel, never a stack. */
  async showError(e: unknown, context?: string): Promise<void> {
    if (isCancellation(e)) return;
    const msg = (context ? `${context}: ` : '') + userMessage(e);
    this.output.error(msg);
    if (e instanceof Error && e.stack && !isSecmlError(e)) this.output.debug(e.stack);
    const actions: string[] = ['Show Log'];
    const awsAuth = isSecmlError(e) && e.code === 'AWS_AUTH';
    if (awsAuth) actions.unshift('Configure AWS');
    const openFile = isSecmlError(e) && e.file ? 'Open File' : undefined;
    if (openFile) actions.unshift(openFile);
    // The toast names the file by its base name (Open File goes to the full path; the log above has it whole).
    const shown = isSecmlError(e) && e.file ? (context ? `${context}: ` : '') + formatLocated(e.message, path.basename(e.file), e.line) : msg;
    const pick = await showErrorText(shown, ...actions);
    if (pick === 'Show Log') this.output.show(true);
    else if (pick === 'Configure AWS') await vscode.commands.executeCommand('secml.configureAws');
    else if (pick === 'Open File' && isSecmlError(e) && e.file) {
      const doc = await vscode.workspace.openTextDocument(e.file);
      const line = Math.max(0, (e.line ?? 1) - 1);
      await vscode.window.showTextDocument(doc, { selection: new vscode.Range(line, 0, line, 0) });
    }
  }

  /** Registers a command whose errors are shown with showError (never an unhandled rejection). */
  registerCommand(id: string, handler: (...args: any[]) => unknown): void {
    this.disposables.push(
      vscode.commands.registerCommand(id, async (...args: unknown[]) => {
        try {
          return await handler(...args);
        } catch (e) {
          await this.showError(e);
          return undefined;
        }
      }),
    );
  }

  track(d: vscode.Disposable): void {
    this.disposables.push(d);
  }

  dispose(): void {
    for (const d of this.disposables.splice(0).reverse()) d.dispose();
  }
}
