import { z } from 'zod';

/**
 * A token amount in base units as a decimal string, as every earnings view
 * carries it: sums of 18-decimal amounts fit neither a double nor SQLite's
 * integer.
 */
export const TokenAmountSchema = z.string().regex(/^\d+$/, 'an amount is a whole number of token base units');
