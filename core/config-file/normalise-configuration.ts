// Turns whatever a merchant wrote (the canonical shape, or the shapes Gameball's tutorials show)
// into the canonical configuration, saying what it changed; rejects what the contract rejects with
// a message that shows the canonical form.
import { describeErrors, problemLines, requestBodyValidator } from '../../openapi/contract.ts';
import {
  type CouponConfiguration,
  type CouponConfigurationUpdate,
  couponKinds,
  enableFlagOf,
} from '../config/coupon-configuration.ts';
import { defaultPayloadTemplate } from '../config/default-configuration.ts';
import { ConfigError } from '../errors.ts';
import { lintTemplate } from '../lint/lint-template.ts';
import { fillTemplate } from '../render/fill-template.ts';
import { placeholderValues } from '../render/render-delivery.ts';
import { scenarios, scenarioValues } from '../scenarios/scenarios.ts';

declare const normalisedBrand: unique symbol;

/**
 * What normaliseConfiguration returns: the canonical configuration and what was changed to get it.
 * The brand says it came from normaliseConfiguration, so verify() takes it as it is instead of
 * normalising again (a CLI run normalises once, when it loads the file).
 */
export interface NormalisedConfiguration {
  readonly config: CouponConfiguration;
  readonly notes: string[];
  readonly [normalisedBrand]: true;
}

/** Every result normaliseConfiguration has handed out; a look-alike object is not in it. */
const issued = new WeakSet<object>();

/** Whether a value is a result of normaliseConfiguration (not merely shaped like one). */
export function isNormalised(value: unknown): value is NormalisedConfiguration {
  return typeof value === 'object' && value !== null && issued.has(value);
}

const canonicalHint =
  'The canonical form is {"url": "https://...", "method": "POST", "headers": [{"key": "Authorization", "value": "Bearer <token>"}], ' +
  '"payload": "<JSON template as a string>", "couponMapping": {"fixed": "fixed_discount", "percentage": "percentage_discount", ' +
  '"freeProduct": "free_product", "freeShipping": "free_delivery"}, "enableFixedRate": true, ...} (see openapi/gameball.yaml, PUT /configurations/coupon).';

export function normaliseConfiguration(raw: unknown, source = 'the configuration'): NormalisedConfiguration {
  const { config, notes } = canonicalForm(validConfiguration(raw, source));
  if (couponKinds.every((kind) => config[enableFlagOf[kind]] === false)) {
    throw new ConfigError(
      `${source} disables every coupon type (all enable* flags are false), so Gameball would never call the endpoint.`,
    );
  }
  checkTemplate(config, source);
  const result = { config, notes } as NormalisedConfiguration;
  issued.add(result);
  return result;
}

/** What the contract accepts for PUT /configurations/coupon (tutorial shapes included); anything else throws. */
function validConfiguration(raw: unknown, source: string): CouponConfigurationUpdate {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    throw new ConfigError(
      `${source} must be a JSON object (the body you PUT to Gameball's /configurations/coupon). ${canonicalHint}`,
    );
  }
  rejectKnownMistakes(raw as Record<string, unknown>, source);
  const validate = requestBodyValidator<CouponConfigurationUpdate>(
    'gameball',
    'put',
    '/api/v4.0/integrations/configurations/coupon',
  );
  if (!validate(raw)) {
    const problems = describeErrors(validate.errors);
    const list = problemLines(problems, '(root)').join('; ');
    throw new ConfigError(
      `${source} is not a valid Gameball coupon configuration: ${list}. ${canonicalHint}`,
      problems,
    );
  }
  return raw;
}

/** The tutorial shapes turned canonical, with a note for each change and each assumption. */
function canonicalForm(raw: CouponConfigurationUpdate): { config: CouponConfiguration; notes: string[] } {
  const notes: string[] = [];
  const { contentType, payload, platforms, ...rest } = raw;
  const config: CouponConfiguration = { ...rest };
  if (contentType !== undefined) {
    notes.push(
      contentType === 'application/json'
        ? 'contentType is a tutorial field, not part of the canonical configuration; dropped (deliveries are JSON).'
        : `contentType ${contentType} is not supported: Gameball's custom coupon calls are modelled as JSON; the harness sends application/json.`,
    );
  }
  if (typeof payload === 'object' && payload !== null) {
    config.payload = JSON.stringify(payload);
    notes.push('payload was a JSON object (tutorial form); serialised to the canonical template string.');
  } else if (typeof payload === 'string') {
    config.payload = payload;
  } else {
    notes.push("No payload template given; the harness sends the project's default template.");
  }
  if (platforms !== undefined) {
    config.platforms = platforms.map((p) => (typeof p === 'string' ? { displayName: p, value: p } : p));
    if (platforms.some((p) => typeof p === 'string')) {
      notes.push('platforms were plain strings (tutorial form); each became {"displayName": s, "value": s}.');
    }
  }
  for (const kind of couponKinds) {
    if (config[enableFlagOf[kind]] === undefined) {
      notes.push(`${enableFlagOf[kind]} is not set; the harness treats ${kind} coupons as enabled.`);
    }
  }
  return { config, notes };
}

function rejectKnownMistakes(raw: Record<string, unknown>, source: string): void {
  const mapping = raw.couponMapping;
  if (mapping && typeof mapping === 'object' && Object.values(mapping).some((v) => typeof v === 'boolean')) {
    throw new ConfigError(
      `${source} has couponMapping with booleans (as one of Gameball's tutorials shows). The mapping must name your own ` +
        'coupon type for each Gameball type, e.g. "couponMapping": {"fixed": "fixed_discount", "percentage": "percentage_discount", ' +
        '"freeProduct": "free_product", "freeShipping": "free_delivery"}; switch types on and off with enableFixedRate, ' +
        'enablePercentage, enableFreeProduct and enableFreeShipping.',
      [{ field: 'couponMapping', message: 'must map each type to a string' }],
    );
  }
  if ('authentication' in raw) {
    throw new ConfigError(
      `${source} has an "authentication" object (from an older Gameball tutorial), which the current API does not take. ` +
        'Put the credential in headers instead, e.g. "headers": [{"key": "Authorization", "value": "Bearer <token>"}].',
      [{ field: 'authentication', message: 'is not a known property' }],
    );
  }
}

/** The template must become valid JSON whatever the values, or every delivery would be broken. */
function checkTemplate(config: CouponConfiguration, source: string): void {
  const template = config.payload ?? defaultPayloadTemplate;
  const sample = fillTemplate(template, placeholderValues(config, scenarioValues(scenarios[0]!, 'GB10-SAMPLE')));
  try {
    JSON.parse(sample.text);
  } catch (error) {
    const lint = lintTemplate(config).map((finding) => ` ${finding.message}`);
    throw new ConfigError(
      `${source} has a payload template that does not produce JSON once its placeholders are filled ` +
        `(${(error as Error).message}). Filled with sample values it reads: ${sample.text.slice(0, 300)}${lint.join('')}`,
      [{ field: 'payload', message: 'does not produce valid JSON' }],
    );
  }
}
