// Builds the bundles and packages the extension as a platform-specific .vsix. DuckDB's native library
// (node_modules/@duckdb/node-bindings-<platform>) is the one npm installed for this machine, so the package is marked for
// this platform (vsce --target) and VS Code installs it only where it runs; build one per platform on that platform.
// usage: node scripts/package.mjs [--no-build] [--out FILE]   (npm run package)
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** vsce's name for this machine: linux-x64, darwin-arm64, win32-x64, alpine-x64, linux-armhf, ... */
export function vsceTarget(platform = process.platform, arch = process.arch) {
  const os = platform === 'linux' && existsSync('/etc/alpine-release') ? 'alpine' : platform;
  return `${os}-${arch === 'arm' ? 'armhf' : arch}`;
}

const args = process.argv.slice(2);
const outAt = args.indexOf('--out');
const out = outAt >= 0 ? path.resolve(args[outAt + 1]) : path.join(root, 'dist', 'secml-lab.vsix');
if (!args.includes('--no-build')) execFileSync(process.execPath, [path.join(root, 'scripts', 'build.mjs')], { cwd: root, stdio: 'inherit' });
const vsce = path.join(root, 'node_modules', '@vscode', 'vsce', 'vsce');
execFileSync(process.execPath, [vsce, 'package', '--no-update-package-json', '--no-git-tag-version', '--target', vsceTarget(), '-o', out], { cwd: root, stdio: 'inherit' });
