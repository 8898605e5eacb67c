/**
 * `npm run build:contracts`: compiles contracts/src with solc-js into
 * contracts/artifacts/<Contract>.json (ABI and creation bytecode), which
 * network/chain/ deploys and calls. The JSON is committed so that nothing at
 * run time needs a compiler; tools/build-contracts.test.ts recompiles and fails
 * when the committed files no longer match the sources.
 *
 * It is the same compiler forge uses here (through tools/solc-shim.ts) with
 * foundry.toml's optimizer and EVM settings, and it is stricter than forge's
 * config: any warning in our own sources fails the build.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import solc from 'solc';
import { z } from 'zod';
import { type ContractArtifact, contractArtifactSchema } from '../network/chain/contract-artifact-schema.ts';
import { makeImportReader } from './solc-shim.ts';

const repoRoot = path.resolve(import.meta.dirname, '..');
const contractsRoot = path.join(repoRoot, 'contracts');
export const artifactsDir = path.join(contractsRoot, 'artifacts');

/** Mirrors [profile.default] in contracts/foundry.toml; change both together. */
const SETTINGS = {
  optimizer: { enabled: true, runs: 200 },
  evmVersion: 'cancun',
} as const;

/** The parts of solc's Standard JSON output we read; anything else is ignored. */
const solcOutputSchema = z.object({
  errors: z
    .array(z.object({ severity: z.string(), formattedMessage: z.string().optional(), message: z.string() }))
    .optional(),
  contracts: z
    .record(
      z.string(),
      z.record(
        z.string(),
        z.object({
          abi: z.array(z.record(z.string(), z.unknown())),
          evm: z.object({ bytecode: z.object({ object: z.string() }) }),
        }),
      ),
    )
    .optional(),
});

/** Our contracts by source unit name ("src/PayoutVault.sol"), so metadata holds no machine's paths. */
function readSources(): Record<string, { content: string }> {
  const srcDir = path.join(contractsRoot, 'src');
  const sources: Record<string, { content: string }> = {};
  for (const file of fs.readdirSync(srcDir).sort()) {
    if (file.endsWith('.sol')) sources[`src/${file}`] = { content: fs.readFileSync(path.join(srcDir, file), 'utf8') };
  }
  return sources;
}

/** Compiles contracts/src; throws with solc's own messages on any error or warning. */
export function compileContracts(): ContractArtifact[] {
  const sources = readSources();
  const input = {
    language: 'Solidity',
    sources,
    settings: {
      ...SETTINGS,
      // Output for our sources only: the imported OpenZeppelin files are compiled, not emitted.
      outputSelection: Object.fromEntries(
        Object.keys(sources).map((name) => [name, { '*': ['abi', 'evm.bytecode.object'] }]),
      ),
    },
  };
  // Imports of OpenZeppelin resolve below node_modules; nothing outside the repository is read.
  const importReader = makeImportReader({
    basePath: contractsRoot,
    includePaths: [path.join(repoRoot, 'node_modules')],
    allowPaths: [],
  });
  const output = solcOutputSchema.parse(JSON.parse(solc.compile(JSON.stringify(input), { import: importReader })));
  const problems = (output.errors ?? []).filter((e) => e.severity !== 'info');
  if (problems.length > 0) {
    throw new Error(`solc refused contracts/src:\n${problems.map((e) => e.formattedMessage ?? e.message).join('\n')}`);
  }

  const compiler = solc.version().replace(/\.Emscripten.*$/, '');
  const artifacts: ContractArtifact[] = [];
  for (const sourceName of Object.keys(sources)) {
    for (const [contractName, contract] of Object.entries(output.contracts?.[sourceName] ?? {})) {
      // Interfaces and abstract contracts have no bytecode and nothing to deploy.
      if (contract.evm.bytecode.object === '') continue;
      artifacts.push(
        contractArtifactSchema.parse({
          contractName,
          sourceName,
          compiler,
          settings: SETTINGS,
          abi: contract.abi,
          bytecode: `0x${contract.evm.bytecode.object}`,
        }),
      );
    }
  }
  return artifacts.sort((a, b) => a.contractName.localeCompare(b.contractName));
}

export function artifactPath(contractName: string): string {
  return path.join(artifactsDir, `${contractName}.json`);
}

/** The committed artifact for `contractName`, validated. */
export function readCommittedArtifact(contractName: string): ContractArtifact {
  return contractArtifactSchema.parse(JSON.parse(fs.readFileSync(artifactPath(contractName), 'utf8')));
}

function writeArtifacts(artifacts: ContractArtifact[]): void {
  fs.rmSync(artifactsDir, { recursive: true, force: true });
  fs.mkdirSync(artifactsDir, { recursive: true });
  for (const artifact of artifacts) {
    // One line per ABI entry, which biome then wraps only where it is too long: the files stay
    // short, a diff shows which entry changed, and `biome ci` passes.
    const abi = artifact.abi.map((entry) => `    ${JSON.stringify(entry)}`).join(',\n');
    const { abi: _abi, ...header } = artifact;
    const headerLines = JSON.stringify(header, null, 2).replace(/\n}$/, '');
    fs.writeFileSync(artifactPath(artifact.contractName), `${headerLines},\n  "abi": [\n${abi}\n  ]\n}\n`);
  }
  const biome = spawnSync(path.join(repoRoot, 'node_modules/.bin/biome'), ['format', '--write', artifactsDir], {
    encoding: 'utf8',
  });
  if (biome.status !== 0) throw new Error(`biome could not format contracts/artifacts:\n${biome.stderr}`);
}

if (import.meta.main) {
  const started = Date.now();
  const artifacts = compileContracts();
  if (artifacts.length === 0) throw new Error('solc emitted no deployable contract from contracts/src');
  writeArtifacts(artifacts);
  for (const artifact of artifacts) {
    const bytes = (artifact.bytecode.length - 2) / 2;
    process.stdout.write(
      `${path.relative(repoRoot, artifactPath(artifact.contractName))}: ${bytes} bytes of bytecode\n`,
    );
  }
  process.stdout.write(`compiled with solc ${solc.version()} in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
}
