/**
 * The committed `chain/artifacts/*.json` must match what the current sources compile to
 * (Hardhat compiles before tests run). If this fails, run `npm run contracts:build`.
 */
import { expect } from 'chai';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import hre, { artifacts, config } from 'hardhat';
import { EXPORTED_CONTRACTS, buildArtifact } from '../../chain/export-artifacts.ts';

describe('committed chain/artifacts', () => {
  before(function () {
    // Under `hardhat coverage` the compiled bytecode is instrumented and cannot match.
    if ((hre as unknown as { __SOLIDITY_COVERAGE_RUNNING?: boolean }).__SOLIDITY_COVERAGE_RUNNING)
      this.skip();
  });

  for (const name of Object.keys(EXPORTED_CONTRACTS)) {
    it(`${name} is up to date with its source (run npm run contracts:build if not)`, async () => {
      const root = config.paths.root;
      const committed = JSON.parse(
        await readFile(path.join(root, 'chain/artifacts', `${name}.json`), 'utf8'),
      );
      const compiled = await artifacts.readArtifact(name);
      expect(committed.bytecode, 'bytecode').to.equal(compiled.bytecode);
      expect(committed.deployedBytecode, 'deployedBytecode').to.equal(compiled.deployedBytecode);
      expect(committed.abi, 'abi').to.deep.equal(compiled.abi);
      expect(committed).to.deep.equal(JSON.parse(JSON.stringify(await buildArtifact(root, name))));
    });
  }
});
