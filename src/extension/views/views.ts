/**
 * The three SecML Lab views (Datasets, Experiments, Endpoints). Each view is made of sections that features add
 * (e.g. Experiments = local experiment runs + SageMaker training jobs); a view with no nodes shows its welcome content.
 */
import * as vscode from 'vscode';
import type { Services } from '../services';
import { NodeTreeProvider, registerTreeView, type TreeNode } from './tree';

export type Section = () => Promise<TreeNode[]>;

export class SecmlView {
  private readonly sections: Section[] = [];
  readonly provider: NodeTreeProvider;
  readonly view: vscode.TreeView<TreeNode>;

  constructor(services: Services, id: string, refreshOn: vscode.Event<unknown>[]) {
    this.provider = new NodeTreeProvider(async () => (await Promise.all(this.sections.map((s) => s()))).flat(), refreshOn);
    this.view = registerTreeView(services, id, this.provider);
  }

  /** Adds a section of root nodes (in the order sections are added). */
  addSection(section: Section): void {
    this.sections.push(section);
    this.provider.refresh();
  }

  refresh(node?: TreeNode): void {
    this.provider.refresh(node);
  }
}

export class SecmlViews {
  readonly datasets: SecmlView;
  readonly experiments: SecmlView;
  readonly endpoints: SecmlView;

  constructor(services: Services) {
    this.datasets = new SecmlView(services, 'secml.datasets', [services.datasetsChanged.event]);
    this.experiments = new SecmlView(services, 'secml.experiments', [services.runsChanged.event, services.awsChanged.event]);
    // Not runsChanged: that fires on every progress tick of a run, and the Endpoints view only shows finished models.
    this.endpoints = new SecmlView(services, 'secml.endpoints', [services.modelsChanged.event, services.awsChanged.event]);
  }
}
