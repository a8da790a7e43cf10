/**
 * A small tree-view framework shared by the Datasets, Experiments and Endpoints views.
 * A view is a list of root nodes (possibly from several sections); a node renders a TreeItem and may load children.
 * Loading failures become a "Failed to load (show log)" node instead of an empty tree; empty lists can show a
 * placeholder; long remote lists page with a "Load more" node (see PagedList).
 */
import * as vscode from 'vscode';
import { userMessage } from '../../core/errors';
import type { Services } from '../services';

export interface TreeNode {
  treeItem(): vscode.TreeItem | Promise<vscode.TreeItem>;
  children?(): Promise<TreeNode[]>;
  /** Stable id for reveal() and expansion state (optional). */
  readonly id?: string;
  parent?: TreeNode;
}

/** A leaf with a message, for empty lists ("No training jobs match 'foo'"). */
export class MessageNode implements TreeNode {
  constructor(
    private readonly label: string,
    private readonly icon = 'info',
    private readonly tooltip?: string,
  ) {}
  treeItem(): vscode.TreeItem {
    const item = new vscode.TreeItem(this.label, vscode.TreeItemCollapsibleState.None);
    item.iconPath = new vscode.ThemeIcon(this.icon);
    item.tooltip = this.tooltip ?? this.label;
    item.contextValue = 'message';
    return item;
  }
}

/** Shown when loading a list failed: clicking it opens the log, where the full error is. */
export class ErrorNode implements TreeNode {
  constructor(
    private readonly what: string,
    private readonly error: unknown,
  ) {}
  treeItem(): vscode.TreeItem {
    const item = new vscode.TreeItem(`Failed to load ${this.what} (show log)`, vscode.TreeItemCollapsibleState.None);
    item.iconPath = new vscode.ThemeIcon('error', new vscode.ThemeColor('errorForeground'));
    item.tooltip = userMessage(this.error);
    item.description = userMessage(this.error).slice(0, 80);
    item.command = { command: 'secml.showLog', title: 'Show Log' };
    item.contextValue = 'error';
    return item;
  }
}

/** Loads children, turning an exception into an ErrorNode (logged) and an empty list into a placeholder when given. */
export async function loadChildren(services: Services, what: string, load: () => Promise<TreeNode[]>, emptyMessage?: string): Promise<TreeNode[]> {
  try {
    const nodes = await load();
    if (nodes.length === 0 && emptyMessage) return [new MessageNode(emptyMessage)];
    return nodes;
  } catch (e) {
    services.logger.error(`Failed to load ${what}: ${userMessage(e)}`);
    return [new ErrorNode(what, e)];
  }
}

/**
 * A TreeDataProvider over TreeNodes. `roots()` returns the top level; `refresh()` (or any of the given events)
 * redraws. Returning [] from roots() lets the view's welcome content (package.json viewsWelcome) show.
 */
export class NodeTreeProvider implements vscode.TreeDataProvider<TreeNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<TreeNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly subs: vscode.Disposable[] = [];

  constructor(
    private readonly roots: () => Promise<TreeNode[]>,
    refreshOn: vscode.Event<unknown>[] = [],
  ) {
    for (const ev of refreshOn) this.subs.push(ev(() => this.refresh()));
  }

  refresh(node?: TreeNode): void {
    this.changed.fire(node);
  }

  getTreeItem(node: TreeNode): vscode.TreeItem | Promise<vscode.TreeItem> {
    return node.treeItem();
  }

  async getChildren(node?: TreeNode): Promise<TreeNode[]> {
    const kids = node ? ((await node.children?.()) ?? []) : await this.roots();
    for (const k of kids) k.parent ??= node;
    return kids;
  }

  getParent(node: TreeNode): TreeNode | undefined {
    return node.parent;
  }

  dispose(): void {
    this.changed.dispose();
    for (const s of this.subs.splice(0)) s.dispose();
  }
}

/** Registers a view backed by a NodeTreeProvider; returns the TreeView so commands can reveal and set messages. */
export function registerTreeView(services: Services, viewId: string, provider: NodeTreeProvider): vscode.TreeView<TreeNode> {
  const view = vscode.window.createTreeView(viewId, { treeDataProvider: provider, showCollapseAll: true });
  services.track(provider);
  services.track(view);
  return view;
}

/**
 * A remote list loaded page by page (ListTrainingJobs and the like): keeps the items loaded so far and the next token,
 * and serialises loads so a double click on "Load more" does not load twice.
 */
export class PagedList<T> {
  private items: T[] = [];
  private nextToken: string | undefined;
  private started = false;
  private pending: Promise<void> | undefined;

  constructor(private readonly fetchPage: (token: string | undefined) => Promise<{ items: T[]; nextToken?: string }>) {}

  get loaded(): readonly T[] {
    return this.items;
  }

  get hasMore(): boolean {
    return !this.started || this.nextToken !== undefined;
  }

  /** Loads the next page (the first page on first call). Concurrent calls share one request. */
  loadMore(): Promise<void> {
    if (this.pending) return this.pending;
    if (this.started && !this.nextToken) return Promise.resolve();
    this.pending = (async () => {
      try {
        const page = await this.fetchPage(this.nextToken);
        this.items.push(...page.items);
        this.nextToken = page.nextToken;
        this.started = true;
      } finally {
        this.pending = undefined;
      }
    })();
    return this.pending;
  }

  reset(): void {
    this.items = [];
    this.nextToken = undefined;
    this.started = false;
  }
}

/** The "Load more" node at the end of a paged list; its command is handled by the view that owns the list. */
export class LoadMoreNode implements TreeNode {
  constructor(
    private readonly command: string,
    private readonly args: unknown[] = [],
  ) {}
  treeItem(): vscode.TreeItem {
    const item = new vscode.TreeItem('Load more...', vscode.TreeItemCollapsibleState.None);
    item.iconPath = new vscode.ThemeIcon('ellipsis');
    item.command = { command: this.command, title: 'Load more', arguments: this.args };
    item.contextValue = 'loadMore';
    return item;
  }
}
