import { spawn, type ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";

/** The reference server's jar, built by `mvn -pl reference-server -am package`. */
export const SERVER_JAR = fileURLToPath(new URL("../../../../reference-server/target/presence-server.jar", import.meta.url));

/** Whether the jar is there; CI builds it before the SDK's tests. */
export const serverJarBuilt = existsSync(SERVER_JAR);

/** A running reference server on free ports. */
export interface RunningServer {
  /** host:port of the gRPC binding. */
  readonly grpcTarget: string;
  /** ws:// URL of the WebSocket binding. */
  readonly wsUrl: string;
  stop(): Promise<void>;
  /** Sends SIGTERM and returns at once; the server drains for its --drain-millis, then exits. */
  terminate(): void;
  /** Everything the server printed so far. */
  output(): string;
}

const LISTENING = /presence-server listening on \S*:(\d+) \S+ websocket=ws:\/\/:(\d+)\/presence\.v1/;

/**
 * Starts the reference server in its development mode (clients choose their user id) with the gRPC binding on a
 * free port and the WebSocket binding on another, and reads both ports from its listening line. Unless
 * `drainMillis` says otherwise, SIGTERM stops it without a drain window, so that tests that stop a server do not
 * wait for one; it skips the warm-up before SERVING for the same reason (the tests judge no latency).
 */
export async function startReferenceServer(listen: { grpc: string; ws: string } = { grpc: "0", ws: "-1" },
  startTimeoutMillis = 30_000, drainMillis = 0): Promise<RunningServer> {
  const child: ChildProcess = spawn("java", ["-jar", SERVER_JAR, "--port", listen.grpc, "--ws-port", listen.ws,
    "--metrics-port", "0", "--drain-millis", String(drainMillis), "--warmup-millis", "0"], { stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  const ports = await new Promise<[string, string]>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no listening line within ${startTimeoutMillis} ms:\n${output}`)),
      startTimeoutMillis);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = LISTENING.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve([match[1]!, match[2]!]);
      }
    };
    child.stdout?.on("data", onData);
    child.stderr?.on("data", (chunk: Buffer) => { output += chunk.toString(); });
    child.on("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`the server exited with ${code}:\n${output}`));
    });
  });
  const exited = new Promise<void>((resolve) => child.on("exit", () => resolve()));
  return {
    grpcTarget: `127.0.0.1:${ports[0]}`,
    wsUrl: `ws://127.0.0.1:${ports[1]}/presence.v1`,
    terminate() {
      child.kill("SIGTERM");
    },
    output: () => output,
    async stop() {
      if (child.exitCode === null) {
        child.kill("SIGTERM");
        const killer = setTimeout(() => child.kill("SIGKILL"), 10_000);
        await exited;
        clearTimeout(killer);
      }
    },
  };
}
