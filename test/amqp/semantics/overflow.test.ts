import assert from 'node:assert/strict';
import { test } from 'node:test';
import { countHeadDrops, decidePublish, wouldOverflow } from '../../../src/amqp/semantics/overflow.js';

test('wouldOverflow counts one more message and its body against both limits', () => {
  assert.equal(wouldOverflow({ readyCount: 2, readyBytes: 0 }, { maxLength: 3 }, 1), false);
  assert.equal(wouldOverflow({ readyCount: 3, readyBytes: 0 }, { maxLength: 3 }, 1), true);
  assert.equal(wouldOverflow({ readyCount: 0, readyBytes: 90 }, { maxLengthBytes: 100 }, 10), false);
  assert.equal(wouldOverflow({ readyCount: 0, readyBytes: 90 }, { maxLengthBytes: 100 }, 11), true);
  assert.equal(wouldOverflow({ readyCount: 1e9, readyBytes: 1e12 }, {}, 1), false);
  assert.equal(wouldOverflow({ readyCount: 0, readyBytes: 0 }, { maxLength: 0 }, 0), true);
});

test('decidePublish: drop-head always accepts; reject-publish nacks with confirms, drops silently without', () => {
  const full = { readyCount: 5, readyBytes: 50 };
  assert.deepEqual(decidePublish(full, { maxLength: 5 }, 1, true), { kind: 'accept' });
  assert.deepEqual(decidePublish(full, { maxLength: 5, overflow: 'drop-head' }, 1, true), { kind: 'accept' });
  assert.deepEqual(decidePublish(full, { maxLength: 5, overflow: 'reject-publish' }, 1, true), { kind: 'reject', nack: true, deadLetter: false });
  assert.deepEqual(decidePublish(full, { maxLength: 5, overflow: 'reject-publish' }, 1, false), { kind: 'reject', nack: false, deadLetter: false });
  assert.deepEqual(decidePublish(full, { maxLength: 5, overflow: 'reject-publish-dlx' }, 1, true), { kind: 'reject', nack: true, deadLetter: true });
  assert.deepEqual(decidePublish(full, { maxLength: 6, overflow: 'reject-publish' }, 1, true), { kind: 'accept' });
});

test('countHeadDrops removes from the head until both limits hold again', () => {
  assert.equal(countHeadDrops({ readyCount: 4, readyBytes: 40 }, { maxLength: 3 }, [10, 10, 10, 10]), 1);
  assert.equal(countHeadDrops({ readyCount: 3, readyBytes: 300 }, { maxLengthBytes: 150 }, [100, 100, 100]), 2);
  assert.equal(countHeadDrops({ readyCount: 3, readyBytes: 300 }, { maxLengthBytes: 150 }, [10, 200, 90]), 2);
  assert.equal(countHeadDrops({ readyCount: 1, readyBytes: 5 }, { maxLength: 0 }, [5]), 1);
  assert.equal(countHeadDrops({ readyCount: 4, readyBytes: 40 }, { maxLength: 3, overflow: 'reject-publish' }, [10, 10, 10, 10]), 0);
  assert.equal(countHeadDrops({ readyCount: 2, readyBytes: 2 }, {}, [1, 1]), 0);
  // Never more than the messages there are.
  assert.equal(countHeadDrops({ readyCount: 2, readyBytes: 2 }, { maxLength: 0 }, [1]), 1);
});
