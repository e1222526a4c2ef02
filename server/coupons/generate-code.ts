// Codes the server makes for a delivery without `code` (a template without {{code}}: Gameball's
// tutorial reading, where the merchant generates the code). Drawn from the crypto generator, in an
// alphabet without the look-alikes 0/O and 1/I, so a customer can type them; a collision with a
// stored code is the route's to retry (create-coupon.ts).
import { randomBytes } from 'node:crypto';

// 32 characters: a random byte's low five bits pick one without bias.
const alphabet = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';

export interface CodeShape {
  /** Written before the random part, e.g. `GB-`. */
  prefix: string;
  /** How many random characters follow it (5 bits each). */
  length: number;
}

export function codeGenerator(shape: CodeShape): () => string {
  return () => {
    let code = shape.prefix;
    for (const byte of randomBytes(shape.length)) code += alphabet[byte & 31];
    return code;
  };
}
