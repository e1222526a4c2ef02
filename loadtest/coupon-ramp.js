// @ts-check
// k6: the coupon endpoint at a ramping arrival rate (a campaign ending), the same requests and
// thresholds as `gb-coupon load --stages`.
//   k6 run -e TARGET=https://shop.example/coupons -e TOKEN=... [-e TEMPLATE=merchant-code -e STAGES=10s:100,30s:500,10s:0 -e RATE=0
//          -e CONNECTIONS=100 -e MIX=redeem=3,campaign=1 -e SEED=42 -e OUT=gb-coupon-load] loadtest/coupon-ramp.js
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

/** `10s:100,30s:500`, as gb-coupon load --stages. */
const stages = (__ENV.STAGES || '10s:100,30s:500,10s:0').split(',').map((pair) => {
  const [duration = '', target = ''] = pair.split(':');
  if (!duration || !/^\d+$/.test(target))
    throw new Error(`STAGES takes duration:rate pairs such as 10s:100,30s:500; got "${pair}".`);
  return { duration, target: Number(target) };
});

/** @type {import('k6/options').Options} */
export const options = {
  scenarios: {
    coupons: {
      executor: 'ramping-arrival-rate',
      startRate: Number(__ENV.RATE || 0),
      timeUnit: '1s',
      stages,
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
