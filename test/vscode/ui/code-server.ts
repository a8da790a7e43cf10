/**
 * Starts code-server (VS Code 1.100.3 in the browser, with a real Node extension host) for one test session:
 * a free loopback port, its own HOME / TMPDIR / user-data-dir / extensions-dir under one temporary folder, the
 * given user settings, workspace trust off. `stop()` kills its whole process group and removes the folder.
 *
 * Used by the UI helper library (workbench.ts) and by the in-host runner (../runners/code-server.ts).
 */
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, readdirSync, rmSync, writeFileSync, closeSync, statSync, symlinkSync } from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';

export const REPO_ROOT = path.resolve(__dirname, '../../..');

/** Where scripts/install-code-server.sh puts code-server (override with SECML_CODE_SERVER_DIR). */
export function codeServerDir(): string {
  return process.env.SECML_CODE_SERVER_DIR || path.join(REPO_ROOT, '.vscode-test', 'code-server');
}

export function codeServerBinary(): string {
  return path.join(codeServerDir(), 'node_modules', '.bin', 'code-server');
}

/** Debian's chromium (override with SECML_CHROMIUM). */
export function chromiumBinary(): string {
  return process.env.SECML_CHROMIUM || '/usr/bin/chromium';
}

/** Why VS Code UI/in-host tests cannot run here, or undefined when code-server and chromium are both present. */
export function missingVsCodeTools(): string | undefined {
  const missing: string[] = [];
  if (!existsSync(codeServerBinary())) missing.push(`code-server (not in ${codeServerDir()}; run scripts/install-code-server.sh)`);
  if (!existsSync(chromiumBinary())) missing.push(`chromium (not at ${chromiumBinary()}; apt-get install -y chromium)`);
  return missing.length ? missing.join(' and ') + ' missing' : undefined;
}

export interface CodeServerOptions {
  /** User settings written to settings.json (merged over quiet defaults: no welcome page, no tips, no auto-update). */
  settings?: Record<string, unknown>;
  /** A .vsix to install into the fresh extensions dir before start (otherwise load the extension with `devPayload`). */
  vsix?: string;
  /** Extension folders to install by symlink into the fresh extensions dir (as `<publisher>.<name>-<version>`). */
  extensionFolders?: string[];
  /** Extra environment for code-server and so for the extension host (e.g. SECML_TEST_GREP). */
  env?: Record<string, string>;
  /** Prefix of the temporary folder (default "secml-vscode-"). */
  label?: string;
}

export interface CodeServer {
  readonly port: number;
  readonly baseUrl: string;
  /** The session's private folder (HOME, TMPDIR, data, extensions, chrome profile live below it). */
  readonly home: string;
  readonly userDataDir: string;
  readonly extensionsDir: string;
  readonly logFile: string;
  /** URL that opens `folder`, with VS Code's URL payload (e.g. extensionDevelopmentPath, extensionTestsPath). */
  url(folder: string, payload?: [string, string][]): string;
  /** Last `lines` lines of code-server's own log plus the extension host log. */
  logTail(lines?: number): string;
  /** The first line matching `re` in the extension's output-channel logs (e.g. /activated in \d+ ms/). */
  findExtensionLog(re: RegExp): string | undefined;
  stop(): Promise<void>;
}

const QUIET_SETTINGS = {
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'workbench.welcomePage.walkthroughs.openOnInstall': false,
  'extensions.autoUpdate': false,
  'extensions.autoCheckUpdates': false,
  'extensions.ignoreRecommendations': true,
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'security.workspace.trust.enabled': false,
  'git.enabled': false,
  'chat.disableAIFeatures': true,
  'window.restoreWindows': 'none',
};

/** `vscode-remote://remote/<abs path>`: how code-server's web client names a file on the server. */
export function remoteUri(absPath: string): string {
  return `vscode-remote://remote${path.resolve(absPath)}`;
}

/**
 * The URL payload that loads extensions from folders (no packaging): the repository's extension unless `extensionPaths`
 * says otherwise, and with `testsEntry` runs in-host tests (the page then calls window.codeAutomationExit).
 */
export function devPayload(opts: { extensionPaths?: string[]; testsEntry?: string } = {}): [string, string][] {
  const p: [string, string][] = (opts.extensionPaths ?? [REPO_ROOT]).map((e) => ['extensionDevelopmentPath', remoteUri(e)]);
  if (opts.testsEntry) p.push(['extensionTestsPath', remoteUri(opts.testsEntry)]);
  return p;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

const live = new Set<ChildProcess>();
function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    /* already gone */
  }
}
// A crashed or interrupted test run must not leave code-server behind.
process.once('exit', () => {
  for (const c of live) killGroup(c, 'SIGKILL');
});

function tail(file: string, lines: number): string {
  try {
    return readFileSync(file, 'utf8').split('\n').slice(-lines).join('\n');
  } catch {
    return '';
  }
}

function findFiles(dir: string, test: (p: string) => boolean, out: string[] = []): string[] {
  if (!existsSync(dir)) return out;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) findFiles(p, test, out);
    else if (test(p)) out.push(p);
  }
  return out;
}

async function waitForHttp(url: string, child: ChildProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) throw new Error(`code-server exited (${child.exitCode ?? child.signalCode}) before it served ${url}`);
    try {
      const r = await fetch(url);
      if (r.ok) return;
    } catch {
      /* not up yet */
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`code-server did not answer on ${url} within ${timeoutMs / 1000} s`);
}

export async function startCodeServer(opts: CodeServerOptions = {}): Promise<CodeServer> {
  const bin = codeServerBinary();
  if (!existsSync(bin)) throw new Error(`code-server is not installed in ${codeServerDir()}: run scripts/install-code-server.sh`);
  const home = mkdtempSync(path.join(os.tmpdir(), opts.label ?? 'secml-vscode-'));
  const userDataDir = path.join(home, 'data');
  const extensionsDir = path.join(home, 'extensions');
  const logFile = path.join(home, 'code-server.log');
  mkdirSync(path.join(userDataDir, 'User'), { recursive: true });
  mkdirSync(extensionsDir, { recursive: true });
  writeFileSync(path.join(userDataDir, 'User', 'settings.json'), JSON.stringify({ ...QUIET_SETTINGS, ...opts.settings }, null, 2));
  const env: NodeJS.ProcessEnv = { ...process.env, HOME: home, TMPDIR: home, XDG_CONFIG_HOME: path.join(home, '.config'), XDG_DATA_HOME: path.join(home, '.local/share'), ...opts.env };
  delete env.VSCODE_IPC_HOOK_CLI; // never talk to a VS Code this process may run in
  const common = ['--user-data-dir', userDataDir, '--extensions-dir', extensionsDir];
  for (const folder of opts.extensionFolders ?? []) {
    const pkg = JSON.parse(readFileSync(path.join(folder, 'package.json'), 'utf8'));
    symlinkSync(path.resolve(folder), path.join(extensionsDir, `${pkg.publisher}.${pkg.name}-${pkg.version}`), 'dir');
  }
  if (opts.vsix) {
    execFileSync(bin, [...common, '--install-extension', path.resolve(opts.vsix)], { env, stdio: ['ignore', 'pipe', 'pipe'], timeout: 120_000 });
  }

  let lastError: unknown;
  for (let attempt = 0; attempt < 3; attempt++) {
    const port = await freePort();
    const fd = openSync(logFile, 'a');
    const args = ['--auth', 'none', '--bind-addr', `127.0.0.1:${port}`, '--disable-telemetry', '--disable-update-check',
      '--disable-workspace-trust', '--disable-getting-started-override', '--config', path.join(home, 'config.yaml'), ...common];
    const child = spawn(bin, args, { detached: true, stdio: ['ignore', fd, fd], env });
    closeSync(fd);
    live.add(child);
    const baseUrl = `http://127.0.0.1:${port}`;
    const stop = async (): Promise<void> => {
      if (child.exitCode === null && child.signalCode === null) {
        const exited = new Promise<void>((r) => child.once('exit', () => r()));
        killGroup(child, 'SIGTERM');
        const timer = setTimeout(() => killGroup(child, 'SIGKILL'), 5000);
        await exited;
        clearTimeout(timer);
      }
      killGroup(child, 'SIGKILL'); // stragglers in the group (extension host, pty host)
      live.delete(child);
      rmSync(home, { recursive: true, force: true, maxRetries: 3 });
    };
    try {
      await waitForHttp(`${baseUrl}/healthz`, child, 60_000);
    } catch (e) {
      lastError = new Error(`${(e as Error).message}\n--- code-server log ---\n${tail(logFile, 30)}`);
      const portTaken = /EADDRINUSE/.test(tail(logFile, 30));
      if (child.exitCode === null) killGroup(child, 'SIGKILL');
      live.delete(child);
      if (portTaken) continue;
      rmSync(home, { recursive: true, force: true });
      throw lastError;
    }
    const extensionLogs = () => findFiles(path.join(userDataDir, 'logs'), (p) => p.endsWith('.log') && statSync(p).size > 0);
    return {
      port,
      baseUrl,
      home,
      userDataDir,
      extensionsDir,
      logFile,
      url(folder, payload) {
        let u = `${baseUrl}/?folder=${encodeURIComponent(path.resolve(folder))}`;
        if (payload?.length) u += `&payload=${encodeURIComponent(JSON.stringify(payload))}`;
        return u;
      },
      logTail(lines = 40) {
        const host = extensionLogs().filter((p) => /exthost/i.test(p) && /remoteexthost|exthost\.log/.test(path.basename(p)));
        return [`--- code-server log (${logFile}) ---`, tail(logFile, lines), ...host.map((p) => `--- ${path.relative(userDataDir, p)} ---\n${tail(p, lines)}`)].join('\n');
      },
      findExtensionLog(re) {
        for (const f of extensionLogs()) {
          const hit = readFileSync(f, 'utf8').split('\n').find((l) => re.test(l));
          if (hit) return hit;
        }
        return undefined;
      },
      stop,
    };
  }
  throw lastError;
}
