package io.plinth.flags;

/**
 * A flag Plinth knows about.
 *
 * @param name           dotted lower camel case, e.g. {@code entity.maintenance} or {@code newCheckout}
 * @param description    what turning it on does
 * @param defaultEnabled its state until someone changes it
 * @param builtIn        whether Plinth itself acts on it (maintenance, hidden) rather than the team's code
 */
public record FlagDefinition(String name, String description, boolean defaultEnabled, boolean builtIn) {
}
