/**
 * Secrets for the wallet commands (password, mnemonic, private key) come from
 * the terminal without echo, or, when stdin is not a terminal (scripts,
 * tests), one per line from stdin. Never from flags or the environment, which
 * other processes on the machine can read.
 */
import readline from 'node:readline';
import { Writable } from 'node:stream';
import { IdlehiveError } from '../errors.ts';

export interface SecretInput {
  ask(prompt: string): Promise<string>;
  /** Yes/no on a terminal; without one, only --yes confirms. */
  confirm(question: string): Promise<boolean>;
}

export function secretInput(): SecretInput {
  return process.stdin.isTTY ? terminalInput() : pipedInput();
}

function terminalInput(): SecretInput {
  const ask = (prompt: string, echo: boolean): Promise<string> =>
    new Promise((resolve) => {
      let muted = false;
      const output = new Writable({
        write(chunk, _encoding, done) {
          if (!muted) process.stderr.write(chunk);
          done();
        },
      });
      const rl = readline.createInterface({ input: process.stdin, output, terminal: true });
      rl.question(prompt, (answer) => {
        rl.close();
        if (!echo) process.stderr.write('\n');
        resolve(answer);
      });
      muted = !echo;
    });
  return {
    ask: (prompt) => ask(prompt, false),
    confirm: async (question) => /^y(es)?$/i.test((await ask(`${question} [y/N] `, true)).trim()),
  };
}

function pipedInput(): SecretInput {
  let lines: Promise<string[]> | null = null;
  const readAll = (): Promise<string[]> => {
    lines ??= new Promise((resolve, reject) => {
      let text = '';
      process.stdin.setEncoding('utf8');
      process.stdin.on('data', (chunk: string) => {
        text += chunk;
      });
      process.stdin.on('end', () => resolve(text.split(/\r?\n/)));
      process.stdin.on('error', reject);
    });
    return lines;
  };
  let next = 0;
  return {
    async ask(prompt) {
      const all = await readAll();
      const line = all[next++];
      if (line === undefined || line === '') {
        throw new IdlehiveError(
          'secret_missing',
          `${prompt.replace(/:\s*$/, '')} is needed: type it at a terminal, or give it on its own line of standard input.`,
        );
      }
      return line;
    },
    async confirm() {
      return false;
    },
  };
}
