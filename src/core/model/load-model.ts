/**
 * Loads a model for scoring: a model folder written by trainModel (secml-model.json + model.json), a folder or
 * file holding an XGBoost JSON model saved by XGBoost 1.x-3.x, or our manifest file itself.
 */
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { SecmlError } from '../errors';
import { isModelManifest, MODEL_FILE, MODEL_MANIFEST_FILE, type SecmlModelManifest } from './model-manifest';
import { compileScorer, type Scorer } from './scorer';
import { parseXGBoostModel, type TreeEnsemble } from './xgboost-json';

export interface LoadedModel {
  /** The XGBoost JSON file scored. */
  modelFile: string;
  /** Our manifest, when the model was trained here. */
  manifest: SecmlModelManifest | null;
  ensemble: TreeEnsemble;
  scorer: Scorer;
  /** Feature names in order (from the manifest; f0.. otherwise). */
  features: string[];
}

async function readBytes(file: string): Promise<Buffer> {
  try {
    return await fs.readFile(file);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new SecmlError(code === 'ENOENT' ? 'NOT_FOUND' : 'IO', code === 'ENOENT' ? 'no such file' : `cannot read it (${code ?? (e as Error).message})`, { file, cause: e });
  }
}

function parseModelJson(bytes: Buffer, file: string): unknown {
  if (bytes[0] === 0x1f && bytes[1] === 0x8b) {
    throw new SecmlError('MODEL_FORMAT', `a gzip archive (a SageMaker model.tar.gz?): extract its xgboost-model and save it as JSON with booster.save_model("model.json").`, { file });
  }
  try {
    return JSON.parse(bytes.toString('utf8'));
  } catch {
    throw new SecmlError('MODEL_FORMAT', `not a JSON model (XGBoost's binary or UBJSON format?): load it in XGBoost and save it with booster.save_model("model.json").`, { file });
  }
}

/** `target`: a model folder, an XGBoost JSON model file, or a secml-model.json. */
export async function loadModel(target: string): Promise<LoadedModel> {
  const stat = await fs.stat(target).catch(() => null);
  if (!stat) throw new SecmlError('NOT_FOUND', `does not exist: expected a model folder or an XGBoost JSON model file.`, { file: target });
  let manifest: SecmlModelManifest | null = null;
  let modelFile: string;
  let parsed: unknown;
  if (stat.isDirectory()) {
    const manifestFile = path.join(target, MODEL_MANIFEST_FILE);
    const m = await fs.readFile(manifestFile).then((b) => parseModelJson(b, manifestFile), () => null);
    if (m !== null && !isModelManifest(m)) throw new SecmlError('MODEL_FORMAT', 'not a SecML model manifest (kind "secml-model").', { file: manifestFile });
    manifest = m;
    modelFile = path.join(target, manifest?.modelFile ?? MODEL_FILE);
    if (!manifest) {
      const candidates = [MODEL_FILE, 'xgboost-model.json', 'xgboost-model'].map((n) => path.join(target, n));
      const found = await Promise.all(candidates.map((c) => fs.stat(c).then((s) => s.isFile(), () => false)));
      const i = found.indexOf(true);
      if (i < 0) throw new SecmlError('NOT_FOUND', `holds no model: expected ${MODEL_MANIFEST_FILE} and ${MODEL_FILE} (from "secml train") or an XGBoost JSON model.`, { file: target });
      modelFile = candidates[i];
    }
    parsed = parseModelJson(await readBytes(modelFile), modelFile);
  } else {
    const doc = parseModelJson(await readBytes(target), target);
    if (isModelManifest(doc)) {
      manifest = doc;
      modelFile = path.join(path.dirname(target), doc.modelFile ?? MODEL_FILE);
      parsed = parseModelJson(await readBytes(modelFile), modelFile);
    } else {
      modelFile = target;
      parsed = doc;
    }
  }
  const ensemble = parseXGBoostModel(parsed, modelFile);
  if (manifest && manifest.features.length !== ensemble.numFeature) {
    throw new SecmlError('MODEL_FORMAT', `the model has ${ensemble.numFeature} features but its manifest lists ${manifest.features.length}.`, { file: modelFile });
  }
  const features = manifest?.features ?? Array.from({ length: ensemble.numFeature }, (_, i) => `f${i}`);
  return { modelFile, manifest, ensemble, scorer: compileScorer(ensemble), features };
}

export interface ModelFolder {
  dir: string;
  manifest: SecmlModelManifest;
}

/** The model folders directly inside `root` (e.g. <workspace>/.secml/models), newest first; unreadable ones are skipped. */
export async function listModelFolders(root: string): Promise<ModelFolder[]> {
  const entries = await fs.readdir(root, { withFileTypes: true }).catch(() => []);
  const found: ModelFolder[] = [];
  for (const e of entries) {
    if (!e.isDirectory() || e.name.startsWith('.')) continue;
    const dir = path.join(root, e.name);
    const m = await fs.readFile(path.join(dir, MODEL_MANIFEST_FILE), 'utf8').then((t) => JSON.parse(t) as unknown, () => null);
    if (isModelManifest(m)) found.push({ dir, manifest: m });
  }
  return found.sort((a, b) => (b.manifest.createdAt ?? '').localeCompare(a.manifest.createdAt ?? ''));
}
