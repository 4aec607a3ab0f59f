/** Starting an app on a real socket for the tests that must see the wire (after-send order, streaming). */
import http from "node:http";
import type { App } from "../../src/index.ts";
import { serve, type Server } from "../../src/index.ts";

/** Serves `app` on a free port; close it with `server.close()`. */
export function listen(app: App): Promise<Server> {
  return serve(app, { port: 0, announce: false, handleSignals: false });
}

/** A raw GET that reports each body chunk as it arrives (fetch would hide the timing). */
export function rawGet(url: string, headers: Record<string, string> = {}): Promise<{ res: http.IncomingMessage; chunks: AsyncIterable<Buffer> }> {
  return new Promise((resolve, reject) => {
    const req = http.get(url, { headers, agent: false }, (res) => resolve({ res, chunks: res }));
    req.once("error", reject);
  });
}
