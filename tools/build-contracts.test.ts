import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { artifactsDir, compileContracts, readCommittedArtifact } from './build-contracts.ts';

describe('contracts/artifacts', () => {
  it('are exactly what solc-js compiles from contracts/src now (else run `npm run build:contracts`)', () => {
    const fresh = compileContracts();
    const committed = fs
      .readdirSync(artifactsDir)
      .filter((file) => file.endsWith('.json'))
      .map((file) => file.slice(0, -'.json'.length))
      .sort();

    expect(fresh.map((artifact) => artifact.contractName)).toEqual(['IdlehiveTestToken', 'PayoutVault']);
    expect(committed).toEqual(fresh.map((artifact) => artifact.contractName));
    for (const artifact of fresh) {
      const { bytecode, ...rest } = readCommittedArtifact(artifact.contractName);
      const { bytecode: freshBytecode, ...freshRest } = artifact;
      expect(rest, `${artifact.contractName}.json`).toEqual(freshRest);
      // The bytecode ends in a hash of the metadata, which covers every source byte: even an
      // edited comment in a contract shows up here. Compared as a boolean to keep the message short.
      expect(bytecode === freshBytecode, `${artifact.contractName}.json: bytecode differs from contracts/src`).toBe(
        true,
      );
    }
  }, 60_000);
});
