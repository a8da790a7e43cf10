/** "SecML: Create Sample Workspace": pick a folder, generate the sample data with progress and Cancel, then open it. */
import * as vscode from 'vscode';
import { readdir } from 'node:fs/promises';
import * as path from 'node:path';
import type { Services } from '../services';
import { existingSampleEntries, generateSampleWorkspace, type SampleWorkspaceSummary } from '../../core/sample/sample-workspace';
import { showInfo, showWarning } from '../notify';

/** True when the folder holds nothing but dot-entries (.git, .vscode, .secml). */
async function isEffectivelyEmpty(folder: string): Promise<boolean> {
  try {
    return (await readdir(folder)).every((name) => name.startsWith('.'));
  } catch {
    return true;
  }
}

async function chooseFolder(services: Services): Promise<string | undefined> {
  const root = services.workspaceRoot();
  if (root && (await isEffectivelyEmpty(root))) {
    const here = { label: '$(folder) This workspace folder', description: root, folder: root };
    const other = { label: '$(folder-opened) Choose another folder…', description: '', folder: undefined };
    const pick = await vscode.window.showQuickPick([here, other], { title: 'SecML: Create Sample Workspace', placeHolder: 'Where should the sample data go?' });
    if (!pick) return undefined;
    if (pick.folder) return pick.folder;
  }
  const picked = await vscode.window.showOpenDialog({
    title: 'Choose an empty folder for the sample workspace (you can create a new one here)',
    openLabel: 'Create Sample Here',
    canSelectFolders: true,
    canSelectFiles: false,
    canSelectMany: false,
    defaultUri: root ? vscode.Uri.file(path.dirname(root)) : undefined,
  });
  return picked?.[0]?.fsPath;
}

/**
 * `target` (a folder Uri or path) skips the folder prompt: for callers such as tests and links. Resolves to the
 * generation summary, or undefined when the user backed out or cancelled.
 */
async function createSampleWorkspace(services: Services, target?: vscode.Uri | string): Promise<SampleWorkspaceSummary | undefined> {
  const folder = target === undefined ? await chooseFolder(services) : typeof target === 'string' ? target : target.fsPath;
  if (!folder) return undefined;
  const clashes = await existingSampleEntries(folder);
  if (clashes.length) {
    const overwrite = 'Overwrite';
    const answer = await showWarning(
      `${folder} already holds sample files (${clashes.join(', ')}). Overwrite them?`,
      { modal: true },
      overwrite,
    );
    if (answer !== overwrite) return undefined;
  }
  const summary = await services.withProgress('SecML: Creating sample workspace', (signal, onProgress) =>
    generateSampleWorkspace(folder, { seed: 42, scale: 1, force: clashes.length > 0 }, { signal, onProgress, logger: services.logger }),
  );
  if (!summary) return undefined; // cancelled: the folder is as it was
  services.datasetsChanged.fire();
  const uri = vscode.Uri.file(summary.outDir);
  const t = summary.totals;
  const message = `Sample workspace ready: ${t.rows.toLocaleString()} session-log rows (${t.attackerSessions.toLocaleString()} attacker sessions) and ${summary.cloudTrail.events.toLocaleString()} CloudTrail events.`;
  const root = services.workspaceRoot();
  if (root && path.resolve(root) === summary.outDir) {
    await vscode.commands.executeCommand('revealInExplorer', vscode.Uri.joinPath(uri, 'sample.secml.json'));
    const readme = vscode.Uri.joinPath(uri, 'README.md');
    await vscode.commands.executeCommand('markdown.showPreview', readme).then(undefined, () => vscode.window.showTextDocument(readme));
    void showInfo(message);
    return summary;
  }
  // Not awaited: the command completes while the notification waits for the user.
  const open = 'Open Folder';
  const openNew = 'Open in New Window';
  void showInfo(`${message} It is in ${summary.outDir}.`, open, openNew).then(async (pick) => {
    if (pick === open || pick === openNew) await vscode.commands.executeCommand('vscode.openFolder', uri, { forceNewWindow: pick === openNew });
  }, (e) => services.showError(e));
  return summary;
}

export function registerSampleCommands(services: Services): void {
  services.registerCommand('secml.createSampleWorkspace', (target?: vscode.Uri | string) => createSampleWorkspace(services, target));
}
