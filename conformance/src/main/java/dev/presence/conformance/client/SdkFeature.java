package dev.presence.conformance.client;

/**
 * What an SDK may lack beyond the calls of the seed's API, by the name an adapter lists in
 * {@code Hello.unsupported}. The seed fixes neither per-sync unsync nor connection or membership events, so an SDK
 * faithful to it may have none of them; cases that need one are NOT-APPLICABLE for it, never passed.
 */
public final class SdkFeature {

  /** {@code Unsync} naming one sync; the seed's {@code presence.unsync()} ends them all. */
  public static final String UNSYNC_ONE = "unsync_one";
  /** {@code Report.connection}: the SDK tells the application its connection state. */
  public static final String CONNECTION_STATES = "connection_states";
  /** {@code Report.member}: the SDK tells the application who joined and left. */
  public static final String MEMBERS = "members";

  private SdkFeature() {}
}
