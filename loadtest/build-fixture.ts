// Renders the k6 scripts' fixture (loadtest/k6/fixture.json) with core's one renderer: each
// scenario's request under each template the kit ships (the default, merchant-code and extended
// configurations), with placeholders where k6 puts its run's code and token. `npm run generate`
// writes it; `--check` only compares (a test does too).
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { defaultConfiguration, shippedTemplates } from '../core/config/default-configuration.ts';
import { codeModeOf } from '../core/render/code-mode.ts';
import { renderDelivery } from '../core/render/render-delivery.ts';
import { scenarios, scenarioValues } from '../core/scenarios/scenarios.ts';

export const fixturePath = fileURLToPath(new URL('./k6/fixture.json', import.meta.url));
const codePlaceholder = '@@CODE@@';
const tokenPlaceholder = '@@TOKEN@@';

export function buildFixture(): string {
  const templates = Object.fromEntries(
    (Object.keys(shippedTemplates) as (keyof typeof shippedTemplates)[]).map((name) => {
      const config = defaultConfiguration('http://target.invalid/coupons', tokenPlaceholder, name);
      const rendered = Object.fromEntries(
        scenarios.map((scenario) => {
          const request = renderDelivery(config, scenarioValues(scenario, codePlaceholder));
          return [
            scenario.id,
            { codePrefix: scenario.codePrefix, method: request.method, headers: request.headers, body: request.body },
          ];
        }),
      );
      return [name, { codeMode: codeModeOf(config), scenarios: rendered }];
    }),
  );
  const fixture = {
    generatedBy:
      'npm run generate (loadtest/build-fixture.ts): core/scenarios rendered by core/render under the configuration of each template the kit ships. Do not edit by hand.',
    codePlaceholder,
    tokenPlaceholder,
    templates,
  };
  return `${JSON.stringify(fixture, null, 2)}\n`;
}

async function main(): Promise<void> {
  const fresh = buildFixture();
  if (process.argv.includes('--check')) {
    const committed = await readFile(fixturePath, 'utf8').catch(() => null);
    if (committed !== fresh) {
      console.error('loadtest/k6/fixture.json is stale. Run npm run generate.');
      process.exit(1);
    }
    console.log('loadtest/k6/fixture.json is up to date.');
    return;
  }
  await writeFile(fixturePath, fresh);
  console.log('wrote loadtest/k6/fixture.json');
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  await main();
}
