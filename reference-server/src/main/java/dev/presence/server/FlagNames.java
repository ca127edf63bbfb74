package dev.presence.server;

import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Speaks of settings as the command line does. {@link dev.presence.server.config.ServerConfig} names them as its
 * builder does ({@code throttleWindowMillis=5}); a person who ran the command gave a flag or its environment
 * variable, so a message names both.
 */
final class FlagNames {
  private static final Pattern WORD = Pattern.compile("\\b[a-z][A-Za-z]*\\b");
  private static final Pattern ENV = Pattern.compile("\\$\\{env:([A-Z0-9_]+)");
  /** Settings whose flag is not their name in kebab case: the TLS flags are named for what the file holds. */
  private static final Map<String, String> RENAMED =
      Map.of("tlsCertFile", "--tls-cert", "tlsKeyFile", "--tls-key", "tlsClientCaFile", "--tls-client-ca");

  private final Map<String, String> flagBySetting = new LinkedHashMap<>();
  private final Map<String, String> envByFlag = new LinkedHashMap<>();

  /** @param spec the command whose options name the settings */
  FlagNames(CommandSpec spec) {
    for (OptionSpec option : spec.options()) {
      Matcher env = ENV.matcher(String.valueOf(option.defaultValueString()));
      if (env.find()) {
        String flag = option.longestName();
        flagBySetting.put(camelCase(flag), flag);
        envByFlag.put(flag, env.group(1));
      }
    }
    flagBySetting.putAll(RENAMED);
  }

  /**
   * @param message a configuration error naming settings as the builder does
   * @return the message with each setting named as its flag, followed by the environment variables of those flags
   */
  String rewrite(String message) {
    Set<String> named = new LinkedHashSet<>();
    Matcher m = WORD.matcher(message);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      String flag = flagBySetting.get(m.group());
      // A one-word setting (port, auth, demo) is also an English word; only "port=" is surely the setting.
      boolean oneWord = m.group().chars().noneMatch(Character::isUpperCase);
      boolean setting = flag != null && (!oneWord || message.startsWith("=", m.end()));
      m.appendReplacement(out, Matcher.quoteReplacement(setting ? flag : m.group()));
      if (setting) {
        named.add(envByFlag.get(flag));
      }
    }
    m.appendTail(out);
    return named.isEmpty() ? out.toString() : out + " (env " + String.join(", ", named) + ")";
  }

  private static String camelCase(String flag) {
    StringBuilder name = new StringBuilder();
    for (String part : flag.substring(2).split("-")) {
      name.append(name.length() == 0 ? part : Character.toUpperCase(part.charAt(0)) + part.substring(1));
    }
    return name.toString();
  }
}
