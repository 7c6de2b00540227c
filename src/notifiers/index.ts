// Public surface of the notifiers: the registry, the built-ins, and the shared results model.
export * from './types.js';
export { checkNotifier, createNotifier, registerNotifier, knownNotifierTypes } from './registry.js';
export { consoleNotifier } from './console.js';
export { junitNotifier } from './junit.js';
export { jsonNotifier } from './json.js';
export { htmlNotifier } from './html.js';
export { ResultsModel } from '../results/results-model.js';
export type {
  AttemptRecord,
  CaseResult,
  EnvironmentRecord,
  MetricRecord,
  RunResults,
  RunState,
  SubResultRecord,
} from '../results/results-model.js';
export { ConsoleNotifier } from './console.js';
export { JUnitNotifier } from './junit.js';
export { JsonNotifier, RESULTS_JSON_VERSION, type ResultsJson } from './json.js';
export { HtmlNotifier } from './html.js';
export { writeFileAtomic } from './atomic-write.js';
export { ReportFile } from './report-file.js';
export { reportPath } from './options.js';
