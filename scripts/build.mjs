// One build for everything: the extension host bundle, the CLI, worker threads, each webview, and the in-host test suite.
// usage: node scripts/build.mjs [--watch] [--production]
import * as esbuild from 'esbuild';
import { promises as fs, existsSync, readdirSync } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const watch = process.argv.includes('--watch');
const production = process.argv.includes('--production');
const rel = (...p) => path.join(root, ...p);

/** Native or host-provided modules are never bundled. */
const nodeExternal = ['vscode', '@duckdb/node-api', '@duckdb/node-bindings', '@duckdb/node-bindings-*', 'mocha', 'playwright-core'];

function findFiles(dir, test) {
  if (!existsSync(dir)) return [];
  const out = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...findFiles(p, test));
    else if (test(p)) out.push(p);
  }
  return out;
}

const common = {
  bundle: true,
  sourcemap: production ? false : 'linked',
  minify: production,
  logLevel: 'warning',
  legalComments: 'none',
};

const nodeCommon = { ...common, platform: 'node', format: 'cjs', target: 'node20', external: nodeExternal };

/**
 * The AWS SDK is three quarters of the code but only needed once AWS is used. It goes to its own bundle,
 * dist/aws-sdk.js, which the extension and the CLI require on first use (each package behind a lazy getter), so that
 * activation and `secml flatten` never parse it. Every `@aws-sdk/...` import in their sources becomes a one-line shim.
 */
const AWS_PACKAGES = ['client-athena', 'client-s3', 'client-sagemaker', 'client-sagemaker-runtime', 'client-sts', 'credential-providers', 'lib-storage'].map((p) => `@aws-sdk/${p}`);
const awsSdkShim = {
  name: 'aws-sdk-shim',
  setup(build) {
    build.onResolve({ filter: /^@aws-sdk\// }, (args) => {
      if (!AWS_PACKAGES.includes(args.path)) throw new Error(`${args.importer}: ${args.path} is not in AWS_PACKAGES (scripts/build.mjs)`);
      return { path: args.path, namespace: 'aws-sdk-shim' };
    });
    build.onResolve({ filter: /^\.\/aws-sdk\.js$/ }, () => ({ path: './aws-sdk.js', external: true }));
    build.onLoad({ filter: /.*/, namespace: 'aws-sdk-shim' }, (args) => ({ contents: `module.exports = require('./aws-sdk.js')[${JSON.stringify(args.path)}];`, loader: 'js' }));
  },
};
const awsSdkBundle = {
  ...nodeCommon,
  stdin: {
    contents: AWS_PACKAGES.map((p) => `Object.defineProperty(exports, ${JSON.stringify(p)}, { enumerable: true, get: () => require(${JSON.stringify(p)}) });`).join('\n'),
    resolveDir: root,
    sourcefile: 'aws-sdk-entry.js',
    loader: 'js',
  },
  outfile: rel('dist/aws-sdk.js'),
};

const builds = [awsSdkBundle];
// Extension host bundle.
builds.push({ ...nodeCommon, entryPoints: [rel('src/extension/extension.ts')], outfile: rel('dist/extension.js'), plugins: [awsSdkShim] });
// CLI.
builds.push({ ...nodeCommon, entryPoints: [rel('src/cli/main.ts')], outfile: rel('dist/cli.js'), banner: { js: '#!/usr/bin/env node' }, plugins: [awsSdkShim] });
// Worker threads: src/**/X.worker.ts -> dist/X.worker.js (core locates them next to its own bundle).
const workers = findFiles(rel('src'), (p) => p.endsWith('.worker.ts'));
if (workers.length) builds.push({ ...nodeCommon, entryPoints: workers, outdir: rel('dist'), entryNames: '[name]' });
// Webviews: webview/<panel>/main.ts -> dist/webview/<panel>.js (browser, IIFE; no eval, CSP-safe).
const panels = existsSync(rel('webview')) ? readdirSync(rel('webview'), { withFileTypes: true }).filter((d) => d.isDirectory() && existsSync(rel('webview', d.name, 'main.ts'))).map((d) => d.name) : [];
if (panels.length) {
  builds.push({
    ...common,
    platform: 'browser',
    format: 'iife',
    target: 'chrome120',
    entryPoints: Object.fromEntries(panels.map((p) => [p, rel('webview', p, 'main.ts')])),
    outdir: rel('dist/webview'),
    // A panel's `import '../shared/base.css'` (and its own CSS) becomes dist/webview/<panel>.css, linked by the host.
  });
}
// In-host VS Code test suite: test/vscode/**/*.ts -> dist-test/vscode/** (run inside the extension host).
const hostTests = findFiles(rel('test/vscode/suite'), (p) => p.endsWith('.ts'));
if (hostTests.length) builds.push({ ...nodeCommon, entryPoints: hostTests, outdir: rel('dist-test/vscode/suite'), outbase: rel('test/vscode/suite'), bundle: true });

async function copyAssets() {
  // Codicons font and CSS for webviews (served from the extension, never from a CDN).
  const src = rel('node_modules/@vscode/codicons/dist');
  if (existsSync(src)) {
    await fs.mkdir(rel('dist/webview/codicons'), { recursive: true });
    for (const f of ['codicon.css', 'codicon.ttf']) await fs.copyFile(path.join(src, f), rel('dist/webview/codicons', f));
  }
}

const t0 = Date.now();
if (watch) {
  for (const b of builds) (await esbuild.context(b)).watch();
  await copyAssets();
  console.log('watching for changes...');
} else {
  await Promise.all(builds.map((b) => esbuild.build(b)));
  await copyAssets();
  await fs.chmod(rel('dist/cli.js'), 0o755);
  console.log(`built ${builds.length} bundles in ${Date.now() - t0} ms`);
}
