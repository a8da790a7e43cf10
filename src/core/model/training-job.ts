/**
 * One training job, start to finish, without writing anything: load the dataset's splits, train on train.csv
 * (early-stopping on validation.csv), score validation and test, compute their metrics, and return the XGBoost JSON
 * text and the model manifest. Runs inside the training worker thread (train.worker.ts); trainModel writes the files.
 */
import { SecmlError } from '../errors';
import { computeMetrics, type MetricsReport } from '../metrics/report';
import { trainBooster, type RoundMetrics } from './boosting';
import { toXGBoostNames, type Hyperparameters } from './hyperparameters';
import { readLabelledCsv, type LabelledMatrix } from './labelled-csv';
import { MODEL_FILE, MODEL_FORMAT_VERSION, type SecmlModelManifest } from './model-manifest';
import { compileScorer } from './scorer';
import { readTrainingDataset } from './training-dataset';
import { parseXGBoostModel, toXGBoostJson } from './xgboost-json';

export interface TrainingJobHooks {
  onRound?: (r: RoundMetrics) => void;
  /** A stage starts: "loading", "training", "evaluating". */
  onStage?: (message: string) => void;
}

export interface TrainingJobResult {
  modelJson: string;
  manifest: SecmlModelManifest;
  /** Things the user should know about the data (e.g. no positive row to learn from). */
  warnings: string[];
}

export async function runTrainingJob(datasetDir: string, params: Hyperparameters, hooks: TrainingJobHooks = {}): Promise<TrainingJobResult> {
  hooks.onStage?.('Loading the dataset');
  const ds = await readTrainingDataset(datasetDir);
  const F = ds.features.length;
  const load = async (file: string | null): Promise<LabelledMatrix | null> => (file ? readLabelledCsv(file, F) : null);
  const train = (await load(ds.files.train))!;
  if (train.rows === 0) throw new SecmlError('BAD_ARGUMENT', 'no rows to train on.', { file: ds.files.train });
  const warnings: string[] = [];
  if (!train.y.some((y) => y > 0.5)) {
    warnings.push(`${ds.files.train} has no attacker (positive) rows: the model cannot learn to flag anything. Flatten labelled logs (a label column, BadActor) or add an attacker-only log (--augment).`);
  }
  const validation = await load(ds.files.validation);
  const test = await load(ds.files.test);

  hooks.onStage?.('Training');
  const t0 = performance.now();
  const model = trainBooster(train, params, { validation: validation ?? undefined, onRound: hooks.onRound });
  const trainingSeconds = (performance.now() - t0) / 1000;
  const modelJson = toXGBoostJson(model, model.bestScore !== undefined ? { best_score: String(model.bestScore) } : {});

  hooks.onStage?.('Evaluating');
  const scorer = compileScorer(parseXGBoostModel(JSON.parse(modelJson), MODEL_FILE));
  const evaluate = (m: LabelledMatrix | null): MetricsReport | null => (m && m.rows > 0 ? computeMetrics(m.y, scorer.predict(m.x, m.rows, m.cols)) : null);
  const validationMetrics = evaluate(validation);
  const manifest: SecmlModelManifest = {
    kind: 'secml-model',
    formatVersion: MODEL_FORMAT_VERSION,
    createdAt: new Date().toISOString(),
    modelFile: MODEL_FILE,
    features: ds.features,
    vocabulary: ds.vocabulary,
    reader: ds.reader,
    variant: ds.variant,
    dataset: { dir: ds.dir, counts: ds.counts },
    hyperparameters: toXGBoostNames(params),
    trainingCurve: model.curve,
    bestIteration: model.bestIteration,
    numTrees: model.trees.length,
    stoppedEarly: model.stoppedEarly,
    trainingSeconds,
    rows: { train: train.rows, validation: validation?.rows ?? 0, test: test?.rows ?? 0 },
    metrics: { validation: validationMetrics, test: evaluate(test) },
    thresholdAtFpr5: validationMetrics?.thresholdAtFpr5 ?? null,
  };
  return { modelJson, manifest, warnings };
}
