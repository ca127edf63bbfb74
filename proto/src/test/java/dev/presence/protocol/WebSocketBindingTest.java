package dev.presence.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.Struct;
import io.grpc.Status;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The WebSocket binding's mappings against {@code spec/vectors/websocket.json}. */
class WebSocketBindingTest {

  @Test
  @DisplayName("PRS-WS-6: credentials entries follow spec/vectors/websocket.json")
  void bearerEntries() throws IOException {
    for (Struct c : cases("bearer_entry")) {
      assertThat(WebSocketBinding.bearerEntry(SharedVectors.text(c, "token")))
          .as(SharedVectors.text(c, "why")).isEqualTo(SharedVectors.text(c, "entry"));
    }
  }

  @Test
  @DisplayName("PRS-WS-7: offered subprotocols yield the token, none, or malformed credentials")
  void offeredSubprotocols() throws Exception {
    for (Struct c : cases("offered_subprotocols")) {
      List<String> entries = WebSocketBinding.subprotocolEntries(SharedVectors.text(c, "header"));
      String why = SharedVectors.text(c, "why");
      if (c.containsFields("malformed")) {
        assertThatThrownBy(() -> WebSocketBinding.tokenOf(entries)).as(why)
            .isInstanceOf(WebSocketBinding.MalformedCredentialsException.class);
      } else if (c.containsFields("no_token")) {
        assertThat(WebSocketBinding.tokenOf(entries)).as(why).isEmpty();
      } else {
        assertThat(WebSocketBinding.tokenOf(entries)).as(why).contains(SharedVectors.text(c, "token"));
      }
    }
  }

  @Test
  @DisplayName("PRS-WS-10: a status code gives the Close code of spec/vectors/websocket.json")
  void closeCodes() throws IOException {
    for (Struct c : cases("close_code")) {
      Status.Code code = Status.Code.valueOf(SharedVectors.text(c, "code"));
      assertThat(WebSocketBinding.closeCode(code)).as(code.name()).isEqualTo(number(c, "close"));
    }
  }

  @Test
  @DisplayName("PRS-WS-11: Close codes and handshake answers read as in spec/vectors/websocket.json")
  void readingAnEnd() throws IOException {
    for (Struct c : cases("close_read")) {
      assertThat(WebSocketBinding.codeOfClose(number(c, "close"))).as(SharedVectors.text(c, "why"))
          .isEqualTo(Status.Code.valueOf(SharedVectors.text(c, "code")));
    }
    for (Struct c : cases("handshake_status")) {
      assertThat(WebSocketBinding.codeOfHandshakeStatus(number(c, "http_status"))).as(SharedVectors.text(c, "why"))
          .isEqualTo(Status.Code.valueOf(SharedVectors.text(c, "code")));
    }
  }

  private static List<Struct> cases(String mapping) throws IOException {
    List<Struct> cases = SharedVectors.cases("websocket.json").stream()
        .filter(c -> SharedVectors.text(c, "mapping").equals(mapping)).toList();
    assertThat(cases).as(mapping).isNotEmpty();
    return cases;
  }

  private static int number(Struct c, String field) {
    return (int) c.getFieldsOrThrow(field).getNumberValue();
  }
}
