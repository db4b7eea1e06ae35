package dev.mlops.common.jvm;

import com.sun.management.HotSpotDiagnosticMXBean;

import java.lang.management.ManagementFactory;

/** Which -XX flags this Java runtime knows: a child JVM of the same runtime would refuse to start with an unknown one. */
final class HotSpotFlags {

    private HotSpotFlags() {
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
