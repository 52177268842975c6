/** Shared pieces of the Kafka real-client tests: kcat runs, python scripts, a server per file. */
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { runPython } from '../../helpers/python.js';

const PY_DIR = fileURLToPath(new URL('../../../../test/compat/kafka/py/', import.meta.url));

/** Run test/compat/kafka/py/<script> against `bootstrap`; parse its one JSON document. */
export async function runKafkaPy<T>(script: string, bootstrap: string, args: string[] = []): Promise<T> {
  const stdout = await runPython(PY_DIR + script, [bootstrap, ...args], 90_000);
  return JSON.parse(stdout) as T;
}

/** Debian's kcat 1.7.1 on librdkafka 2.0.2. Resolves with stdout; rejects with stderr on failure. */
export function kcat(args: string[], input?: string, timeoutMs = 30_000): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = execFile('kcat', args, { timeout: timeoutMs, maxBuffer: 64 * 1024 * 1024 }, (err, stdout, stderr) => {
      if (err) reject(new Error(`kcat ${args.join(' ')} failed: ${err.message}\n${stderr}`));
      else resolve(stdout);
    });
    if (input !== undefined) child.stdin!.end(input);
    else child.stdin!.end();
  });
}

/** kcat -C for every message of `topic` from the beginning, as "partition offset key value" lines. */
export async function kcatReadAll(bootstrap: string, topic: string): Promise<string[]> {
  const out = await kcat(['-b', bootstrap, '-C', '-t', topic, '-e', '-o', 'beginning', '-q', '-f', '%p %o %k %s\\n']);
  return out.split('\n').filter((l) => l !== '').sort();
}

