package io.plinth.flags;

import java.util.List;

/**
 * A change to a flag's setting; null members are left as they are.
 *
 * @param enabled        on or off
 * @param rolloutPercent 0-100
 * @param roles          the roles it applies to; empty for all
 */
public record FlagChange(Boolean enabled, Integer rolloutPercent, List<String> roles) {
}
