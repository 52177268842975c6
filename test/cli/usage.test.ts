import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { runCli } from './run-cli.js';

describe('junction usage', () => {
  it('help prints the command list and exits 0', async () => {
    const r = await runCli(['help']);
    assert.equal(r.code, 0);
    assert.match(r.stdout, /^usage: junction <command>/);
    for (const cmd of ['start', 'status', 'nacos config', 'nacos service', 'nacos instance', 'user', 'data check|repair']) {
      assert.ok(r.stdout.includes(cmd), cmd);
    }
  });

  it('help <command> and --help print that command\'s usage', async () => {
    const topic = await runCli(['help', 'user']);
    assert.equal(topic.code, 0);
    assert.match(topic.stdout, /^usage: junction user/);
    const flag = await runCli(['nacos', 'config', 'get', '--help']);
    assert.equal(flag.code, 0);
    assert.match(flag.stdout, /^usage: junction nacos config/);
  });

  const bad: [string, string[], RegExp][] = [
    ['unknown command', ['frobnicate'], /unknown command "frobnicate"/],
    ['unknown option', ['nacos', 'config', 'get', 'x', '--colour'], /Unknown option '--colour'/],
    ['missing dataId', ['nacos', 'config', 'get'], /missing dataId/],
    ['unknown verb', ['nacos', 'service', 'drop'], /unknown service command "drop"/],
    ['extra argument', ['status', 'now'], /unexpected argument "now"/],
    ['content given twice', ['nacos', 'config', 'set', 'x', 'a', '--content', 'b'], /exactly once/],
    ['non-numeric page', ['nacos', 'service', 'list', '--page', 'two'], /--page: expected a whole number/],
    ['bad ephemeral', ['nacos', 'instance', 'register', 's', '--ip', '1.2.3.4', '--port', '1', '--ephemeral', 'maybe'], /--ephemeral/],
    ['user add without password', ['user', 'add', 'bob'], /missing password/],
    ['help for unknown topic', ['help', 'nope'], /no help for "nope"/],
    ['repair without a target', ['data', 'repair', '--data-dir', '.'], /repair needs exactly one explicit target/],
    ['repair with two targets', ['data', 'repair', '--truncate-at', 'a:1', '--rebase-on-snapshot', 'zk'], /exactly one explicit target/],
    ['unknown data verb', ['data', 'fix'], /unknown data command "fix"/],
  ];
  for (const [name, args, message] of bad) {
    it(`${name} exits 2 with the message and usage text`, async () => {
      const r = await runCli(args);
      assert.equal(r.code, 2, r.stderr);
      assert.match(r.stderr, message);
      assert.match(r.stderr, /usage: junction/);
      assert.equal(r.stdout, '');
    });
  }
});
