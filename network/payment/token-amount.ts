/**
 * Token amounts are integers of base units. These turn them into text a
 * person reads ("1.5 tHIVE") and back, exactly, with no float in between.
 */

export function formatTokenAmount(baseUnits: bigint | string, decimals = 18): string {
  const value = typeof baseUnits === 'string' ? BigInt(baseUnits) : baseUnits;
  const negative = value < 0n;
  const magnitude = negative ? -value : value;
  const scale = 10n ** BigInt(decimals);
  const whole = magnitude / scale;
  const fraction = (magnitude % scale).toString().padStart(decimals, '0').replace(/0+$/, '');
  return `${negative ? '-' : ''}${whole}${fraction ? `.${fraction}` : ''}`;
}

export function parseTokenAmount(text: string, decimals = 18): bigint {
  const match = /^(\d+)(?:\.(\d+))?$/.exec(text.trim());
  if (!match) throw new RangeError(`"${text}" is not a token amount like 12 or 0.5`);
  const fraction = match[2] ?? '';
  if (fraction.length > decimals) throw new RangeError(`"${text}" has more than ${decimals} decimal places`);
  return BigInt(match[1] as string) * 10n ** BigInt(decimals) + BigInt(fraction.padEnd(decimals, '0') || '0');
}

export function sumAmounts(amounts: Iterable<bigint>): bigint {
  let total = 0n;
  for (const amount of amounts) total += amount;
  return total;
}
