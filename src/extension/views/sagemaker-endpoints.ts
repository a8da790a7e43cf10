/**
 * The "SageMaker endpoints" section of the Endpoints view: every endpoint SecML created (by its secml:* tags) with
 * status, instance type, age and estimated cost. Deleting one (context menu) removes its config and model too.
 */
import * as vscode from 'vscode';
import { resourceAge } from '../../core/backends/sagemaker/age';
import type { EndpointInfo } from '../../core/backends/sagemaker/endpoint-list';
import { formatHourlyCost, PRICE_NOTE } from '../../core/backends/sagemaker/prices';
import type { AwsContext } from '../aws-context';
import type { EndpointsModel } from '../sagemaker/endpoints-model';
import type { Services } from '../services';
import { loadAwsChildren } from './aws-children';
import { statusIcon } from './status-icons';
import type { TreeNode } from './tree';


export class EndpointNode implements TreeNode {
  readonly id: string;
  parent?: TreeNode;
  constructor(readonly endpoint: EndpointInfo) {
    this.id = `sagemaker-endpoint:${endpoint.name}`;
  }
  get endpointName(): string {
    return this.endpoint.name;
  }
  treeItem(): vscode.TreeItem {
    const e = this.endpoint;
    const item = new vscode.TreeItem(e.name, vscode.TreeItemCollapsibleState.None);
    item.id = this.id;
    const instance = e.instanceType ? `${e.instanceCount ?? 1} x ${e.instanceType}` : '';
    item.description = [e.status, instance, resourceAge(e.creationTime), formatHourlyCost(e.hourlyCost)].filter(Boolean).join(' · ');
    item.iconPath = statusIcon(e.status);
    item.tooltip = [
      e.name,
      `Status: ${e.status}${e.failureReason ? ` (${e.failureReason})` : ''}`,
      instance && `Instances: ${instance}`,
      e.tags.experiment && `Experiment: ${e.tags.experiment}`,
      e.tags.variant && `Variant: ${e.tags.variant}`,
      e.tags.purpose && `Purpose: ${e.tags.purpose}`,
      `Cost: ${formatHourlyCost(e.hourlyCost)} (${PRICE_NOTE})`,
    ]
      .filter(Boolean)
      .join('\n');
    item.contextValue = `endpoint.${e.status}`;
    return item;
  }
}

class EndpointsGroupNode implements TreeNode {
  readonly id = 'sagemaker-endpoints';
  parent?: TreeNode;
  constructor(private readonly section: SageMakerEndpointsSection) {}
  treeItem(): vscode.TreeItem {
    const item = new vscode.TreeItem('SageMaker endpoints', vscode.TreeItemCollapsibleState.Expanded);
    item.id = this.id;
    item.iconPath = new vscode.ThemeIcon('cloud');
    const s = this.section.model.state;
    if (s.kind === 'loaded' && s.endpoints.length) {
      const cost = s.endpoints.reduce((a, e) => a + (e.hourlyCost ?? 0), 0);
      item.description = `${s.endpoints.length} · ${formatHourlyCost(cost)} (estimate)`;
    }
    item.tooltip = `SecML endpoints of ${this.section.aws.describe()}`;
    item.contextValue = 'endpointsGroup';
    return item;
  }
  children(): Promise<TreeNode[]> {
    return loadAwsChildren(this.section.services, 'SageMaker endpoints', async () => (await this.section.model.endpoints()).map((e) => new EndpointNode(e)), 'No SecML endpoints running.');
  }
}

export class SageMakerEndpointsSection {
  readonly group: EndpointsGroupNode;
  constructor(
    readonly services: Services,
    readonly aws: AwsContext,
    readonly model: EndpointsModel,
  ) {
    this.group = new EndpointsGroupNode(this);
  }

  async roots(): Promise<TreeNode[]> {
    return this.aws.isConfigured() ? [this.group] : [];
  }
}
