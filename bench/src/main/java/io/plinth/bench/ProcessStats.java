package io.plinth.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** CPU time and memory of processes, read from Linux's /proc. */
final class ProcessStats {

    /** Linux's USER_HZ: clock ticks per second in /proc/[pid]/stat. */
    private static final double TICKS_PER_SECOND = 100.0;

    private ProcessStats() {
    }

    /** User + system CPU seconds a process has used, or 0 if it is gone. */
    static double cpuSeconds(long pid) {
        String[] fields = statFields(pid);
        if (fields == null) {
            return 0;
        }
        return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) / TICKS_PER_SECOND;
    }

    /** CPU seconds of a process and all its children (e.g. a postmaster and its backends). */
    static double treeCpuSeconds(long root) {
        double total = cpuSeconds(root);
        for (long child : children(root)) {
            total += cpuSeconds(child);
        }
        return total;
    }

    /** Resident memory in MiB, current ({@code VmRSS}) or peak ({@code VmHWM}). */
    static double residentMiB(long pid, boolean peak) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith(peak ? "VmHWM:" : "VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024.0;
                }
            }
        } catch (IOException e) {
            return 0;
        }
        return 0;
    }

    private static List<Long> children(long parent) {
        List<Long> children = new ArrayList<>();
        try (var entries = Files.list(Path.of("/proc"))) {
            for (Path entry : entries.toList()) {
                String name = entry.getFileName().toString();
                if (!name.chars().allMatch(Character::isDigit)) {
                    continue;
                }
                String[] fields = statFields(Long.parseLong(name));
                if (fields != null && Long.parseLong(fields[1]) == parent) {
                    children.add(Long.parseLong(name));
                }
            }
        } catch (IOException e) {
            return children;
        }
        return children;
    }

    /** The fields of /proc/[pid]/stat after the command name: [0] = state, [1] = ppid, [11] = utime, [12] = stime. */
    private static String[] statFields(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            return stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }
}
