/**
 * Loading AWS lists into a tree: like loadChildren (error node, empty placeholder), but expired or missing credentials
 * become a "Configure AWS" node that says what happened, instead of a generic failure.
 */
import * as vscode from 'vscode';
import { isSecmlError, userMessage } from '../../core/errors';
import type { Services } from '../services';
import { loadChildren, type TreeNode } from './tree';

class AwsAuthNode implements TreeNode {
  constructor(private readonly error: unknown) {}
  treeItem(): vscode.TreeItem {
    const item = new vscode.TreeItem('Configure AWS: credentials needed', vscode.TreeItemCollapsibleState.None);
    item.iconPath = new vscode.ThemeIcon('key', new vscode.ThemeColor('errorForeground'));
    item.description = userMessage(this.error).slice(0, 80);
    item.tooltip = `${userMessage(this.error)}\n\nClick to pick a profile or sign in again.`;
    item.command = { command: 'secml.configureAws', title: 'Configure AWS' };
    item.contextValue = 'awsAuthError';
    return item;
  }
}

export async function loadAwsChildren(services: Services, what: string, load: () => Promise<TreeNode[]>, emptyMessage?: string): Promise<TreeNode[]> {
  let auth: unknown;
  const nodes = await loadChildren(
    services,
    what,
    async () => {
      try {
        return await load();
      } catch (e) {
        if (!isSecmlError(e) || e.code !== 'AWS_AUTH') throw e;
        auth = e;
        services.logger.error(`Failed to load ${what}: ${userMessage(e)}`);
        return [];
      }
    },
    emptyMessage,
  );
  return auth ? [new AwsAuthNode(auth)] : nodes;
}
