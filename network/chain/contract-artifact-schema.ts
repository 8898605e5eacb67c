/**
 * The shape of a compiled contract in contracts/artifacts/: written by
 * tools/build-contracts.ts, read by network/chain/contract-artifacts.ts. Kept
 * apart from the reader so the build can run when no artifact exists yet.
 */
import { z } from 'zod';

export const contractArtifactSchema = z.object({
  contractName: z.string(),
  sourceName: z.string(),
  /** solc's version and commit, e.g. "0.8.37+commit.f401782d". */
  compiler: z.string(),
  settings: z.object({
    optimizer: z.object({ enabled: z.boolean(), runs: z.number().int() }),
    evmVersion: z.string(),
  }),
  /** Solidity ABI JSON entries, as ethers' Interface takes them. */
  abi: z.array(z.record(z.string(), z.unknown())),
  /** Creation bytecode; constructor arguments are appended when deploying. */
  bytecode: z.string().regex(/^0x(?:[0-9a-f]{2})+$/),
});
export type ContractArtifact = z.infer<typeof contractArtifactSchema>;
