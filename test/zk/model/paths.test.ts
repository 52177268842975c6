import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isSpecialPath, parentForDelete, sequenceSuffix, validatePath } from '../../../src/zk/model/paths.js';

// ZooKeeper PathUtils.validatePath (and PathUtilsTest).
test('validatePath accepts what PathUtils accepts', () => {
  for (const p of ['/', '/a', '/a/b', '/a/...', '/a/.b', '/a/b.', '/zookeeper/quota', '/a b', '/é', '/a-0000000001']) {
    assert.equal(validatePath(p), true, p);
  }
});

test('validatePath rejects what PathUtils rejects', () => {
  const bad = ['', 'a', 'a/b', '/a/', '//a', '/a//b', '/.', '/..', '/a/.', '/a/..', '/a/./b', '/a/../b',
    '/a\u0000b', '/a\u0001', '/a\u001f', '/a\u007f', '/a\u009f', '/a\ud800', '/a\uf8ff', '/a\ufff0', '/a\uffff', '/a\u{1F600}'];
  for (const p of bad) assert.equal(validatePath(p), false, JSON.stringify(p));
});

// DataTree.isSpecialPath / PrepRequestProcessor.getParentPathAndValidate
test('special paths and the delete parent rule', () => {
  for (const p of ['/', '/zookeeper', '/zookeeper/quota', '/zookeeper/config']) {
    assert.equal(isSpecialPath(p), true);
    assert.equal(parentForDelete(p), null);
  }
  assert.equal(parentForDelete('/zookeeper/x'), '/zookeeper');
  assert.equal(parentForDelete('/a'), '/');
  assert.equal(parentForDelete('/a/'), '/a');
  assert.equal(parentForDelete('a'), null);
  assert.equal(parentForDelete('/a\u0000'), null);
});

// PrepRequestProcessor: String.format(Locale.ENGLISH, "%010d", parentCVersion)
test('sequential suffix is %010d of a Java int', () => {
  assert.equal(sequenceSuffix(0), '0000000000');
  assert.equal(sequenceSuffix(42), '0000000042');
  assert.equal(sequenceSuffix(2147483647), '2147483647');
  assert.equal(sequenceSuffix(-2147483648), '-2147483648');
  assert.equal(sequenceSuffix(-5), '-000000005');
});
