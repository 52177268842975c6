// The server's V8 heap tuning (src/core/heap-tuning.ts): set at start unless node was given its own.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { tuneHeapForServer } from '../../src/core/heap-tuning.js';

test('the heap growing factor is set at start, unless node was given one on its command line or in NODE_OPTIONS', () => {
  assert.equal(tuneHeapForServer(['--heap-growing-percent=50'], ''), false, 'node --heap-growing-percent=50 is kept');
  assert.equal(tuneHeapForServer(['--enable-source-maps'], '--max-old-space-size=512 --heap_growing_percent=10'), false, 'NODE_OPTIONS is kept');
  assert.equal(tuneHeapForServer(['--heap-growing-percentage-of-nothing'], '--heap-growing'), true, 'other flags do not count');
  assert.equal(tuneHeapForServer([], ''), true);
});
