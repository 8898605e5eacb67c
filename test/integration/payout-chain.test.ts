/**
 * The payout contracts on a real anvil chain, driven from TypeScript the way
 * the coordinator and the agent will: deployed from the committed artifacts,
 * vouchers and withdrawals signed with ethers' EIP-712 code, tokens checked by
 * balance.
 */
import { type Contract, id, type JsonRpcProvider, parseUnits, Wallet } from 'ethers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AnvilChain, anvilAccount, anvilProvider, startAnvil } from '../../network/chain/anvil.ts';
import { deployLocalPayout } from '../../network/chain/deploy.ts';
import { decodeVaultError } from '../../network/chain/vault-errors.ts';
import {
  signVoucher,
  VOUCHER_DOMAIN_NAME,
  VOUCHER_DOMAIN_VERSION,
  VOUCHER_TYPE_STRING,
  voucherDigest,
  voucherDomain,
} from '../../network/payment/voucher.ts';
import {
  signWithdrawal,
  WITHDRAWAL_TYPE_STRING,
  type WithdrawalValue,
  withdrawalDigest,
} from '../../network/payment/withdrawal.ts';

const tHIVE = (amount: string): bigint => parseUnits(amount, 18);
const FUNDING = tHIVE('1000');
const RELAYED_CLAIM_GAS_BUDGET = 200_000n;

let chain: AnvilChain;
let provider: JsonRpcProvider;
let vault: Contract;
let token: Contract;
let vaultAddress: string;
const coordinator = Wallet.createRandom();

beforeAll(async () => {
  chain = await startAnvil();
  provider = anvilProvider(chain);
  const deployment = await deployLocalPayout(anvilAccount(0, provider), {
    voucherSigner: coordinator.address,
    initialFunding: FUNDING,
  });
  ({ vault, token, vaultAddress } = deployment);
});

afterAll(async () => {
  provider?.destroy();
  await chain?.stop();
});

function domain() {
  return voucherDomain(chain.chainId, vaultAddress);
}

async function latestTimestamp(): Promise<bigint> {
  const block = await provider.getBlock('latest');
  if (!block) throw new Error('anvil returned no latest block');
  return BigInt(block.timestamp);
}

/** A vault call as `caller` (a connected wallet), waiting for its receipt. */
async function send(caller: Wallet | ReturnType<typeof anvilAccount>, method: string, ...args: unknown[]) {
  const tx = await (vault.connect(caller) as Contract).getFunction(method)(...args);
  return tx.wait();
}

/** The vault error a transaction was refused with; fails the test if it went through. */
async function refusal(transaction: Promise<unknown>): Promise<string> {
  try {
    await transaction;
  } catch (error) {
    const decoded = decodeVaultError(error);
    if (!decoded) throw error;
    return decoded.name;
  }
  throw new Error('the transaction was expected to revert but was mined');
}

describe('payout contracts on anvil', () => {
  it('runs anvil on a port of its own choosing, and stop() ends it', async () => {
    const second = await startAnvil();
    expect(second.rpcUrl).not.toBe(chain.rpcUrl);
    expect(() => process.kill(second.pid, 0)).not.toThrow();
    await second.stop();
    expect(() => process.kill(second.pid, 0)).toThrow(/ESRCH/);
  });

  it('deploy funded, with the coordinator as signer', async () => {
    expect(await token.getFunction('balanceOf')(vaultAddress)).toBe(FUNDING);
    expect(await token.getFunction('symbol')()).toBe('tHIVE');
    expect(await vault.getFunction('signer')()).toBe(coordinator.address);
    expect(await vault.getFunction('token')()).toBe(await token.getAddress());
  });

  it('hash vouchers and withdrawals exactly as the TypeScript typed data does', async () => {
    const [, name, version, chainId, verifyingContract] = await vault.getFunction('eip712Domain')();
    expect({ name, version, chainId, verifyingContract }).toEqual({
      name: VOUCHER_DOMAIN_NAME,
      version: VOUCHER_DOMAIN_VERSION,
      chainId: BigInt(chain.chainId),
      verifyingContract: vaultAddress,
    });
    expect(await vault.getFunction('VOUCHER_TYPEHASH')()).toBe(id(VOUCHER_TYPE_STRING));
    expect(await vault.getFunction('WITHDRAWAL_TYPEHASH')()).toBe(id(WITHDRAWAL_TYPE_STRING));

    const voucher = { account: Wallet.createRandom().address, cumulativeAmount: tHIVE('3.5') };
    expect(await vault.getFunction('voucherDigest')(voucher.account, voucher.cumulativeAmount)).toBe(
      voucherDigest(domain(), voucher),
    );
    const withdrawal: WithdrawalValue = {
      account: voucher.account,
      recipient: Wallet.createRandom().address,
      cumulativeAmount: voucher.cumulativeAmount,
      maxFee: tHIVE('0.1'),
      deadline: 1_900_000_000n,
      nonce: 7n,
    };
    expect(await vault.getFunction('withdrawalDigest')(withdrawal)).toBe(withdrawalDigest(domain(), withdrawal));
  });

  it('pays a provider what each newer voucher adds, and refuses a replay', async () => {
    const provider1 = anvilAccount(1, provider);
    const first = await signVoucher(coordinator, domain(), {
      account: provider1.address,
      cumulativeAmount: tHIVE('5'),
    });
    await send(provider1, 'claim', provider1.address, tHIVE('5'), first);
    expect(await token.getFunction('balanceOf')(provider1.address)).toBe(tHIVE('5'));

    const second = await signVoucher(coordinator, domain(), {
      account: provider1.address,
      cumulativeAmount: tHIVE('12'),
    });
    await send(provider1, 'claim', provider1.address, tHIVE('12'), second);
    expect(await token.getFunction('balanceOf')(provider1.address)).toBe(tHIVE('12'));
    expect(await vault.getFunction('claimed')(provider1.address)).toBe(tHIVE('12'));

    expect(await refusal(send(provider1, 'claim', provider1.address, tHIVE('12'), second))).toBe('NothingToClaim');
    expect(await refusal(send(provider1, 'claim', provider1.address, tHIVE('5'), first))).toBe(
      'CumulativeBelowClaimed',
    );
    expect(await token.getFunction('balanceOf')(provider1.address)).toBe(tHIVE('12'));
  });

  it('refuses a voucher signed for another chain or by another key', async () => {
    const provider1 = anvilAccount(1, provider);
    const voucher = { account: provider1.address, cumulativeAmount: tHIVE('50') };
    const otherChain = await signVoucher(coordinator, voucherDomain(1, vaultAddress), voucher);
    const otherKey = await signVoucher(Wallet.createRandom(), domain(), voucher);

    for (const signature of [otherChain, otherKey]) {
      expect(await refusal(send(provider1, 'claim', voucher.account, voucher.cumulativeAmount, signature))).toBe(
        'InvalidVoucherSignature',
      );
    }
  });

  it('lets a relayer submit the claim of a provider with no native gas, for at most the signed fee', async () => {
    const gasless = Wallet.createRandom();
    const relayer = anvilAccount(2, provider);
    const exchange = Wallet.createRandom().address;
    expect(await provider.getBalance(gasless.address)).toBe(0n);

    const cumulativeAmount = tHIVE('20');
    const voucherSignature = await signVoucher(coordinator, domain(), { account: gasless.address, cumulativeAmount });
    const withdrawal: WithdrawalValue = {
      account: gasless.address,
      recipient: exchange,
      cumulativeAmount,
      maxFee: tHIVE('0.5'),
      deadline: (await latestTimestamp()) + 3_600n,
      nonce: await vault.getFunction('nonces')(gasless.address),
    };
    const withdrawalSignature = await signWithdrawal(gasless, domain(), withdrawal);

    // A greedy relayer asking a wei more than signed gets nothing.
    expect(
      await refusal(
        send(relayer, 'relayedClaim', withdrawal, withdrawal.maxFee + 1n, voucherSignature, withdrawalSignature),
      ),
    ).toBe('FeeAboveMax');

    const relayerTokensBefore: bigint = await token.getFunction('balanceOf')(relayer.address);
    const fee = tHIVE('0.25');
    const receipt = await send(relayer, 'relayedClaim', withdrawal, fee, voucherSignature, withdrawalSignature);
    // The costliest case (first claim, new recipient and relayer balances) must fit the gas limit
    // the relayer sends with (network/payment/relay-fee.ts reserves 200k).
    expect(receipt.gasUsed).toBeLessThan(RELAYED_CLAIM_GAS_BUDGET);

    expect(await token.getFunction('balanceOf')(exchange)).toBe(cumulativeAmount - fee);
    expect(await token.getFunction('balanceOf')(relayer.address)).toBe(relayerTokensBefore + fee);
    expect(await token.getFunction('balanceOf')(gasless.address)).toBe(0n);
    expect(await provider.getBalance(gasless.address)).toBe(0n);
    expect(await vault.getFunction('claimed')(gasless.address)).toBe(cumulativeAmount);
    expect(await vault.getFunction('nonces')(gasless.address)).toBe(1n);

    // The same signed withdrawal cannot be submitted twice.
    expect(await refusal(send(relayer, 'relayedClaim', withdrawal, 0n, voucherSignature, withdrawalSignature))).toBe(
      'InvalidAccountNonce',
    );
  });

  it('refuses a relayed claim after its deadline', async () => {
    const gasless = Wallet.createRandom();
    const relayer = anvilAccount(2, provider);
    const cumulativeAmount = tHIVE('4');
    const voucherSignature = await signVoucher(coordinator, domain(), { account: gasless.address, cumulativeAmount });
    const withdrawal: WithdrawalValue = {
      account: gasless.address,
      recipient: gasless.address,
      cumulativeAmount,
      maxFee: 0n,
      deadline: (await latestTimestamp()) + 60n,
      nonce: 0n,
    };
    const withdrawalSignature = await signWithdrawal(gasless, domain(), withdrawal);
    await provider.send('evm_increaseTime', [61]);
    await provider.send('evm_mine', []);

    expect(await refusal(send(relayer, 'relayedClaim', withdrawal, 0n, voucherSignature, withdrawalSignature))).toBe(
      'WithdrawalExpired',
    );
    expect(await token.getFunction('balanceOf')(gasless.address)).toBe(0n);
  });

  it('accounts for every token: vault balance plus the Claimed events equals what was funded', async () => {
    const claims = await vault.queryFilter(vault.getEvent('Claimed'));
    expect(claims.length).toBeGreaterThanOrEqual(3);
    let paidOut = 0n;
    for (const log of claims) {
      if (!('args' in log)) throw new Error('a Claimed log the vault ABI does not decode');
      paidOut += (log.args.getValue('amount') as bigint) + (log.args.getValue('fee') as bigint);
    }
    expect((await token.getFunction('balanceOf')(vaultAddress)) + paidOut).toBe(FUNDING);
  });
});
