/**
 * Host side of a SecML webview panel. Subclasses (one per panel) provide the data; this class owns the plumbing:
 * safe HTML (webview-html.ts), `localResourceRoots` limited to dist/webview, typed messages validated on arrival,
 * a `ready` handshake (nothing is posted before the page listens), replay of the current snapshot whenever the page
 * is re-created (hidden panels are not retained: no retainContextWhenHidden), and restore after a reload through a
 * WebviewPanelSerializer (see registerPanelSerializer).
 */
import * as vscode from 'vscode';
import type { Services } from '../services';
import { PageOutbox } from './page-outbox';
import { buildWebviewHtml, newNonce } from './webview-html';
import { isReadyMessage, type HostMessage, type PageMessage } from '../../../webview/shared/protocol';

export interface PanelSpec {
  /** `secml.metrics`, `secml.query`, `secml.score` (listed in package.json activationEvents as onWebviewPanel:...). */
  viewType: string;
  /** Bundle name: dist/webview/<script>.js and .css */
  script: string;
}

export function webviewOptions(services: Services): vscode.WebviewOptions & vscode.WebviewPanelOptions {
  return {
    enableScripts: true,
    enableFindWidget: true,
    localResourceRoots: [services.asset('dist', 'webview')],
  };
}

export abstract class PanelHost<In extends PageMessage, Out extends HostMessage> implements vscode.Disposable {
  private readonly outbox: PageOutbox<Out>;
  private readonly disposables: vscode.Disposable[] = [];
  private disposed = false;

  protected constructor(
    protected readonly services: Services,
    readonly panel: vscode.WebviewPanel,
    private readonly spec: PanelSpec,
  ) {
    panel.webview.options = webviewOptions(services);
    this.outbox = new PageOutbox<Out>((m) => void panel.webview.postMessage(m));
    this.disposables.push(
      panel.webview.onDidReceiveMessage((raw: unknown) => this.receive(raw)),
      panel.onDidDispose(() => this.dispose()),
    );
    this.render();
  }

  /** Re-renders the page (a new nonce each time); the page then says `ready` and gets the snapshot again. */
  protected render(): void {
    const w = this.panel.webview;
    const uri = (...p: string[]) => w.asWebviewUri(this.services.asset('dist', 'webview', ...p)).toString();
    this.outbox.reset();
    w.html = buildWebviewHtml({
      cspSource: w.cspSource,
      nonce: newNonce(),
      title: this.panel.title,
      scriptUri: uri(`${this.spec.script}.js`),
      styleUris: [uri(`${this.spec.script}.css`)],
      codiconsUri: uri('codicons', 'codicon.css'),
    });
  }

  /** Validates a message from the page; returns it typed, or undefined to drop it (logged). */
  protected abstract validate(raw: unknown): In | undefined;
  /** Handles a validated message from the page. */
  protected abstract onMessage(msg: In): void | Promise<void>;
  /** Messages that bring a freshly created page up to date (called on every `ready`). */
  protected abstract snapshot(): Out[] | Promise<Out[]>;

  /** Sends a message now if the page is listening, else queues it until the snapshot has been sent (see PageOutbox). */
  post(msg: Out): void {
    if (!this.disposed) this.outbox.post(msg);
  }

  private async receive(raw: unknown): Promise<void> {
    try {
      if (isReadyMessage(raw)) {
        await this.outbox.open(() => this.snapshot());
        return;
      }
      const msg = this.validate(raw);
      if (!msg) {
        this.services.logger.warn(`${this.spec.viewType}: dropped an invalid message from the webview`);
        return;
      }
      await this.onMessage(msg);
    } catch (e) {
      await this.services.showError(e);
    }
  }

  protected track(d: vscode.Disposable): void {
    this.disposables.push(d);
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    for (const d of this.disposables.splice(0)) d.dispose();
    this.panel.dispose();
  }
}

/**
 * Restores panels after a reload: VS Code hands back the panel and the state the page saved with setState;
 * `restore` builds the host again from that state (reading fresh data from disk, never from the saved state).
 */
export function registerPanelSerializer(services: Services, viewType: string, restore: (panel: vscode.WebviewPanel, state: unknown) => Promise<void> | void): void {
  services.track(
    vscode.window.registerWebviewPanelSerializer(viewType, {
      async deserializeWebviewPanel(panel, state) {
        panel.webview.options = webviewOptions(services);
        try {
          await restore(panel, state);
        } catch (e) {
          panel.dispose();
          await services.showError(e, 'Could not restore the panel');
        }
      },
    }),
  );
}
