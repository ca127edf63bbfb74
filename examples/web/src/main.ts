// Live cursors and follow mode on presence.v1: every tab in a room shows the other users' cursors, and a tab that
// follows a user scrolls the board with them.
import { createClient, type ConnectionState, type PresenceClient, type PresenceState } from "@presence/sdk";
import { colourOf, identityFrom } from "./identity";

interface Point {
  x: number;
  y: number;
}

/** What a tab shares: its cursor on the board (absent while the pointer is off the board) and its scroll position. */
interface DemoState {
  cursor?: Point;
  view?: Point;
}

/** Timestamps for tests and the curious, on one clock shared by every page of a browser (ms since the epoch). */
interface Trace {
  inputs: { x: number; y: number; at: number }[];
  shown: { userId: string; x: number; y: number; receivedAt: number; paintedAt: number }[];
  removed: { userId: string; reason: string; at: number }[];
}

const TRACE_LIMIT = 200;

function element<T extends HTMLElement>(id: string): T {
  const found = document.getElementById(id);
  if (!found) {
    throw new Error(`the page has no #${id}`);
  }
  return found as T;
}

function pointOf(value: unknown): Point | undefined {
  if (typeof value !== "object" || value === null) {
    return undefined;
  }
  const { x, y } = value as Record<string, unknown>;
  return typeof x === "number" && typeof y === "number" && Number.isFinite(x) && Number.isFinite(y)
    ? { x, y } : undefined;
}

function epochMillis(sincePageStart: number): number {
  return performance.timeOrigin + sincePageStart;
}

function remember<T>(list: T[], item: T): void {
  list.push(item);
  if (list.length > TRACE_LIMIT) {
    list.splice(0, list.length - TRACE_LIMIT);
  }
}

const me = identityFrom(location.search, window.sessionStorage);
const scheme = location.protocol === "https:" ? "wss" : "ws";
let client: PresenceClient;
try {
  client = createClient({
    target: `${scheme}://${location.host}/presence.v1`,
    room: me.room,
    userId: me.userId,
    displayName: me.name,
  });
} catch (e) {
  // A room or user id from the query that the server would refuse: say so instead of a blank page.
  document.getElementById("connection")!.textContent = "closed";
  document.getElementById("error")!.textContent = e instanceof Error ? e.message : String(e);
  throw e;
}
const trace: Trace = { inputs: [], shown: [], removed: [] };
(window as unknown as Record<string, unknown>).presenceDemo = { client, identity: me, trace };

const board = element<HTMLDivElement>("board");
const canvas = element<HTMLDivElement>("canvas");
const connection = element<HTMLSpanElement>("connection");
const userList = element<HTMLUListElement>("user-list");
const followBanner = element<HTMLDivElement>("follow-banner");

element<HTMLSpanElement>("room").textContent = me.room;
const meLabel = element<HTMLSpanElement>("me");
meLabel.textContent = me.name;
meLabel.style.setProperty("--colour", colourOf(me.userId));
document.title = `${me.name} · ${me.room} · presence.v1 live cursors`;

// ---- connection state

function showConnection(state: ConnectionState, detail?: string): void {
  connection.dataset.state = state;
  document.body.dataset.connection = state; // the others' cursors fade while they may be stale
  connection.textContent = detail ? `${state}: ${detail}` : state;
}

client.onConnectionState((state, cause) => {
  showConnection(state, state === "closed" && cause ? cause.reason || cause.code : undefined);
});

// ---- the other users' cursors

const cursors = new Map<string, HTMLDivElement>();

function nameOf(userId: string): string {
  return client.users.all.get(userId)?.name || userId;
}

function cursorOf(userId: string): HTMLDivElement {
  let cursor = cursors.get(userId);
  if (!cursor) {
    cursor = document.createElement("div");
    cursor.className = "cursor";
    cursor.dataset.user = userId;
    cursor.style.setProperty("--colour", colourOf(userId));
    cursor.innerHTML = '<svg viewBox="0 0 16 24" width="16" height="24" aria-hidden="true">'
      + '<path d="M1 1 L1 19 L6 14.5 L9.5 22.5 L12.5 21 L9 13.5 L15 13.5 Z"/></svg><span class="name"></span>';
    canvas.append(cursor);
    cursors.set(userId, cursor);
  }
  cursor.querySelector(".name")!.textContent = nameOf(userId);
  cursor.classList.toggle("followed", userId === following);
  return cursor;
}

function moveCursor(userId: string, at: Point): void {
  const cursor = cursorOf(userId);
  const receivedAt = epochMillis(performance.now());
  cursor.hidden = false;
  cursor.style.transform = `translate(${at.x}px, ${at.y}px)`;
  cursor.dataset.x = String(at.x);
  cursor.dataset.y = String(at.y);
  requestAnimationFrame(() => {
    remember(trace.shown, { userId, x: at.x, y: at.y, receivedAt, paintedAt: epochMillis(performance.now()) });
  });
}

function hideCursor(userId: string): void {
  const cursor = cursors.get(userId);
  if (cursor) {
    cursor.hidden = true;
    delete cursor.dataset.x;
    delete cursor.dataset.y;
  }
}

function removeCursor(userId: string, reason: string): void {
  cursors.get(userId)?.remove();
  cursors.delete(userId);
  remember(trace.removed, { userId, reason, at: epochMillis(performance.now()) });
}

client.presence.sync("*", ({ userId, state, reason }) => {
  if (userId === client.userId) {
    return; // '*' includes this user: another tab of the same user, or this tab's own state
  }
  if (state === null) {
    removeCursor(userId, reason ?? "");
    return;
  }
  const at = pointOf((state as DemoState).cursor);
  if (at) {
    moveCursor(userId, at);
  } else {
    hideCursor(userId);
  }
});

// ---- follow mode: the followed user's scroll position becomes this tab's

let following: string | null = null;

function showFollowing(): void {
  for (const [userId, cursor] of cursors) {
    cursor.classList.toggle("followed", userId === following);
  }
  followBanner.hidden = following === null;
  if (following !== null) {
    element<HTMLSpanElement>("follow-name").textContent = nameOf(following);
    followBanner.style.setProperty("--colour", colourOf(following));
  }
  renderUsers();
}

client.presence.sync("following", ({ userId, state }) => {
  if (userId !== following || state === null) {
    return;
  }
  const view = pointOf((state as DemoState).view);
  if (view) {
    board.scrollTo({ left: view.x, top: view.y, behavior: "instant" });
  }
});

async function follow(userId: string): Promise<void> {
  const previous = following;
  const user = client.users.all.get(userId);
  if (!user || previous === userId) {
    return;
  }
  following = userId;
  showFollowing();
  try {
    if (previous !== null) {
      await client.users.unfollow(previous);
    }
    await user.follow();
  } catch (e) {
    following = null;
    showFollowing();
    throw e;
  }
}

async function unfollow(): Promise<void> {
  const userId = following;
  if (userId === null) {
    return;
  }
  following = null;
  showFollowing();
  // By id: the followed user may have left the room, and a follow outlives that until it is ended.
  await client.users.unfollow(userId);
}

client.onError(report);
element<HTMLButtonElement>("unfollow").addEventListener("click", () => void unfollow().catch(report));

// ---- the users list

function renderUsers(): void {
  const rows: HTMLLIElement[] = [];
  for (const [userId, user] of client.users.all) {
    const row = document.createElement("li");
    row.dataset.user = userId;
    row.style.setProperty("--colour", colourOf(userId));
    const name = document.createElement("span");
    name.className = "name";
    name.textContent = user.name || userId;
    name.title = userId;
    row.append(name);
    if (userId === client.userId) {
      row.classList.add("self");
      const you = document.createElement("span");
      you.className = "you";
      you.textContent = "you";
      row.append(you);
    } else {
      const button = document.createElement("button");
      const followed = userId === following;
      button.textContent = followed ? "unfollow" : "follow";
      button.className = followed ? "unfollow" : "follow";
      button.addEventListener("click", () => void (followed ? unfollow() : follow(userId)).catch(report));
      row.append(button);
    }
    rows.push(row);
  }
  rows.sort((a, b) => a.textContent!.localeCompare(b.textContent!));
  userList.replaceChildren(...rows);
}

client.users.onMembers((userId) => {
  renderUsers();
  if (cursors.has(userId)) {
    cursorOf(userId); // a name may have arrived after the cursor
  }
});

// ---- this tab's own cursor and view

const local: DemoState = {};

function publish(): void {
  client.presence.update({ ...local } as PresenceState);
}

function boardPoint(event: MouseEvent): Point {
  const rect = canvas.getBoundingClientRect();
  return { x: Math.round(event.clientX - rect.left), y: Math.round(event.clientY - rect.top) };
}

board.addEventListener("mousemove", (event) => {
  const at = boardPoint(event);
  local.cursor = at;
  remember(trace.inputs, { x: at.x, y: at.y, at: epochMillis(event.timeStamp) });
  publish();
});

board.addEventListener("mouseleave", () => {
  delete local.cursor;
  publish();
});

board.addEventListener("scroll", () => {
  local.view = { x: Math.round(board.scrollLeft), y: Math.round(board.scrollTop) };
  publish();
}, { passive: true });

function report(e: unknown): void {
  const message = e instanceof Error ? e.message : String(e);
  element<HTMLParagraphElement>("error").textContent = message;
}

showConnection("connecting");
client.connect().then(() => {
  local.view = { x: Math.round(board.scrollLeft), y: Math.round(board.scrollTop) };
  publish();
  renderUsers();
}, report);

window.addEventListener("pagehide", () => void client.close());
