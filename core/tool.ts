// The tool as reports and `gb-coupon --version` name it. The version is read through the package's
// own name (a self-reference, allowed by `exports["./package.json"]`), so it is found the same way
// from the sources and from the built dist/.
import { createRequire } from 'node:module';

const { version } = createRequire(import.meta.url)('gameball-coupon-kit/package.json') as { version: string };

export const tool = { name: 'gb-coupon', version };
