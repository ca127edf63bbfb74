// A presence.v1 client in JavaScript, written from proto/ and SPEC.md alone, run against a live server:
// the proof that the two files are enough for another language. Usage: node interop/node-client-smoke.mjs HOST:PORT
import grpc from '@grpc/grpc-js';
import protoLoader from '@grpc/proto-loader';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const target = process.argv[2] ?? 'localhost:50051';
const root = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'proto');
// camelCase field names: protobufjs drops google.protobuf.Value's oneof when asked to keep snake_case names.
const definition = protoLoader.loadSync('presence/v1/presence.proto', {
  includeDirs: [root], keepCase: false, longs: String, enums: String, defaults: false, oneofs: true,
});
const { PresenceService } = grpc.loadPackageDefinition(definition).presence.v1;
const client = new PresenceService(target, grpc.credentials.createInsecure());
const room = `interop-js-${process.pid}-${Date.now()}`;
const DEADLINE_MS = 5000;

function struct(obj) {
  const value = (v) => typeof v === 'number' ? { numberValue: v }
    : typeof v === 'string' ? { stringValue: v }
    : typeof v === 'boolean' ? { boolValue: v }
    : { structValue: struct(v) };
  return { fields: Object.fromEntries(Object.entries(obj).map(([k, v]) => [k, value(v)])) };
}

function session(userId) {
  const frames = [];
  const waiters = [];
  const call = client.Connect();
  call.on('data', (frame) => {
    frames.push({ at: performance.now(), frame });
    waiters.splice(0).forEach((w) => w());
  });
  call.on('error', () => waiters.splice(0).forEach((w) => w()));
  call.on('end', () => waiters.splice(0).forEach((w) => w()));
  const s = {
    userId, frames, call,
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
  s.send({ open: { roomId: room, protocolVersion: 1, devUserId: userId, devDisplayName: userId } });
  return s;
}

const events = (s, userId) => s.frames.filter((f) => f.frame.presence)
  .flatMap((f) => f.frame.presence.events.map((e) => ({ at: f.at, e })))
  .filter(({ e }) => e.userId === userId);

function check(condition, message) {
  if (!condition) throw new Error(message);
}

async function main() {
  const watcher = session('js-watcher');
  const opened = (await watcher.until('opened', (f) => f.frame.opened)).frame.opened;
  const windowMs = opened.limits.throttleWindowMillis;
  watcher.send({ requestId: '1', subscribe: { subscriptionId: 'all', target: { allUsers: {} } } });
  await watcher.until('snapshotComplete', (f) => f.frame.snapshotComplete?.subscriptionId === 'all');

  const bystander = session('js-bystander');
  await bystander.until('opened', (f) => f.frame.opened);
  bystander.send({ requestId: '1', subscribe: { subscriptionId: 'one', target: { userId: 'nobody' } } });
  await bystander.until('snapshotComplete', (f) => f.frame.snapshotComplete);

  const sender = session('js-sender');
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

  console.log(`interop ok: ${states.length} of ${burst} states delivered in order, >= ${windowMs - toleranceMs} ms `
    + 'apart, one LEFT null after cancel, target filtering held');
  watcher.call.end();
  bystander.call.end();
}

main().then(() => { client.close(); process.exit(0); }, (e) => {
  console.error(`interop FAILED: ${e.message}`);
  process.exit(1);
});
