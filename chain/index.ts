/** Flagstone chain adapters: contract clients, deployment, local node and the anchoring worker. */
export * from './errors.ts';
export * from './bytes32.ts';
export * from './artifacts.ts';
export * from './config.ts';
export * from './provider.ts';
export * from './tx.ts';
export * from './ledger-client.ts';
export * from './splitter-client.ts';
export * from './deploy.ts';
export * from './local-chain.ts';
export * from './connect.ts';
export * from './anchor-worker.ts';
