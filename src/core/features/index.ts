/** Flattening: sessions -> one row of event counts (and time features) per session, per variant. */
export { parseVariant, parseVariants, variantName, SEED_VARIANTS, type VariantSpec, type Truncation } from './variants';
export { flattenToDataset, resolveReaderOptions, vocabularyFromManifest, type FlattenOptions, type FlattenSummary, type VariantSummary } from './flatten-dataset';
export { flattenForScoring, type ScoringModelInfo, type ScoringTable, type SessionSummary } from './scoring-table';
export { readDatasetManifest, findDatasetVariants, DATASET_KIND, DATASET_FORMAT_VERSION, MANIFEST_FILE, type DatasetManifest, type SourceFile } from './manifest';
export { OTHER_COLUMN, TIME_FEATURES, featureNames } from './feature-columns';
export { DEFAULT_SPLIT, parseSplitRatios, splitRatiosText, SPLIT_NAMES, type SplitName } from './split';
export { DATASET_FILES } from './dataset-writer';
