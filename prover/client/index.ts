/** `prover/client`: talk to a Flagstone service as a trainer, client or verifier. */
export * from './http.ts';
export * from './jobs.ts';
export * from './sink.ts';
export * from './state-auth.ts';
export * from './replay-remote.ts';
