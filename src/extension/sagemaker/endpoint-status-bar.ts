/** Status bar: how many SecML endpoints are running and what they cost per hour (an estimate). Click to open the Endpoints view. */
import * as vscode from 'vscode';
import { endpointCostSummary } from '../../core/backends/sagemaker/prices';
import type { EndpointsModel } from './endpoints-model';

export function registerEndpointStatusBar(model: EndpointsModel): vscode.Disposable {
  const item = vscode.window.createStatusBarItem('secml.endpoints.cost', vscode.StatusBarAlignment.Left, 50);
  item.name = 'SecML endpoints and cost';
  item.command = 'secml.endpoints.focus';
  const update = () => {
    const s = model.state;
    const shown = s.kind === 'loaded' ? endpointCostSummary(s.endpoints) : undefined;
    if (!shown) return item.hide();
    item.text = shown.text;
    item.tooltip = shown.tooltip;
    item.backgroundColor = new vscode.ThemeColor('statusBarItem.warningBackground');
    item.show();
  };
  const sub = model.onDidChange(update);
  update();
  return vscode.Disposable.from(item, sub);
}
