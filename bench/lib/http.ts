/**
 * The load generator's HTTP: node:http over one keep-alive agent (no client library), JSON in
 * and out, each request timed from its send to the end of its answer.
 *
 * Requests carry what a browser behind the deployment's reverse proxy would: the session or
 * device cookie, an Origin of the server's own host (the CSRF check, server/auth/origin.ts), and
 * X-Forwarded-For with the client's own address (the server trusts a proxy on loopback), so the
 * per-address login throttle sees a hall of different clients, not one.
 */
import http from "node:http";
import { clockMs } from "./report";

export type Answer = {
  status: number;
  /** The parsed JSON, or null. */
  body: { data?: unknown; error?: { code: string; message: string } } | null;
  setCookie: string[];
  /** On the shared clock (report.ts clockMs): when the request was handed to the socket, and when its answer ended. */
  sentAt: number;
  ms: number;
};

export type RequestOptions = { cookie?: string; body?: unknown; address?: string };

export class HttpClient {
  readonly agent: http.Agent;
  readonly origin: string;
  private readonly host: string;
  private readonly port: number;

  constructor(baseUrl: string, maxSockets = 4_096) {
    const url = new URL(baseUrl);
    this.host = url.hostname;
    this.port = Number(url.port);
    this.origin = url.origin;
    this.agent = new http.Agent({ keepAlive: true, maxSockets, keepAliveMsecs: 10_000 });
  }

  request(method: "GET" | "POST", path: string, options: RequestOptions = {}): Promise<Answer> {
    const payload = method === "POST" ? JSON.stringify(options.body ?? {}) : undefined;
    const headers: http.OutgoingHttpHeaders = { accept: "application/json" };
    if (payload !== undefined) {
      headers["content-type"] = "application/json";
      headers["content-length"] = Buffer.byteLength(payload);
      headers.origin = this.origin;
    }
    if (options.cookie) headers.cookie = options.cookie;
    if (options.address) headers["x-forwarded-for"] = options.address;
    return new Promise((resolve, reject) => {
      const sentAt = clockMs();
      const req = http.request({ host: this.host, port: this.port, method, path, headers, agent: this.agent }, (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (chunk: Buffer) => chunks.push(chunk));
        res.on("end", () => {
          const ms = clockMs() - sentAt;
          let body: Answer["body"];
          try {
            body = JSON.parse(Buffer.concat(chunks).toString("utf8")) as Answer["body"];
          } catch {
            body = null;
          }
          const raw = res.headers["set-cookie"];
          resolve({ status: res.statusCode ?? 0, body, setCookie: raw ?? [], sentAt, ms });
        });
        res.on("error", reject);
      });
      req.on("error", reject);
      req.end(payload);
    });
  }

  get(path: string, options?: RequestOptions) {
    return this.request("GET", path, options);
  }

  post(path: string, options?: RequestOptions) {
    return this.request("POST", path, options);
  }

  close() {
    this.agent.destroy();
  }
}

/** The name=value pair of a Set-Cookie header named `name` (with or without the __Host- prefix). */
export function cookieFrom(setCookie: readonly string[], name: string): string | null {
  for (const line of setCookie) {
    const pair = line.split(";")[0]!;
    const key = pair.slice(0, pair.indexOf("="));
    if (key === name || key === `__Host-${name}`) return pair;
  }
  return null;
}

/** An answer's error code, or the status when it carried none. */
export const errorOf = (a: Answer) => a.body?.error?.code ?? `http_${a.status}`;

/** Runs `work` over `items` with at most `limit` at once. */
export async function eachLimited<T>(items: readonly T[], limit: number, work: (item: T, index: number) => Promise<void>) {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) {
        const i = next++;
        await work(items[i]!, i);
      }
    }),
  );
}
