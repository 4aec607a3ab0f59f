/** Test clients for the realtime parts: a WebSocket that queues what it receives, and a Server-Sent Events reader. */
import { WebSocket } from "ws";

/** Resolves once `check` passes (polling), or fails with `what` after `ms`. */
export async function until(check: () => boolean, what: string, ms = 5000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

export interface ChatClient {
  readonly socket: WebSocket;
  readonly received: Array<Record<string, any>>;
  /** Waits for a message with this text. */
  waitFor(text: string): Promise<Record<string, any>>;
  close(): Promise<void>;
}

/** Opens a chat socket and waits for its own "joined" notice: from then on, room broadcasts reach it. */
export async function joinChat(baseUrl: string, room: string, name: string): Promise<ChatClient> {
  const socket = new WebSocket(`${baseUrl.replace("http", "ws")}/chat/ws/${room}?name=${encodeURIComponent(name)}`);
  const received: Array<Record<string, any>> = [];
  socket.on("message", (data) => received.push(JSON.parse(String(data))));
  await new Promise<void>((resolve, reject) => {
    socket.once("open", () => resolve());
    socket.once("error", reject);
  });
  const client: ChatClient = {
    socket,
    received,
    async waitFor(text) {
      await until(() => received.some((m) => m.text === text), `chat message ${JSON.stringify(text)} at ${name}`);
      return received.find((m) => m.text === text)!;
    },
    close: () =>
      new Promise((resolve) => {
        if (socket.readyState === WebSocket.CLOSED) return resolve();
        socket.once("close", () => resolve());
        socket.close();
      }),
  };
  await client.waitFor(`${name} joined`);
  return client;
}

export interface SseEvent {
  id?: string;
  event?: string;
  data?: string;
  comment?: string;
}

export interface EventStream {
  readonly status: number;
  readonly headers: Headers;
  readonly events: SseEvent[];
  /** Waits until an event matching `match` arrived. */
  waitFor(match: (event: SseEvent) => boolean, what: string): Promise<SseEvent>;
  close(): void;
}

/** Opens an event stream with `fetch` and parses it as it arrives. */
export async function openEvents(url: string, headers: Record<string, string> = {}): Promise<EventStream> {
  const controller = new AbortController();
  const res = await fetch(url, { headers: { accept: "text/event-stream", ...headers }, signal: controller.signal });
  const events: SseEvent[] = [];
  const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
  void (async () => {
    let buffer = "";
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) return;
        buffer += value;
        let end: number;
        while ((end = buffer.indexOf("\n\n")) >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const event: SseEvent = {};
          for (const line of block.split("\n")) {
            if (line.startsWith(": ")) event.comment = line.slice(2);
            const match = /^(id|event|data): (.*)$/.exec(line);
            if (match) event[match[1] as "id" | "event" | "data"] = match[2];
          }
          events.push(event);
        }
      }
    } catch {
      // aborted by close()
    }
  })();
  return {
    status: res.status,
    headers: res.headers,
    events,
    async waitFor(match, what) {
      await until(() => events.some(match), what);
      return events.find(match)!;
    },
    close: () => controller.abort(),
  };
}
