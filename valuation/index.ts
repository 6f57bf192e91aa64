/**
 * Public surface of the valuation package (games, utilities, estimators, stopping rules,
 * payouts). Deep imports of single files work too; this barrel is for the service and CLI.
 */
export * from './errors.ts';
export * from './coalition.ts';
export * from './game.ts';
export * from './result.ts';
export * from './rng.ts';
export * from './stopping.ts';
export * from './cache.ts';
export * from './evaluation-log.ts';
export * from './log.ts';
export {
  exactAll,
  exactBanzhaf,
  exactShapley,
  tabulate,
  shapleyFromTable,
  banzhafFromTable,
  leaveOneOutFromTable,
} from './methods/exact.ts';
export type { UtilityTable } from './methods/exact.ts';
export { leaveOneOut } from './methods/leave-one-out.ts';
export { permutationShapley, type PermutationOptions } from './methods/permutation.ts';
export { stratifiedShapley, type StratifiedOptions } from './methods/stratified.ts';
export { kernelShap, type KernelShapOptions } from './methods/kernel-shap.ts';
export { msrBanzhaf } from './methods/msr-banzhaf.ts';
export { leastCore, solveLeastCore, type LeastCoreOptions } from './methods/least-core.ts';
export { knnShapley, type KnnShapleyParameters } from './methods/knn-shapley.ts';
export { ownerGame } from './methods/owner-game.ts';
export {
  faithfulGroupShapley,
  type FaithfulGroupOptions,
} from './methods/faithful-group-shapley.ts';
export {
  runMethod,
  METHOD_NAMES,
  DEFAULT_BUDGET,
  type MethodName,
  type RunMethodOptions,
} from './methods/index.ts';
export type { ProgressReport, SamplingOptions } from './methods/driver.ts';
export {
  tableGame,
  tableGameFromJSON,
  tableGameToJSON,
  type TableGame,
} from './utilities/table.ts';
export { knnAccuracyGame } from './utilities/knn-accuracy.ts';
export {
  planPayout,
  payoutPlanToJSON,
  type PayoutPlan,
  type OwnerStatement,
} from './payout/plan.ts';
export { verifyClaim, payoutTree } from './payout/merkle.ts';
