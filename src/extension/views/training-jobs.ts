/**
 * The "SageMaker training jobs" section of the Experiments view: ListTrainingJobs newest first, paged with "Load more",
 * a name/status filter, live status of running jobs, and an error node instead of an empty tree. Expanding a job shows
 * its details (FailureReason, final metrics, model artifact) and a link to its CloudWatch logs.
 */
import * as vscode from 'vscode';
import { trainingJobConsoleUrl, trainingJobLogsUrl } from '../../core/backends/sagemaker/console-links';
import { resourceAge } from '../../core/backends/sagemaker/age';
import type { TrainingJobFilter, TrainingJobSummary } from '../../core/backends/sagemaker/training-jobs';
import type { TrainingJobStatus } from '../../core/backends/sagemaker/training-status';
import { userMessage } from '../../core/errors';
import type { AwsContext } from '../aws-context';
import { awsCore } from '../sagemaker/core';
import type { Services } from '../services';
import { loadAwsChildren } from './aws-children';
import { statusIcon } from './status-icons';
import { loadChildren, LoadMoreNode, PagedList, type TreeNode } from './tree';
import type { SecmlView } from './views';


/** A line of detail under a job. */
class DetailNode implements TreeNode {
  constructor(
    private readonly label: string,
    private readonly value: string,
    private readonly icon: string,
    private readonly command?: vscode.Command,
  ) {}
  treeItem(): vscode.TreeItem {
    const item = new vscode.TreeItem(this.label, vscode.TreeItemCollapsibleState.None);
    item.description = this.value;
    item.tooltip = `${this.label}: ${this.value}`;
    item.iconPath = new vscode.ThemeIcon(this.icon);
    item.command = this.command;
    item.contextValue = 'jobDetail';
    return item;
  }
}

export class JobNode implements TreeNode {
  readonly id: string;
  parent?: TreeNode;
  constructor(
    readonly job: TrainingJobSummary,
    private readonly section: TrainingJobsSection,
  ) {
    this.id = `sagemaker-job:${job.name}`;
  }
  get jobName(): string {
    return this.job.name;
  }
  treeItem(): vscode.TreeItem {
    const j = this.job;
    const item = new vscode.TreeItem(j.name, vscode.TreeItemCollapsibleState.Collapsed);
    item.id = this.id;
    const status = j.secondaryStatus && j.secondaryStatus !== j.status ? `${j.status} (${j.secondaryStatus})` : j.status;
    item.description = [status, resourceAge(j.creationTime)].filter(Boolean).join(' · ');
    item.iconPath = statusIcon(j.status);
    item.tooltip = `${j.name}\n${status}\nCreated ${j.creationTime?.toISOString() ?? '?'}${j.endTime ? `\nEnded ${j.endTime.toISOString()}` : ''}`;
    item.contextValue = `job.${j.status}`;
    return item;
  }
  children(): Promise<TreeNode[]> {
    return loadChildren(this.section.services, `training job ${this.job.name}`, () => this.section.details(this.job.name));
  }
}

class JobsGroupNode implements TreeNode {
  readonly id = 'sagemaker-jobs';
  parent?: TreeNode;
  constructor(private readonly section: TrainingJobsSection) {}
  treeItem(): vscode.TreeItem {
    const item = new vscode.TreeItem('SageMaker training jobs', vscode.TreeItemCollapsibleState.Expanded);
    item.id = this.id;
    item.iconPath = new vscode.ThemeIcon('cloud');
    item.description = this.section.describeFilter();
    item.tooltip = `Training jobs of ${this.section.aws.describe()}, newest first.${this.section.describeFilter() ? `\nFilter: ${this.section.describeFilter()}` : ''}`;
    item.contextValue = 'jobsGroup';
    return item;
  }
  children(): Promise<TreeNode[]> {
    return this.section.jobNodes();
  }
}

export class TrainingJobsSection implements vscode.Disposable {
  readonly group: JobsGroupNode;
  private list: PagedList<TrainingJobSummary>;
  private filter: TrainingJobFilter = {};
  private timer: NodeJS.Timeout | undefined;
  private nodes = new Map<string, JobNode>();

  constructor(
    readonly services: Services,
    readonly aws: AwsContext,
    private readonly view: SecmlView,
  ) {
    this.group = new JobsGroupNode(this);
    this.list = this.newList();
    services.track(services.awsChanged.event(() => this.reset()));
    this.timer = setInterval(() => void this.updateRunning(), 30_000);
  }

  /** The section's root nodes: nothing until AWS is configured, so the view's welcome text shows for local-only users. */
  async roots(): Promise<TreeNode[]> {
    return this.aws.isConfigured() ? [this.group] : [];
  }

  private newList(): PagedList<TrainingJobSummary> {
    const filter = { ...this.filter };
    return new PagedList(async (token) => {
      const page = await awsCore().listTrainingJobsPage(this.aws.session(), { filter, nextToken: token, pageSize: 50 });
      return { items: page.jobs, nextToken: page.nextToken };
    });
  }

  describeFilter(): string {
    const parts = [this.filter.nameContains ? `"${this.filter.nameContains}"` : '', this.filter.status ?? ''].filter(Boolean);
    return parts.length ? `filter: ${parts.join(', ')}` : '';
  }

  get currentFilter(): TrainingJobFilter {
    return { ...this.filter };
  }

  async jobNodes(): Promise<TreeNode[]> {
    return loadAwsChildren(
      this.services,
      'training jobs',
      async () => {
        if (this.list.loaded.length === 0 && this.list.hasMore) await this.list.loadMore();
        const nodes: TreeNode[] = this.list.loaded.map((j) => {
          const prev = this.nodes.get(j.name);
          if (prev && prev.job === j) return prev;
          const node = new JobNode(j, this);
          this.nodes.set(j.name, node);
          return node;
        });
        if (this.list.hasMore) nodes.push(new LoadMoreNode('secml.jobs.loadMore'));
        return nodes;
      },
      this.filter.nameContains || this.filter.status ? `No training jobs match ${this.describeFilter().replace(/^filter: /, '')}.` : 'No training jobs in this account and region.',
    );
  }

  async details(jobName: string): Promise<TreeNode[]> {
    const s: TrainingJobStatus = await new (awsCore().SageMakerTrainingStatusSource)(this.aws.session()).describe(jobName);
    const region = await this.aws.session().region();
    const nodes: TreeNode[] = [];
    if (s.failureReason) nodes.push(new DetailNode('Failure', s.failureReason, 'error'));
    if (s.statusMessage) nodes.push(new DetailNode('Status', s.statusMessage, 'info'));
    if (s.instanceType) nodes.push(new DetailNode('Instances', `${s.instanceCount ?? 1} x ${s.instanceType}`, 'server'));
    for (const [k, v] of Object.entries(s.finalMetrics)) nodes.push(new DetailNode(k, String(Math.round(v * 10000) / 10000), 'graph'));
    if (s.modelArtifact) nodes.push(new DetailNode('Model', s.modelArtifact, 'package'));
    nodes.push(new DetailNode('CloudWatch logs', 'open in browser', 'output', { command: 'vscode.open', title: 'Open logs', arguments: [vscode.Uri.parse(trainingJobLogsUrl(region, jobName))] }));
    nodes.push(new DetailNode('Console', 'open in browser', 'link-external', { command: 'vscode.open', title: 'Open console', arguments: [vscode.Uri.parse(trainingJobConsoleUrl(region, jobName))] }));
    return nodes;
  }

  async loadMore(): Promise<void> {
    try {
      await this.list.loadMore();
    } catch (e) {
      this.services.logger.error(`Failed to load more training jobs: ${userMessage(e)}`);
      throw e;
    } finally {
      this.view.refresh(this.group);
    }
  }

  setFilter(filter: TrainingJobFilter): void {
    this.filter = { nameContains: filter.nameContains?.trim() || undefined, status: filter.status };
    this.reset();
  }

  reset(): void {
    this.list = this.newList();
    this.nodes.clear();
    this.view.refresh();
  }

  /** Re-reads running jobs (at most 10, every 30 s, only while the view is visible) and redraws those that changed. */
  private async updateRunning(): Promise<void> {
    if (!this.view.view.visible || !this.aws.isConfigured()) return;
    const running = this.list.loaded.filter((j) => j.status === 'InProgress' || j.status === 'Stopping').slice(0, 10);
    if (!running.length) return;
    const source = new (awsCore().SageMakerTrainingStatusSource)(this.aws.session());
    let changed = false;
    for (const j of running) {
      try {
        const s = await source.describe(j.name);
        if (s.status !== j.status || s.secondaryStatus !== j.secondaryStatus) {
          Object.assign(j, { status: s.status, secondaryStatus: s.secondaryStatus, endTime: s.endTime });
          this.nodes.delete(j.name);
          changed = true;
        }
      } catch (e) {
        this.services.logger.warn(`Could not refresh training job ${j.name}: ${userMessage(e)}`);
      }
    }
    if (changed) this.view.refresh(this.group);
  }

  dispose(): void {
    clearInterval(this.timer);
  }
}
