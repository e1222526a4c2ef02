// The Gameball stand-in as a library (gb-coupon mock is its command line).
export { type MockLogLevel, type MockOptions, mockDefaults, type RunningMock, startMock } from './start-mock.ts';
export { StateStoreError } from './state/state-store.ts';
