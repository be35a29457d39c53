package io.plinth.webhooks;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The SSRF guard: a webhook target must be an http(s) URL whose host resolves only to public addresses. Loopback,
 * private (RFC 1918, unique-local), link-local (cloud metadata at 169.254.169.254 included), carrier-grade NAT,
 * unspecified and multicast addresses are refused unless the host, the address or a CIDR range holding it is in
 * {@code plinth.webhooks.allowed-targets}. Checked when a subscription is saved and again before every attempt, so
 * that a name later re-pointed at an internal address (DNS rebinding) is refused at delivery time too.
 */
public final class TargetGuard {

    private final List<String> allowed;

    public TargetGuard(List<String> allowed) {
        this.allowed = allowed.stream().map(entry -> entry.trim().toLowerCase(Locale.ROOT)).toList();
    }

    /** Why this URL may not be a target, or empty when it may. */
    public Optional<String> problemWith(String url) {
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            return Optional.of("is not a valid URL");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            return Optional.of("must be an http or https URL");
        }
        String host = uri.getHost();
        if (host == null || host.isEmpty()) {
            return Optional.of("must name a host");
        }
        if (uri.getUserInfo() != null) {
            return Optional.of("must not carry credentials (user:password@); use custom headers");
        }
        String bareHost = host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
        if (allowed.contains(bareHost.toLowerCase(Locale.ROOT))) {
            return Optional.empty();
        }
        InetAddress[] addresses;
        try {
            addresses = InetAddress.getAllByName(bareHost);
        } catch (UnknownHostException e) {
            return Optional.of("names a host that does not resolve");
        }
        for (InetAddress address : addresses) {
            if (isInternal(address) && !allowedAddress(address)) {
                return Optional.of("resolves to " + address.getHostAddress() + ", a private, loopback or link-local "
                        + "address; add it to plinth.webhooks.allowed-targets if it is meant");
            }
        }
        return Optional.empty();
    }

    static boolean isInternal(InetAddress address) {
        if (address.isLoopbackAddress() || address.isSiteLocalAddress() || address.isLinkLocalAddress()
                || address.isAnyLocalAddress() || address.isMulticastAddress()) {
            return true;
        }
        byte[] bytes = address.getAddress();
        if (address instanceof Inet4Address) {
            int first = bytes[0] & 0xff;
            int second = bytes[1] & 0xff;
            return first == 0 || (first == 100 && second >= 64 && second <= 127) // carrier-grade NAT
                    || (first == 192 && second == 0 && (bytes[2] & 0xff) == 0) || first >= 240;
        }
        if (address instanceof Inet6Address) {
            int first = bytes[0] & 0xff;
            boolean uniqueLocal = (first & 0xfe) == 0xfc;
            boolean mappedV4 = isMappedV4(bytes);
            if (mappedV4) {
                try {
                    return isInternal(InetAddress.getByAddress(java.util.Arrays.copyOfRange(bytes, 12, 16)));
                } catch (UnknownHostException e) {
                    return true;
                }
            }
            return uniqueLocal;
        }
        return true;
    }

    private static boolean isMappedV4(byte[] bytes) {
        for (int i = 0; i < 10; i++) {
            if (bytes[i] != 0) {
                return false;
            }
        }
        return (bytes[10] & 0xff) == 0xff && (bytes[11] & 0xff) == 0xff;
    }

    private boolean allowedAddress(InetAddress address) {
        for (String entry : allowed) {
            if (entry.contains("/")) {
                if (inRange(address, entry)) {
                    return true;
                }
            } else if (entry.equals(address.getHostAddress().toLowerCase(Locale.ROOT))) {
                return true;
            }
        }
        return false;
    }

    private static boolean inRange(InetAddress address, String cidr) {
        String[] parts = cidr.split("/", 2);
        try {
            byte[] network = InetAddress.getByName(parts[0]).getAddress();
            byte[] candidate = address.getAddress();
            int bits = Integer.parseInt(parts[1]);
            if (network.length != candidate.length || bits < 0 || bits > network.length * 8) {
                return false;
            }
            for (int i = 0; i < bits; i++) {
                int mask = 0x80 >>> (i % 8);
                if ((network[i / 8] & mask) != (candidate[i / 8] & mask)) {
                    return false;
                }
            }
            return true;
        } catch (UnknownHostException | NumberFormatException e) {
            return false;
        }
    }
}
