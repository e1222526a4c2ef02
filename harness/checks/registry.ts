// Every check, in the order it runs. Adding a check is adding its file and one line here.
// template comes first (it sends nothing; a broken template is not the endpoint's fault), accepted
// is the preflight the others depend on, stability and latency come last: they judge the whole run.
import { accepted, responseConformance } from './acceptance.ts';
import { authRequired, wrongCredentials } from './authentication.ts';
import { badInput } from './bad-input.ts';
import type { Check } from './check.ts';
import { concurrentDuplicates, conflictingReuse, idempotentRetry } from './idempotency.ts';
import { latency } from './latency.ts';
import { stability } from './stability.ts';
import { template } from './template.ts';
import { unicode } from './unicode.ts';

export const checks: readonly Check[] = [
  template,
  accepted,
  responseConformance,
  idempotentRetry,
  concurrentDuplicates,
  conflictingReuse,
  authRequired,
  wrongCredentials,
  badInput,
  unicode,
  stability,
  latency,
];
