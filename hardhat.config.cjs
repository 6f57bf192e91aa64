// @ts-check
// Hardhat 2.29 config for Flagstone's contracts (DESIGN §4, §9).
//
// Why `.cjs` and not `hardhat.config.cts`: Hardhat 2 loads a TypeScript config only through
// `ts-node` (error HH13 otherwise), which is not a dependency of this project. A CommonJS
// config plus tsx's require hook gives the same result: the contract tests stay TypeScript
// (`test/contracts/*.test.cts`) and no extra package is needed. Adding `ts-node` would allow
// renaming this file to `.cts` unchanged apart from the imports.
require('tsx/cjs');
require('@nomicfoundation/hardhat-chai-matchers');
require('@nomicfoundation/hardhat-ethers');
require('solidity-coverage');

const fs = require('node:fs');
const path = require('node:path');
const { subtask, task } = require('hardhat/config');
const {
  TASK_COMPILE_SOLIDITY_GET_SOLC_BUILD,
  TASK_TEST_GET_TEST_FILES,
} = require('hardhat/builtin-tasks/task-names');
const { getAllFilesMatching } = require('hardhat/internal/util/fs-utils');

const SOLC_VERSION = '0.8.28';

// Offline compiler: return the solcjs build shipped by the `solc` npm package instead of
// letting Hardhat download a native one (DESIGN §9).
subtask(TASK_COMPILE_SOLIDITY_GET_SOLC_BUILD, async (args, _hre, runSuper) => {
  const { solcVersion } = /** @type {{ solcVersion: string }} */ (args);
  if (solcVersion !== SOLC_VERSION) return runSuper(args);
  const solc = require('solc');
  return {
    version: SOLC_VERSION,
    longVersion: solc.version(),
    compilerPath: require.resolve('solc/soljson.js'),
    isSolcJs: true,
  };
});

// With a JavaScript config Hardhat only collects `.js`/`.cjs` tests; tsx (registered above)
// can load TypeScript ones, so collect `*.test.cts` too.
subtask(TASK_TEST_GET_TEST_FILES, async (args, { config }, runSuper) => {
  const { testFiles } = /** @type {{ testFiles: string[] }} */ (args);
  if (testFiles.length > 0) return runSuper(args);
  return getAllFilesMatching(config.paths.tests, (f) => /\.test\.(cjs|js|cts)$/.test(f));
});

// solidity-coverage globs `contracts/**/*.sol`, which also matches the artifact folders Hardhat
// names after each source under contracts/artifacts. That folder is build output: clear it (and
// the cache) before instrumenting; the next compile recreates both.
task('coverage', async (args, hre, runSuper) => {
  fs.rmSync(hre.config.paths.artifacts, { recursive: true, force: true });
  fs.rmSync(hre.config.paths.cache, { recursive: true, force: true });
  return runSuper(args);
});

/** @type {import('hardhat/types').HardhatUserConfig} */
module.exports = {
  solidity: {
    version: SOLC_VERSION,
    settings: {
      optimizer: { enabled: true, runs: 10_000 },
      evmVersion: 'cancun',
    },
  },
  paths: {
    root: __dirname,
    sources: path.join(__dirname, 'contracts'),
    tests: path.join(__dirname, 'test/contracts'),
    artifacts: path.join(__dirname, 'contracts/artifacts'),
    cache: path.join(__dirname, 'contracts/cache'),
  },
  networks: {
    hardhat: {
      // Large consistency proofs and randomized suites need headroom; chainId stays 31337.
      blockGasLimit: 60_000_000,
      mining: { auto: true },
    },
    localhost: { url: process.env.CHAIN_RPC_URL ?? 'http://127.0.0.1:8545' },
  },
  mocha: { timeout: 120_000 },
};
