package dev.presence.server.cluster;

import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The Lua scripts that change a room atomically: each assigns the next number of the room's order and publishes
 * the change in the same step, so the order of the numbers is the order of the messages. Called by digest; a
 * Redis that does not know a script yet (a new shard, a restart) gets its text once.
 */
final class RoomScripts {
  /** One script, with the helpers every script shares prepended. */
  static final class Script {
    private final byte[] text;
    private final String digest;

    private Script(String name) {
      String body = load("common.lua") + "\n" + load(name + ".lua");
      this.text = body.getBytes(StandardCharsets.UTF_8);
      this.digest = sha1(text);
    }

    <T> CompletionStage<T> run(RedisClusterAsyncCommands<byte[], byte[]> redis, ScriptOutputType type,
        byte[][] keys, byte[]... args) {
      CompletableFuture<T> result = new CompletableFuture<>();
      redis.<T>evalsha(digest, type, keys, args).whenComplete((value, error) -> {
        if (error instanceof RedisNoScriptException) {
          redis.<T>eval(text, type, keys, args).whenComplete((v, e) -> {
            if (e != null) {
              result.completeExceptionally(e);
            } else {
              result.complete(v);
            }
          });
        } else if (error != null) {
          result.completeExceptionally(error);
        } else {
          result.complete(value);
        }
      });
      return result;
    }
  }

  static final Script OPEN = new Script("open");
  static final Script STATE = new Script("state");
  static final Script END = new Script("end");
  static final Script REAP = new Script("reap");
  static final Script SNAPSHOT = new Script("snapshot");

  private RoomScripts() {}

  private static String load(String name) {
    try (InputStream in = RoomScripts.class.getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException("missing script resource " + name);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String sha1(byte[] text) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(text));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-1 is required of every JVM", e);
    }
  }
}
