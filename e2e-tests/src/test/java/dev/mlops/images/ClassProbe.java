package dev.mlops.images;

/**
 * Run inside an image: loads and links each named class (as the service does when it first uses it) and prints
 * {@code loaded <name>} or {@code missing <name>: <error>}, e.g. a JDK module the runtime lacks.
 */
public final class ClassProbe {

    private ClassProbe() {
    }

    public static void main(String[] names) {
        for (String name : names) {
            try {
                Class.forName(name, true, ClassProbe.class.getClassLoader()).getDeclaredMethods();
                System.out.println("loaded " + name);
            } catch (LinkageError | ClassNotFoundException e) {
                System.out.println("missing " + name + ": " + e);
            }
        }
    }
}
