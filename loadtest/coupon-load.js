// @ts-check
// k6: the coupon endpoint at a constant arrival rate, the same requests and thresholds as
// `gb-coupon load`.
//   k6 run -e TARGET=https://shop.example/coupons -e TOKEN=... [-e TEMPLATE=merchant-code -e RATE=100 -e DURATION=30s
//          -e CONNECTIONS=100 -e MIX=redeem=3,campaign=1 -e SEED=42 -e OUT=gb-coupon-load] loadtest/coupon-load.js
import {
  deliver,
  deliveries,
  expectExactly200,
  settings,
  summaryFiles,
  summaryTrendStats,
  thresholdsFor,
} from './k6/coupon-requests.js';

const run = settings();
const fixture = JSON.parse(open('./k6/fixture.json'));
const next = deliveries(fixture, run, __VU);
expectExactly200();

/** @type {import('k6/options').Options} */
export const options = {
  scenarios: {
    coupons: {
      executor: 'constant-arrival-rate',
      rate: run.rate,
      timeUnit: '1s',
      duration: run.duration,
      preAllocatedVUs: run.connections,
      maxVUs: run.connections,
    },
  },
  thresholds: thresholdsFor(JSON.parse(open('./thresholds.json')), fixture, run),
  summaryTrendStats,
};

export default function () {
  deliver(next());
}

export function handleSummary(/** @type {import('./k6/coupon-requests.js').SummaryData} */ data) {
  return summaryFiles(data, run.out);
}
