/** The slice of autocannon's programmatic API the benchmark uses (the package ships no types). */
declare module 'autocannon' {
  interface RequestData {
    method?: string;
    path?: string;
    headers?: Record<string, string>;
    body?: string | Buffer;
  }
  interface RequestSpec extends RequestData {
    setupRequest?: (req: RequestData, context: Record<string, unknown>) => RequestData | null;
  }
  interface Options {
    url: string;
    connections?: number;
    duration?: number;
    amount?: number;
    pipelining?: number;
    timeout?: number;
    workers?: number;
    method?: string;
    headers?: Record<string, string>;
    body?: string | Buffer;
    expectBody?: string;
    verifyBody?: (body: string) => boolean;
    requests?: RequestSpec[];
    sampleInt?: number;
  }
  interface Histogram { average: number; p50: number; p90: number; p99: number; max: number; total: number }
  interface Result {
    start: Date;
    finish: Date;
    duration: number;
    errors: number;
    timeouts: number;
    mismatches: number;
    non2xx: number;
    statusCodeStats: Record<string, { count: number }>;
    latency: Histogram;
    requests: Histogram & { sent: number };
  }
  interface Tracker extends Promise<Result> {
    stop(): void;
    on(event: 'response', listener: () => void): Tracker;
  }
  function autocannon(opts: Options): Tracker;
  export default autocannon;
  export type { Options, Result, RequestData, RequestSpec };
}
