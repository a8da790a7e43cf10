/** Contributed commands whose engine has not landed yet get a clear message rather than "command not found". */
import * as vscode from 'vscode';
import type { Services } from '../services';

/** Returns the ids it registered (the in-host tests check each one answers with the message). */
export async function registerPlaceholders(services: Services): Promise<string[]> {
  const contributed: { command: string; title: string }[] = services.context.extension.packageJSON?.contributes?.commands ?? [];
  const registered = new Set(await vscode.commands.getCommands(true));
  const placeholders: string[] = [];
  for (const c of contributed) {
    if (registered.has(c.command)) continue;
    services.registerCommand(c.command, () => vscode.window.showInformationMessage(`SecML: "${c.title}" is coming in this build.`));
    placeholders.push(c.command);
  }
  return placeholders;
}
