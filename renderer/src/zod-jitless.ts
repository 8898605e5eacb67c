/**
 * Imported first by main.tsx. Zod compiles fast validators with `new Function`
 * and probes for it once; the dashboard's CSP forbids eval, and even the
 * caught probe is reported as a CSP violation. Jitless mode skips both.
 */
import { z } from 'zod';

z.config({ jitless: true });
