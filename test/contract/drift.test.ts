// The committed generated files (types and bundled documents) must equal a fresh generation, so
// nobody edits a YAML file and forgets `npm run generate`.
import { expect, it } from 'vitest';
import { findDrift } from '../../openapi/build.ts';

it('generated types and bundles match the YAML documents', async () => {
  expect(await findDrift(), 'stale files; run npm run generate').toEqual([]);
});
