/** Icons for SageMaker statuses in the trees (training jobs and endpoints share the spinner/pass/error language). */
import * as vscode from 'vscode';

const ICONS: Record<string, [string, string?]> = {
  InProgress: ['sync~spin', 'charts.blue'],
  Creating: ['sync~spin', 'charts.blue'],
  Updating: ['sync~spin', 'charts.blue'],
  Completed: ['pass', 'testing.iconPassed'],
  InService: ['pass-filled', 'testing.iconPassed'],
  Failed: ['error', 'testing.iconFailed'],
  Stopping: ['debug-stop', 'charts.yellow'],
  Deleting: ['trash', 'charts.yellow'],
  Stopped: ['circle-slash'],
};

export function statusIcon(status: string): vscode.ThemeIcon {
  const [icon, color] = ICONS[status] ?? ['circle-outline'];
  return new vscode.ThemeIcon(icon, color ? new vscode.ThemeColor(color) : undefined);
}
