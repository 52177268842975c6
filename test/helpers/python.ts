import { execFile } from 'node:child_process';

/** Debian's python (kazoo, pika … are Debian packages that the python on PATH cannot see). */
export const PYTHON = '/usr/bin/python3';

/** Run a python script; resolves with stdout, rejects with stderr on a non-zero exit. */
export function runPython(script: string, args: string[], timeoutMs = 60_000): Promise<string> {
  return new Promise((resolve, reject) => {
    // No __pycache__ in the source tree (scripts import their shared helpers).
    const env = { ...process.env, PYTHONDONTWRITEBYTECODE: '1' };
    execFile(PYTHON, [script, ...args], { env, timeout: timeoutMs, maxBuffer: 64 * 1024 * 1024 }, (err, stdout, stderr) => {
      if (err) reject(new Error(`${script} failed: ${err.message}\n${stderr}`));
      else resolve(stdout);
    });
  });
}
