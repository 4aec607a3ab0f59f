/**
 * Two app processes sharing Redis: a client on each; a message broadcast by one process reaches the clients of
 * both (seed example 37 scaled out).
 */
import { spawn, type ChildProcess } from "node:child_process";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connect, type Client } from "../websocket/helpers.ts";
import { REDIS_URL, requireRedis, uniquePrefix } from "./redis.ts";

const fixture = fileURLToPath(new URL("./fixtures/chat-server.ts", import.meta.url));
const root = fileURLToPath(new URL("../../", import.meta.url));
const children: ChildProcess[] = [];

function startProcess(prefix: string): Promise<string> {
  const child = spawn(process.execPath, ["--import", "tsx", fixture], {
    cwd: root,
    env: { ...process.env, CHAT_REDIS_URL: REDIS_URL, CHAT_REDIS_PREFIX: prefix },
    stdio: ["ignore", "pipe", "pipe"],
  });
  children.push(child);
  return new Promise((resolve, reject) => {
    let out = "";
    let err = "";
    child.stdout!.on("data", (chunk: Buffer) => {
      out += chunk;
      const m = /listening (http:\/\/\S+)/.exec(out);
      if (m) resolve(m[1]!.replace("http://", "ws://"));
    });
    child.stderr!.on("data", (chunk: Buffer) => (err += chunk));
    child.once("exit", (code) => reject(new Error(`chat server exited with ${code}: ${err}`)));
  });
}

/** Waits for the next message that satisfies `match`, skipping others. */
async function waitFor(client: Client, match: (text: string) => boolean): Promise<string> {
  for (;;) {
    const text = await client.next();
    if (match(text)) return text;
  }
}

let urls: string[] = [];
beforeAll(async () => {
  await requireRedis();
  const prefix = uniquePrefix();
  urls = await Promise.all([startProcess(prefix), startProcess(prefix)]);
}, 60_000);

afterAll(async () => {
  await Promise.all(
    children.map((child) => new Promise<void>((resolve) => {
      if (child.exitCode !== null) return resolve();
      child.once("exit", () => resolve());
      child.kill("SIGTERM");
    })),
  );
});

describe("broadcast across two processes sharing Redis", () => {
  it("a message sent to one process reaches the clients connected to both", async () => {
    expect(new Set(urls).size).toBe(2);
    const alice = connect(`${urls[0]}/ws/1`);
    const bob = connect(`${urls[1]}/ws/2`);
    await Promise.all([alice.opened, bob.opened]);
    // Each process is subscribed once its own client's broadcast comes back to it through Redis.
    alice.socket.send("probe");
    await waitFor(alice, (t) => t === "[Client 1] probe");
    bob.socket.send("probe");
    await waitFor(bob, (t) => t === "[Client 2] probe");

    alice.socket.send("hello from process one");
    expect(await waitFor(bob, (t) => t.includes("hello"))).toBe("[Client 1] hello from process one");
    expect(await waitFor(alice, (t) => t.startsWith("[Client 1] hello"))).toBe("[Client 1] hello from process one");

    alice.socket.close();
    expect(await waitFor(bob, (t) => t.startsWith("[System]"))).toBe("[System] Client 1 left the chat");
    bob.socket.close();
    await bob.closed;
  });
});
