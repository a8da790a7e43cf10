/**
 * The SecML endpoints of the current AWS connection, loaded once and shared by the Endpoints view and the status bar.
 * Reloads on demand, after changes, and on a timer (every minute while one is changing state, every 5 minutes otherwise).
 */
import * as vscode from 'vscode';
import type { EndpointInfo } from '../../core/backends/sagemaker/endpoint-list';
import { userMessage } from '../../core/errors';
import type { AwsContext } from '../aws-context';
import { awsCore } from './core';
import type { Services } from '../services';

export type EndpointsState = { kind: 'off' } | { kind: 'loading' } | { kind: 'loaded'; endpoints: EndpointInfo[] } | { kind: 'error'; error: unknown };

export class EndpointsModel implements vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changed.event;
  private current: EndpointsState = { kind: 'off' };
  private pending: Promise<void> | undefined;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly services: Services,
    private readonly aws: AwsContext,
  ) {}

  get state(): EndpointsState {
    return this.current;
  }

  /** Reloads (calls made while a load runs share it). */
  reload(): Promise<void> {
    if (this.pending) return this.pending;
    this.pending = this.load().finally(() => (this.pending = undefined));
    return this.pending;
  }

  /** The loaded endpoints, loading them first when needed; throws what loading threw. */
  async endpoints(): Promise<EndpointInfo[]> {
    if (this.current.kind !== 'loaded' && this.current.kind !== 'error') await this.reload();
    if (this.current.kind === 'error') throw this.current.error;
    return this.current.kind === 'loaded' ? this.current.endpoints : [];
  }

  private async load(): Promise<void> {
    if (!this.aws.isConfigured()) {
      this.current = { kind: 'off' };
    } else {
      try {
        this.current = { kind: 'loaded', endpoints: await awsCore().listEndpoints(this.aws.session(), { secmlOnly: true }) };
      } catch (e) {
        this.services.logger.error(`Failed to load SageMaker endpoints: ${userMessage(e)}`);
        this.current = { kind: 'error', error: e };
      }
    }
    this.changed.fire();
    this.schedule();
  }

  private schedule(): void {
    clearTimeout(this.timer);
    if (this.current.kind === 'off') return;
    const busy = this.current.kind === 'loaded' && this.current.endpoints.some((e) => e.status !== 'InService' && e.status !== 'Failed');
    this.timer = setTimeout(() => void this.reload(), busy ? 60_000 : 5 * 60_000);
  }

  dispose(): void {
    clearTimeout(this.timer);
    this.changed.dispose();
  }
}
