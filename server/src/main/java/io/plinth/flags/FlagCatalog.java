package io.plinth.flags;

import io.plinth.definition.ResourceCatalog;
import io.plinth.definition.ResourceDefinition;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.springframework.stereotype.Component;

/** Every flag there is: two built in per resource, then the declared ones. */
@Component
public class FlagCatalog {

    /** Suffix of the built-in flag that makes a resource read-only. */
    public static final String MAINTENANCE = "maintenance";
    /** Suffix of the built-in flag that hides a resource from the API. */
    public static final String HIDDEN = "hidden";
    private static final Pattern NAME = Pattern.compile("[a-z][A-Za-z0-9]*(\\.[a-z][A-Za-z0-9]*)*");
    private static final int MAX_NAME = 100;

    private final Map<String, FlagDefinition> flags = new LinkedHashMap<>();

    public FlagCatalog(ResourceCatalog resources, FlagsProperties properties) {
        for (ResourceDefinition resource : resources.all()) {
            add(new FlagDefinition(maintenanceOf(resource), "Makes " + resource.name() + " read-only: writes answer "
                    + "503 MAINTENANCE, reads go on", false, true));
            add(new FlagDefinition(hiddenOf(resource), "Hides " + resource.name() + ": every request for it answers 404",
                    false, true));
        }
        List<String> problems = new ArrayList<>();
        properties.declared().forEach((name, declared) -> {
            if (!NAME.matcher(name).matches() || name.length() > MAX_NAME) {
                problems.add("'" + name + "' is not a valid flag name (dotted lowerCamelCase, at most " + MAX_NAME + ")");
            } else if (flags.containsKey(name)) {
                problems.add("'" + name + "' is built in");
            } else {
                add(new FlagDefinition(name, declared == null ? null : declared.description(),
                        declared != null && Boolean.TRUE.equals(declared.enabled()), false));
            }
        });
        if (!problems.isEmpty()) {
            throw new IllegalStateException("plinth.flags.declared: " + String.join("; ", problems));
        }
    }

    private void add(FlagDefinition flag) {
        flags.put(flag.name(), flag);
    }

    /** The built-in maintenance flag of a resource. */
    public static String maintenanceOf(ResourceDefinition resource) {
        return resource.name() + "." + MAINTENANCE;
    }

    /** The built-in hidden flag of a resource. */
    public static String hiddenOf(ResourceDefinition resource) {
        return resource.name() + "." + HIDDEN;
    }

    /** Every flag, built-in ones first. */
    public Collection<FlagDefinition> all() {
        return flags.values();
    }

    /** The flag with this name, if there is one. */
    public Optional<FlagDefinition> byName(String name) {
        return Optional.ofNullable(flags.get(name));
    }
}
