/**
 * The wallet's relayer, when the coordinator relays: the quote and the signed
 * withdrawal go to the coordinator's relay routes, which submit the vault's
 * relayedClaim from the coordinator's own gas-funded account. Both routes are
 * public (no session), so `idlehive withdraw` can use them without
 * registering as a provider.
 */
import type {
  ClaimRelay,
  RelayedClaimSubmission,
  RelayQuote,
  RelayQuoteRequest,
} from '../../agent/wallet/claim-relay.ts';
import { CoordinatorClient } from './coordinator-client.ts';

export class CoordinatorClaimRelay implements ClaimRelay {
  private readonly client: CoordinatorClient;

  constructor(coordinator: string | CoordinatorClient) {
    this.client = typeof coordinator === 'string' ? new CoordinatorClient({ baseUrl: coordinator }) : coordinator;
  }

  async quote(request: RelayQuoteRequest): Promise<RelayQuote> {
    const quote = await this.client.call('relayQuote', {
      body: {
        chainId: request.chainId,
        vault: request.vault,
        account: request.account,
        cumulativeAmount: request.cumulativeAmount.toString(),
      },
    });
    return { fee: BigInt(quote.fee), relayer: quote.relayer };
  }

  async submit(claim: RelayedClaimSubmission): Promise<string> {
    const w = claim.withdrawal;
    const answer = await this.client.call('relaySubmit', {
      body: {
        chainId: claim.chainId,
        vault: claim.vault,
        withdrawal: {
          account: w.account,
          recipient: w.recipient,
          cumulativeAmount: w.cumulativeAmount.toString(),
          maxFee: w.maxFee.toString(),
          deadline: w.deadline.toString(),
          nonce: w.nonce.toString(),
        },
        fee: claim.fee.toString(),
        voucherSignature: claim.voucherSignature,
        withdrawalSignature: claim.withdrawalSignature,
      },
    });
    return answer.txHash;
  }
}
