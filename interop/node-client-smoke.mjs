// A presence.v1 client in JavaScript, written from proto/ and SPEC.md alone, run against a live server:
// the proof that the two files are enough for another language.
// Usage: node --experimental-websocket interop/node-client-smoke.mjs HOST:PORT [ws://HOST:PORT/presence.v1]
// With a WebSocket URL it runs the checks again in a room whose sessions use both bindings (SPEC §2.2), through
// the WHATWG WebSocket that browsers also have, and checks how a WebSocket session ends.
import grpc from '@grpc/grpc-js';
import protoLoader from '@grpc/proto-loader';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const target = process.argv[2] ?? 'localhost:50051';
const wsUrl = process.argv[3];
const root = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'proto');
// camelCase field names: protobufjs drops google.protobuf.Value's oneof when asked to keep snake_case names.
const definition = protoLoader.loadSync('presence/v1/presence.proto', {
  includeDirs: [root], keepCase: false, longs: String, enums: String, defaults: false, oneofs: true,
});
const { PresenceService } = grpc.loadPackageDefinition(definition).presence.v1;
const { requestSerialize, responseDeserialize } = definition['presence.v1.PresenceService'].Connect;
const client = new PresenceService(target, grpc.credentials.createInsecure());
let room;
const DEADLINE_MS = 5000;

function struct(obj) {
  const value = (v) => typeof v === 'number' ? { numberValue: v }
    : typeof v === 'string' ? { stringValue: v }
    : typeof v === 'boolean' ? { boolValue: v }
    : { structValue: struct(v) };
  return { fields: Object.fromEntries(Object.entries(obj).map(([k, v]) => [k, value(v)])) };
}

function grpcCall(received, wake) {
  const call = client.Connect();
  call.on('data', received);
  call.on('error', wake);
  call.on('end', wake);
  return { write: (frame) => call.write(frame), cancel: () => call.cancel(), end: () => call.end() };
}

// One binary message per frame, the protobuf encoding alone (PRS-WS-4); frames written before the socket opens
// wait for it, as a gRPC call's do.
function webSocketCall(received, wake, ended) {
  const socket = new WebSocket(wsUrl, ['presence.v1']);
  socket.binaryType = 'arraybuffer';
  const pending = [];
  socket.onopen = () => pending.splice(0).forEach((bytes) => socket.send(bytes));
  socket.onmessage = (m) => received(responseDeserialize(Buffer.from(m.data)));
  socket.onclose = (c) => { ended.push({ code: c.code, reason: c.reason }); wake(); };
  socket.onerror = wake;
  return {
    write: (frame) => {
      const bytes = requestSerialize(frame);
      if (socket.readyState === WebSocket.OPEN) socket.send(bytes); else pending.push(bytes);
    },
    cancel: () => socket.close(4500),
    end: () => socket.close(1000),
  };
}

function session(userId, binding = 'grpc', open = {}) {
  const frames = [];
  const waiters = [];
  const closes = [];
  const wake = () => waiters.splice(0).forEach((w) => w());
  const received = (frame) => {
    frames.push({ at: performance.now(), frame });
    wake();
  };
  const call = binding === 'ws' ? webSocketCall(received, wake, closes) : grpcCall(received, wake);
  const s = {
    userId, frames, call, closes,
    send: (frame) => call.write(frame),
    async until(what, predicate, timeoutMs = DEADLINE_MS) {
      const deadline = performance.now() + timeoutMs;
      for (;;) {
        const hit = frames.find(predicate);
        if (hit) return hit;
        const left = deadline - performance.now();
        if (left <= 0) throw new Error(`${userId}: no ${what} within ${timeoutMs} ms`);
        await new Promise((resolve) => { waiters.push(resolve); setTimeout(resolve, left); });
      }
    },
  };
  s.send({ open: { roomId: room, protocolVersion: 1, devUserId: userId, devDisplayName: userId, ...open } });
  return s;
}

const events = (s, userId) => s.frames.filter((f) => f.frame.presence)
  .flatMap((f) => f.frame.presence.events.map((e) => ({ at: f.at, e })))
  .filter(({ e }) => e.userId === userId);

function check(condition, message) {
  if (!condition) throw new Error(message);
}

async function scenario(bindings) {
  room = `interop-js-${process.pid}-${Date.now()}-${bindings.watcher}`;
  const watcher = session('js-watcher', bindings.watcher);
  const opened = (await watcher.until('opened', (f) => f.frame.opened)).frame.opened;
  const windowMs = opened.limits.throttleWindowMillis;
  watcher.send({ requestId: '1', subscribe: { subscriptionId: 'all', target: { allUsers: {} } } });
  await watcher.until('snapshotComplete', (f) => f.frame.snapshotComplete?.subscriptionId === 'all');

  const bystander = session('js-bystander', bindings.bystander);
  await bystander.until('opened', (f) => f.frame.opened);
  bystander.send({ requestId: '1', subscribe: { subscriptionId: 'one', target: { userId: 'nobody' } } });
  await bystander.until('snapshotComplete', (f) => f.frame.snapshotComplete);

  const sender = session('js-sender', bindings.sender);
  await sender.until('opened', (f) => f.frame.opened);
  await watcher.until('memberJoined', (f) => f.frame.memberJoined?.user?.userId === 'js-sender');

  const burst = 10;
  for (let seq = 0; seq < burst; seq++) {
    sender.send({ updateState: { state: struct({ cursor: { x: seq, y: 2 * seq }, seq }) } });
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  const last = await watcher.until('the last state of the burst', (f) => f.frame.presence?.events
    .some((e) => e.userId === 'js-sender' && e.state?.fields?.seq?.numberValue === burst - 1));

  const states = events(watcher, 'js-sender').filter(({ e }) => e.state);
  const seqs = states.map(({ e }) => e.state.fields.seq.numberValue);
  check(seqs.every((v, i) => i === 0 || v > seqs[i - 1]), `states reordered: ${seqs}`);
  check(states.length < burst, `no coalescing: ${states.length} of ${burst} states delivered`);
  const toleranceMs = 20;
  for (let i = 1; i < states.length; i++) {
    const gap = states[i].at - states[i - 1].at;
    check(gap >= windowMs - toleranceMs, `two states ${gap.toFixed(1)} ms apart; window ${windowMs} ms`);
  }

  sender.call.cancel();
  const gone = await watcher.until('the null after cancel', (f) => f.at > last.at && f.frame.presence?.events
    .some((e) => e.userId === 'js-sender' && !e.state));
  const nullEvent = gone.frame.presence.events.find((e) => e.userId === 'js-sender');
  check(nullEvent.nullReason === 'NULL_REASON_LEFT', `null reason ${nullEvent.nullReason}, expected LEFT`);
  await watcher.until('memberLeft', (f) => f.frame.memberLeft?.userId === 'js-sender');

  check(events(bystander, 'js-sender').length === 0, 'a subscriber to another user received the sender');
  check(events(watcher, 'js-sender').filter(({ e }) => !e.state).length === 1, 'not exactly one null');

  console.log(`interop ok (${JSON.stringify(bindings)}): ${states.length} of ${burst} states delivered in order, `
    + `>= ${windowMs - toleranceMs} ms apart, one LEFT null after cancel, target filtering held`);
  watcher.call.end();
  bystander.call.end();
}

// PRS-WS-10: a fatal error and a leave each end with session_end, then the matching Close code and reason.
async function webSocketEnds() {
  const refused = session('js-old', 'ws', { protocolVersion: 7 });
  const end = (await refused.until('session_end', (f) => f.frame.sessionEnd)).frame.sessionEnd;
  check(end.code === 9 && end.reason === 'UNSUPPORTED_VERSION', `session_end ${JSON.stringify(end)}`);
  check(end.metadata?.supported_versions === '1', `metadata ${JSON.stringify(end.metadata)}`);
  await refused.until('the Close frame', () => refused.closes.length > 0);
  check(refused.closes[0].code === 4009 && refused.closes[0].reason === 'UNSUPPORTED_VERSION',
    `close ${JSON.stringify(refused.closes[0])}, expected 4009 UNSUPPORTED_VERSION`);

  const leaver = session('js-leaver', 'ws');
  await leaver.until('opened', (f) => f.frame.opened);
  leaver.send({ leave: {} });
  const ok = (await leaver.until('session_end', (f) => f.frame.sessionEnd)).frame.sessionEnd;
  check((ok.code ?? 0) === 0 && !ok.reason, `session_end after leave ${JSON.stringify(ok)}`);
  await leaver.until('the Close frame', () => leaver.closes.length > 0);
  check(leaver.closes[0].code === 1000, `close ${JSON.stringify(leaver.closes[0])}, expected 1000`);
  console.log('interop ok (ws): session_end and Close 4009 for an unsupported version, 1000 after leave');
}

async function main() {
  await scenario({ watcher: 'grpc', bystander: 'grpc', sender: 'grpc' });
  if (wsUrl) {
    await scenario({ watcher: 'ws', bystander: 'ws', sender: 'grpc' });
    await scenario({ watcher: 'grpc', bystander: 'ws', sender: 'ws' });
    await webSocketEnds();
  }
}

main().then(() => { client.close(); process.exit(0); }, (e) => {
  console.error(`interop FAILED: ${e.message}`);
  process.exit(1);
});
