/** What an Explorer context-menu command acts on: the clicked resource and the Explorer's multi-selection. */
import * as vscode from 'vscode';

/**
 * The file paths a command invoked from the Explorer acts on: the whole selection (its `file:` resources) when the
 * clicked resource is part of it, else the clicked resource alone (right-clicking outside the selection).
 */
export function explorerPaths(clicked: vscode.Uri, selected: unknown): string[] {
  const selection = Array.isArray(selected) ? selected.filter((u): u is vscode.Uri => u instanceof vscode.Uri && u.scheme === 'file') : [];
  const uris = selection.some((u) => u.toString() === clicked.toString()) ? selection : [clicked];
  return uris.map((u) => u.fsPath);
}
