/**
 * Scoring new logs with a trained model: read + flatten with the model's vocabulary, score, rank, summarise, write the
 * scores CSV. The SageMaker endpoint side is in endpoint-model.ts (it loads the AWS SDK: import it only when needed).
 */
export { DEFAULT_SCORE_THRESHOLD, thresholdOf, type ModelThreshold, type ScoringModel } from './scoring-model';
export { readModelInfo, RUN_DATASET_MANIFEST, type ModelInfoFile } from './model-info';
export { loadLocalScoringModel, type LocalModelOptions } from './local-model';
export { listLocalModels, localRunModel, endpointRun, runLabel, type LocalModelChoice, type EndpointRun, type EndpointTags } from './model-choices';
export { listWorkspaceModels, modelsFolder, type WorkspaceModel } from './workspace-models';
export { scoreLogs, countFlagged, labelledMetrics, type ScoreOptions, type ScoreResult } from './score-logs';
export { rankByScore } from './rank';
export { scoreSummary, scoredSession, unseenMessage, unseenByCount, unseenTotals, type ScoreSummary, type ScoredSession } from './score-summary';
export { defaultScoresPath, writeScoresCsv, scoresCsvText, probabilityText, SCORES_SUFFIX, type WriteScoresOptions } from './scores-csv';
export { RankedSessions, TOP_COUNTS, type SessionRow, type SessionQuery } from './ranked-sessions';
