import { run } from '../../helpers/run-program.js';

export interface CurlAnswer { status: number; text: string; json: unknown }

/** One request with the real curl (as the course uses it): status and body, JSON parsed when it is JSON. */
export async function curl(method: string, url: string, opts: { user?: string; data?: string; dataFile?: string; raw?: boolean } = {}): Promise<CurlAnswer> {
  const args = ['-s', '-X', method, '-o', '-', '-w', '\n%{http_code}', '--max-time', '20'];
  if (opts.raw) args.push('--path-as-is');
  if (opts.user !== undefined) args.push('-u', opts.user);
  if (opts.data !== undefined) args.push('-H', 'content-type: application/json', '--data-binary', opts.data);
  if (opts.dataFile !== undefined) args.push('-H', 'content-type: application/json', '--data-binary', `@${opts.dataFile}`);
  args.push(url);
  const r = await run('curl', args, undefined, { timeoutMs: 30_000 });
  if (r.code !== 0) throw new Error(`curl ${method} ${url} exited ${r.code}: ${r.stderr}`);
  const at = r.stdout.lastIndexOf('\n');
  const text = r.stdout.slice(0, at);
  let json: unknown;
  try { json = text === '' ? undefined : JSON.parse(text); } catch { json = undefined; }
  return { status: Number(r.stdout.slice(at + 1)), text, json };
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Poll until `check` passes (management numbers follow AMQP traffic a moment later). */
export async function eventually(check: () => Promise<void>, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try { await check(); return; } catch (err) { if (Date.now() > deadline) throw err; }
    await sleep(50);
  }
}
