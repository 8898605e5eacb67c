/**
 * The recovery phrase check of the first run: the owner types back two of the
 * words, chosen at random, before going on, so a phrase that was not written
 * down is caught while it can still be shown again.
 */

export function phraseWords(phrase: string): string[] {
  return phrase.trim().split(/\s+/);
}

/** Two different word positions (0-based, ascending) of a phrase with `count` words. */
export function pickConfirmPositions(count: number, random: () => number = Math.random): [number, number] {
  const first = Math.floor(random() * count) % count;
  let second = Math.floor(random() * (count - 1)) % (count - 1);
  if (second >= first) second += 1;
  return first < second ? [first, second] : [second, first];
}

/** Whether each answer matches its word (case and surrounding spaces ignored). */
export function answersMatch(words: readonly string[], positions: readonly number[], answers: readonly string[]) {
  return positions.every((position, index) => (answers[index] ?? '').trim().toLowerCase() === words[position]);
}
