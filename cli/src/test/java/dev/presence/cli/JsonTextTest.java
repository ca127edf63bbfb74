package dev.presence.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.presence.client.State;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class JsonTextTest {
  @Test
  void integersPrintWithoutAFraction() {
    assertThat(JsonText.number(1)).isEqualTo("1");
    assertThat(JsonText.number(0)).isEqualTo("0");
    assertThat(JsonText.number(-0.0)).isEqualTo("0");
    assertThat(JsonText.number(-3)).isEqualTo("-3");
    assertThat(JsonText.number(100)).isEqualTo("100");
    assertThat(JsonText.number(1_000_000)).isEqualTo("1000000");
    assertThat(JsonText.number(-2_147_483_649.0)).isEqualTo("-2147483649");
  }

  @Test
  void integersUpToTwoToThe53PrintExactly() {
    assertThat(JsonText.number(9_007_199_254_740_991.0)).isEqualTo("9007199254740991");
    assertThat(JsonText.number(Math.pow(2, 53))).isEqualTo("9007199254740992");
    assertThat(JsonText.number(-Math.pow(2, 53))).isEqualTo("-9007199254740992");
    assertThat(JsonText.number(1e20)).isEqualTo("100000000000000000000");
    assertThat(JsonText.number(1e21)).as("JSON.stringify switches to an exponent here").isEqualTo("1e+21");
  }

  @Test
  void fractionsPrintInTheirShortestForm() {
    assertThat(JsonText.number(0.1)).isEqualTo("0.1");
    assertThat(JsonText.number(0.1 + 0.2)).isEqualTo("0.30000000000000004");
    assertThat(JsonText.number(-1.5)).isEqualTo("-1.5");
    assertThat(JsonText.number(123.456)).isEqualTo("123.456");
    assertThat(JsonText.number(1.0 / 3)).isEqualTo("0.3333333333333333");
    assertThat(JsonText.number(0.000001)).isEqualTo("0.000001");
    assertThat(JsonText.number(1.5e-7)).isEqualTo("1.5e-7");
    assertThat(JsonText.number(Double.MIN_VALUE)).isEqualTo("5e-324");
    assertThat(JsonText.number(Double.MAX_VALUE)).isEqualTo("1.7976931348623157e+308");
    // Java 17's Double.toString gives 1.9999999999999998E23 and 2.82879384806159008E17 for these.
    assertThat(JsonText.number(2e23)).isEqualTo("2e+23");
    assertThat(JsonText.number(2.82879384806159e17)).isEqualTo("282879384806159000");
  }

  @Test
  void everyPrintedNumberReadsBackAsTheSameDouble() {
    SplittableRandom random = new SplittableRandom(17);
    List<String> misread = new ArrayList<>();
    for (int i = 0; i < 5_000; i++) {
      double d = Double.longBitsToDouble(random.nextLong());
      String text = JsonText.number(d);
      if (Double.isFinite(d) && Double.parseDouble(text) != d) {
        misread.add(d + " printed as " + text);
      }
    }
    assertThat(misread).isEmpty();
  }

  @Test
  void aStatePrintsAsTheJsonItWasParsedFrom() {
    String json = "{\"x\":1,\"y\":-2,\"big\":9007199254740992,\"f\":0.25,\"cursor\":{\"x\":10,\"y\":20.5},"
        + "\"path\":[1,2.5,[3,{\"z\":-4}]],\"on\":true,\"none\":null,\"name\":\"Ada\",\"empty\":{},\"list\":[]}";
    assertThat(JsonText.of(State.fromJson(json))).isEqualTo(json);
  }

  @Test
  void aStateFromJavaValuesPrintsTheirNumbersAsJson() {
    Map<String, Object> fields = new LinkedHashMap<>();
    fields.put("n", 7);
    fields.put("l", 1L << 40);
    fields.put("d", 2.0);
    fields.put("xs", Arrays.asList(1, null, List.of(0.5)));
    assertThat(JsonText.of(State.of(fields))).isEqualTo("{\"n\":7,\"l\":1099511627776,\"d\":2,\"xs\":[1,null,[0.5]]}");
  }

  @Test
  void stringsAreEscapedAndControlCharactersCannotReachTheTerminal() {
    State state = State.of(Map.of("s", "a\"b\\c\nd\te\u001b[2J\u009bf\u007f é ✓"));
    assertThat(JsonText.of(state))
        .isEqualTo("{\"s\":\"a\\\"b\\\\c\\nd\\te\\u001b[2J\\u009bf\\u007f é ✓\"}");
    assertThat(State.fromJson(JsonText.of(state))).isEqualTo(state);
  }
}
