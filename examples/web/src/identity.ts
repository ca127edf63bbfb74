// Who this tab is, which room it joins, and the colour each user is drawn in.

export interface Identity {
  room: string;
  userId: string;
  name: string;
}

const ADJECTIVES = ["Amber", "Brisk", "Calm", "Dapper", "Eager", "Fuzzy", "Gentle", "Happy", "Jolly", "Keen",
  "Lucky", "Mellow", "Nimble", "Plucky", "Quiet", "Rapid", "Sunny", "Tidy", "Witty", "Zesty"];
const ANIMALS = ["Otter", "Badger", "Heron", "Lynx", "Marten", "Newt", "Owl", "Puffin", "Quokka", "Raven",
  "Seal", "Tapir", "Vole", "Wombat", "Yak", "Zebu", "Ibex", "Koala", "Lemur", "Mole"];

function pick<T>(items: readonly T[], random: () => number): T {
  return items[Math.floor(random() * items.length) % items.length]!;
}

/**
 * Reads `room`, `user` and `name` from the page's query. A tab without `user` gets an id of its own, kept in
 * sessionStorage so that a reload of the same tab is the same user and another tab is another one.
 */
export function identityFrom(search: string, storage: Storage | undefined, random: () => number = Math.random): Identity {
  const query = new URLSearchParams(search);
  const room = query.get("room")?.trim() || "demo";
  let userId = query.get("user")?.trim() || "";
  let name = query.get("name")?.trim() || "";
  if (!userId) {
    const saved = storage?.getItem("presence-demo-user");
    if (saved) {
      const parsed = JSON.parse(saved) as { userId?: string; name?: string };
      userId = parsed.userId ?? "";
      name ||= parsed.name ?? "";
    }
  }
  if (!userId) {
    userId = "u-" + Math.floor(random() * 0x100000000).toString(36).padStart(7, "0");
  }
  if (!name) {
    name = `${pick(ADJECTIVES, random)} ${pick(ANIMALS, random)}`;
  }
  if (!query.get("user")) {
    storage?.setItem("presence-demo-user", JSON.stringify({ userId, name }));
  }
  return { room, userId, name };
}

/** FNV-1a over the id's UTF-16 code units: the same id gets the same colour in every tab. */
export function colourOf(userId: string): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < userId.length; i++) {
    hash ^= userId.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  const hue = hash % 360;
  return `hsl(${hue} 70% 42%)`;
}
