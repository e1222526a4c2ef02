// The configuration's payload template, read before anything is sent: a template that cannot work
// would otherwise make every later check blame the endpoint.
import { lintTemplate } from '../../core/lint/lint-template.ts';
import { type Check, verdictOf } from './check.ts';

export const template: Check = {
  id: 'template',
  title: "The template renders valid JSON with Gameball's placeholders",
  async run(context) {
    const findings = lintTemplate(context.config);
    return verdictOf(
      findings.map(({ severity, kind, message }) => ({ severity, kind, message })),
      context.usesDefaultTemplate
        ? 'A template the kit ships.'
        : 'Every placeholder is one Gameball documents, text placeholders are quoted.',
    );
  },
};
