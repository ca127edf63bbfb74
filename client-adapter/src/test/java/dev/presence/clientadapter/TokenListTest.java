package dev.presence.clientadapter;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class TokenListTest {
  @Test
  void returnsTheTokensInOrderThenTheLastForever() {
    TokenList tokens = new TokenList();
    tokens.replace(List.of("a", "b"));
    assertThat(List.of(tokens.get(), tokens.get(), tokens.get(), tokens.get())).containsExactly("a", "b", "b", "b");
  }

  @Test
  void aReplacementStartsAtItsFirstToken() {
    TokenList tokens = new TokenList();
    tokens.replace(List.of("a", "b"));
    tokens.get();
    tokens.replace(List.of("c", "d"));
    assertThat(tokens.get()).isEqualTo("c");
  }

  @Test
  void noTokensMeansNoCredentials() {
    assertThat(new TokenList().get()).isNull();
  }
}
