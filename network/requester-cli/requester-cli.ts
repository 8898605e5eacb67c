/**
 * `idlehive-requester`: the buyer's side of the network from a terminal.
 *
 *     idlehive-requester submit JOB.json [--price N] [--unit device-second|gflop] [--id ID] [--wait]
 *     idlehive-requester status JOB_ID
 *     idlehive-requester results JOB_ID [--out FILE]
 *
 * JOB.json is a job spec (what `idlehive example-job` writes and
 * `idlehive run-job` runs) or a full submission {spec, offer, tolerances?,
 * clientRequestId?}; the blobs it names are files named by their SHA-256 in
 * the same folder (or --blobs DIR). The coordinator is --coordinator URL or
 * IDLEHIVE_COORDINATOR_URL; the requester's wallet key is read from
 * IDLEHIVE_REQUESTER_KEY or --key-file (never from argv, which other local
 * users can read). Each run registers a fresh session key with one wallet
 * signature.
 */
import fs from 'node:fs';
import path from 'node:path';
import { Command, CommanderError, InvalidArgumentError } from 'commander';
import { Wallet } from 'ethers';
import { describeError, IdlehiveError, isIdlehiveError } from '../../agent/errors.ts';
import { DirectoryBlobSource } from '../../native/jobs/directory-blob-source.ts';
import { RequesterClient } from '../client/requester-client.ts';
import { specBlobs } from '../jobs/job-spec-view.ts';
import { describeIssues } from '../wire/common.ts';
import { type SubmitJobRequest, SubmitJobRequestSchema } from '../wire/jobs.ts';

const URL_VARIABLE = 'IDLEHIVE_COORDINATOR_URL';
const KEY_VARIABLE = 'IDLEHIVE_REQUESTER_KEY';

interface ConnectionOptions {
  coordinator?: string;
  keyFile?: string;
  json?: boolean;
}

function walletFrom(options: ConnectionOptions): Wallet {
  const text = options.keyFile ? fs.readFileSync(options.keyFile, 'utf8').trim() : process.env[KEY_VARIABLE];
  if (!text) {
    throw new IdlehiveError(
      'requester_key_missing',
      `No requester key: put the wallet's private key in ${KEY_VARIABLE} or in a file passed with --key-file.`,
    );
  }
  try {
    return new Wallet(text);
  } catch (cause) {
    throw new IdlehiveError(
      'requester_key_invalid',
      'The requester key is not a private key (0x and 64 hex characters).',
      {
        cause,
      },
    );
  }
}

function coordinatorUrl(options: ConnectionOptions): string {
  const url = options.coordinator ?? process.env[URL_VARIABLE];
  if (!url)
    throw new IdlehiveError('coordinator_missing', `Name the coordinator with --coordinator URL or ${URL_VARIABLE}.`);
  return url;
}

async function connect(options: ConnectionOptions): Promise<RequesterClient> {
  return RequesterClient.register({ baseUrl: coordinatorUrl(options), wallet: walletFrom(options) });
}

function wholeNumber(value: string): string {
  if (!/^(0|[1-9][0-9]*)$/.test(value)) throw new InvalidArgumentError('a whole number of token base units, e.g. 1000');
  return value;
}

/** Reads JOB.json as a bare spec or a full submission; the command-line offer fills in what the file lacks. */
export function readSubmission(file: string, defaults: { price: string; unit: string; id?: string }): SubmitJobRequest {
  let json: unknown;
  try {
    json = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (cause) {
    throw new IdlehiveError('job_file', `${file} is not a readable JSON file (${describeError(cause)}).`, { cause });
  }
  const isSubmission = typeof json === 'object' && json !== null && 'spec' in json;
  const candidate = isSubmission
    ? { offer: { unit: defaults.unit, maxPricePerUnit: defaults.price }, ...(json as object) }
    : { spec: json, offer: { unit: defaults.unit, maxPricePerUnit: defaults.price } };
  if (defaults.id !== undefined) Object.assign(candidate, { clientRequestId: defaults.id });
  const parsed = SubmitJobRequestSchema.safeParse(candidate);
  if (!parsed.success)
    throw new IdlehiveError('job_file', `${file} is not a job Idlehive can submit: ${describeIssues(parsed.error)}.`);
  return parsed.data;
}

function print(json: boolean | undefined, value: unknown, human: string): void {
  process.stdout.write(json ? `${JSON.stringify(value, null, 2)}\n` : `${human}\n`);
}

export function buildRequesterCli(): Command {
  const program = new Command('idlehive-requester')
    .description('Submit jobs to an Idlehive coordinator and read their verified results.')
    .option('--coordinator <url>', `the coordinator (default: ${URL_VARIABLE})`)
    .option('--key-file <file>', `a file holding the requester's private key (default: ${KEY_VARIABLE})`)
    .option('--json', 'print machine-readable JSON')
    .exitOverride();

  program
    .command('submit')
    .description('Upload the blobs a job needs (only those the coordinator lacks) and submit it.')
    .argument('<job>', 'JOB.json: a job spec, or {spec, offer, tolerances?, clientRequestId?}')
    .option('--blobs <dir>', "folder of the job's blobs, named by SHA-256 (default: the job file's folder)")
    .option('--price <units>', 'the most paid per unit of work, in token base units', wholeNumber, '1000')
    .option('--unit <unit>', 'what work is priced by: device-second or gflop', 'device-second')
    .option('--id <clientRequestId>', 'makes the submission idempotent: the same id returns the same job')
    .option('--wait', 'wait for the verified result and print its summary')
    .action(
      async (file: string, options: { blobs?: string; price: string; unit: string; id?: string; wait?: boolean }) => {
        const connection = program.opts<ConnectionOptions>();
        const request = readSubmission(file, options);
        const source = new DirectoryBlobSource(options.blobs ?? path.dirname(file));
        const blobs = specBlobs(request.spec).map((ref) => {
          const bytes = source.get(ref.sha256);
          if (!bytes) {
            throw new IdlehiveError(
              'job_blob_missing',
              `Blob ${ref.sha256} is not in ${source.directory}; put it there named by its SHA-256.`,
            );
          }
          return bytes;
        });
        const client = await connect(connection);
        const status = await client.submit(request, blobs);
        if (!options.wait) {
          print(connection.json, status, `Submitted ${status.jobId}: ${status.state}. ${status.description}`);
          return;
        }
        const result = await client.waitForResult(status.jobId, { timeoutMs: 24 * 3_600_000, pollMs: 1000 });
        print(
          connection.json,
          result,
          `${result.jobId} verified (${result.verification.method}, ${result.verification.agreeingResults} agreeing); cost ${result.cost} base units. Read it with: idlehive-requester results ${result.jobId}`,
        );
      },
    );

  program
    .command('status')
    .description("A job's state, copies and cost.")
    .argument('<jobId>')
    .action(async (jobId: string) => {
      const connection = program.opts<ConnectionOptions>();
      const status = await (await connect(connection)).status(jobId);
      const copies = status.copies;
      print(
        connection.json,
        status,
        `${status.jobId}: ${status.state}. ${status.description}\ncopies: ${copies.total} (${copies.running} running, ${copies.submitted} submitted, ${copies.valid} valid, ${copies.invalid} invalid); cost ${status.cost} base units${status.failure ? `\nfailure: ${status.failure.message}` : ''}`,
      );
    });

  program
    .command('results')
    .description("A verified job's outputs and how they were verified, as JSON.")
    .argument('<jobId>')
    .option('--out <file>', 'write the result to this file instead of standard output')
    .action(async (jobId: string, options: { out?: string }) => {
      const connection = program.opts<ConnectionOptions>();
      const result = await (await connect(connection)).result(jobId);
      const text = `${JSON.stringify(result, null, 2)}\n`;
      if (options.out) {
        fs.writeFileSync(options.out, text);
        process.stdout.write(`Wrote the verified result of ${jobId} to ${options.out}.\n`);
      } else {
        process.stdout.write(text);
      }
    });

  return program;
}

/** Runs the command; returns the exit code. Errors print one line, never a stack. */
export async function runRequesterCli(argv: string[]): Promise<number> {
  try {
    await buildRequesterCli().parseAsync(argv, { from: 'user' });
    return 0;
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode;
    const code = isIdlehiveError(error) ? ` (${error.code})` : '';
    process.stderr.write(`idlehive-requester: ${describeError(error)}${code}\n`);
    return 1;
  }
}
