package dev.presence.server.cluster;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Struct;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.ByteArrayCodec;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Reads what Redis holds of a room for tests outside this package, in the cluster's own format. */
public final class StoredStates {
  private StoredStates() {}

  /**
   * @param redisUri the Redis to read
   * @param room a room id
   * @return the states Redis holds for the room's seats
   */
  public static List<Struct> of(String redisUri, String room) throws InvalidProtocolBufferException {
    byte[] key = Arrays.stream(new RoomKeys(room).all())
        .filter(k -> new String(k, StandardCharsets.UTF_8).endsWith(":states")).findFirst().orElseThrow();
    RedisClient client = RedisClient.create(redisUri);
    try (StatefulRedisConnection<byte[], byte[]> connection = client.connect(ByteArrayCodec.INSTANCE)) {
      List<Struct> states = new ArrayList<>();
      for (byte[] value : connection.sync().hvals(key)) {
        Struct state = SeatRecord.decodeState(value);
        if (state != null) {
          states.add(state);
        }
      }
      return states;
    } finally {
      client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
    }
  }
}
