/**
 * The last few kilobytes a worker wrote to stdout/stderr: enough to tell an
 * out-of-memory abort from a crash and to log why it died, bounded so a
 * chatty (or hostile) worker cannot grow the agent's memory.
 */
/** ESC [ ... m: the colour codes onnxruntime writes around its log lines. */
const TERMINAL_COLOUR = new RegExp(`${String.fromCharCode(27)}\\[[0-9;]*m`, 'g');

export function stripTerminalColours(text: string): string {
  return text.replace(TERMINAL_COLOUR, '');
}

export class OutputTail {
  readonly #limitBytes: number;
  #chunks: Buffer[] = [];
  #bytes = 0;

  constructor(limitBytes: number) {
    this.#limitBytes = limitBytes;
  }

  push(chunk: Buffer): void {
    this.#chunks.push(chunk);
    this.#bytes += chunk.length;
    while (this.#bytes > this.#limitBytes && this.#chunks.length > 1) {
      const dropped = this.#chunks.shift();
      this.#bytes -= dropped?.length ?? 0;
    }
  }

  text(): string {
    const all = Buffer.concat(this.#chunks);
    return all.subarray(Math.max(0, all.length - this.#limitBytes)).toString('utf8');
  }

  /** The last non-empty line, without terminal colour codes. */
  lastLine(): string {
    const lines = stripTerminalColours(this.text())
      .split('\n')
      .map((line) => line.trim())
      .filter((line) => line.length > 0);
    return lines.at(-1) ?? '';
  }
}
