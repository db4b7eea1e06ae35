package dev.mlops.common.jvm;

import com.sun.management.HotSpotDiagnosticMXBean;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Which -XX flags this Java runtime knows: a child JVM of the same runtime would refuse to start with an unknown one. */
final class HotSpotFlags {

    private HotSpotFlags() {
    }

    /** {@code -XX:flag=value} for each flag, or none when this runtime lacks any of them. */
    static List<String> optionsIfAllKnown(Map<String, ?> flags) {
        List<String> options = new ArrayList<>();
        for (Map.Entry<String, ?> flag : flags.entrySet()) {
            if (!known(flag.getKey())) {
                return List.of();
            }
            options.add("-XX:" + flag.getKey() + "=" + flag.getValue());
        }
        return options;
    }

    static boolean known(String flag) {
        try {
            ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class).getVMOption(flag);
            return true;
        } catch (IllegalArgumentException | UnsupportedOperationException e) {
            return false;
        }
    }
}
