// The configuration's payload template, read before anything is sent: a template that cannot work
// would otherwise make every later check blame the endpoint.
import { lintTemplate } from '../../core/lint/lint-template.ts';
import { type Check, verdictOf } from './check.ts';

export const template: Check = {
  id: 'template',
  title: 'The payload template carries {{code}} and fills into valid JSON as Gameball fills it',
  async run(context) {
    const findings = lintTemplate(context.config);
    return verdictOf(
      findings.map(({ severity, kind, message }) => ({ severity, kind, message })),
      context.usesDefaultTemplate
        ? "The project's default template."
        : 'Every placeholder is known, {{code}} is there, text placeholders are quoted.',
    );
  },
};
