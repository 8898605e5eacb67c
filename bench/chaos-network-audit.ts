/**
 * After `chaos:network`: what the coordinator's store and the agent's ledger
 * say, read straight from their SQLite files once both processes stopped.
 *
 * - A job is lost when the requester was told it was accepted and the store
 *   has no such job, or the job failed (no failure is expected with two
 *   honest providers, so any counts as the crash's doing).
 * - A credit is doubled when money is counted twice anywhere: a lease settled
 *   twice, one account paid twice for one job, a provider's total above the
 *   rewards of its valid copies, a voucher above that total, or the agent's
 *   ledger showing a payment the coordinator never made (or one job paid on
 *   two leases). Money the ledger has not heard of yet is reported apart: it
 *   is late, not doubled.
 */
import Database from 'better-sqlite3';

export interface NetworkAudit {
  jobsLost: number;
  /** Accepted jobs still open (queued or leased) at the end. */
  open: number;
  verified: number;
  creditsDoubled: number;
  /** The agent's ledger: how many jobs ended in each payment state, and why the unpaid ones earned nothing. */
  ledgerStates: string;
  /** One sentence per problem found, lost or doubled or late. */
  findings: string[];
}

interface Stores {
  coordinatorDb: string;
  ledgerDb: string;
  accepted: ReadonlySet<string>;
  agentAccount: string;
}

const sum = (values: (string | null)[]) => values.reduce((total, value) => total + BigInt(value ?? '0'), 0n);

export function auditNetwork(stores: Stores): NetworkAudit {
  const coordinator = new Database(stores.coordinatorDb, { readonly: true });
  const ledger = new Database(stores.ledgerDb, { readonly: true });
  try {
    const findings: string[] = [];
    const jobs = new Map(
      (
        coordinator.prepare('SELECT job_id, state, failure FROM jobs').all() as {
          job_id: string;
          state: string;
          failure: string | null;
        }[]
      ).map((row) => [row.job_id, row]),
    );
    let jobsLost = 0;
    let open = 0;
    let verified = 0;
    for (const jobId of stores.accepted) {
      const job = jobs.get(jobId);
      if (job === undefined) {
        jobsLost++;
        findings.push(`accepted job ${jobId} is not in the store`);
      } else if (job.state === 'failed') {
        jobsLost++;
        findings.push(`accepted job ${jobId} failed: ${job.failure}`);
      } else if (job.state === 'verified') verified++;
      else open++;
    }

    let creditsDoubled = 0;
    const doubled = (finding: string) => {
      creditsDoubled++;
      findings.push(finding);
    };
    for (const row of coordinator
      .prepare(
        "SELECT lease_id, COUNT(*) AS n FROM settlements WHERE outcome IN ('valid', 'invalid', 'inconclusive') GROUP BY lease_id HAVING n > 1",
      )
      .all() as { lease_id: string; n: number }[]) {
      doubled(`lease ${row.lease_id} was settled ${row.n} times`);
    }
    for (const row of coordinator
      .prepare(
        `SELECT r.job_id, s.account, COUNT(*) AS n FROM settlements s JOIN leases l ON l.lease_id = s.lease_id
         JOIN replicas r ON r.replica_id = l.replica_id WHERE s.outcome = 'valid' GROUP BY r.job_id, s.account HAVING n > 1`,
      )
      .all() as { job_id: string; account: string; n: number }[]) {
      doubled(`${row.account} was paid ${row.n} times for job ${row.job_id}`);
    }
    const providers = coordinator.prepare('SELECT account, earned, valid FROM providers').all() as {
      account: string;
      earned: string;
      valid: number;
    }[];
    const earnedBy = new Map(providers.map((row) => [row.account, BigInt(row.earned)]));
    for (const row of providers) {
      const copies = coordinator
        .prepare("SELECT reward FROM replicas WHERE account = ? AND state = 'valid'")
        .all(row.account) as { reward: string | null }[];
      const paid = sum(
        (
          coordinator
            .prepare("SELECT reward FROM settlements WHERE account = ? AND outcome = 'valid'")
            .all(row.account) as { reward: string | null }[]
        ).map((settlement) => settlement.reward),
      );
      const owed = sum(copies.map((copy) => copy.reward));
      if (BigInt(row.earned) !== owed || BigInt(row.earned) !== paid || row.valid !== copies.length) {
        doubled(`${row.account} was credited ${row.earned} for ${row.valid} results; its valid copies earned ${owed}`);
      }
    }
    for (const row of coordinator.prepare('SELECT account, cumulative FROM vouchers').all() as {
      account: string;
      cumulative: string;
    }[]) {
      if (BigInt(row.cumulative) > (earnedBy.get(row.account) ?? 0n)) {
        doubled(`a voucher for ${row.account} promises ${row.cumulative}, above what it earned`);
      }
    }

    // The agent's ledger against the coordinator's settlements.
    const paidLeases = new Map(
      (
        coordinator
          .prepare("SELECT lease_id, reward FROM settlements WHERE account = ? AND outcome = 'valid'")
          .all(stores.agentAccount) as { lease_id: string; reward: string }[]
      ).map((row) => [row.lease_id, row.reward]),
    );
    const ledgerPaid = ledger
      .prepare("SELECT lease_id, job_id, reward FROM provider_jobs WHERE account = ? AND state = 'verified'")
      .all(stores.agentAccount) as { lease_id: string; job_id: string; reward: string | null }[];
    for (const row of ledgerPaid) {
      const reward = paidLeases.get(row.lease_id);
      if (reward !== row.reward) {
        doubled(
          `the agent's ledger counts lease ${row.lease_id} as paid ${row.reward}; the coordinator paid ${reward}`,
        );
      }
    }
    const paidJobs = new Set<string>();
    for (const row of ledgerPaid) {
      if (paidJobs.has(row.job_id)) doubled(`the agent's ledger counts job ${row.job_id} as paid twice`);
      paidJobs.add(row.job_id);
    }
    const ledgerTotal = sum(ledgerPaid.map((row) => row.reward));
    const credited = earnedBy.get(stores.agentAccount) ?? 0n;
    if (ledgerTotal > credited)
      doubled(`the agent's ledger counts ${ledgerTotal}; the coordinator credited ${credited}`);
    if (ledgerTotal < credited) findings.push(`late: the agent's ledger counts ${ledgerTotal} of ${credited} credited`);
    const voucherRow = ledger
      .prepare('SELECT voucher_json FROM provider_sync WHERE account = ? AND voucher_json IS NOT NULL')
      .get(stores.agentAccount) as { voucher_json: string } | undefined;
    const voucherTotal = voucherRow ? BigInt(JSON.parse(voucherRow.voucher_json).cumulativeAmount) : 0n;
    if (voucherTotal > credited)
      doubled(`the agent holds a voucher for ${voucherTotal}, above the ${credited} credited`);
    if (voucherTotal < credited)
      findings.push(`late: the agent's voucher says ${voucherTotal} of ${credited} credited`);
    const states = ledger
      .prepare('SELECT state, reason, COUNT(*) AS n FROM provider_jobs GROUP BY state, reason ORDER BY n DESC')
      .all() as { state: string; reason: string | null; n: number }[];
    const ledgerStates = states.map((row) => `${row.n} ${row.state}${row.reason ? ` (${row.reason})` : ''}`).join('; ');
    return { jobsLost, open, verified, creditsDoubled, ledgerStates, findings };
  } finally {
    coordinator.close();
    ledger.close();
  }
}
