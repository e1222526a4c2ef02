// Reads a payload template the way Gameball fills it (textually) and finds what would break the
// integration before the endpoint is blamed for it: a misspelt or unknown placeholder, a text
// placeholder left unquoted (Gameball's textual filling would write `"customer":CUS_1`, which is not
// JSON), a mapped value whose quotes would break the document; and it says when the template leans
// on the kit's own placeholders, which Gameball does not document. Each finding names the template
// position and the fix. A template without {{code}} is not a problem: the merchant then generates
// the code (core/render/code-mode.ts), one of Gameball's two readings.
import type { CouponConfiguration } from '../config/coupon-configuration.ts';
import { couponKinds } from '../config/coupon-configuration.ts';
import { defaultPayloadTemplate, mappedCouponType } from '../config/default-configuration.ts';
import { compileTemplate } from '../render/fill-template.ts';
import {
  asPlaceholders,
  couponTypePlaceholders,
  documentedPlaceholders,
  kitPlaceholders,
} from '../render/placeholders.ts';
import { placeholderValues } from '../render/render-delivery.ts';
import { scenarios, scenarioValues } from '../scenarios/scenarios.ts';

export interface TemplateFinding {
  severity: 'failure' | 'warning';
  /** `template-unknown-placeholder`, `template-kit-placeholder`, `template-unquoted-text`, `template-unsafe-value`. */
  kind: string;
  /** `line 1, column 15`; absent for findings about the template as a whole. */
  position?: string;
  message: string;
}

/**
 * The template's problems. `extraNames` are placeholders the caller fills itself (`trigger --set`),
 * so they are not unknown.
 */
export function lintTemplate(config: CouponConfiguration, extraNames: readonly string[] = []): TemplateFinding[] {
  const template = config.payload ?? defaultPayloadTemplate;
  const sample = placeholderValues(config, scenarioValues(scenarios[0]!, 'GB10-SAMPLE'));
  const known = new Set([...Object.keys(sample), ...extraNames]);
  // Read as the renderer reads it: the same placeholders, each inside a JSON string or not.
  const placeholders = compileTemplate(template).placeholders;
  const findings: TemplateFinding[] = [];
  const unknown = new Set<string>();
  for (const placeholder of placeholders) {
    const position = positionOf(template, placeholder.offset);
    if (known.has(placeholder.name)) {
      const finding = fillingProblem(placeholder, position, sample[placeholder.name]);
      if (finding) findings.push(finding);
    } else if (!unknown.has(placeholder.name)) {
      unknown.add(placeholder.name);
      findings.push(unknownPlaceholder(placeholder.name, position, [...known]));
    }
  }
  const kitOwn = [...new Set(placeholders.map((p) => p.name).filter((name) => kitPlaceholders.includes(name)))];
  if (kitOwn.length > 0) findings.push(kitPlaceholderWarning(kitOwn));
  if (placeholders.some((p) => couponTypePlaceholders.includes(p.name) && p.inString)) {
    findings.push(...unsafeMappings(config));
  }
  return findings;
}

function unknownPlaceholder(name: string, position: string, known: readonly string[]): TemplateFinding {
  const guess = closest(name, known);
  return {
    severity: 'warning',
    kind: 'template-unknown-placeholder',
    position,
    message: `{{${name}}} at ${position} is neither a placeholder Gameball documents nor one the kit fills.${guess ? ` Did you mean {{${guess}}}?` : ''} Gameball documents ${asPlaceholders(documentedPlaceholders)}; what it puts in any other name is not documented, and the kit sends it as an empty text (null outside quotes).`,
  };
}

/** The kit's own placeholders in a template: the kit fills them, nothing Gameball publishes says Gameball does. */
function kitPlaceholderWarning(names: readonly string[]): TemplateFinding {
  const typeNote = names.includes('couponType')
    ? ' For the coupon type, {{discount_type}} is the name Gameball documents.'
    : '';
  return {
    severity: 'warning',
    kind: 'template-kit-placeholder',
    message: `The template uses ${asPlaceholders(names)}: the kit's own extension, not documented by Gameball. The kit fills ${names.length === 1 ? 'it' : 'them'}, but no Gameball source says Gameball does; keep ${names.length === 1 ? 'it' : 'them'} out of the template you give Gameball unless Gameball confirms ${names.length === 1 ? 'it' : 'them'}.${typeNote}`,
  };
}

/** A known placeholder whose value would break the document as Gameball fills it (textually). */
function fillingProblem(
  placeholder: { name: string; inString: boolean },
  position: string,
  value: unknown,
): TemplateFinding | undefined {
  const { name } = placeholder;
  if (!placeholder.inString && typeof value === 'string') {
    return {
      severity: 'failure',
      kind: 'template-unquoted-text',
      position,
      message: `{{${name}}} at ${position} is text but stands outside quotes: Gameball fills templates textually, so the body would read ${name === 'code' ? 'GB10-…' : JSON.stringify(value).slice(1, -1)} without quotes, which is not JSON. Write "{{${name}}}".`,
    };
  }
  if (placeholder.inString && Array.isArray(value)) {
    return {
      severity: 'warning',
      kind: 'template-unsafe-value',
      position,
      message: `{{${name}}} at ${position} is a list inside quotes: its text ["…"] has quotes of its own, which textual filling would not escape. Write it without quotes.`,
    };
  }
  return undefined;
}

/** Mapped coupon type names that would end or break the string {{discount_type}} is filled into. */
function unsafeMappings(config: CouponConfiguration): TemplateFinding[] {
  return couponKinds.flatMap((kind): TemplateFinding[] => {
    const mapped = mappedCouponType(config, kind);
    if (!/["\\\u0000-\u001f]/.test(mapped)) return [];
    return [
      {
        severity: 'failure',
        kind: 'template-unsafe-value',
        message: `couponMapping.${kind} is ${JSON.stringify(mapped)}: its quote, backslash or control character would end or break the string the coupon type is filled into. Use a plain name such as percentage_discount.`,
      },
    ];
  });
}

function positionOf(text: string, offset: number): string {
  const before = text.slice(0, offset).split('\n');
  return `line ${before.length}, column ${before[before.length - 1]!.length + 1}`;
}

/** The known name closest to a misspelt one (case, or at most a third of its letters off). */
function closest(name: string, names: readonly string[]): string | undefined {
  const lower = name.toLowerCase();
  let best: { name: string; distance: number } | undefined;
  for (const candidate of names) {
    const distance = candidate.toLowerCase() === lower ? 0 : editDistance(lower, candidate.toLowerCase());
    if (!best || distance < best.distance) best = { name: candidate, distance };
  }
  if (best && best.distance <= Math.max(2, Math.floor(name.length / 3))) return best.name;
  // Same meaning, other word: customerId, playerId for playerUniqueId.
  if (/customer|player|user/i.test(name) && names.includes('playerUniqueId')) return 'playerUniqueId';
  return undefined;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[b.length]!;
}
