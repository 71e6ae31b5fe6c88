// The payload key the committed histories in test/fixtures/histories were recorded with. A test fixture, not a
// secret: it protects nothing but those synthetic histories.
export const FIXTURE_PAYLOAD_KEYS = 'fixture:ZXhpdC1wYXRod2F5cy1maXh0dXJlLWtleS0zMmJ5dGU=';
