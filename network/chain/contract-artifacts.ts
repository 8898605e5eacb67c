/**
 * The compiled PayoutVault and tHIVE token that the network deploys and calls:
 * ABI and creation bytecode from contracts/artifacts/, which
 * `npm run build:contracts` (tools/build-contracts.ts) writes from
 * contracts/src with solc-js, and which tools/build-contracts.test.ts keeps in
 * step with the sources. Committed JSON, so running the network needs no
 * Solidity compiler.
 */
import tokenJson from '../../contracts/artifacts/IdlehiveTestToken.json' with { type: 'json' };
import vaultJson from '../../contracts/artifacts/PayoutVault.json' with { type: 'json' };
import { type ContractArtifact, contractArtifactSchema } from './contract-artifact-schema.ts';

export const payoutVaultArtifact: ContractArtifact = contractArtifactSchema.parse(vaultJson);
export const testTokenArtifact: ContractArtifact = contractArtifactSchema.parse(tokenJson);
