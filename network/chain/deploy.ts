/**
 * Deploys the payout contracts from the committed artifacts with ethers. The
 * local network deploys both and funds the vault; a real deployment deploys
 * only the vault, pointed at an existing token.
 */
import { type BaseContract, Contract, ContractFactory, NonceManager, type Signer } from 'ethers';
import type { ContractArtifact } from './contract-artifact-schema.ts';
import { payoutVaultArtifact, testTokenArtifact } from './contract-artifacts.ts';

export interface PayoutVaultParams {
  /** The ERC-20 the vault pays out. */
  token: string;
  /** May rotate the signer, pause, and recover stray tokens (two-step transfer). */
  owner: string;
  /** The coordinator's address: only its vouchers pay. */
  voucherSigner: string;
}

export interface LocalPayoutParams {
  /** The coordinator's address: only its vouchers pay. */
  voucherSigner: string;
  /** tHIVE minted to the deployer and moved into the vault, in base units. */
  initialFunding: bigint;
  /** The vault's owner; the deployer when omitted. The deployer always owns the token (it mints). */
  owner?: string;
}

export interface PayoutDeployment {
  chainId: bigint;
  token: Contract;
  vault: Contract;
  tokenAddress: string;
  vaultAddress: string;
}

async function deploy(artifact: ContractArtifact, deployer: Signer, args: unknown[]): Promise<Contract> {
  const factory = new ContractFactory(artifact.abi, artifact.bytecode, deployer);
  const deployed: BaseContract = await factory.deploy(...args);
  await deployed.waitForDeployment();
  return new Contract(await deployed.getAddress(), artifact.abi, deployer);
}

/** tHIVE, the local network's token, minted by `owner` only. */
export function deployTestToken(deployer: Signer, owner: string): Promise<Contract> {
  return deploy(testTokenArtifact, deployer, [owner]);
}

export function deployPayoutVault(deployer: Signer, params: PayoutVaultParams): Promise<Contract> {
  return deploy(payoutVaultArtifact, deployer, [params.token, params.owner, params.voucherSigner]);
}

/** tHIVE and a vault paying it, funded with `initialFunding`: what the local network runs on. */
export async function deployLocalPayout(deployer: Signer, params: LocalPayoutParams): Promise<PayoutDeployment> {
  const network = await deployer.provider?.getNetwork();
  if (!network) throw new Error('deployLocalPayout: the deployer must be connected to a provider');
  const deployerAddress = await deployer.getAddress();
  // Five transactions in a row from one account: count nonces here rather than trust a
  // provider that may answer the next nonce query from its cache.
  const sender = new NonceManager(deployer);
  const token = await deployTestToken(sender, deployerAddress);
  const tokenAddress = await token.getAddress();
  const vault = await deployPayoutVault(sender, {
    token: tokenAddress,
    owner: params.owner ?? deployerAddress,
    voucherSigner: params.voucherSigner,
  });
  const vaultAddress = await vault.getAddress();
  if (params.initialFunding > 0n) {
    await (await token.getFunction('mint')(deployerAddress, params.initialFunding)).wait();
    await (await token.getFunction('approve')(vaultAddress, params.initialFunding)).wait();
    await (await vault.getFunction('fund')(params.initialFunding)).wait();
  }
  // Handed back connected to the caller's signer, which counts its own nonces from here on.
  return {
    chainId: network.chainId,
    token: token.connect(deployer) as Contract,
    vault: vault.connect(deployer) as Contract,
    tokenAddress,
    vaultAddress,
  };
}
