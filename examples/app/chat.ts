/**
 * A chat room over WebSockets (seed examples 36–37): `GET /chat` is the page, `/chat/ws/{room}?name=` the socket.
 * Messages go through the `ConnectionManager`'s broadcaster — Redis pub/sub when `REDIS_URL` is set — so the
 * clients of every worker process and host share the room.
 */
import { readFileSync } from "node:fs";
import { z } from "zod";
import { ConnectionManager, HTMLResponse, Path, Query, type App, type Broadcaster } from "../../src/index.ts";

const PAGE = readFileSync(new URL("./chat.html", import.meta.url), "utf8");

/** What the server sends: a member's message, or a system notice (someone joined or left). */
export const ChatEvent = z
  .object({
    type: z.enum(["message", "system"]),
    room: z.string(),
    from: z.string().nullable(),
    text: z.string(),
    at: z.string().meta({ format: "date-time" }),
  })
  .meta({ id: "ChatEvent" });
type ChatEvent = z.infer<typeof ChatEvent>;

/** Adds the chat page and socket to `app`; returns the manager (the app closes it at shutdown). */
export function installChat(app: App<any>, broadcaster: Broadcaster): ConnectionManager {
  const manager = new ConnectionManager({ broadcaster, channelPrefix: "chat:" });
  const say = (room: string, from: string | null, text: string): Promise<void> => {
    const event: ChatEvent = { type: from === null ? "system" : "message", room, from, text, at: new Date().toISOString() };
    return manager.broadcast(event, { room });
  };

  app.get("/chat", { summary: "The chat page", tags: ["chat"] }, function chatPage() {
    // The root path keeps the socket URL right when the app is mounted under a prefix.
    return new HTMLResponse(PAGE.replace("ROOT_PATH", JSON.stringify(app.rootPath)));
  });

  app.websocket(
    "/chat/ws/{room}",
    {
      params: {
        room: Path(z.string().regex(/^[a-z0-9-]{1,32}$/), { description: "Room name: a–z, 0–9 and '-'" }),
        name: Query(z.string().trim().min(1).max(32), { description: "Your display name" }),
      },
      send: ChatEvent,
      maxMessageSize: 4096,
      summary: "Chat: each text message is sent to everyone in the room",
      tags: ["chat"],
    },
    async function chatSocket({ room, name }, ws) {
      await manager.connect(ws, room);
      await say(room, null, `${name} joined`);
      for await (const text of ws.iterText()) {
        const trimmed = text.trim().slice(0, 1000);
        if (trimmed !== "") await say(room, name, trimmed);
      }
      // The loop ends when the client leaves; the manager has already dropped the socket.
      await say(room, null, `${name} left`);
    },
  );
  return manager;
}
