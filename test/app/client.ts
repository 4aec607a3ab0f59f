/** A small HTTP client over `fetch` for the flagship tests: JSON, forms, bearer tokens, and the log-in dance. */
import { PASSWORD } from "./harness.ts";

export interface Reply {
  readonly status: number;
  readonly headers: Headers;
  readonly body: any;
}

export interface CallOptions {
  token?: string;
  json?: unknown;
  form?: Record<string, string>;
  headers?: Record<string, string>;
}

export class Client {
  constructor(readonly base: string) {}

  async call(method: string, path: string, options: CallOptions = {}): Promise<Reply> {
    const headers: Record<string, string> = { ...options.headers };
    if (options.token !== undefined) headers.authorization = `Bearer ${options.token}`;
    let body: string | undefined;
    if (options.json !== undefined) {
      headers["content-type"] = "application/json";
      body = JSON.stringify(options.json);
    } else if (options.form !== undefined) {
      headers["content-type"] = "application/x-www-form-urlencoded";
      body = new URLSearchParams(options.form).toString();
    }
    const res = await fetch(this.base + path, { method, headers, body, redirect: "manual" });
    const text = await res.text();
    let parsed: unknown = text;
    if ((res.headers.get("content-type") ?? "").includes("json") && text !== "") parsed = JSON.parse(text);
    return { status: res.status, headers: res.headers, body: parsed };
  }

  get(path: string, options?: CallOptions): Promise<Reply> {
    return this.call("GET", path, options);
  }
  post(path: string, options?: CallOptions): Promise<Reply> {
    return this.call("POST", path, options);
  }
  patch(path: string, options?: CallOptions): Promise<Reply> {
    return this.call("PATCH", path, options);
  }
  delete(path: string, options?: CallOptions): Promise<Reply> {
    return this.call("DELETE", path, options);
  }

  /** Logs in (OAuth2 password flow, as Swagger UI's Authorize does); fails the test unless it works. */
  async login(username: string, password: string = PASSWORD): Promise<{ access_token: string; refresh_token: string }> {
    const reply = await this.post("/token", { form: { grant_type: "password", username, password } });
    if (reply.status !== 200) throw new Error(`login as ${username} answered ${reply.status}: ${JSON.stringify(reply.body)}`);
    return reply.body;
  }

  /** An access token for `username`. */
  async token(username: string, password?: string): Promise<string> {
    return (await this.login(username, password)).access_token;
  }
}

/** The number of queries a response's `Server-Timing` reports. */
export function queryCount(reply: Reply): number {
  const match = /db;dur=[\d.]+;desc="(\d+) queries"/.exec(reply.headers.get("server-timing") ?? "");
  if (match === null) throw new Error(`no db entry in Server-Timing: ${reply.headers.get("server-timing")}`);
  return Number(match[1]);
}
