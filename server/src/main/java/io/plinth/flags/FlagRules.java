package io.plinth.flags;

import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.zip.CRC32;

/**
 * Whether a flag is on for one evaluation: enabled, and the caller holds one of its roles (if it names any), and the
 * caller's targeting key falls in its rollout percentage. The percentage bucket is a stable hash of flag name and key,
 * so one user keeps the same answer as the percentage grows, and different flags split users differently.
 */
final class FlagRules {

    private FlagRules() {
    }

    /** The answer and why, in OpenFeature's reason vocabulary. */
    record Decision(boolean on, String reason) {
    }

    static Decision evaluate(FlagState state, String targetingKey, Collection<String> roles) {
        if (!state.enabled()) {
            return new Decision(false, state.version() == 0 ? "DEFAULT" : "DISABLED");
        }
        if (!state.roles().isEmpty() && roles.stream().noneMatch(state.roles()::contains)) {
            return new Decision(false, "TARGETING_MATCH");
        }
        if (state.rolloutPercent() >= 100) {
            return new Decision(true, state.version() == 0 ? "DEFAULT" : "STATIC");
        }
        return new Decision(bucket(state.name(), targetingKey) < state.rolloutPercent(), "SPLIT");
    }

    /** 0-99, the same for the same flag and key on every instance. */
    static int bucket(String flag, String targetingKey) {
        CRC32 crc = new CRC32();
        crc.update((flag + "\u0000" + (targetingKey == null ? "" : targetingKey)).getBytes(StandardCharsets.UTF_8));
        return (int) (crc.getValue() % 100);
    }
}
